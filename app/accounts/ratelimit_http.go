package accounts

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/web"
)

// hit is one attempt to count: a limit and the key it applies to.
type hit struct {
	limit Limit
	key   string
}

// check counts each attempt and answers 429 with Retry-After as soon as one
// is over its limit; attempts with an empty key are skipped.
func (l *Limiter) check(c *fiber.Ctx, hits ...hit) error {
	for _, h := range hits {
		if h.key == "" {
			continue
		}
		wait, err := l.Hit(c.UserContext(), h.limit, h.key)
		if err != nil {
			return err
		}
		if wait > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int((wait+time.Second-1)/time.Second)))
			return web.NewError(fiber.StatusTooManyRequests, "errors.tooManyRequests")
		}
	}
	return nil
}
