package declarations

import (
	"context"

	"github.com/shopspring/decimal"
)

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
