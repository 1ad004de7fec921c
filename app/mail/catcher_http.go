package mail

import "github.com/gofiber/fiber/v2"

// HandleJSON answers the caught messages as a JSON array, newest first, with
// the keys to, from, subject, text, html, links, attachments and received_at.
func (c *Catcher) HandleJSON(ctx *fiber.Ctx) error {
	msgs := c.Messages()
	if msgs == nil {
		msgs = []CaughtMail{}
	}
	return ctx.JSON(msgs)
}
