package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/users"
)

// The CSRF token counts only in the body or the htmx header: a token in the
// URL may leak (logs, Referer, history) and must not authorize a change.
func TestCSRFTokenInTheQueryIsRefused(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	cl := h.Client()
	cl.StartSession(h.CreateUser(apptest.UniqueEmail("csrfquery"), false), time.Hour)
	req := httptest.NewRequest(http.MethodPost, "/account/settings/profile?_csrf="+url.QueryEscape(cl.CSRF),
		strings.NewReader(url.Values{"firstName": {"Query"}, "lastName": {"Token"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := cl.Do(req); r.StatusCode != http.StatusForbidden {
		t.Errorf("POST with the token in the query = %d, want 403", r.StatusCode)
	}
}

// Form fields are read from the body only: a link cannot override what the
// user typed by adding the same field to the URL.
func TestFormFieldsComeFromTheBody(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	cl := h.Client()
	id := h.CreateUser(apptest.UniqueEmail("formbody"), false)
	cl.StartSession(id, time.Hour)
	r := cl.PostForm("/account/settings/profile?firstName=Mallory&lastName=Query",
		url.Values{"firstName": {"Alice"}, "lastName": {"Body"}})
	if r.StatusCode >= 400 {
		t.Fatalf("profile update: status %d", r.StatusCode)
	}
	u, err := users.ByID(context.Background(), h.DB, id)
	if err != nil {
		t.Fatal(err)
	}
	if u.FirstName != "Alice" || u.LastName != "Body" {
		t.Errorf("name saved = %q %q, want the body's Alice Body", u.FirstName, u.LastName)
	}
}
