package admin

import (
	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/web"
)

// Organizations is the back office home: every organization, searchable,
// filtered, sorted and paginated. htmx asks for the results region alone.
func (h *Handlers) Organizations(c *fiber.Ctx) error {
	f, errs := ParseOrganizationFilter(queryOf(c))
	page, err := ListOrganizations(c.UserContext(), h.db, f)
	if err != nil {
		return err
	}
	return web.Render(c, status422(errs), "pages/admin/organizations", "partials/admin/organizations-results", fiber.Map{
		"Title":  web.Localizer(c).T("admin.organizations.title"),
		"Filter": f, "Errors": errs, "Results": page, "Fragment": web.IsFragmentRequest(c),
	})
}

// ExportOrganizations streams the organizations of the current view as CSV.
func (h *Handlers) ExportOrganizations(c *fiber.Ctx) error {
	f, _ := ParseOrganizationFilter(queryOf(c))
	l := web.Localizer(c)
	streamCSV(c, h.db.Pool, h.logger, "organisations", organizationsExport(h.db, f, func(k string) string { return l.T(k) }), h.now())
	return nil
}

// Organization is the admin page of one organization.
func (h *Handlers) Organization(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	o, err := GetOrganization(c.UserContext(), h.db, id)
	if err != nil {
		return err
	}
	return web.Render(c, 0, "pages/admin/organization", "", fiber.Map{"Title": o.Name, "Organization": o})
}
