package accounts_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"assistant-declaration/app/accounts"
	"assistant-declaration/app/apptest"
	"assistant-declaration/config"
)

// goodPassword satisfies every rule.
const goodPassword = "Correct-Horse-42"

// newHarness builds the app trusting the test connection as a proxy, so each
// client can act from its own X-Forwarded-For address and per-IP limits of
// parallel tests do not add up.
func newHarness(t *testing.T, configure ...func(*config.Config)) *apptest.Harness {
	t.Helper()
	return apptest.New(t, append([]func(*config.Config){func(c *config.Config) {
		c.TrustedProxies = []string{"0.0.0.0", "127.0.0.1"}
	}}, configure...)...)
}

// newClient is an anonymous client with its own IP address.
func newClient(h *apptest.Harness) *apptest.Client {
	cl := h.Client()
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	cl.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", b[0], b[1], b[2]))
	return cl
}

// createUser inserts a confirmed user with a password and returns its id.
func createUser(t *testing.T, h *apptest.Harness, email, password, status string) uuid.UUID {
	t.Helper()
	hash, err := accounts.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	var id uuid.UUID
	err = h.DB.QueryRowContext(context.Background(),
		`INSERT INTO users (email, first_name, last_name, status, password_hash) VALUES (?, 'Camille', 'Martin', ?, ?) RETURNING id`,
		email, status, hash).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

var linkRE = regexp.MustCompile(`https?://\S+`)

// lastLink returns the link containing path in the newest outbox email to
// address (the outbox is read directly so parallel tests never take each
// other's emails).
func lastLink(t *testing.T, h *apptest.Harness, address, path string) string {
	t.Helper()
	var body string
	err := h.DB.QueryRowContext(context.Background(),
		`SELECT text_body FROM email_outbox WHERE lower(?) = ANY(SELECT lower(a) FROM unnest(to_addresses) a)
		 AND text_body LIKE ? ORDER BY created_at DESC LIMIT 1`, address, "%"+path+"%").Scan(&body)
	if err != nil {
		t.Fatalf("no email to %s with %s: %v", address, path, err)
	}
	for _, l := range linkRE.FindAllString(body, -1) {
		if strings.Contains(l, path) {
			return l
		}
	}
	t.Fatalf("no %s link in %q", path, body)
	return ""
}

// pathOf turns an absolute link into the path and query the client requests.
func pathOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.RequestURI()
}

// countEmails counts the outbox emails to address with subject.
func countEmails(t *testing.T, h *apptest.Harness, address, subject string) int {
	t.Helper()
	var n int
	err := h.DB.QueryRowContext(context.Background(),
		`SELECT count(*) FROM email_outbox WHERE lower(?) = ANY(SELECT lower(a) FROM unnest(to_addresses) a) AND subject = ?`,
		address, subject).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func signIn(t *testing.T, cl *apptest.Client, email, password string) *apptest.Response {
	t.Helper()
	cl.Get("/auth/sign-in")
	return cl.PostForm("/auth/sign-in", url.Values{"email": {email}, "password": {password}})
}

func expectStatus(t *testing.T, r *apptest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("status %d, want %d; body:\n%.3000s", r.StatusCode, status, r.Body)
	}
}
