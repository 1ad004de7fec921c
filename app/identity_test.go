package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/apptest"
)

// impersonating gives cl an admin session acting as target until the given time.
func impersonating(t *testing.T, h *apptest.Harness, cl *apptest.Client, target uuid.UUID, until time.Time) uuid.UUID {
	t.Helper()
	admin := h.CreateUser(apptest.UniqueEmail("admin"), true)
	cl.StartSession(admin, time.Hour)
	if _, err := h.DB.ExecContext(context.Background(), `UPDATE sessions SET impersonated_user_id = ?, impersonation_reason = 'support',
		impersonation_expires_at = ? WHERE user_id = ?`, target, until, admin); err != nil {
		t.Fatal(err)
	}
	return admin
}

func auditCount(t *testing.T, h *apptest.Harness, action string, actor, subject uuid.UUID) int {
	t.Helper()
	var n int
	if err := h.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM audit_log WHERE action = ? AND actor_user_id = ? AND subject_user_id = ?`,
		action, actor, subject).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImpersonatedChangesAreAudited(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	target := h.CreateUser(apptest.UniqueEmail("target"), false)
	cl := h.Client()
	admin := impersonating(t, h, cl, target, time.Now().Add(time.Hour))

	page := cl.Get("/account/settings")
	if page.StatusCode != http.StatusOK || page.Doc.Find("#impersonation-banner").Length() != 1 {
		t.Fatalf("settings while impersonating: %d, banner %d", page.StatusCode, page.Doc.Find("#impersonation-banner").Length())
	}
	if n := auditCount(t, h, "impersonated_request", admin, target); n != 0 {
		t.Fatalf("a page view was audited as a change (%d)", n)
	}
	cl.PostForm("/account/settings/profile", url.Values{"firstName": {"Dominique"}, "lastName": {"Durand"}})
	if n := auditCount(t, h, "impersonated_request", admin, target); n != 1 {
		t.Errorf("impersonated change audited %d times, want 1", n)
	}
}

func TestImpersonationEndsByItself(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	target := h.CreateUser(apptest.UniqueEmail("target"), false)
	cl := h.Client()
	admin := impersonating(t, h, cl, target, time.Now().Add(-time.Minute))

	r := cl.Get("/account/settings")
	if r.Doc.Find("#impersonation-banner").Length() != 0 {
		t.Fatal("an expired impersonation still shows its banner")
	}
	if !strings.Contains(r.Text(".fr-alert"), "a pris fin") {
		t.Errorf("no notice that the impersonation ended: %q", r.Text(".fr-alert"))
	}
	if got := r.Text(".fr-header__tools"); !strings.Contains(got, "Camille Martin") {
		t.Errorf("header after expiry: %q", got)
	}
	if n := auditCount(t, h, "impersonation_expired", admin, target); n != 1 {
		t.Errorf("impersonation_expired audited %d times, want 1", n)
	}
	// The admin's session goes on, as themselves.
	var impersonated *uuid.UUID
	if err := h.DB.QueryRowContext(context.Background(), `SELECT impersonated_user_id FROM sessions WHERE user_id = ?`, admin).Scan(&impersonated); err != nil || impersonated != nil {
		t.Errorf("session after expiry: impersonated %v, err %v", impersonated, err)
	}
}

// Activity is recorded at most once a minute; it extends an entrepreneur's
// idle timeout.
func TestActivityExtendsTheIdleTimeout(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	user := h.CreateUser(apptest.UniqueEmail("active"), false)
	cl := h.Client()
	cl.StartSession(user, time.Hour)
	ctx := context.Background()
	if _, err := h.DB.ExecContext(ctx, `UPDATE sessions SET last_seen_at = now() - interval '2 minutes' WHERE user_id = ?`, user); err != nil {
		t.Fatal(err)
	}
	cl.Get("/account/settings")
	var expires time.Time
	var activity *time.Time
	if err := h.DB.QueryRowContext(ctx, `SELECT s.expires_at, u.last_activity_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = ?`, user).
		Scan(&expires, &activity); err != nil {
		t.Fatal(err)
	}
	if time.Until(expires) < 24*time.Hour {
		t.Errorf("idle timeout not extended: expires in %s", time.Until(expires))
	}
	if activity == nil || time.Since(*activity) > time.Minute {
		t.Errorf("last activity not recorded: %v", activity)
	}
}

// A fragment request without a session sends htmx to sign in and back to
// the page the fragment belonged to, not to the fragment.
func TestSignInRedirectOfAFragmentReturnsToItsPage(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	r := h.Client().Get("/dashboard/organization/create/companies?q=dinum", "HX-Request", "true",
		"HX-Current-URL", "http://localhost/dashboard/organization/create?x=1")
	want := "/auth/sign-in?callbackUrl=" + url.QueryEscape("/dashboard/organization/create?x=1")
	if r.StatusCode != http.StatusUnauthorized || r.Header.Get("HX-Redirect") != want {
		t.Errorf("status %d, HX-Redirect %q, want %q", r.StatusCode, r.Header.Get("HX-Redirect"), want)
	}
}
