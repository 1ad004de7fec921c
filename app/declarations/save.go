package declarations

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/organizations"
)

// SaveInput is one save of the form: the fields this tab changed (see
// Changed), by whom.
type SaveInput struct {
	OrganizationID, SerieID uuid.UUID
	Changes                 Values
	By                      audit.Actor
	Now                     time.Time
}

// Propagation is how far a serie-level value (place, capacity, audience,
// tax rate) reached the performances: those without a value of their own.
type Propagation struct {
	Field          string
	Applied, Total int
}

// MessageKey is the message telling it (success, warning or error).
func (p Propagation) MessageKey() string {
	switch {
	case p.Applied == p.Total:
		return "declarations.propagation.all"
	case p.Applied == 0:
		return "declarations.propagation.none"
	}
	return "declarations.propagation.some"
}

// Severity is the DSFR alert kind of the message.
func (p Propagation) Severity() string {
	switch {
	case p.Applied == p.Total:
		return "success"
	case p.Applied == 0:
		return "error"
	}
	return "warning"
}

// SaveResult is what a save did.
type SaveResult struct {
	// Saved are the fields written (the form names), for the "Enregistré" status.
	Saved        map[string]bool
	Propagations []Propagation
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
		return s.apply(ctx, changed)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
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
		if isNoRows(err) {
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

func nullAmount(d decimal.NullDecimal) any {
	if !d.Valid {
		return nil
	}
	return d.Decimal
}

// amountOrZero stores an empty amount of a NOT NULL column as 0 (rule 1 has
// already refused a pair with one side empty).
func amountOrZero(d decimal.NullDecimal) decimal.Decimal { return d.Decimal }

func (s *saver) apply(ctx context.Context, changed Values) error {
	ser := &s.d.Serie
	has := func(names ...string) bool {
		for _, n := range names {
			if _, ok := changed[n]; ok {
				return true
			}
		}
		return false
	}
	if err := s.identifiers(ctx, has(FieldSacemID), has(FieldSacdID)); err != nil {
		return err
	}
	if has(FieldOrganisms) {
		chosen, _ := ParseOrganisms(s.v[FieldOrganisms])
		s.setSerie(FieldOrganisms, "expected_declaration_types", pgArray(chosen), s.old[FieldOrganisms], joinOrganisms(chosen))
	}
	if has(FieldPerformanceType) {
		var pt any
		if v := s.v[FieldPerformanceType]; v != "" {
			pt = v
		}
		s.setSerie(FieldPerformanceType, "performance_type", pt, s.old[FieldPerformanceType], s.v[FieldPerformanceType])
	}
	if has(FieldProducerOfficialID, FieldProducerName) {
		siren, name := spaces.Replace(s.v[FieldProducerOfficialID]), strings.TrimSpace(s.v[FieldProducerName])
		s.setSerie(FieldProducerOfficialID, "producer_official_id", nullString(siren), s.old[FieldProducerOfficialID], siren)
		s.setSerie(FieldProducerName, "producer_name", nullString(name), s.old[FieldProducerName], name)
	}
	for _, p := range ExpensePairs {
		for _, side := range []struct{ field, suffix string }{{p.Excl, "_excluding_taxes"}, {p.Incl, "_including_taxes"}} {
			if !has(side.field) {
				continue
			}
			a, _ := ParseAmount(s.v[side.field])
			var value any = amountOrZero(a)
			shown := AmountInput(decimal.NewNullDecimal(amountOrZero(a)))
			if p.column == "circus_specific_expenses" {
				value, shown = nullAmount(a), AmountInput(a)
			}
			s.setSerie(side.field, p.column+side.suffix, value, canonicalAmount(s.old[side.field]), shown)
		}
	}
	var propagated []string
	if has(FieldAudience) && s.v[FieldAudience] != s.old[FieldAudience] {
		s.setSerie(FieldAudience, "audience", s.v[FieldAudience], s.old[FieldAudience], s.v[FieldAudience])
		propagated = append(propagated, FieldAudience)
	}
	newRate, _ := ParseRate(s.v[FieldTicketingRevenueTaxRate])
	if has(FieldTicketingRevenueTaxRate) && !newRate.Decimal.Equal(ser.TicketingRevenueTaxRate) {
		s.setSerie(FieldTicketingRevenueTaxRate, "ticketing_revenue_tax_rate", newRate.Decimal, s.old[FieldTicketingRevenueTaxRate], RateInput(newRate))
		propagated = append(propagated, FieldTicketingRevenueTaxRate)
	}
	newCapacity, _ := ParseCount(s.v[FieldPlaceCapacity])
	if has(FieldPlaceCapacity) && CountInput(newCapacity) != s.old[FieldPlaceCapacity] {
		s.setSerie(FieldPlaceCapacity, "place_capacity", newCapacity, s.old[FieldPlaceCapacity], CountInput(newCapacity))
		propagated = append(propagated, FieldPlaceCapacity)
	}
	serieFieldsOfPlace := []string{FieldPlaceName, FieldPlaceStreet, FieldPlacePostalCode, FieldPlaceCity}
	newPlace := ser.Place
	if has(serieFieldsOfPlace...) {
		in := placeOf(s.v, "")
		if !ser.Place.Same(in) {
			var err error
			if newPlace, err = s.place(ctx, in); err != nil {
				return err
			}
			if ser.PlaceID != nil {
				s.oldPlaces = append(s.oldPlaces, *ser.PlaceID)
			}
			s.serieSet["place_id"] = placeID(newPlace)
			for _, f := range serieFieldsOfPlace {
				s.result.Saved[f] = true
			}
			s.record(nil, FieldPlace, placeLabel(ser.Place.Input()), placeLabel(in))
			propagated = append(propagated, FieldPlace)
		}
	}
	newAudience := Audience(s.v[FieldAudience])
	for i := range s.d.Events {
		if err := s.event(ctx, &s.d.Events[i], has, newAudience, newRate.Decimal, newCapacity, newPlace); err != nil {
			return err
		}
	}
	if err := s.write(ctx); err != nil {
		return err
	}
	for _, field := range propagated {
		p, err := s.propagate(ctx, field, newAudience, newRate.Decimal, newCapacity, newPlace)
		if err != nil {
			return err
		}
		s.result.Propagations = append(s.result.Propagations, p)
	}
	if err := deleteUnusedPlaces(ctx, s.tx, s.oldPlaces); err != nil {
		return err
	}
	for _, c := range s.changes {
		if err := recordChange(ctx, s.tx, s.in.SerieID, c.eventID, s.in.By, c.field, c.oldVal, c.newVal, s.in.Now); err != nil {
			return err
		}
	}
	return nil
}

// event applies the changes of one performance. Overrides equal to the
// serie's (new) value are stored NULL, so the performance keeps following the
// serie; a change of its ticketing data marks it as typed by hand, which the
// synchronization then leaves alone.
func (s *saver) event(ctx context.Context, e *Event, has func(...string) bool, audience Audience, rate decimal.Decimal, capacity *int, serieplace *Place) error {
	prefix := eventPrefix + e.ID.String() + "."
	f := func(name string) string { return prefix + name }
	ticketing := false
	for _, name := range []string{FieldFreeTickets, FieldPaidTickets} {
		if !has(f(name)) {
			continue
		}
		n, _ := ParseCount(s.v[f(name)])
		column := "free_tickets"
		if name == FieldPaidTickets {
			column = "paid_tickets"
		}
		if CountInput(n) != s.old[f(name)] {
			s.setEvent(e.ID, name, column, *n, s.old[f(name)], CountInput(n))
			ticketing = true
		}
	}
	if has(f(FieldTicketingTaxRateOverride)) {
		r, _ := ParseRate(s.v[f(FieldTicketingTaxRateOverride)])
		var value any
		if r.Valid && !r.Decimal.Equal(rate) {
			value = r.Decimal
		}
		old, _ := ParseRate(s.old[f(FieldTicketingTaxRateOverride)])
		if r.Valid && !r.Decimal.Equal(old.Decimal) {
			s.setEvent(e.ID, FieldTicketingTaxRateOverride, "ticketing_revenue_tax_rate_override", value, RateInput(old), RateInput(r))
			ticketing = true
		}
	}
	for _, p := range append([]Pair{TicketingPair}, RevenuePairs...) {
		for _, side := range []struct{ field, suffix string }{{p.Excl, "_excluding_taxes"}, {p.Incl, "_including_taxes"}} {
			if !has(f(side.field)) {
				continue
			}
			a, _ := ParseAmount(s.v[f(side.field)])
			old := canonicalAmount(s.old[f(side.field)])
			if AmountInput(a) == old || (!a.Valid && old == "0") {
				continue
			}
			s.setEvent(e.ID, side.field, p.column+side.suffix, amountOrZero(a), old, AmountInput(decimal.NewNullDecimal(amountOrZero(a))))
			ticketing = ticketing || p == TicketingPair
		}
	}
	if ticketing {
		s.eventSets[e.ID]["last_manual_ticketing_data_update_at"] = s.in.Now
	}
	if has(f(FieldAudienceOverride)) && s.v[f(FieldAudienceOverride)] != s.old[f(FieldAudienceOverride)] {
		var value any
		if a := Audience(s.v[f(FieldAudienceOverride)]); a != "" && a != audience {
			value = string(a)
		}
		s.setEvent(e.ID, FieldAudienceOverride, "audience_override", value, s.old[f(FieldAudienceOverride)], s.v[f(FieldAudienceOverride)])
	}
	if has(f(FieldPlaceCapacityOverride)) {
		n, _ := ParseCount(s.v[f(FieldPlaceCapacityOverride)])
		if CountInput(n) != s.old[f(FieldPlaceCapacityOverride)] {
			var value any
			if n != nil && (capacity == nil || *n != *capacity) {
				value = *n
			}
			s.setEvent(e.ID, FieldPlaceCapacityOverride, "place_capacity_override", value, s.old[f(FieldPlaceCapacityOverride)], CountInput(n))
		}
	}
	placeFields := []string{f(FieldPlaceName), f(FieldPlaceStreet), f(FieldPlacePostalCode), f(FieldPlaceCity)}
	if has(placeFields...) {
		in := placeOf(s.v, prefix)
		if placeOf(s.old, prefix) != in {
			var value any
			if !in.Empty() && !serieplace.Same(in) {
				p, err := s.place(ctx, in)
				if err != nil {
					return err
				}
				value = p.ID
			}
			if e.PlaceOverrideID != nil {
				s.oldPlaces = append(s.oldPlaces, *e.PlaceOverrideID)
			}
			if s.eventSets[e.ID] == nil {
				s.eventSets[e.ID] = map[string]any{}
			}
			s.eventSets[e.ID]["place_override_id"] = value
			for _, name := range placeFields {
				s.result.Saved[name] = true
			}
			s.record(&e.ID, FieldPlace, placeLabel(placeOf(s.old, prefix)), placeLabel(in))
		}
	}
	return nil
}

// place finds or creates the organization's place typed, or nil for none.
func (s *saver) place(ctx context.Context, in PlaceInput) (*Place, error) {
	if in.Empty() {
		return nil, nil
	}
	return findOrCreatePlace(ctx, s.tx, s.in.OrganizationID, in)
}

// write updates the serie row and each changed performance row once.
func (s *saver) write(ctx context.Context) error {
	if len(s.serieSet) > 0 || len(s.eventSets) > 0 {
		s.serieSet["last_manual_update_at"] = s.in.Now
	}
	if len(s.serieSet) > 0 {
		q := s.tx.NewUpdate().Table("event_series").Where("id = ?", s.in.SerieID).Set("updated_at = now()")
		for column, value := range s.serieSet {
			q = q.Set("? = ?", bun.Ident(column), value)
		}
		if _, err := q.Exec(ctx); err != nil {
			return err
		}
	}
	for id, set := range s.eventSets {
		q := s.tx.NewUpdate().Table("events").Where("id = ? AND event_serie_id = ?", id, s.in.SerieID).Set("updated_at = now()")
		for column, value := range set {
			q = q.Set("? = ?", bun.Ident(column), value)
		}
		if _, err := q.Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// propagate normalises the performances' overrides equal to the serie's new
// value to NULL and counts the performances following the serie.
func (s *saver) propagate(ctx context.Context, field string, audience Audience, rate decimal.Decimal, capacity *int, place *Place) (Propagation, error) {
	var column string
	var value any
	switch field {
	case FieldAudience:
		column, value = "audience_override", string(audience)
	case FieldTicketingRevenueTaxRate:
		column, value = "ticketing_revenue_tax_rate_override", rate
	case FieldPlaceCapacity:
		column = "place_capacity_override"
		if capacity != nil {
			value = *capacity
		}
	case FieldPlace:
		column = "place_override_id"
		if place != nil {
			value = place.ID
		}
	}
	p := Propagation{Field: field}
	if value != nil {
		if _, err := s.tx.NewUpdate().Table("events").Set("? = NULL", bun.Ident(column)).
			Where("event_serie_id = ? AND ? = ?", s.in.SerieID, bun.Ident(column), value).Exec(ctx); err != nil {
			return p, err
		}
	}
	err := s.tx.NewRaw(`SELECT count(*), count(*) FILTER (WHERE ? IS NULL) FROM events WHERE event_serie_id = ?`,
		bun.Ident(column), s.in.SerieID).Scan(ctx, &p.Total, &p.Applied)
	return p, err
}

// identifiers saves the SACEM and SACD ids through package organizations,
// which owns them; an empty id keeps the stored one.
func (s *saver) identifiers(ctx context.Context, sacem, sacd bool) error {
	org := &s.d.Organization
	in := organizations.IdentifiersInput{SacemID: deref(org.SacemID), SacdID: deref(org.SacdID)}
	changed := false
	if v := strings.TrimSpace(s.v[FieldSacemID]); sacem && v != "" && v != in.SacemID {
		s.record(nil, FieldSacemID, in.SacemID, v)
		in.SacemID, changed = v, true
		s.result.Saved[FieldSacemID] = true
	}
	if v := strings.TrimSpace(s.v[FieldSacdID]); sacd && v != "" && v != in.SacdID {
		s.record(nil, FieldSacdID, in.SacdID, v)
		in.SacdID, changed = v, true
		s.result.Saved[FieldSacdID] = true
	}
	if !changed {
		return nil
	}
	target := &organizations.Organization{ID: org.ID, Name: org.Name, SacemID: org.SacemID, SacdID: org.SacdID}
	err := organizations.UpdateIdentifiers(ctx, s.tx, target, in, s.in.By)
	if errs, ok := derrors.AsFields(err); ok {
		out := derrors.Fields{}
		for field, key := range errs {
			out.Add(field, strings.Replace(key, "organizations.errors.", "declarations.errors.", 1))
		}
		return out
	}
	return err
}

func pgArray(os []Organism) any {
	out := make([]string, 0, len(os))
	for _, o := range os {
		out = append(out, string(o))
	}
	return pgdialect.Array(out)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func placeID(p *Place) any {
	if p == nil {
		return nil
	}
	return p.ID
}

// canonicalAmount is a shown amount in the form AmountInput writes it.
func canonicalAmount(shown string) string {
	a, _ := ParseAmount(shown)
	return AmountInput(a)
}

// placeLabel is a place on one line, for the history.
func placeLabel(p PlaceInput) string {
	if p.Empty() {
		return ""
	}
	return p.Name + " — " + p.Street + ", " + p.PostalCode + " " + p.City
}
