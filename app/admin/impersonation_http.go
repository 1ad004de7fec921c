package admin

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// StartImpersonation lets the admin act as the user of the page for an hour,
// with a reason written to the audit log (decision P9, docs/decisions.md).
func (h *Handlers) StartImpersonation(c *fiber.Ctx) error {
	id, err := web.IDParam(c, "id")
	if err != nil {
		return err
	}
	reason := web.FormValue(c, "reason")
	errs := validateReason(reason)
	target, err := GetUser(c.UserContext(), h.db, id)
	if err != nil {
		return err
	}
	if refusal := ImpersonationRefusal(web.RealUser(c).ID, target); refusal != "" {
		errs = derrors.Fields{"reason": refusal}
	}
	if errs.Any() {
		return h.renderUser(c, id, fiber.StatusUnprocessableEntity, reason, errs)
	}
	entry := userEntry(web.AuditActor(c), audit.ImpersonationStart, target)
	entry.Details["reason"] = reason
	if err := audit.Record(c.UserContext(), h.db, entry); err != nil {
		return fmt.Errorf("admin: record the impersonation of %s: %w", id, err)
	}
	web.StartImpersonation(c, target.ID, reason, h.now().Add(ImpersonationTTL))
	return web.Redirect(c, paths.To.Dashboard())
}

// StopImpersonation returns the admin to their own identity and to the page
// of the user they acted as. It is outside the RequireAdmin group (which
// refuses impersonating sessions) and checks the real user instead.
func (h *Handlers) StopImpersonation(c *fiber.Ctx) error {
	id := web.CurrentIdentity(c)
	if !id.Impersonating() || !id.Impersonator.IsAdmin {
		return derrors.ErrNotFound
	}
	// The actor acts on behalf of the impersonated user: the entry's subject.
	entry := web.AuditActor(c).Entry(audit.ImpersonationStop)
	entry.Details["reason"] = id.Reason
	if err := audit.Record(c.UserContext(), h.db, entry); err != nil {
		return fmt.Errorf("admin: record the end of the impersonation of %s: %w", id.User.ID, err)
	}
	web.StopImpersonation(c)
	web.AddFlash(c, "info", "admin.impersonation.stopped")
	return web.Redirect(c, paths.To.AdminUser(id.User.ID))
}
