package declarations

import (
	"context"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

func nullAmount(d decimal.NullDecimal) any {
	if !d.Valid {
		return nil
	}
	return d.Decimal
}

// amountOrZero stores an empty amount of a NOT NULL column as 0 (rule 1 has
// already refused a pair with one side empty).
func amountOrZero(d decimal.NullDecimal) decimal.Decimal { return d.Decimal }

// apply writes the changed values of the serie and its performances, with
// their history and the propagation of the serie's values.
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
