package declarations

import (
	"strconv"
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

// eventFieldCount is how many fields a performance has.
var eventFieldCount = len(eventGroups[EventGroupTicketing]) + len(eventGroups[EventGroupRevenues]) + len(eventGroups[EventGroupGeneral])

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

// On the page, a performance is named by a short key, "e" and its index in
// start order ("e3"), rather than by its id: a page of 100 performances
// repeats it in thousands of names. Its fields are "e3.paidTickets", its
// groups "e3-ticketing", and "_e3" holds its id, which every post of its
// fields carries so the server maps the key back (see pageNames) whatever
// performances were added since: a hidden input of the performance for the
// whole form, and each group's hx-vals, so that a group an answer swapped in
// carries its own.

// pageEventKey is the key of the i-th performance.
func pageEventKey(i int) string { return "e" + strconv.Itoa(i) }

// pageField is the page name of field name of the i-th performance.
func pageField(i int, name string) string { return pageEventKey(i) + "." + name }

// pageGroup is a group as the page names it.
type pageGroup struct {
	// id names the group on the page: _group, group-<id>, _was.<id>.
	id string
	// names are the form names of its fields, page their names on the page.
	names, page []string
	// mapping is the parameter of the performance's id, "" for the serie.
	mapping string
	event   uuid.UUID
}

// serieGroup is a serie-level group, named on the page as in the form.
func serieGroup(group string) pageGroup {
	names := groupFields(group)
	return pageGroup{id: group, names: names, page: names}
}

// eventPageGroup is the group of kind of the i-th performance, id.
func eventPageGroup(i int, id uuid.UUID, kind string) pageGroup {
	g := pageGroup{id: pageEventKey(i) + "-" + kind, mapping: "_" + pageEventKey(i), event: id}
	for _, name := range eventGroups[kind] {
		g.names = append(g.names, EventField(id, name))
		g.page = append(g.page, pageField(i, name))
	}
	return g
}

// params are the parameters the group's htmx request sends: only its own
// fields (and the performance's id), not the whole form around them.
func (g pageGroup) params() string {
	ps := []string{"_group", "_was." + g.id}
	if g.mapping != "" {
		ps = append(ps, g.mapping)
	}
	return strings.Join(append(ps, g.page...), ",")
}

// vals is the group's hx-vals: its id, and its performance's.
func (g pageGroup) vals() string {
	if g.mapping == "" {
		return `{"_group":"` + g.id + `"}`
	}
	return `{"_group":"` + g.id + `","` + g.mapping + `":"` + g.event.String() + `"}`
}

// pageNames maps the page's names of performances back to the form's.
type pageNames map[string]uuid.UUID

// add records name=value if it is a performance's id. A key given two ids
// (a page whose answers renamed performances, then posted whole) maps to
// none: its fields are left out rather than saved on the wrong one.
func (m pageNames) add(name, value string) {
	key, ok := strings.CutPrefix(name, "_")
	if !ok || !isEventKey(key) {
		return
	}
	id, err := uuid.Parse(value)
	if err != nil {
		return
	}
	if known, seen := m[key]; seen && known != id {
		id = uuid.Nil
	}
	m[key] = id
}

// field is the form name of a posted field: a performance's short name
// becomes EventField, "" when the post lacks its id; others are kept.
func (m pageNames) field(name string) string {
	key, base, ok := strings.Cut(name, ".")
	if !ok || !isEventKey(key) {
		return name
	}
	id := m[key]
	if id == uuid.Nil {
		return ""
	}
	return EventField(id, base)
}

// group is the form's id of a posted group ("e3-ticketing" becomes
// EventGroup); unknown, it is kept and refused later.
func (m pageNames) group(group string) string {
	key, kind, ok := strings.Cut(group, "-")
	if !ok || !isEventKey(key) {
		return group
	}
	if id := m[key]; id != uuid.Nil {
		return EventGroup(id, kind)
	}
	return group
}

// isEventKey reports whether key is a performance's short key ("e3").
func isEventKey(key string) bool {
	if len(key) < 2 || key[0] != 'e' {
		return false
	}
	for _, r := range key[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
