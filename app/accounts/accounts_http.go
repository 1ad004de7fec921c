package accounts

import (
	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/users"
	"assistant-declaration/app/web"
)

// VisitorOnly sends signed-in users to their dashboard: the sign-in and
// sign-up pages make no sense to them.
func VisitorOnly(c *fiber.Ctx) error {
	if web.CurrentUser(c) != nil {
		return c.Redirect(paths.To.Dashboard(), fiber.StatusSeeOther)
	}
	return c.Next()
}

// alert is a message shown at the top of a form, already translated.
type alert struct {
	Level string // success, info, warning, error
	Text  string
}

func errorAlert(c *fiber.Ctx, key string, args ...any) *alert {
	return &alert{Level: "error", Text: web.Localizer(c).T(key, args...)}
}

// failedSet turns the failing password rules into the set templates test.
func failedSet(rules []string) map[string]bool {
	set := make(map[string]bool, len(rules))
	for _, r := range rules {
		set[r] = true
	}
	return set
}

// record writes an audit entry about account a (nil when the typed email
// matches no account, then kept as typed).
func (h *Handlers) record(c *fiber.Ctx, action string, a *users.User, email string, details map[string]any) error {
	e := &audit.Entry{Action: action, ActorEmail: truncate(email, 254), RequestID: web.RequestID(c), IP: c.IP(), Details: details}
	if a != nil {
		e.ActorUserID, e.ActorEmail, e.SubjectUserID, e.SubjectEmail = &a.ID, a.Email, &a.ID, a.Email
	}
	return audit.Record(c.UserContext(), h.db, e)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
