package synchronization

import (
	"errors"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/web"
)

// AdminHandlers serve the back office's ticketing screens; routes run after web.RequireAdmin.
type AdminHandlers struct {
	svc *Service
}

// NewAdminHandlers builds the admin handlers.
func NewAdminHandlers(svc *Service) *AdminHandlers { return &AdminHandlers{svc: svc} }

// adminSystemView is a system in error with its organization.
type adminSystemView struct {
	systemView
	OrganizationID   uuid.UUID
	OrganizationName string
	ResyncURL        string
}

func resyncPath(organizationID uuid.UUID) string {
	return "/admin/ticketing/organizations/" + organizationID.String() + "/resynchronize"
}

// InError lists every live system whose last synchronization failed, across organizations.
func (h *AdminHandlers) InError(c *fiber.Ctx) error {
	systems, err := ListSystemsInError(c.UserContext(), h.svc.DB)
	if err != nil {
		return err
	}
	views := make([]adminSystemView, len(systems))
	for i := range systems {
		s := &systems[i]
		views[i] = adminSystemView{systemView: viewSystem(&s.System), OrganizationID: s.OrganizationID,
			OrganizationName: s.OrganizationName, ResyncURL: resyncPath(s.OrganizationID)}
	}
	return web.Render(c, 0, "pages/synchronization/admin", "", fiber.Map{
		"Title": web.Localizer(c).T("synchronization.admin.title"), "Systems": views,
	})
}

// Organization is the fragment of an organization's admin page: its systems with the error
// detail, and its latest runs.
func (h *AdminHandlers) Organization(c *fiber.Ctx) error {
	id, err := uuid.Parse(c.Params("organizationId"))
	if err != nil {
		return web.ErrNotFound
	}
	ctx := c.UserContext()
	systems, err := ListSystemsForOrganization(ctx, h.svc.DB, id)
	if err != nil {
		return err
	}
	views := make([]systemView, len(systems))
	for i := range systems {
		views[i] = viewSystem(&systems[i])
	}
	runs, err := h.svc.ListRuns(ctx, id, 20)
	if err != nil {
		return err
	}
	runViews := make([]runView, len(runs))
	for i := range runs {
		runViews[i] = runView{Run: &runs[i]}
	}
	return web.Render(c, 0, "pages/synchronization/admin-organization", "partials/synchronization/admin-organization", fiber.Map{
		"Title": web.Localizer(c).T("synchronization.admin.organizationTitle"), "Systems": views, "Runs": runViews,
		"ResyncURL": resyncPath(id), "BackURL": "/admin/organizations/" + id.String(),
	})
}

// Resynchronize enqueues a run of the organization for an admin.
func (h *AdminHandlers) Resynchronize(c *fiber.Ctx) error {
	id, err := uuid.Parse(c.Params("organizationId"))
	if err != nil {
		return web.ErrNotFound
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
	return web.Redirect(c, web.SafeRedirectPath(c.FormValue("back"), "/admin/ticketing"))
}
