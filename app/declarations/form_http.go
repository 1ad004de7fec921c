package declarations

import (
	"encoding/json"
	"html"
	"html/template"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// formView is the declaration page and each of its fragments.
type formView struct {
	web.Layout
	OrganizationID uuid.UUID
	D              *Declaration
	// Values are shown in the inputs (stored, or as typed after an error);
	// Was are the stored values the page started from (see Changed).
	Values, Was  Values
	Errors       derrors.Fields
	Saved        map[string]bool
	Propagations []Propagation
	Totals       Totals
	Suggestions  *Suggestions
	History      []Change
	// Admin is the back office's read-only view.
	Admin bool
	// Summary lists the errors of a whole-form post at the top.
	Summary bool
	// Group is the group an htmx save answers with.
	Group string
	// Attachments is the attachments panel (package attachments), wired by the app.
	Attachments any
	// Transmission is the transmission panel (package transmissions), wired by the app.
	Transmission any
	// TransmitSummary: the errors are those of a refused "Déclarer".
	TransmitSummary bool

	optionCache    map[string][]option
	labelCache     map[string]string
	labelHTMLCache map[string]string
	// optionsHTMLCache holds the options of the selects by list and value.
	optionsHTMLCache map[string]template.HTML
}

// ReadOnly reports whether the form cannot be changed: every chosen organism
// accepted it (decision D12, docs/decisions.md), or an admin looks at it.
func (v *formView) ReadOnly() bool { return v.Admin || v.D.State.ReadOnly() }

// NeedsOrganisms reports whether the organisms must be chosen before the rest.
func (v *formView) NeedsOrganisms() bool {
	return len(v.D.Serie.ExpectedDeclarationTypes) == 0 && !v.ReadOnly()
}

// Chose reports whether organism o is chosen.
func (v *formView) Chose(o string) bool { return v.D.Serie.Chose(Organism(o)) }

// Organisms are the organisms offered.
func (v *formView) Organisms() []Organism { return Organisms }

// OrganismChecked reports whether o is checked in the organisms fieldset.
func (v *formView) OrganismChecked(o Organism) bool {
	chosen, _ := ParseOrganisms(v.Values[FieldOrganisms])
	return containsOrganism(chosen, o)
}

// OrganismLocked reports whether o accepted: it cannot be unchecked.
func (v *formView) OrganismLocked(o Organism) bool { return v.D.State.Accepted(o) }

// FormURL is where the whole form posts.
func (v *formView) FormURL() string { return paths.To.DeclarationSave(v.OrganizationID, v.D.Serie.ID) }

// FieldsURL is where a group posts.
func (v *formView) FieldsURL() string {
	return paths.To.DeclarationFields(v.OrganizationID, v.D.Serie.ID)
}

// AddressesURL is the place address look-up.
func (v *formView) AddressesURL() string {
	return paths.To.DeclarationAddresses(v.OrganizationID, v.D.Serie.ID)
}

// CompaniesURL is the producer look-up.
func (v *formView) CompaniesURL() string {
	return paths.To.DeclarationCompanies(v.OrganizationID, v.D.Serie.ID)
}

// layout titles the page by its serie and organization ("Déclaration —
// Hamlet — Compagnie du Globe"), below the organization's page, or its back
// office page for an admin.
func (v *formView) layout(c *fiber.Ctx) web.Layout {
	l := web.Localizer(c)
	org := v.D.Organization.Name
	trail := web.Trail(c).Then(org, paths.To.Organization(v.OrganizationID))
	if v.Admin {
		trail = web.AdminTrail(c).Then(org, paths.To.AdminOrganization(v.OrganizationID))
	}
	return web.Layout{Title: web.Title(l.T("declarations.page.short"), v.D.Serie.Name, org), Breadcrumb: trail.Here(v.D.Serie.Name)}
}

// Params are the parameters a serie-level group's htmx request sends: only
// its own fields, not the whole form around them.
func (v *formView) Params(group string) string { return serieGroup(group).params() }

// WasOf is the hidden record of the values a serie-level group showed when
// rendered.
func (v *formView) WasOf(group string) string { return v.was(serieGroup(group)) }

// was is the hidden record of the values g showed when rendered, by their
// names on the page.
func (v *formView) was(g pageGroup) string {
	q := url.Values{}
	for i, name := range g.names {
		q.Set(g.page[i], v.Was[name])
	}
	return q.Encode()
}

// GroupStart opens the serie-level group: see writeGroupStart.
func (v *formView) GroupStart(group string) template.HTML {
	var b strings.Builder
	v.writeGroupStart(&b, serieGroup(group), false)
	return template.HTML(b.String()) //nolint:gosec // escaped by writeGroupStart
}

// writeGroupStart opens group g, written at once as the performances repeat
// it: the element an htmx change posts and is swapped with the answer (out of
// band when oob), and the hidden record of the values it shows. Its caller
// closes it.
func (v *formView) writeGroupStart(b *strings.Builder, g pageGroup, oob bool) {
	b.WriteString(`<div id="group-` + g.id + `" class="fr-grid-row fr-grid-row--gutters"`)
	if oob {
		b.WriteString(` hx-swap-oob="true"`)
	}
	if !v.ReadOnly() {
		b.WriteString(` hx-post="` + html.EscapeString(v.FieldsURL()) + `" hx-trigger="change" hx-target="this" hx-swap="outerHTML" hx-params="` +
			html.EscapeString(g.params()) + `" hx-vals='` + g.vals() + `'`)
	}
	b.WriteString(">\n  <input type=\"hidden\" name=\"_was." + g.id + `" value="` + html.EscapeString(v.was(g)) + `">`)
}

// GroupSaved reports whether a field of group was just saved.
func (v *formView) GroupSaved(group string) bool {
	for _, name := range groupFields(group) {
		if v.Saved[name] {
			return true
		}
	}
	return false
}

// GroupErrors reports whether a field of group is in error.
func (v *formView) GroupErrors(group string) bool {
	for _, name := range groupFields(group) {
		if _, bad := v.Errors[name]; bad {
			return true
		}
	}
	return false
}

// ErrorList is the summary of a whole-form post: each field in error with
// its message, in the form's order (partials/forms/error-summary).
func (v *formView) ErrorList() []web.SummaryItem {
	var out []web.SummaryItem
	add := func(f *fieldView) {
		out = append(out, web.SummaryItem{ID: f.ID, Label: f.Label, Message: v.L.T(f.Error)})
	}
	for _, group := range []string{GroupIdentifiers, GroupGeneral, GroupExpenses, GroupDefaults} {
		for _, name := range groupFields(group) {
			if _, bad := v.Errors[name]; bad {
				add(v.field(name, name, name))
			}
		}
	}
	for i := range v.D.Events {
		for _, kind := range []string{EventGroupTicketing, EventGroupRevenues, EventGroupGeneral} {
			for _, name := range eventGroups[kind] {
				if _, bad := v.Errors[EventField(v.D.Events[i].ID, name)]; bad {
					f := v.eventField(i, name)
					f.Label = v.PerformanceTitle(&v.D.Events[i]) + " : " + f.Label
					add(f)
				}
			}
		}
	}
	return out
}

// PerformanceTitle is "Séance du 21/11/2026, 20:30" (Europe/Paris).
func (v *formView) PerformanceTitle(e *Event) string {
	return v.L.T("declarations.performance.title", "date", locale.Date(e.StartAt), "time", locale.Time(e.StartAt))
}

// PickAddress is the hx-vals of an address found for the serie's place.
func (v *formView) PickAddress(a organizations.Address) string {
	return pickValues(FieldPlaceStreet, a.Street, FieldPlacePostalCode, a.PostalCode, FieldPlaceCity, a.City, "_group", GroupDefaults)
}

// PickCompany is the hx-vals of a company found for the producer.
func (v *formView) PickCompany(company organizations.Company) string {
	return pickValues(FieldProducerOfficialID, company.OfficialID, FieldProducerName, company.Name, "_group", GroupGeneral)
}

// pickValues is the hx-vals of a suggestion that fills fields (an address,
// a producer): JSON of name/value pairs.
func pickValues(pairs ...string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// ShowsNonTicketing reports whether the revenues outside ticketing (SACEM) are asked.
func (v *formView) ShowsNonTicketing() bool { return v.D.Serie.Chose(SACEM) }
