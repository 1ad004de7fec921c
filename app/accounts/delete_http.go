package accounts

import (
	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// deleteView is the confirmation step of account deletion: Organizations are
// those the user is the only collaborator of.
type deleteView struct {
	web.Layout
	Organizations []organizations.Organization
}

// ShowDelete is the confirmation step of account deletion; it warns about
// organizations that would be left without any collaborator.
func (h *Handlers) ShowDelete(c *fiber.Ctx) error {
	orgs, err := organizations.SoleCollaboratorOf(c.UserContext(), h.db, web.CurrentUser(c).ID)
	if err != nil {
		return err
	}
	return web.Render(c, 0, "pages/accounts/delete", "", &deleteView{Layout: web.Layout{Title: web.Localizer(c).T("accounts.delete.title")}, Organizations: orgs})
}

// Delete deletes the signed-in user's account and signs them out.
func (h *Handlers) Delete(c *fiber.Ctx) error {
	if err := h.svc.DeleteAccount(c.UserContext(), web.AuditActor(c)); err != nil {
		return err
	}
	if err := h.mw.EndSession(c); err != nil {
		return err
	}
	web.AddFlash(c, "success", "accounts.delete.done")
	return web.Redirect(c, paths.To.Home())
}
