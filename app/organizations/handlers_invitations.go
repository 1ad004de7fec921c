package organizations

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/web"
)

// ShowInvitation is the landing page of an invitation link: who invites to
// which organization, then accept (signed in with the invited address), or
// sign up / sign in first.
func (h *Handlers) ShowInvitation(c *fiber.Ctx) error {
	token := c.Params("token")
	inv, err := FindInvitation(c.UserContext(), h.svc.DB, token)
	if err != nil {
		return err
	}
	if inv == nil || inv.Expired(h.svc.now()) {
		return ErrInvitationInvalid
	}
	user := web.CurrentUser(c)
	return web.Render(c, 0, "pages/organizations/invitation", "", fiber.Map{
		"Title":      web.Localizer(c).T("organizations.invitations.title"),
		"Invitation": inv,
		"Token":      token,
		"SameEmail":  user != nil && strings.EqualFold(user.Email, inv.Email),
		"SignInURL":  "/auth/sign-in?callbackUrl=" + url.QueryEscape(InvitationPath(token)),
		"SignUpURL":  "/auth/sign-up?email=" + url.QueryEscape(inv.Email),
		"OwnPath":    InvitationPath(token),
	})
}

// AcceptInvitation joins the signed-in user to the invitation's organization.
func (h *Handlers) AcceptInvitation(c *fiber.Ctx) error {
	orgID, err := h.svc.AcceptInvitation(c.UserContext(), web.CurrentUser(c), c.Params("token"), web.AuditActor(c))
	if err != nil {
		return err
	}
	web.AddFlash(c, "success", "organizations.invitations.accepted")
	return web.Redirect(c, OrganizationPath(orgID))
}
