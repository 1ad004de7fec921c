package admin

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/transmissions"
	"assistant-declaration/app/web"
)

// organizationsView is the organizations list and its results fragment.
type organizationsView struct {
	web.Layout
	Filter   OrganizationFilter
	Errors   derrors.Fields
	Table    Table
	Rows     []OrganizationRow
	Fragment bool // htmx asked for the results alone
}

// FilterErrors is the summary of the filters in error.
func (v *organizationsView) FilterErrors() ([]web.SummaryItem, error) {
	return web.ErrorSummary(v.L, v.Errors, "since", "filter-since", "admin.organizations.since")
}

// RowsHTML writes the rows of the table (see table_html.go).
func (v *organizationsView) RowsHTML() template.HTML {
	var b strings.Builder
	for _, r := range v.Rows {
		b.WriteString("\n          <tr>")
		linkCell(&b, paths.To.AdminOrganization(r.ID), r.Name)
		cell(&b, r.OfficialHeadquartersID)
		cell(&b, r.SacemID)
		cell(&b, r.SacdID)
		cell(&b, strconv.Itoa(r.Collaborators))
		cell(&b, locale.Date(r.CreatedAt))
		b.WriteString("\n          </tr>")
	}
	return template.HTML(b.String()) //nolint:gosec // escaped by cell and linkCell
}

// Organizations is the back office home: every organization, searchable,
// filtered, sorted and paginated. htmx asks for the results region alone.
func (h *Handlers) Organizations(c *fiber.Ctx) error {
	f, errs := ParseOrganizationFilter(queryOf(c))
	page, err := ListOrganizations(c.UserContext(), h.db, f)
	if err != nil {
		return err
	}
	return web.Render(c, status422(errs), "pages/admin/organizations", "partials/admin/organizations-results", &organizationsView{
		// The back office's root: its breadcrumb ends there.
		Layout: web.Layout{Title: web.Localizer(c).T("admin.organizations.title"), Breadcrumb: web.AdminTrail(c)},
		Filter: f, Errors: errs, Rows: page.Rows, Fragment: web.IsFragmentRequest(c),
		Table: organizationsList.view(f.Listing, page.HasNext, f.selects(), "filter-since"),
	})
}

// ExportOrganizations streams the organizations of the current view as CSV.
// An invalid date filter is left out, as the list leaves it out.
func (h *Handlers) ExportOrganizations(c *fiber.Ctx) error {
	f, _ := ParseOrganizationFilter(queryOf(c))
	l := web.Localizer(c)
	streamCSV(c, h.db.Pool, h.logger, "organisations", organizationsExport(h.db, f, func(k string) string { return l.T(k) }), h.now())
	return nil
}

// organizationView is the admin page of one organization. The ticketing
// section (partials/admin/organization-ticketing) reads .Organization.
type organizationView struct {
	web.Layout
	Organization *OrganizationDetail
	// Series link to the read-only view of each declaration.
	Series []declarations.Summary
}

// FieldKey is the label key of a changed declaration field.
func (organizationView) FieldKey(field string) string { return declarations.FieldLabelKey(field) }

// ErrorKey is the message key of a transmission error code.
func (organizationView) ErrorKey(code string) string { return transmissions.ErrorKey(code) }

// Organization is the admin page of one organization.
func (h *Handlers) Organization(c *fiber.Ctx) error {
	id, err := web.IDParam(c, "id")
	if err != nil {
		return err
	}
	o, err := GetOrganization(c.UserContext(), h.db, id, h.now())
	if err != nil {
		return err
	}
	series, err := declarations.Summaries(c.UserContext(), h.db, id)
	if err != nil {
		return err
	}
	layout := web.Layout{Title: web.Title(o.Name, web.Localizer(c).T("admin.organizations.title"), web.Localizer(c).T("layout.admin")), Breadcrumb: web.AdminTrail(c).Here(o.Name)}
	return web.Render(c, 0, "pages/admin/organization", "", &organizationView{Layout: layout, Organization: o, Series: series})
}
