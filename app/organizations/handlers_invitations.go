package organizations

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/web"
)

// InvitationSessionKey holds, in the session, the token of the invitation
// link the visitor followed, so sign-in or sign-up can bring them back to it.
const InvitationSessionKey = "invitation"

// ShowInvitation is the landing page of an invitation link: who invites to
// which organization, then accept (signed in with the invited address), or
// sign up / sign in first.
func (h *Handlers) ShowInvitation(c *fiber.Ctx) error {
	token := c.Params("token")
	inv, err := FindInvitation(c.UserContext(), h.db, token)
	if err != nil {
		return err
	}
	if inv == nil || inv.Expired(h.svc.now()) {
		return ErrInvitationInvalid
	}
	user := web.CurrentUser(c)
	if user == nil {
		web.SetSessionValue(c, InvitationSessionKey, token)
	}
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
	orgID, err := h.svc.AcceptInvitation(c.UserContext(), web.CurrentUser(c), c.Params("token"))
	if err != nil {
		return err
	}
	web.SetSessionValue(c, InvitationSessionKey, "")
	web.AddFlash(c, "success", "organizations.invitations.accepted")
	return web.Redirect(c, OrganizationPath(orgID))
}
