package declarations

import (
	"sort"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Form field names of the serie ("spectacle") level. A performance's fields
// are EventField(id, name) with the event names below.
const (
	FieldOrganisms                = "organisms"
	FieldSacemID                  = "sacemId"
	FieldSacdID                   = "sacdId"
	FieldPerformanceType          = "performanceType"
	FieldProducerOfficialID       = "producerOfficialId"
	FieldProducerName             = "producerName"
	FieldIntroductionFeesExcl     = "introductionFeesExpensesExcludingTaxes"
	FieldIntroductionFeesIncl     = "introductionFeesExpensesIncludingTaxes"
	FieldCircusExcl               = "circusSpecificExpensesExcludingTaxes"
	FieldCircusIncl               = "circusSpecificExpensesIncludingTaxes"
	FieldExpensesExcl             = "expensesExcludingTaxes"
	FieldExpensesIncl             = "expensesIncludingTaxes"
	FieldAudience                 = "audience"
	FieldTicketingRevenueTaxRate  = "ticketingRevenueTaxRate"
	FieldPlaceName                = "placeName"
	FieldPlaceStreet              = "placeStreet"
	FieldPlacePostalCode          = "placePostalCode"
	FieldPlaceCity                = "placeCity"
	FieldPlaceCapacity            = "placeCapacity"
	FieldFreeTickets              = "freeTickets"
	FieldPaidTickets              = "paidTickets"
	FieldTicketingTaxRateOverride = "ticketingRevenueTaxRateOverride"
	FieldTicketingExcl            = "ticketingRevenueExcludingTaxes"
	FieldTicketingIncl            = "ticketingRevenueIncludingTaxes"
	FieldAudienceOverride         = "audienceOverride"
	FieldPlaceCapacityOverride    = "placeCapacityOverride"
	// FieldPlace names a place (name and address) in the history.
	FieldPlace = "place"
)

// Pair is an HT/TTC pair of fields bound by rule 1.
type Pair struct{ Excl, Incl, column string }

// ExpensePairs are the serie's pairs, in the form's order.
var ExpensePairs = []Pair{
	{FieldIntroductionFeesExcl, FieldIntroductionFeesIncl, "introduction_fees_expenses"},
	{FieldCircusExcl, FieldCircusIncl, "circus_specific_expenses"},
	{FieldExpensesExcl, FieldExpensesIncl, "expenses"},
}

// TicketingPair is the ticketing revenue of a performance.
var TicketingPair = Pair{FieldTicketingExcl, FieldTicketingIncl, "ticketing_revenue"}

// RevenuePairs are the revenues outside ticketing of a performance (SACEM).
var RevenuePairs = []Pair{
	{"consumptionsRevenueExcludingTaxes", "consumptionsRevenueIncludingTaxes", "consumptions_revenue"},
	{"cateringRevenueExcludingTaxes", "cateringRevenueIncludingTaxes", "catering_revenue"},
	{"programSalesRevenueExcludingTaxes", "programSalesRevenueIncludingTaxes", "program_sales_revenue"},
	{"otherRevenueExcludingTaxes", "otherRevenueIncludingTaxes", "other_revenue"},
}

// PlaceFields are the parts of a place, by the name PlaceInput.Check reports.
var placeParts = []struct{ part, field string }{
	{"name", FieldPlaceName}, {"street", FieldPlaceStreet}, {"postalCode", FieldPlacePostalCode}, {"city", FieldPlaceCity},
}

const eventPrefix = "e."

// EventField is the form name of field name of performance id.
func EventField(id uuid.UUID, name string) string { return eventPrefix + id.String() + "." + name }

// splitEventField reads a performance's field name.
func splitEventField(full string) (uuid.UUID, string, bool) {
	rest, ok := strings.CutPrefix(full, eventPrefix)
	if !ok || len(rest) < 38 || rest[36] != '.' {
		return uuid.Nil, "", false
	}
	id, err := uuid.Parse(rest[:36])
	return id, rest[37:], err == nil
}

// Values are the form's values by field name, as typed or as shown.
type Values map[string]string

// Changed are the values of posted that differ from what the page showed
// (was): what this tab changed. A field the page did not report is taken as
// changed. Saving only those lets two tabs edit different fields.
func Changed(posted, was Values) Values {
	out := Values{}
	for name, v := range posted {
		if old, known := was[name]; !known || strings.TrimSpace(old) != strings.TrimSpace(v) {
			out[name] = v
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func amountOf(d decimal.Decimal) string { return AmountInput(decimal.NewNullDecimal(d)) }

// zeroIfNull shows an empty circus amount as 0, so SACD declarants need not
// type it.
func zeroIfNull(d decimal.NullDecimal) string {
	if !d.Valid {
		return "0"
	}
	return AmountInput(d)
}

// FormValues are the stored values as the form shows them. A performance's
// overrides show their effective value (override, else the serie's).
func FormValues(d *Declaration) Values {
	s := &d.Serie
	// Sized for every field at once: a serie of 100 performances has 2 000.
	v := make(Values, len(serieGroups)*8+len(d.Events)*eventFieldCount)
	for name, value := range map[string]string{
		FieldOrganisms:               joinOrganisms(s.ExpectedDeclarationTypes),
		FieldSacemID:                 deref(d.Organization.SacemID),
		FieldSacdID:                  deref(d.Organization.SacdID),
		FieldPerformanceType:         "",
		FieldProducerOfficialID:      deref(s.ProducerOfficialID),
		FieldProducerName:            deref(s.ProducerName),
		FieldIntroductionFeesExcl:    amountOf(s.IntroductionFeesExpensesExcludingTaxes),
		FieldIntroductionFeesIncl:    amountOf(s.IntroductionFeesExpensesIncludingTaxes),
		FieldCircusExcl:              zeroIfNull(s.CircusSpecificExpensesExcludingTaxes),
		FieldCircusIncl:              zeroIfNull(s.CircusSpecificExpensesIncludingTaxes),
		FieldExpensesExcl:            amountOf(s.ExpensesExcludingTaxes),
		FieldExpensesIncl:            amountOf(s.ExpensesIncludingTaxes),
		FieldAudience:                string(s.Audience),
		FieldTicketingRevenueTaxRate: RateInput(decimal.NewNullDecimal(s.TicketingRevenueTaxRate)),
		FieldPlaceCapacity:           CountInput(s.PlaceCapacity),
	} {
		v[name] = value
	}
	if s.PerformanceType != nil {
		v[FieldPerformanceType] = string(*s.PerformanceType)
	}
	setPlace(v, "", s.Place.Input())
	for i := range d.Events {
		e := &d.Events[i]
		prefix := eventPrefix + e.ID.String() + "."
		f := func(name string) string { return prefix + name }
		v[f(FieldFreeTickets)] = CountInput(&e.FreeTickets)
		v[f(FieldPaidTickets)] = CountInput(&e.PaidTickets)
		rate := e.TicketingRevenueTaxRateOverride
		if !rate.Valid {
			rate = decimal.NewNullDecimal(s.TicketingRevenueTaxRate)
		}
		v[f(FieldTicketingTaxRateOverride)] = RateInput(rate)
		v[f(FieldTicketingExcl)] = amountOf(e.TicketingRevenueExcludingTaxes)
		v[f(FieldTicketingIncl)] = amountOf(e.TicketingRevenueIncludingTaxes)
		for _, p := range RevenuePairs {
			excl, incl := e.revenue(p)
			v[f(p.Excl)], v[f(p.Incl)] = amountOf(excl), amountOf(incl)
		}
		place, capacity, audience := d.Effective(e)
		v[f(FieldAudienceOverride)] = string(audience)
		v[f(FieldPlaceCapacityOverride)] = CountInput(capacity)
		setPlace(v, prefix, place.Input())
	}
	return v
}

// Effective are performance e's place, capacity and audience: its own, else
// the serie's (nil when neither has one). The form shows them and the
// organisms receive them.
func (d *Declaration) Effective(e *Event) (place *Place, capacity *int, audience Audience) {
	place, capacity, audience = d.Serie.Place, d.Serie.PlaceCapacity, d.Serie.Audience
	if e.PlaceOverride != nil {
		place = e.PlaceOverride
	}
	if e.PlaceCapacityOverride != nil {
		capacity = e.PlaceCapacityOverride
	}
	if e.AudienceOverride != nil {
		audience = *e.AudienceOverride
	}
	return place, capacity, audience
}

// revenue returns the amounts of a revenue pair of the performance.
func (e *Event) revenue(p Pair) (excl, incl decimal.Decimal) {
	switch p.column {
	case "consumptions_revenue":
		return e.ConsumptionsRevenueExcludingTaxes, e.ConsumptionsRevenueIncludingTaxes
	case "catering_revenue":
		return e.CateringRevenueExcludingTaxes, e.CateringRevenueIncludingTaxes
	case "program_sales_revenue":
		return e.ProgramSalesRevenueExcludingTaxes, e.ProgramSalesRevenueIncludingTaxes
	case "other_revenue":
		return e.OtherRevenueExcludingTaxes, e.OtherRevenueIncludingTaxes
	}
	return e.TicketingRevenueExcludingTaxes, e.TicketingRevenueIncludingTaxes
}

func setPlace(v Values, prefix string, p PlaceInput) {
	v[prefix+FieldPlaceName], v[prefix+FieldPlaceStreet] = p.Name, p.Street
	v[prefix+FieldPlacePostalCode], v[prefix+FieldPlaceCity] = p.PostalCode, p.City
}

func placeOf(v Values, prefix string) PlaceInput {
	return PlaceInput{v[prefix+FieldPlaceName], v[prefix+FieldPlaceStreet], v[prefix+FieldPlacePostalCode], v[prefix+FieldPlaceCity]}.Trimmed()
}

// ParseOrganisms reads the organisms field ("SACEM,SACD"), de-duplicated in
// the form's order; ok is false when a value is not an organism.
func ParseOrganisms(s string) (out []Organism, ok bool) {
	seen := map[Organism]bool{}
	for _, part := range strings.Split(s, ",") {
		o := Organism(strings.TrimSpace(part))
		if o == "" {
			continue
		}
		if !o.Valid() {
			return nil, false
		}
		seen[o] = true
	}
	for _, o := range Organisms {
		if seen[o] {
			out = append(out, o)
		}
	}
	return out, true
}

func joinOrganisms(os []Organism) string {
	parts := make([]string, 0, len(os))
	for _, o := range os {
		parts = append(parts, string(o))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}
