package accounts

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// deleteView is the confirmation step of account deletion: Organizations are
// those the user is the only collaborator of. The form asks for the password
// unless a ProConnect authentication is fresh (ProConnectFresh); an account
// without password is sent through ProConnect first (ProConnect: it is
// configured) or, without it, to the forgotten-password page.
type deleteView struct {
	web.Layout
	Organizations   []organizations.Organization
	HasPassword     bool
	ProConnect      bool
	ProConnectFresh bool
	Errors          derrors.Fields
}

// renderDelete renders the confirmation step, with errs next to the fields.
func (h *Handlers) renderDelete(c *fiber.Ctx, status int, errs derrors.Fields) error {
	u := web.CurrentUser(c)
	orgs, err := organizations.SoleCollaboratorOf(c.UserContext(), h.db, u.ID)
	if err != nil {
		return err
	}
	hasPassword, err := h.svc.HasPassword(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	return web.Render(c, status, "pages/accounts/delete", "", &deleteView{
		Layout:        deleteLayout(c),
		Organizations: orgs, HasPassword: hasPassword, ProConnect: h.proConnect != nil,
		ProConnectFresh: h.svc.ProConnectFresh(proConnectAuthenticatedAt(c)), Errors: errs,
	})
}

// ShowDelete is the confirmation step of account deletion; it warns about
// organizations that would be left without any collaborator.
func (h *Handlers) ShowDelete(c *fiber.Ctx) error {
	return h.renderDelete(c, 0, nil)
}

// Delete deletes the signed-in user's account and signs them out, once they
// proved it is them (DeleteAccount); a wrong password is shown next to its
// field, and an account without password goes through ProConnect first
// (or, when ProConnect is off, is asked to choose a password).
func (h *Handlers) Delete(c *fiber.Ctx) error {
	if err := h.limiter.check(c, hit{deletePerAccount, web.CurrentUser(c).ID.String()}); err != nil {
		return err
	}
	err := h.svc.DeleteAccount(c.UserContext(), web.AuditActor(c),
		DeletionProof{Password: web.BodyValue(c, "password"), ProConnectAt: proConnectAuthenticatedAt(c)})
	if errs, ok := derrors.AsFields(err); ok {
		return h.renderDelete(c, fiber.StatusUnprocessableEntity, errs)
	}
	if errors.Is(err, ErrProConnectRequired) {
		if h.proConnect == nil {
			// The page points to the forgotten-password form instead.
			return h.renderDelete(c, fiber.StatusForbidden, nil)
		}
		return web.Redirect(c, paths.To.AccountDeleteProConnect())
	}
	if err != nil {
		return err
	}
	if err := h.mw.EndSession(c); err != nil {
		return err
	}
	web.AddFlash(c, "success", "accounts.delete.done")
	return web.Redirect(c, paths.To.Home())
}

// proConnectAuthenticatedAt is when this session last authenticated through
// ProConnect, zero when it never did.
func proConnectAuthenticatedAt(c *fiber.Ctx) time.Time {
	secs, err := strconv.ParseInt(web.SessionValue(c, pcAuthenticatedAtKey), 10, 64)
	if err != nil {
		return time.Time{} // no ProConnect authentication in this session
	}
	return time.Unix(secs, 0)
}

// markProConnectAuthenticated records in the session that ProConnect has just
// vouched for its user.
func markProConnectAuthenticated(c *fiber.Ctx) {
	web.SetSessionValue(c, pcAuthenticatedAtKey, strconv.FormatInt(time.Now().Unix(), 10))
}

// deleteLayout is the layout of the account deletion page, below the
// account settings.
func deleteLayout(c *fiber.Ctx) web.Layout {
	l := web.Localizer(c)
	title := l.T("accounts.delete.title")
	return web.Layout{Title: title, Breadcrumb: web.Trail(c).Then(l.T("accounts.settings.title"), paths.To.Settings()).Here(title)}
}
