package admin

import (
	"context"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/web"
)

// Users is the list of every user, searchable, filtered, sorted and paginated.
func (h *Handlers) Users(c *fiber.Ctx) error {
	f := ParseUserFilter(queryOf(c))
	page, err := ListUsers(c.UserContext(), h.db, f, h.now())
	if err != nil {
		return err
	}
	return web.Render(c, 0, "pages/admin/users", "partials/admin/users-results", fiber.Map{
		"Title":  web.Localizer(c).T("admin.users.title"),
		"Filter": f, "Results": page,
	})
}

// ExportUsers streams the users of the current view as CSV.
func (h *Handlers) ExportUsers(c *fiber.Ctx) error {
	f := ParseUserFilter(queryOf(c))
	l := web.Localizer(c)
	now := h.now()
	streamCSV(c, h.db.Pool, h.logger, "utilisateurs", usersExport(h.db, f, now, func(k string) string { return l.T(k) }), now)
	return nil
}

// recentAuditEntries is how many audit entries a user's page shows.
const recentAuditEntries = 10

// User is the admin page of one user: details, organizations, actions
// (disable, enable, impersonate) and their latest audit entries.
func (h *Handlers) User(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	return h.renderUser(c, id, 0, "", web.FormErrors{})
}

// renderUser shows a user's page, with the impersonation form's input and
// errors when it was just refused.
func (h *Handlers) renderUser(c *fiber.Ctx, id uuid.UUID, status int, reason string, errs web.FormErrors) error {
	ctx := c.UserContext()
	u, err := GetUser(ctx, h.db, id)
	if err != nil {
		return err
	}
	entries, err := userAudit(ctx, h.db, id)
	if err != nil {
		return err
	}
	return web.Render(c, status, "pages/admin/user", "partials/admin/impersonation-form", fiber.Map{
		"Title": u.Email, "Subject": u, "Audit": entries,
		"Reason": reason, "Errors": errs, "Refusal": ImpersonationRefusal(web.RealUser(c), u),
	})
}

// userAudit returns the latest audit entries about or by a user.
func userAudit(ctx context.Context, idb bun.IDB, id uuid.UUID) ([]audit.Entry, error) {
	var entries []audit.Entry
	err := idb.NewSelect().Model(&entries).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("subject_user_id = ?", id).WhereOr("actor_user_id = ?", id)
		}).
		Order("id DESC").Limit(recentAuditEntries).Scan(ctx)
	return entries, err
}

// DisableUser disables a user, then shows their page again.
func (h *Handlers) DisableUser(c *fiber.Ctx) error {
	return h.userAction(c, DisableUser, "admin.users.disabled")
}

// EnableUser re-enables a user, then shows their page again.
func (h *Handlers) EnableUser(c *fiber.Ctx) error {
	return h.userAction(c, EnableUser, "admin.users.enabled")
}

func (h *Handlers) userAction(c *fiber.Ctx, action func(context.Context, bun.IDB, audit.Actor, uuid.UUID) error, flash string) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := action(c.UserContext(), h.db, web.AuditActor(c), id); err != nil {
		return err
	}
	web.AddFlash(c, "success", flash)
	return web.Redirect(c, "/admin/users/"+id.String())
}
