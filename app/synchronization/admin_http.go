package synchronization

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// AdminSystemView is a system in error with its organization.
type AdminSystemView struct {
	SystemView
	OrganizationName string
	OrganizationURL  string
	ResyncURL        string
}

// AdminInErrorView is the back office's list of the systems in error.
type AdminInErrorView struct {
	web.Layout
	Systems []AdminSystemView
}

// InError lists every live system whose last synchronization failed, across organizations.
func (h *AdminHandlers) InError(c *fiber.Ctx) error {
	systems, err := ListSystemsInError(c.UserContext(), h.svc.DB)
	if err != nil {
		return err
	}
	views := make([]AdminSystemView, len(systems))
	for i := range systems {
		s := &systems[i]
		views[i] = AdminSystemView{SystemView: viewSystem(&s.System), OrganizationName: s.OrganizationName,
			OrganizationURL: paths.To.AdminOrganization(s.OrganizationID),
			ResyncURL:       paths.To.AdminTicketingResynchronize(s.OrganizationID)}
	}
	return web.Render(c, 0, "pages/synchronization/admin", "", &AdminInErrorView{
		Layout:  web.AdminSection(c, "synchronization.admin.title"),
		Systems: views,
	})
}

// AdminOrganizationView is the ticketing fragment of an organization's admin page.
type AdminOrganizationView struct {
	web.Layout
	Systems   []SystemView
	Runs      []RunView
	ResyncURL string
	BackURL   string
}

// Organization is the fragment of an organization's admin page: its systems with the error
// detail, and its latest runs.
func (h *AdminHandlers) Organization(c *fiber.Ctx) error {
	id, err := web.IDParam(c, "organizationId")
	if err != nil {
		return err
	}
	l := web.Localizer(c)
	ctx := c.UserContext()
	name, err := organizations.Name(ctx, h.svc.DB, id)
	if err != nil {
		return err
	}
	systems, runs, err := SystemsAndRuns(ctx, h.svc.DB, id, 20)
	if err != nil {
		return err
	}
	runViews := make([]RunView, len(runs))
	for i := range runs {
		runViews[i] = RunView{Run: &runs[i]}
	}
	return web.Render(c, 0, "pages/synchronization/admin-organization", "partials/synchronization/admin-organization", &AdminOrganizationView{
		Layout: web.Layout{Title: web.Title(l.T("synchronization.admin.organizationTitle"), name),
			Breadcrumb: web.AdminTrail(c).Then(name, paths.To.AdminOrganization(id)).
				Here(l.T("synchronization.admin.organizationTitle"))},
		Systems:   viewSystems(systems),
		Runs:      runViews,
		ResyncURL: paths.To.AdminTicketingResynchronize(id),
		BackURL:   paths.To.AdminOrganization(id),
	})
}

// Resynchronize enqueues a run of the organization for an admin.
func (h *AdminHandlers) Resynchronize(c *fiber.Ctx) error {
	id, err := web.IDParam(c, "organizationId")
	if err != nil {
		return err
	}
	err = h.svc.Resynchronize(c.UserContext(), id)
	switch {
	case errors.Is(err, ErrNoValidTicketingSystem):
		web.AddFlash(c, "error", ErrorKey(ErrNoValidTicketingSystem.Code))
	case err != nil:
		return err
	default:
		web.AddFlash(c, "success", "synchronization.admin.resynchronized")
	}
	return web.Redirect(c, web.SafeRedirectPath(web.BodyValue(c, "back"), paths.To.AdminTicketingInError()))
}
