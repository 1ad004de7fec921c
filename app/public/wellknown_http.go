package public

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/db"
)

// Robots allows indexing in production only (rule R6, docs/decisions.md).
func Robots(prod bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if prod {
			return c.SendString("User-agent: *\nAllow: /\n")
		}
		return c.SendString("User-agent: *\nDisallow: /\nAllow: /.well-known/\n")
	}
}

// SecurityTxt is RFC 9116's contact file; Expires stays a week ahead.
func SecurityTxt(contact string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		expires := time.Now().UTC().Add(7 * 24 * time.Hour).Truncate(time.Second).Format(time.RFC3339)
		return c.SendString(fmt.Sprintf("Contact: %s\nExpires: %s\nPreferred-Languages: fr, en\n", contact, expires))
	}
}

// Healthz tells the process is alive; it touches nothing else.
func Healthz(c *fiber.Ctx) error { return c.SendString("ok") }

// Readyz tells the instance can serve: the database answers and every
// migration shipped in the binary is applied. Load balancers route on it.
func Readyz(d *db.DB) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := d.Pool.Ping(ctx); err != nil {
			return c.Status(fiber.StatusServiceUnavailable).SendString("database unreachable")
		}
		pending, err := db.PendingMigrations(ctx, d)
		if err != nil {
			return c.Status(fiber.StatusServiceUnavailable).SendString("cannot read migrations")
		}
		if pending > 0 {
			return c.Status(fiber.StatusServiceUnavailable).SendString(fmt.Sprintf("%d migrations pending", pending))
		}
		return c.SendString("ready")
	}
}
