package declarations

import (
	"html"
	"html/template"
	"strings"
)

// A page repeats the performances, up to hundreds of them with about twenty
// fields each: they are written here in Go, escaped, rather than by
// partials, where every template action (a method found by reflection, then
// escaped) costs more than the HTML it writes.

// eventCtx is one performance of the view.
type eventCtx struct {
	V *formView
	E *Event
	// I is the performance's index in start order: its key on the page.
	I int
	// OOB marks the performance's groups swapped out of band.
	OOB bool
}

// EventOOB is the i-th performance, its groups sent out of band.
func (v *formView) EventOOB(i int) *eventCtx {
	return &eventCtx{V: v, E: &v.D.Events[i], I: i, OOB: true}
}

// prefilledOpen reports whether the performance's pre-filled data must show
// open: one of them is in error.
func (c *eventCtx) prefilledOpen() bool {
	return c.V.GroupErrors(EventGroup(c.E.ID, EventGroupGeneral)) ||
		(!c.V.D.Serie.Manual() && c.V.GroupErrors(EventGroup(c.E.ID, EventGroupTicketing)))
}

// eventCell is a field of a performance's group and its columns.
type eventCell struct{ name, class string }

// eventLayouts are the fields of a performance's groups in the page's order.
var eventLayouts = map[string][]eventCell{
	// Tickets, tax rate, HT/TTC revenue (rule 1).
	EventGroupTicketing: {
		{FieldFreeTickets, "fr-col-6 fr-col-md-4"}, {FieldPaidTickets, "fr-col-6 fr-col-md-4"},
		{FieldTicketingTaxRateOverride, "fr-col-12 fr-col-md-4"},
		{FieldTicketingExcl, "fr-col-12 fr-col-md-6"}, {FieldTicketingIncl, "fr-col-12 fr-col-md-6"},
	},
	// The revenues outside ticketing (SACEM): four HT/TTC pairs.
	EventGroupRevenues: func() []eventCell {
		var cells []eventCell
		for _, p := range RevenuePairs {
			cells = append(cells, eventCell{p.Excl, "fr-col-12 fr-col-md-6"}, eventCell{p.Incl, "fr-col-12 fr-col-md-6"})
		}
		return cells
	}(),
	// The performance's own audience, place and capacity: shown with the
	// serie's value when it has none; equal to the serie's, they are stored
	// as none.
	EventGroupGeneral: {
		{FieldAudienceOverride, "fr-col-12 fr-col-md-6"}, {FieldPlaceCapacityOverride, "fr-col-12 fr-col-md-6"},
		{FieldPlaceName, "fr-col-12"}, {FieldPlaceStreet, "fr-col-12 fr-col-md-6"},
		{FieldPlacePostalCode, "fr-col-12 fr-col-md-2"}, {FieldPlaceCity, "fr-col-12 fr-col-md-4"},
	},
}

// GroupHTML is the performance's group of kind, for an answer.
func (c *eventCtx) GroupHTML(kind string) template.HTML {
	var b strings.Builder
	b.Grow(8192)
	c.writeGroup(&b, kind)
	return template.HTML(b.String()) //nolint:gosec // escaped by writeGroup
}

// writeGroup writes the performance's group of kind: see writeGroupStart.
func (c *eventCtx) writeGroup(b *strings.Builder, kind string) {
	c.V.writeGroupStart(b, eventPageGroup(c.I, c.E.ID, kind), c.OOB)
	for _, cell := range eventLayouts[kind] {
		b.WriteString("\n  <div class=\"" + cell.class + `">`)
		c.V.eventField(c.I, cell.name).write(b, c.V)
		b.WriteString(`</div>`)
	}
	b.WriteString("\n</div>")
}

// PerformancesHTML are the performances of the form, each a fieldset
// "Séance du 21/11/2026, 20:30" named by its short key (see pageEventKey),
// with the hidden input mapping the key back to its id. A serie typed by
// hand has its ticketing data in the fieldset; a synchronized one has them
// pre-filled, inside the collapsed "Données pré-remplies".
func (v *formView) PerformancesHTML() template.HTML {
	var b strings.Builder
	b.Grow(len(v.D.Events) * 14 << 10)
	for i := range v.D.Events {
		(&eventCtx{V: v, E: &v.D.Events[i], I: i}).write(&b)
	}
	return template.HTML(b.String()) //nolint:gosec // escaped by write
}

// write writes the performance's fieldset (see PerformancesHTML).
func (c *eventCtx) write(b *strings.Builder) {
	v, key := c.V, pageEventKey(c.I)
	manual := v.D.Serie.Manual()
	b.WriteString(`<fieldset class="fr-fieldset app-performance fr-mb-4w" id="performance-` + key + `" aria-labelledby="performance-` + key + `-legend">` +
		"\n  " + `<legend class="fr-fieldset__legend fr-h4" id="performance-` + key + `-legend">` + html.EscapeString(v.PerformanceTitle(c.E)) + `</legend>` +
		"\n  " + `<input type="hidden" name="_` + key + `" value="` + c.E.ID.String() + `">`)
	if c.E.RemovedFromTicketingSystemAt != nil {
		b.WriteString("\n  " + `<div class="fr-fieldset__element"><p class="fr-badge fr-badge--warning fr-badge--sm">` +
			v.labelText("declarations.performance.removed") + `</p></div>`)
	}
	section := func(tag, titleKey, kind string) {
		b.WriteString("\n  <" + tag + ` class="fr-h6">` + v.labelText(titleKey) + `</` + tag + ">\n")
		c.writeGroup(b, kind)
	}
	if manual {
		b.WriteString("\n  " + `<div class="fr-fieldset__element">`)
		section("h4", "declarations.section.ticketing", EventGroupTicketing)
		b.WriteString(`</div>`)
	}
	if v.ShowsNonTicketing() {
		b.WriteString("\n  " + `<div class="fr-fieldset__element">`)
		section("h4", "declarations.section.revenues", EventGroupRevenues)
		b.WriteString(`</div>`)
	}
	expanded, collapse := "false", "fr-collapse"
	if c.prefilledOpen() {
		expanded, collapse = "true", "fr-collapse fr-collapse--expanded"
	}
	b.WriteString("\n  " + `<div class="fr-fieldset__element">` + "\n    " + `<section class="fr-accordion">` +
		"\n      " + `<h4 class="fr-accordion__title"><button type="button" class="fr-accordion__btn" aria-expanded="` + expanded +
		`" aria-controls="prefilled-` + key + `">` + v.labelText("declarations.section.prefilled") + `</button></h4>` +
		"\n      " + `<div class="` + collapse + `" id="prefilled-` + key + `">`)
	section("h5", "declarations.section.general", EventGroupGeneral)
	if !manual {
		section("h5", "declarations.section.ticketing", EventGroupTicketing)
	}
	b.WriteString("\n      </div>\n    </section>\n  </div>\n</fieldset>\n")
}

// labelText is the translation of key, escaped.
func (v *formView) labelText(key string) string { return html.EscapeString(v.label(key)) }
