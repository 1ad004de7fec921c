package app_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/users"
)

// Text that PostgreSQL refuses (a NUL byte, invalid UTF-8) is answered 400
// with a translated page before any handler runs, wherever it is sent: in
// the query or in a form field.
func TestInvalidTextIsRefusedBeforeTheHandlers(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	visitor := h.Client()
	visitor.Get("/auth/sign-in") // a session holding a CSRF token

	userID := h.CreateUser(apptest.UniqueEmail("nul"), false)
	user, err := users.ByID(context.Background(), h.DB, userID)
	if err != nil {
		t.Fatal(err)
	}
	org := orgtest.CreateOrganization(t, h.DB, user, "Compagnie NUL "+userID.String())
	member := h.Client()
	member.StartSession(userID, time.Hour)

	admin := h.Client()
	admin.StartSession(h.CreateUser(apptest.UniqueEmail("nul-admin"), true), time.Hour)

	refused := func(name string, r *apptest.Response) {
		t.Helper()
		if r.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", name, r.StatusCode)
			return
		}
		if msg := r.Text("#error-message"); !strings.Contains(msg, "caractères non valides") {
			t.Errorf("%s: message %q", name, msg)
		}
	}
	for _, bad := range []string{"a\x00b", "a\xffb"} {
		refused("sign-in", visitor.PostForm("/auth/sign-in", url.Values{"email": {bad}, "password": {"x"}}))
		refused("sign-up", visitor.PostForm("/auth/sign-up", url.Values{"email": {"a@example.org"}, "firstName": {bad}}))
		refused("series", member.PostForm("/dashboard/organization/"+org.ID.String()+"/series", url.Values{"name": {bad}}))
		refused("profile", member.PostForm("/account/settings/profile", url.Values{"firstName": {bad}, "lastName": {"x"}}))
		refused("impersonation", admin.PostForm("/admin/users/"+userID.String()+"/impersonate", url.Values{"reason": {bad}}))
		q := url.QueryEscape(bad)
		refused("admin", admin.Get("/admin?q="+q))
		refused("admin users", admin.Get("/admin/users?q="+q))
		refused("admin audit", admin.Get("/admin/audit?email="+q))
		refused("admin users export", admin.Get("/admin/users.csv?q="+q))
		refused("query of a public page", visitor.Get("/?x="+q))
		refused("multipart field", visitor.Do(multipartPost(t, "/auth/sign-in", visitor.CSRF, "email", bad)))
	}
	// Ordinary text, accents included, still gets through.
	if r := admin.Get("/admin/users?q=" + url.QueryEscape("Hélène")); r.StatusCode != http.StatusOK {
		t.Errorf("valid query: status %d", r.StatusCode)
	}
}

// multipartPost is a multipart/form-data POST with the CSRF token and one text field.
func multipartPost(t *testing.T, path, csrf, field, value string) *http.Request {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range map[string]string{"_csrf": csrf, field: value} {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return req
}
