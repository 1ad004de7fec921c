package organizations

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

const organizationLocal = "organizations.organization"

// RequireCollaborator loads the :organizationId of the route and lets only its
// collaborators through, with the organization available to the next handlers
// through CurrentOrganization. Everybody else, admins acting as themselves
// included, and malformed ids get 404: existence never leaks. It must come
// after web.RequireUser.
func (h *Handlers) RequireCollaborator(c *fiber.Ctx) error {
	user := web.CurrentUser(c)
	id, err := web.IDParam(c, "organizationId")
	if user == nil || err != nil {
		return derrors.ErrNotFound
	}
	org, err := GetForCollaborator(c.UserContext(), h.svc.DB, id, user.ID)
	if err != nil {
		return err
	}
	if org == nil {
		return derrors.ErrNotFound
	}
	c.Locals(organizationLocal, org)
	if len(org.Memberships) > 1 {
		web.SetSwitcher(c, switcher(org))
	}
	return c.Next()
}

// switcher lists the user's organizations in the header, org marked current
// (decision P15, docs/decisions.md).
func switcher(org *Organization) *web.Switcher {
	s := &web.Switcher{Items: make([]web.SwitcherItem, len(org.Memberships))}
	for i, m := range org.Memberships {
		s.Items[i] = web.SwitcherItem{Name: m.Name, URL: paths.To.Organization(m.ID), Current: m.ID == org.ID}
	}
	return s
}

// CurrentOrganization is the organization RequireCollaborator loaded.
func CurrentOrganization(c *fiber.Ctx) *Organization {
	org, _ := c.Locals(organizationLocal).(*Organization)
	return org
}

// Trail is the breadcrumb of the pages below the guarded organization's page:
// the dashboard, then the organization.
func Trail(c *fiber.Ctx) web.Breadcrumb {
	org := CurrentOrganization(c)
	return web.Trail(c).Then(org.Name, paths.To.Organization(org.ID))
}

// Leave removes the current user from the organization.
func (h *Handlers) Leave(c *fiber.Ctx) error {
	org := CurrentOrganization(c)
	user := web.CurrentUser(c)
	err := Leave(c.UserContext(), h.svc.DB, user.ID, user.Email, org.ID, web.AuditActor(c))
	if errors.Is(err, ErrLastCollaborator) {
		web.AddFlash(c, "error", ErrLastCollaborator.Key)
		return web.Redirect(c, paths.To.OrganizationSettings(org.ID))
	}
	if err != nil {
		return err
	}
	web.AddFlash(c, "success", "organizations.settings.left")
	return web.Redirect(c, paths.To.AfterLeave())
}
