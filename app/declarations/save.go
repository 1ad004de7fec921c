package declarations

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
)

// SaveInput is one save of the form: the fields this tab changed (see
// Changed), by whom.
type SaveInput struct {
	OrganizationID, SerieID uuid.UUID
	Changes                 Values
	By                      audit.Actor
	Now                     time.Time
}

// SaveResult is what a save did.
type SaveResult struct {
	// Saved are the fields written (the form names), for the "Enregistré" status.
	Saved        map[string]bool
	Propagations []Propagation
	// Declaration is the declaration as the save left it, read again inside
	// its transaction only where it changed, so the answer needs no new load.
	Declaration *Declaration
}

// change is one line of the history.
type change struct {
	eventID        *uuid.UUID
	field          string
	oldVal, newVal string
}

// saver applies the changes of one save inside its transaction.
type saver struct {
	tx        bun.Tx
	in        SaveInput
	d         *Declaration
	old, v    Values
	serieSet  map[string]any
	eventSets map[uuid.UUID]map[string]any
	changes   []change
	result    *SaveResult
	oldPlaces []uuid.UUID
}

// Save validates the changes against the stored declaration with every rule
// tying them to other fields, and writes them in one transaction: only the
// columns of the changed fields (so two tabs editing different fields keep
// both), a line of history per field, the propagation of serie-level values,
// the places reused or created and the ones no longer used deleted. Invalid
// changes save nothing and return derrors.Fields by form field name.
func Save(ctx context.Context, idb bun.IDB, in SaveInput) (res *SaveResult, err error) {
	defer derrors.Wrap(&err, "declarations: save serie %s", in.SerieID)
	res = &SaveResult{Saved: map[string]bool{}}
	err = db.RunInTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		d, err := Load(ctx, tx, in.OrganizationID, in.SerieID, true)
		if err != nil {
			return err
		}
		if d.State.ReadOnly() {
			return ErrReadOnly
		}
		s := &saver{tx: tx, in: in, d: d, old: FormValues(d), serieSet: map[string]any{},
			eventSets: map[uuid.UUID]map[string]any{}, result: res}
		s.v = Values{}
		for k, val := range s.old {
			s.v[k] = val
		}
		changed := Values{}
		for k, val := range in.Changes {
			if _, known := s.old[k]; known {
				s.v[k], changed[k] = val, val
			}
		}
		if err := s.completePlaces(ctx, changed); err != nil {
			return err
		}
		if errs := touched(Validate(d, s.v), changed); errs.Any() {
			return errs
		}
		if err := s.apply(ctx, changed); err != nil {
			return err
		}
		res.Declaration = d
		return s.refresh(ctx)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// refresh reads again what the save changed in one statement: the serie (and
// its organization's ids) when anything was saved, with the performances
// when one of them was written or a serie-level value reached them.
func (s *saver) refresh(ctx context.Context) error {
	if len(s.changes) == 0 {
		return nil
	}
	events := len(s.eventSets) > 0 || len(s.result.Propagations) > 0
	return loadSerie(ctx, s.tx, s.d, s.in.OrganizationID, s.in.SerieID, events)
}

// completePlaces gives a place typed by its name alone (a suggestion
// picked from the list) the address of the organization's place of that name,
// as choosing a suggestion does.
func (s *saver) completePlaces(ctx context.Context, changed Values) error {
	for name := range changed {
		prefix, ok := strings.CutSuffix(name, FieldPlaceName)
		if !ok {
			continue
		}
		in := placeOf(s.v, prefix)
		if in.Name == "" || in.hasAddress() {
			continue
		}
		p := &Place{}
		err := s.tx.NewSelect().Model(p).Relation("Address").Where("place.organization_id = ? AND place.name = ?", s.in.OrganizationID, in.Name).
			OrderExpr("place.updated_at DESC, place.id").Limit(1).Scan(ctx)
		if db.IsNoRows(err) {
			continue
		}
		if err != nil {
			return err
		}
		for field, value := range map[string]string{FieldPlaceStreet: p.Address.Street, FieldPlacePostalCode: p.Address.PostalCode, FieldPlaceCity: p.Address.City} {
			s.v[prefix+field], changed[prefix+field] = value, value
		}
	}
	return nil
}

// touched keeps the errors of the groups the changes belong to: the rules
// tie fields of one group only, and a stored value in error elsewhere (data a
// synchronization brought) must not block a save the user cannot see it in.
func touched(errs derrors.Fields, changed Values) derrors.Fields {
	groups := map[string]bool{}
	for name := range changed {
		groups[groupOf(name)] = true
	}
	out := derrors.Fields{}
	for field, key := range errs {
		if groups[groupOf(field)] {
			out.Add(field, key)
		}
	}
	return out
}

// groupOf is the group of a field's form name.
func groupOf(name string) string {
	if id, base, ok := splitEventField(name); ok {
		for kind, names := range eventGroups {
			for _, n := range names {
				if n == base {
					return EventGroup(id, kind)
				}
			}
		}
		return ""
	}
	for group, names := range serieGroups {
		for _, n := range names {
			if n == name {
				return group
			}
		}
	}
	return ""
}

func (s *saver) record(eventID *uuid.UUID, field, oldVal, newVal string) {
	if oldVal != newVal {
		s.changes = append(s.changes, change{eventID, field, oldVal, newVal})
	}
}

func (s *saver) setSerie(field, column string, value any, oldVal, newVal string) {
	if oldVal == newVal {
		return
	}
	s.serieSet[column] = value
	s.result.Saved[field] = true
	s.record(nil, field, oldVal, newVal)
}

func (s *saver) setEvent(id uuid.UUID, field, column string, value any, oldVal, newVal string) {
	if oldVal == newVal {
		return
	}
	if s.eventSets[id] == nil {
		s.eventSets[id] = map[string]any{}
	}
	s.eventSets[id][column] = value
	s.result.Saved[EventField(id, field)] = true
	s.record(&id, field, oldVal, newVal)
}
