package admin

import (
	"fmt"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// maxReasonLength bounds the reason of an impersonation.
const maxReasonLength = 500

// ImpersonationRefusal is the message key explaining why admin adminID may
// not act as target (decision P9, docs/decisions.md), or "" when they may: admins are never impersonated
// (they have the back office), nor accounts that cannot sign in themselves.
func ImpersonationRefusal(adminID uuid.UUID, target *UserDetail) string {
	switch {
	case adminID == target.ID:
		return "admin.impersonation.self"
	case target.IsAdmin:
		return "admin.impersonation.targetIsAdmin"
	case target.Status != StatusConfirmed:
		return "admin.impersonation.targetNotConfirmed"
	}
	return ""
}

// validateReason checks the reason given for an impersonation.
func validateReason(reason string) derrors.Fields {
	errs := derrors.Fields{}
	switch {
	case reason == "":
		errs.Add("reason", "admin.impersonation.reasonRequired")
	case utf8.RuneCountInString(reason) > maxReasonLength:
		errs.Add("reason", "admin.impersonation.reasonTooLong")
	}
	return errs
}

// StartImpersonation lets the admin act as the user of the page for an hour,
// with a reason written to the audit log (decision P9, docs/decisions.md).
func (h *Handlers) StartImpersonation(c *fiber.Ctx) error {
	id, err := idParam(c)
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
