package web

import "github.com/gofiber/fiber/v2"

// noStoreForUsers keeps every response to a signed-in user (pages, fragments,
// redirects, error pages) out of browser and proxy caches, where the next
// person at a shared computer could read it. Visitors' pages keep their
// default caching.
func noStoreForUsers(c *fiber.Ctx) error {
	if signedIn(c) {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	err := c.Next()
	// Signing in happens during the request: its answer is a user's too.
	if signedIn(c) && len(c.Response().Header.Peek(fiber.HeaderCacheControl)) == 0 {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	return err
}

func signedIn(c *fiber.Ctx) bool {
	if CurrentIdentity(c) != nil {
		return true
	}
	s := existingSession(c)
	return s != nil && s.UserID != nil
}
