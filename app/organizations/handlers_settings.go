package organizations

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/web"
)

// settingsView is the settings page of an organization: its identity, its
// SACEM and SACD ids, its collaborators and pending invitations.
type settingsView struct {
	Organization      *Organization
	Members           []Member
	Invitations       []Invitation
	Identifiers       IdentifiersInput
	IdentifiersErrors web.FormErrors
	InviteEmail       string
	InviteErrors      web.FormErrors
	now               time.Time
}

// IsExpired tells the template whether an invitation link no longer works.
func (v settingsView) IsExpired(inv Invitation) bool { return inv.Expired(v.now) }

// OrganizationURL is the organization's page, where the settings lead back.
func (v settingsView) OrganizationURL() string { return OrganizationPath(v.Organization.ID) }

// IdentifiersURL is where the SACEM and SACD ids form posts.
func (v settingsView) IdentifiersURL() string {
	return SettingsPath(v.Organization.ID) + "/identifiers"
}

// InviteURL is where the invitation form posts.
func (v settingsView) InviteURL() string { return OrganizationPath(v.Organization.ID) + "/invitations" }

// LeaveURL is where the "leave" button posts.
func (v settingsView) LeaveURL() string { return OrganizationPath(v.Organization.ID) + "/leave" }

// RevokeURL is where the button revoking inv posts.
func (v settingsView) RevokeURL(inv Invitation) string {
	return v.InviteURL() + "/" + inv.ID.String() + "/revoke"
}

// renderSettings renders the settings page (status 422 when a form is in
// error), or only partial for htmx.
func (h *Handlers) renderSettings(c *fiber.Ctx, status int, partial string, v *settingsView) error {
	org := CurrentOrganization(c)
	v.Organization, v.now = org, h.svc.now()
	ctx := c.UserContext()
	var err error
	if v.Members, err = Members(ctx, h.svc.DB, org.ID); err != nil {
		return err
	}
	if v.Invitations, err = PendingInvitations(ctx, h.svc.DB, org.ID); err != nil {
		return err
	}
	if v.IdentifiersErrors == nil {
		v.Identifiers = IdentifiersInput{SacemID: deref(org.SacemID), SacdID: deref(org.SacdID)}
	}
	return web.Render(c, status, "pages/organizations/settings", partial, fiber.Map{
		"Title": web.Localizer(c).T("organizations.settings.title"), "View": v})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Settings shows the settings page.
func (h *Handlers) Settings(c *fiber.Ctx) error {
	return h.renderSettings(c, 0, "", &settingsView{})
}

// UpdateIdentifiers saves the SACEM and SACD ids.
func (h *Handlers) UpdateIdentifiers(c *fiber.Ctx) error {
	org := CurrentOrganization(c)
	in := IdentifiersInput{SacemID: web.FormValue(c, "sacemId"), SacdID: web.FormValue(c, "sacdId")}
	errs, err := UpdateIdentifiers(c.UserContext(), h.svc.DB, org, in, web.AuditActor(c))
	if err != nil {
		return err
	}
	if errs.Any() {
		return h.renderSettings(c, fiber.StatusUnprocessableEntity, "partials/organizations/identifiers-form",
			&settingsView{Identifiers: in, IdentifiersErrors: errs})
	}
	web.AddFlash(c, "success", "organizations.settings.identifiersSaved")
	return web.Redirect(c, SettingsPath(org.ID))
}

// Invite invites a colleague by email.
func (h *Handlers) Invite(c *fiber.Ctx) error {
	org := CurrentOrganization(c)
	email := web.FormValue(c, "email")
	result, errs, err := h.svc.Invite(c.UserContext(), web.CurrentUser(c), org, email, web.AuditActor(c))
	if err != nil {
		return err
	}
	if errs.Any() {
		return h.renderSettings(c, fiber.StatusUnprocessableEntity, "partials/organizations/invite-form",
			&settingsView{InviteEmail: email, InviteErrors: errs})
	}
	if result == Joined {
		web.AddFlash(c, "success", "organizations.invitations.joined")
	} else {
		web.AddFlash(c, "success", "organizations.invitations.sent")
	}
	return web.Redirect(c, SettingsPath(org.ID))
}

// RevokeInvitation cancels a pending invitation.
func (h *Handlers) RevokeInvitation(c *fiber.Ctx) error {
	org := CurrentOrganization(c)
	id, err := uuid.Parse(c.Params("invitationId"))
	if err != nil {
		return web.ErrNotFound
	}
	found, err := RevokeInvitation(c.UserContext(), h.svc.DB, org.ID, id, web.AuditActor(c))
	if err != nil {
		return err
	}
	if !found {
		return web.ErrNotFound
	}
	web.AddFlash(c, "success", "organizations.invitations.revoked")
	return web.Redirect(c, SettingsPath(org.ID))
}

// Leave removes the current user from the organization.
func (h *Handlers) Leave(c *fiber.Ctx) error {
	org := CurrentOrganization(c)
	err := Leave(c.UserContext(), h.svc.DB, web.CurrentUser(c), org.ID, web.AuditActor(c))
	if errors.Is(err, ErrLastCollaborator) {
		web.AddFlash(c, "error", "organizations.settings.lastCollaborator")
		return web.Redirect(c, SettingsPath(org.ID))
	}
	if err != nil {
		return err
	}
	web.AddFlash(c, "success", "organizations.settings.left")
	return web.Redirect(c, "/dashboard")
}
