package declarations

import (
	"context"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/organizations"
)

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
