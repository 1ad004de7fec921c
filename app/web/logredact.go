package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// redacted replaces a secret in the logs.
const redacted = "[redacted]"

// secretName tells the route parameters and query keys that carry bearer
// tokens (invitations in the path, password resets and sign-in
// confirmations in the query): whoever reads them acts as their owner.
func secretName(name string) bool {
	return strings.Contains(strings.ToLower(name), "token")
}

// redactSecrets removes the request's tokens from s, a path or an error
// message about to be logged: errors sometimes repeat the id they failed on.
func redactSecrets(c *fiber.Ctx, s string) string {
	for _, name := range c.Route().Params {
		if v := c.Params(name); secretName(name) && v != "" {
			s = strings.ReplaceAll(s, v, redacted)
		}
	}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		if secretName(string(k)) && len(v) > 0 {
			s = strings.ReplaceAll(s, string(v), redacted)
		}
	})
	return s
}
