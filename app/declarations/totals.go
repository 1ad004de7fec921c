package declarations

import "github.com/shopspring/decimal"

// Totals are the key figures of a serie (decision D10 in docs/decisions.md: shown live in the form),
// summed exactly (decimal, no intermediate rounding).
type Totals struct {
	TicketingIncl, TicketingExcl       decimal.Decimal
	FreeTickets, PaidTickets           int
	NonTicketingIncl, NonTicketingExcl decimal.Decimal
}

// TicketingTaxes is the VAT of the ticketing: TTC minus HT.
func (t Totals) TicketingTaxes() decimal.Decimal { return t.TicketingIncl.Sub(t.TicketingExcl) }

// NonTicketingTaxes is the VAT of the other revenues.
func (t Totals) NonTicketingTaxes() decimal.Decimal {
	return t.NonTicketingIncl.Sub(t.NonTicketingExcl)
}

// ComputeTotals sums the performances: ticketing revenues and tickets for
// every organism, the revenues outside ticketing (consumptions, catering,
// programme sales, other) for SACEM.
func ComputeTotals(events []Event) Totals {
	var t Totals
	for _, e := range events {
		t.TicketingIncl = t.TicketingIncl.Add(e.TicketingRevenueIncludingTaxes)
		t.TicketingExcl = t.TicketingExcl.Add(e.TicketingRevenueExcludingTaxes)
		t.FreeTickets += e.FreeTickets
		t.PaidTickets += e.PaidTickets
		t.NonTicketingIncl = t.NonTicketingIncl.Add(e.ConsumptionsRevenueIncludingTaxes).Add(e.CateringRevenueIncludingTaxes).
			Add(e.ProgramSalesRevenueIncludingTaxes).Add(e.OtherRevenueIncludingTaxes)
		t.NonTicketingExcl = t.NonTicketingExcl.Add(e.ConsumptionsRevenueExcludingTaxes).Add(e.CateringRevenueExcludingTaxes).
			Add(e.ProgramSalesRevenueExcludingTaxes).Add(e.OtherRevenueExcludingTaxes)
	}
	return t
}
