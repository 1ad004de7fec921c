package organizations

import (
	"errors"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

const organizationLocal = "organizations.organization"

// RequireCollaborator lets only the collaborators of the route's
// :organizationId through, with the organization available to the next
// handlers through CurrentOrganization. Everybody else, admins acting as
// themselves included, and malformed ids get 404: existence never leaks. It
// must come after web.RequireUser. It runs no statement: the session's
// statement read the user's memberships (web.Identity.Memberships), which
// also give the header its switcher.
func (h *Handlers) RequireCollaborator(c *fiber.Ctx) error {
	identity := web.CurrentIdentity(c)
	id, err := web.IDParam(c, "organizationId")
	if identity == nil || err != nil {
		return derrors.ErrNotFound
	}
	m, ok := identity.Membership(id)
	if !ok {
		return derrors.ErrNotFound
	}
	c.Locals(organizationLocal, &Organization{ID: m.ID, Name: m.Name, OfficialID: m.OfficialID})
	if len(identity.Memberships) > 1 {
		web.SetSwitcher(c, switcher(identity.Memberships, id))
	}
	return c.Next()
}

// switcher lists the user's organizations in the header, current marked
// (decision P15, docs/decisions.md).
func switcher(memberships []web.Membership, current uuid.UUID) *web.Switcher {
	s := &web.Switcher{Items: make([]web.SwitcherItem, len(memberships))}
	for i, m := range memberships {
		s.Items[i] = web.SwitcherItem{Name: m.Name, URL: paths.To.Organization(m.ID), Current: m.ID == current}
	}
	return s
}

// CurrentOrganization is the organization RequireCollaborator let through:
// its ID, Name and OfficialID only. Pages showing more of it (address, SACEM
// and SACD ids) read them in their own statement.
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
