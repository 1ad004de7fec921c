package web

import (
	"github.com/gofiber/fiber/v2"
)

// IsHTMX reports whether htmx sent the request.
func IsHTMX(c *fiber.Ctx) bool { return c.Get("HX-Request") == "true" }

// IsFragmentRequest reports whether the response should be a fragment rather
// than a full page: htmx asked, and it is neither a boosted navigation nor a
// history restore (both need the whole page).
func IsFragmentRequest(c *fiber.Ctx) bool {
	return IsHTMX(c) && c.Get("HX-Boosted") != "true" && c.Get("HX-History-Restore-Request") != "true"
}

// Redirect sends the browser to url after a successful mutation: a 303 for a
// plain form post (PRG), HX-Redirect for htmx, which cannot see 3xx responses.
func Redirect(c *fiber.Ctx, url string) error {
	if IsHTMX(c) {
		c.Set("HX-Redirect", url)
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect(url, fiber.StatusSeeOther)
}
