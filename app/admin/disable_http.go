package admin

import (
	"context"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// DisableUser disables a user, then shows their page again.
func (h *Handlers) DisableUser(c *fiber.Ctx) error {
	return h.userAction(c, DisableUser, "admin.users.disabled")
}

// EnableUser re-enables a user, then shows their page again.
func (h *Handlers) EnableUser(c *fiber.Ctx) error {
	return h.userAction(c, EnableUser, "admin.users.enabled")
}

func (h *Handlers) userAction(c *fiber.Ctx, action func(context.Context, bun.IDB, audit.Actor, uuid.UUID) error, flash string) error {
	id, err := web.IDParam(c, "id")
	if err != nil {
		return err
	}
	if err := action(c.UserContext(), h.db, web.AuditActor(c), id); err != nil {
		return err
	}
	web.AddFlash(c, "success", flash)
	return web.Redirect(c, paths.To.AdminUser(id))
}
