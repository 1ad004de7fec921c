package declarations

import (
	"strings"

	"github.com/shopspring/decimal"

	"assistant-declaration/app/derrors"
)

// countKey is the message of a whole-number problem of a field: capacities
// share theirs, tickets have their own.
func countKey(field string, problem CountProblem) string {
	if field == FieldPlaceCapacityOverride {
		field = FieldPlaceCapacity
	}
	return "declarations.errors." + field + string(problem)
}

// validator checks the values the form would have once saved.
type validator struct {
	v    Values
	errs derrors.Fields
}

func (c *validator) add(field, key string) {
	if key != "" {
		if _, set := c.errs[field]; !set {
			c.errs.Add(field, key)
		}
	}
}

func (c *validator) amount(field string) (decimal.NullDecimal, bool) {
	a, key := ParseAmount(c.v[field])
	c.add(field, key)
	return a, key == ""
}

func (c *validator) pair(prefix string, p Pair) (excl, incl decimal.NullDecimal, ok bool) {
	excl, okExcl := c.amount(prefix + p.Excl)
	incl, okIncl := c.amount(prefix + p.Incl)
	if !okExcl || !okIncl {
		return excl, incl, false
	}
	switch side, key := TaxLogic(excl, incl); side {
	case Excluding:
		c.add(prefix+p.Excl, key)
		return excl, incl, false
	case Including:
		c.add(prefix+p.Incl, key)
		return excl, incl, false
	}
	return excl, incl, true
}

func (c *validator) count(field, name string, required bool) {
	raw := c.v[field]
	n, problem := ParseCount(raw)
	switch {
	case problem != "":
		c.add(field, countKey(name, problem))
	case n == nil && required:
		c.add(field, countKey(name, "Required"))
	}
}

func (c *validator) place(prefix string) {
	for part, key := range placeOf(c.v, prefix).Check() {
		field := prefix + FieldPlaceStreet
		for _, p := range placeParts {
			if p.part == part {
				field = prefix + p.field
			}
		}
		c.add(field, key)
	}
}

// Validate checks every rule of the form on v (the stored values with the
// changes over them): formats, rule 1 on every HT/TTC pair, rule 2 on the
// expenses, rule 3 on every place, the identifiers and the organisms (an
// organism that accepted cannot be removed, decision D12 (docs/decisions.md)).
func Validate(d *Declaration, v Values) derrors.Fields {
	c := &validator{v: v, errs: derrors.Fields{}}
	if id := strings.TrimSpace(v[FieldSacemID]); id != "" {
		c.add(FieldSacemID, CheckSacemID(id))
	}
	if id := strings.TrimSpace(v[FieldSacdID]); id != "" {
		c.add(FieldSacdID, CheckSacdID(id))
	}
	if chosen, ok := ParseOrganisms(v[FieldOrganisms]); !ok {
		c.add(FieldOrganisms, KeyOrganismInvalid)
	} else {
		for _, o := range Organisms {
			if d.State.Accepted(o) && !containsOrganism(chosen, o) {
				c.add(FieldOrganisms, KeyOrganismAlreadyAccepted)
			}
		}
	}
	if pt := v[FieldPerformanceType]; pt != "" && !PerformanceType(pt).Valid() {
		c.add(FieldPerformanceType, KeyPerformanceTypeInvalid)
	}
	for part, key := range (Producer{v[FieldProducerOfficialID], v[FieldProducerName]}).Check() {
		if part == "name" {
			c.add(FieldProducerName, key)
		} else {
			c.add(FieldProducerOfficialID, key)
		}
	}
	var e Expenses
	okFees, okCircus, okTotal := false, false, false
	e.IntroductionFeesExcl, e.IntroductionFeesIncl, okFees = c.pair("", ExpensePairs[0])
	e.CircusExcl, e.CircusIncl, okCircus = c.pair("", ExpensePairs[1])
	e.TotalExcl, e.TotalIncl, okTotal = c.pair("", ExpensePairs[2])
	if okFees && okCircus && okTotal {
		exclKey, inclKey := e.Check()
		c.add(FieldExpensesExcl, exclKey)
		c.add(FieldExpensesIncl, inclKey)
	}
	if !Audience(v[FieldAudience]).Valid() {
		c.add(FieldAudience, KeyAudienceInvalid)
	}
	if rate, key := ParseRate(v[FieldTicketingRevenueTaxRate]); key != "" || !rate.Valid {
		c.add(FieldTicketingRevenueTaxRate, KeyRateInvalid)
	}
	c.place("")
	c.count(FieldPlaceCapacity, FieldPlaceCapacity, false)
	for i := range d.Events {
		prefix := eventPrefix + d.Events[i].ID.String() + "."
		c.count(prefix+FieldFreeTickets, FieldFreeTickets, true)
		c.count(prefix+FieldPaidTickets, FieldPaidTickets, true)
		if _, key := ParseRate(v[prefix+FieldTicketingTaxRateOverride]); key != "" {
			c.add(prefix+FieldTicketingTaxRateOverride, key)
		}
		c.pair(prefix, TicketingPair)
		for _, p := range RevenuePairs {
			c.pair(prefix, p)
		}
		if a := v[prefix+FieldAudienceOverride]; a != "" && !Audience(a).Valid() {
			c.add(prefix+FieldAudienceOverride, KeyAudienceOverrideInvalid)
		}
		c.place(prefix)
		c.count(prefix+FieldPlaceCapacityOverride, FieldPlaceCapacityOverride, false)
	}
	return c.errs
}

func containsOrganism(os []Organism, o Organism) bool {
	for _, x := range os {
		if x == o {
			return true
		}
	}
	return false
}
