package accounts

import (
	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// dashboardView is the signed-in user's home: the invitations waiting for
// their answer, then their organizations, or a welcome when they have none.
type dashboardView struct {
	web.Layout
	CreatePath    string
	Invitations   []organizations.InvitationDetails
	Organizations []web.Membership
}

// Dashboard opens the user's organization when they have exactly one and no
// invitation to answer; otherwise it lists their organizations (decision
// P15, docs/decisions.md) under the notices of their pending invitations
// (decision P16), or welcomes a user who has none. The organizations are the
// memberships read with the session, by name as in the header's switcher.
func (h *Handlers) Dashboard(c *fiber.Ctx) error {
	ctx, user := c.UserContext(), web.CurrentUser(c)
	orgs := web.CurrentIdentity(c).Memberships
	invitations, err := organizations.InvitationsFor(ctx, h.db, user.Email)
	if err != nil {
		return err
	}
	if len(orgs) == 1 && len(invitations) == 0 {
		return c.Redirect(paths.To.Organization(orgs[0].ID), fiber.StatusSeeOther)
	}
	return web.Render(c, 0, "pages/accounts/dashboard", "", &dashboardView{
		Layout:      web.Layout{Title: web.Localizer(c).T("accounts.dashboard.title")},
		CreatePath:  paths.To.OrganizationCreate(),
		Invitations: invitations, Organizations: orgs,
	})
}
