package organizations

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// settingsPage is the settings page, and its forms alone for htmx.
type settingsPage struct {
	web.Layout
	View *settingsView
}

// settingsView is the settings page of an organization: its identity, its
// SACEM and SACD ids, its collaborators and pending invitations.
type settingsView struct {
	Organization      *Organization
	Members           []Member
	Invitations       []Invitation
	Identifiers       IdentifiersInput
	IdentifiersErrors derrors.Fields
	InviteEmail       string
	InviteErrors      derrors.Fields
	now               time.Time
}

// IsExpired tells the template whether an invitation link no longer works.
func (v settingsView) IsExpired(inv Invitation) bool { return inv.Expired(v.now) }

// renderSettings renders the settings page (status 422 when a form is in
// error), or only partial for htmx.
func (h *Handlers) renderSettings(c *fiber.Ctx, status int, partial string, v *settingsView) error {
	d, err := Settings(c.UserContext(), h.svc.DB, CurrentOrganization(c).ID)
	if err != nil {
		return err
	}
	org := d.Organization
	v.Organization, v.Members, v.Invitations, v.now = org, d.Members, d.Invitations, h.svc.now()
	if v.IdentifiersErrors == nil {
		v.Identifiers = IdentifiersInput{SacemID: deref(org.SacemID), SacdID: deref(org.SacdID)}
	}
	title := web.Localizer(c).T("organizations.settings.title")
	return web.Render(c, status, "pages/organizations/settings", partial, &settingsPage{
		Layout: web.Layout{Title: web.Title(title, org.Name), Breadcrumb: Trail(c).Here(title)}, View: v})
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
	err := UpdateIdentifiers(c.UserContext(), h.svc.DB, org, in, web.AuditActor(c))
	if errs, invalid := derrors.AsFields(err); invalid {
		return h.renderSettings(c, fiber.StatusUnprocessableEntity, "partials/organizations/identifiers-form",
			&settingsView{Identifiers: in, IdentifiersErrors: errs})
	}
	if err != nil {
		return err
	}
	web.AddFlash(c, "success", "organizations.settings.identifiersSaved")
	return web.Redirect(c, paths.To.OrganizationSettings(org.ID))
}
