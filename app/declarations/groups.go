package declarations

import (
	"strings"

	"github.com/google/uuid"
)

// Field groups: the fields a change posts together because a rule ties them
// (an HT/TTC pair, the expenses, a place), each rendered by its own partial.
const (
	GroupOrganisms   = "organisms"
	GroupIdentifiers = "identifiers"
	GroupGeneral     = "general"
	GroupExpenses    = "expenses"
	GroupDefaults    = "defaults"
	// A performance's groups are "e-<id>-<kind>".
	EventGroupTicketing = "ticketing"
	EventGroupRevenues  = "revenues"
	EventGroupGeneral   = "general"
)

var placeFieldNames = []string{FieldPlaceName, FieldPlaceStreet, FieldPlacePostalCode, FieldPlaceCity}

var serieGroups = map[string][]string{
	GroupOrganisms:   {FieldOrganisms},
	GroupIdentifiers: {FieldSacemID, FieldSacdID},
	GroupGeneral:     {FieldPerformanceType, FieldProducerOfficialID, FieldProducerName},
	GroupExpenses:    {FieldIntroductionFeesExcl, FieldIntroductionFeesIncl, FieldCircusExcl, FieldCircusIncl, FieldExpensesExcl, FieldExpensesIncl},
	GroupDefaults:    append(append([]string{FieldAudience, FieldTicketingRevenueTaxRate}, placeFieldNames...), FieldPlaceCapacity),
}

var eventGroups = map[string][]string{
	EventGroupTicketing: {FieldFreeTickets, FieldPaidTickets, FieldTicketingTaxRateOverride, FieldTicketingExcl, FieldTicketingIncl},
	EventGroupRevenues: {
		RevenuePairs[0].Excl, RevenuePairs[0].Incl, RevenuePairs[1].Excl, RevenuePairs[1].Incl,
		RevenuePairs[2].Excl, RevenuePairs[2].Incl, RevenuePairs[3].Excl, RevenuePairs[3].Incl,
	},
	EventGroupGeneral: append(append([]string{FieldAudienceOverride}, placeFieldNames...), FieldPlaceCapacityOverride),
}

// EventGroup is the id of a performance's group.
func EventGroup(id uuid.UUID, kind string) string { return "e-" + id.String() + "-" + kind }

// groupFields are the form names of the fields of group.
func groupFields(group string) []string {
	if names, ok := serieGroups[group]; ok {
		return names
	}
	rest, ok := strings.CutPrefix(group, "e-")
	if !ok || len(rest) < 38 {
		return nil
	}
	id, err := uuid.Parse(rest[:36])
	if err != nil {
		return nil
	}
	names := eventGroups[rest[37:]]
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = EventField(id, n)
	}
	return out
}
