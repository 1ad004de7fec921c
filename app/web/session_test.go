package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/db/dbtest"
)

// A session revoked while one of its requests is in flight stays revoked,
// even when that request changes the session (a flash, a CSRF token).
func TestRevokedSessionIsNotRecreated(t *testing.T) {
	d := dbtest.Open(t)
	m := NewMiddleware(d, slog.New(slog.NewTextHandler(io.Discard, nil)),
		SessionConfig{IdleTimeout: time.Hour, AdminMaxAge: time.Hour}, 5*time.Second)
	f := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error { return c.Status(500).SendString(err.Error()) }})
	f.Use(m.requestContext)
	f.Use(m.session)
	f.Get("/sign-in/:id", func(c *fiber.Ctx) error {
		id := uuid.MustParse(c.Params("id"))
		return m.StartUserSession(c, id, false)
	})
	f.Get("/revoke-then-flash", func(c *fiber.Ctx) error {
		// Another request (a password change) revokes every session of the user.
		if err := RevokeUserSessions(c.UserContext(), d, CurrentUser(c).ID, ""); err != nil {
			return err
		}
		AddFlash(c, "info", "layout.close")
		return c.SendString("done")
	})

	var userID uuid.UUID
	if err := d.QueryRowContext(t.Context(), `INSERT INTO users (email, first_name, last_name, status) VALUES (?, 'A', 'B', 'confirmed') RETURNING id`,
		uuid.NewString()+"@example.org").Scan(&userID); err != nil {
		t.Fatal(err)
	}
	resp, err := f.Test(httptest.NewRequest(http.MethodGet, "/sign-in/"+userID.String(), nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	cookie := resp.Cookies()[0]
	req := httptest.NewRequest(http.MethodGet, "/revoke-then-flash", nil)
	req.AddCookie(cookie)
	resp, err = f.Test(req, -1)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("request: %v %v", resp.StatusCode, err)
	}
	var n int
	if err := d.QueryRowContext(t.Context(), `SELECT count(*) FROM sessions WHERE user_id = ?`, userID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("revoked session re-created (%d rows)", n)
	}
	if c := resp.Cookies(); len(c) != 1 || c[0].Value != "" {
		t.Errorf("the browser should forget the cookie: %v", c)
	}
}
