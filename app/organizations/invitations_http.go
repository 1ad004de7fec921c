package organizations

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// Invite invites a colleague by email.
func (h *Handlers) Invite(c *fiber.Ctx) error {
	org := CurrentOrganization(c)
	email := web.FormValue(c, "email")
	user := web.CurrentUser(c)
	err := h.svc.Invite(c.UserContext(), Inviter{ID: user.ID, FullName: user.FullName()}, org, email, web.AuditActor(c))
	if errs, invalid := derrors.AsFields(err); invalid {
		return h.renderSettings(c, fiber.StatusUnprocessableEntity, "partials/organizations/invite-form",
			&settingsView{InviteEmail: email, InviteErrors: errs})
	}
	if err != nil {
		return err
	}
	// The same answer whether or not the address has an account (decision P16).
	web.AddFlash(c, "success", "organizations.invitations.sent")
	return web.Redirect(c, paths.To.OrganizationSettings(org.ID))
}

// RevokeInvitation cancels a pending invitation.
func (h *Handlers) RevokeInvitation(c *fiber.Ctx) error {
	org := CurrentOrganization(c)
	id, err := web.IDParam(c, "invitationId")
	if err != nil {
		return err
	}
	found, err := RevokeInvitation(c.UserContext(), h.svc.DB, org.ID, id, web.AuditActor(c))
	if err != nil {
		return err
	}
	if !found {
		return derrors.ErrNotFound
	}
	web.AddFlash(c, "success", "organizations.invitations.revoked")
	return web.Redirect(c, paths.To.OrganizationSettings(org.ID))
}

// invitationPage is the landing page of an invitation link.
type invitationPage struct {
	web.Layout
	Invitation *InvitationDetails
	Token      string
	// SameEmail: the signed-in user is the invited person, who may accept
	// or decline.
	SameEmail bool
}

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
	title := web.Localizer(c).T("organizations.invitations.title")
	layout := web.Layout{Title: web.Title(title, inv.OrganizationName)}
	if user != nil {
		// A visitor has no dashboard to come back to yet.
		layout.Breadcrumb = web.Trail(c).Here(title)
	}
	return web.Render(c, 0, "pages/organizations/invitation", "", &invitationPage{
		Layout:     layout,
		Invitation: inv,
		Token:      token,
		SameEmail:  user != nil && strings.EqualFold(user.Email, inv.Email),
	})
}

func invitee(c *fiber.Ctx) Invitee {
	user := web.CurrentUser(c)
	return Invitee{ID: user.ID, Email: user.Email, FirstName: user.FirstName}
}

// AcceptInvitation joins the signed-in user to the organization of the
// invitation link.
func (h *Handlers) AcceptInvitation(c *fiber.Ctx) error {
	orgID, err := h.svc.AcceptInvitation(c.UserContext(), invitee(c), c.Params("token"), web.AuditActor(c))
	if err != nil {
		return err
	}
	web.AddFlash(c, "success", "organizations.invitations.accepted")
	return web.Redirect(c, paths.To.Organization(orgID))
}

// AcceptInvitationByID is the accept button of a notice on the invited
// person's dashboard (or of the link's page).
func (h *Handlers) AcceptInvitationByID(c *fiber.Ctx) error {
	id, err := web.IDParam(c, "invitationId")
	if err != nil {
		return err
	}
	orgID, err := h.svc.AcceptInvitationByID(c.UserContext(), invitee(c), id, web.AuditActor(c))
	if err != nil {
		return err
	}
	web.AddFlash(c, "success", "organizations.invitations.accepted")
	return web.Redirect(c, paths.To.Organization(orgID))
}

// DeclineInvitation is the decline button of an invitation's notice.
func (h *Handlers) DeclineInvitation(c *fiber.Ctx) error {
	id, err := web.IDParam(c, "invitationId")
	if err != nil {
		return err
	}
	if err := h.svc.DeclineInvitation(c.UserContext(), invitee(c), id, web.AuditActor(c)); err != nil {
		return err
	}
	web.AddFlash(c, "success", "organizations.invitations.declined")
	return web.Redirect(c, paths.To.Dashboard())
}
