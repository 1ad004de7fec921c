package declarations

import (
	"context"
	"database/sql"
	"errors"
	"sort"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// Organization is what the form shows and edits of the serie's organization.
type Organization struct {
	ID      uuid.UUID `bun:"id"`
	Name    string    `bun:"name"`
	SacemID *string   `bun:"sacem_id"`
	SacdID  *string   `bun:"sacd_id"`
}

// Declaration is everything the form of one serie shows: the serie, its
// performances sorted by start, its organization's ids and its transmissions.
type Declaration struct {
	Organization Organization
	Serie        Serie
	Events       []Event
	State        State
}

// Event returns the performance id of the serie, or nil.
func (d *Declaration) Event(id uuid.UUID) *Event {
	for i := range d.Events {
		if d.Events[i].ID == id {
			return &d.Events[i]
		}
	}
	return nil
}

// ErrSerieNotFound is a serie that does not exist or belongs to another
// organization: both are 404, so existence never leaks.
var ErrSerieNotFound = derrors.New(derrors.ErrNotFound, "declarations.errors.eventSerieNotFound")

// ErrReadOnly is a change to a declaration every chosen organism accepted.
var ErrReadOnly = derrors.New(derrors.ErrConflict, "declarations.errors.transmittedDeclarationCannotBeUpdated")

// Load reads the declaration of serie serieID of organization orgID in three
// statements whatever its performances: the serie with its organization and
// place, the performances, the transmissions. Inside a transaction, forUpdate
// locks the serie row so saves of one serie run one after the other and each
// validates against the values the previous wrote.
func Load(ctx context.Context, idb bun.IDB, orgID, serieID uuid.UUID, forUpdate bool) (d *Declaration, err error) {
	defer derrors.Wrap(&err, "declarations: load serie %s", serieID)
	d = &Declaration{}
	if err := loadSerie(ctx, idb, d, orgID, serieID, forUpdate); err != nil {
		return nil, err
	}
	if err := loadEvents(ctx, idb, d); err != nil {
		return nil, err
	}
	d.State.Chosen = d.Serie.ExpectedDeclarationTypes
	if err := idb.NewSelect().Model(&d.State.Transmissions).Where("event_serie_id = ?", serieID).
		OrderExpr("type").Scan(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// loadSerie reads the serie of d, its place and its organization's ids in
// one statement.
func loadSerie(ctx context.Context, idb bun.IDB, d *Declaration, orgID, serieID uuid.UUID, forUpdate bool) error {
	d.Serie = Serie{}
	q := idb.NewSelect().Model(&d.Serie).
		ColumnExpr("serie.*").
		ColumnExpr("ts.organization_id, ts.name AS ticketing_system_name").
		ColumnExpr("o.name AS organization_name, o.sacem_id AS organization_sacem_id, o.sacd_id AS organization_sacd_id").
		Relation("Place").Relation("Place.Address").
		Join("JOIN ticketing_systems AS ts ON ts.id = serie.ticketing_system_id").
		Join("JOIN organizations AS o ON o.id = ts.organization_id").
		Where("serie.id = ? AND ts.organization_id = ?", serieID, orgID)
	if forUpdate {
		q = q.For("UPDATE OF serie")
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return ErrSerieNotFound
		}
		return err
	}
	s := &d.Serie
	d.Organization = Organization{ID: s.OrganizationID, Name: s.OrganizationName, SacemID: s.OrganizationSacemID, SacdID: s.OrganizationSacdID}
	return nil
}

// loadEvents reads the performances of d's serie with their places, sorted
// by start.
func loadEvents(ctx context.Context, idb bun.IDB, d *Declaration) error {
	d.Events = nil
	return idb.NewSelect().Model(&d.Events).Relation("PlaceOverride").Relation("PlaceOverride.Address").
		Where("event.event_serie_id = ?", d.Serie.ID).OrderExpr("event.start_at, event.id").Scan(ctx)
}

// Suggestions are values of the organization's earlier declarations the form
// offers (never fills in): producers, places and capacities.
type Suggestions struct {
	Producers  []Producer
	Places     []Place
	Capacities []int
}

// LoadSuggestions reads the suggestions of organization orgID: the producers
// and capacities of its 10 series most recently declared (a declaration row)
// or saved, and its places (decision D5 in docs/decisions.md: places belong to the organization).
func LoadSuggestions(ctx context.Context, idb bun.IDB, orgID uuid.UUID) (s *Suggestions, err error) {
	defer derrors.Wrap(&err, "declarations: suggestions of %s", orgID)
	var rows []struct {
		ProducerOfficialID *string `bun:"producer_official_id"`
		ProducerName       *string `bun:"producer_name"`
		PlaceCapacity      *int    `bun:"place_capacity"`
	}
	if err := idb.NewRaw(`SELECT s.producer_official_id, s.producer_name, s.place_capacity
FROM event_series AS s JOIN ticketing_systems AS ts ON ts.id = s.ticketing_system_id
WHERE ts.organization_id = ? AND (s.last_manual_update_at IS NOT NULL OR EXISTS (SELECT 1 FROM event_serie_declarations AS d WHERE d.event_serie_id = s.id))
ORDER BY s.updated_at DESC LIMIT 10`, orgID).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	s = &Suggestions{}
	seenProducer, seenCapacity := map[Producer]bool{}, map[int]bool{}
	for _, r := range rows {
		if r.ProducerOfficialID != nil && r.ProducerName != nil {
			p := Producer{OfficialID: *r.ProducerOfficialID, Name: *r.ProducerName}
			if !seenProducer[p] {
				seenProducer[p] = true
				s.Producers = append(s.Producers, p)
			}
		}
		if r.PlaceCapacity != nil && *r.PlaceCapacity > 0 && !seenCapacity[*r.PlaceCapacity] {
			seenCapacity[*r.PlaceCapacity] = true
			s.Capacities = append(s.Capacities, *r.PlaceCapacity)
		}
	}
	sort.Ints(s.Capacities)
	if err := idb.NewSelect().Model(&s.Places).Relation("Address").Where("place.organization_id = ?", orgID).
		OrderExpr("place.name, place.id").Limit(50).Scan(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
