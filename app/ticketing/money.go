package ticketing

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

var one = decimal.NewFromInt(1)

// percent converts a rate expressed in percent (5.5) to the fraction connectors return (0.055).
func percent(p decimal.Decimal) decimal.Decimal { return p.Shift(-2) }

// cents converts an amount in cents to euros.
func cents(c decimal.Decimal) decimal.Decimal { return c.Shift(-2) }

// excludingTaxes is incl / (1 + rate), rate being a fraction (rule S3, docs/decisions.md).
func excludingTaxes(incl, rate decimal.Decimal) decimal.Decimal {
	return incl.Div(one.Add(rate))
}

// roundCents rounds half-up to cents, as the original sync did with round(x*100)/100 (rule S3, docs/decisions.md); amounts are
// never negative here, where half-up and half-away-from-zero agree.
func roundCents(d decimal.Decimal) decimal.Decimal { return d.Round(2) }

// tally accumulates the tickets of one event. Excluding-taxes amounts are summed unrounded per
// ticket and rounded once at the end, like the original.
type tally struct {
	incl, excl decimal.Decimal
	free, paid int
}

// add counts one ticket: a price of exactly 0 is free and adds nothing to the revenue.
func (t *tally) add(price, rate decimal.Decimal) {
	t.addLine(1, price, price)
	if !price.IsZero() {
		t.excl = t.excl.Add(excludingTaxes(price, rate))
	}
}

// addLine counts quantity tickets of a unit price whose total is revenue (Supersoniks gives
// statement lines, not tickets); it leaves the excluding-taxes amount to the caller.
func (t *tally) addLine(quantity int, unit, revenue decimal.Decimal) {
	if unit.IsZero() {
		t.free += quantity
		return
	}
	t.paid += quantity
	t.incl = t.incl.Add(revenue)
}

// event builds the normalized event from the accumulated totals.
func (t *tally) event(id string, start time.Time, end *time.Time, rate decimal.NullDecimal) Event {
	return Event{
		RemoteID:              id,
		StartAt:               start.UTC(),
		EndAt:                 utcPtr(end),
		RevenueIncludingTaxes: roundCents(t.incl),
		RevenueExcludingTaxes: roundCents(t.excl),
		TaxRate:               rate,
		FreeTickets:           t.free,
		PaidTickets:           t.paid,
	}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// rateEntry is one category (or ticket) offered to the indicative-rate algorithm; free means its
// amount is known and exactly 0 (an unknown amount is not free).
type rateEntry struct {
	rate decimal.Decimal
	free bool
}

// indicativeRate is the algorithm of rule S4 (docs/decisions.md): the common rate of all entries, where a
// free entry at 0 % is aligned on the others; mixed rates or no entry give an invalid result.
func indicativeRate(entries []rateEntry) decimal.NullDecimal {
	sorted := slices.Clone(entries)
	slices.SortStableFunc(sorted, func(a, b rateEntry) int { return b.rate.Cmp(a.rate) })
	var indicative decimal.NullDecimal
	for _, e := range sorted {
		r := e.rate
		if indicative.Valid {
			if e.free && r.IsZero() {
				r = indicative.Decimal
			}
			if !r.Equal(indicative.Decimal) {
				return decimal.NullDecimal{}
			}
		}
		indicative = decimal.NewNullDecimal(r)
	}
	return indicative
}
