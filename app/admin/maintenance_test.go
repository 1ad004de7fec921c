package admin_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"assistant-declaration/app/admin"
	"assistant-declaration/app/apptest"
	"assistant-declaration/app/locale"
)

// The banner an admin publishes shows on a public page and on a signed-in
// page, for visitors of the instance, until removed; both changes are audited.
func TestMaintenanceBanner(t *testing.T) {
	// Not parallel: the banner is one row for the whole database.
	h, cl, adminID := adminClient(t)
	ctx := context.Background()
	if _, err := h.DB.ExecContext(ctx, "DELETE FROM maintenance_banner"); err != nil {
		t.Fatal(err)
	}
	if r := cl.Get("/admin/settings"); r.StatusCode != 200 || r.Doc.Find("#maintenance-current").Length() != 0 {
		t.Fatalf("settings without banner = %d", r.StatusCode)
	}

	r := cl.PostForm("/admin/settings/maintenance", url.Values{"message": {"  "}, "endsAt": {"2020-01-01T10:00"}})
	if r.StatusCode != 422 || r.Doc.Find("#maintenance-message-message-error").Length() != 1 || r.Doc.Find("#maintenance-ends-at-message-error").Length() != 1 {
		t.Fatalf("invalid banner = %d, want 422 with both messages", r.StatusCode)
	}

	end := time.Now().Add(48 * time.Hour).In(locale.Paris)
	r = cl.PostForm("/admin/settings/maintenance", url.Values{"message": {"Maintenance prévue ce soir à 22 h"}, "endsAt": {end.Format("2006-01-02T15:04")}})
	if r.StatusCode != 303 {
		t.Fatalf("publish = %d, want 303", r.StatusCode)
	}
	anonymous := h.Client()
	user := h.Client()
	user.StartSession(h.CreateUser(apptest.UniqueEmail("user"), false), time.Hour)
	for name, page := range map[string]*apptest.Response{"public home": anonymous.Get("/"), "dashboard": user.Get("/dashboard"), "admin": cl.Get("/admin/settings")} {
		if got := page.Text("#maintenance-banner"); !strings.Contains(got, "Maintenance prévue ce soir à 22 h") || !strings.Contains(got, end.Format("02/01/2006 15:04")) {
			t.Errorf("%s: banner %q", name, got)
		}
	}
	if n := auditCount(t, h, admin.MaintenancePublished, adminID, adminID, ""); n != 0 {
		t.Errorf("publication has a subject: %d", n)
	}
	var published int
	if err := h.DB.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = ? AND actor_user_id = ? AND details->>'message' = ?`,
		admin.MaintenancePublished, adminID, "Maintenance prévue ce soir à 22 h").Scan(&published); err != nil || published != 1 {
		t.Errorf("published entries = %d (%v), want 1", published, err)
	}

	if r := cl.PostForm("/admin/settings/maintenance/clear", nil); r.StatusCode != 303 {
		t.Fatalf("clear = %d", r.StatusCode)
	}
	// A visitor without a session gets the home page from the public pages'
	// cache: the banner's removal reaches it too.
	for name, c := range map[string]*apptest.Client{"admin": cl, "anonymous": anonymous} {
		if got := c.Get("/").Text("#maintenance-banner"); got != "" {
			t.Errorf("%s: banner after removal: %q", name, got)
		}
	}
	var cleared int
	if err := h.DB.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = ? AND actor_user_id = ?`,
		admin.MaintenanceCleared, adminID).Scan(&cleared); err != nil || cleared != 1 {
		t.Errorf("cleared entries = %d (%v), want 1", cleared, err)
	}
}

func TestMaintenanceFormValidation(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, locale.Paris)
	for _, tt := range []struct {
		form   admin.MaintenanceForm
		errors string
	}{
		{admin.MaintenanceForm{Message: "ok"}, ""},
		{admin.MaintenanceForm{Message: "ok", EndsAt: "2026-12-07T10:01"}, ""},
		{admin.MaintenanceForm{Message: "ok", EndsAt: "2026-12-07T10:00"}, "endsAt=admin.settings.endsAtPast"},
		{admin.MaintenanceForm{Message: "ok", EndsAt: "07/12/2026"}, "endsAt=admin.settings.endsAtInvalid"},
		{admin.MaintenanceForm{Message: strings.Repeat("é", 501)}, "message=admin.settings.messageTooLong"},
		{admin.MaintenanceForm{Message: strings.Repeat("é", 500)}, ""},
	} {
		_, errs := tt.form.Validate(now)
		got := ""
		if errs.Any() {
			got = strings.TrimPrefix(errs.Error(), "invalid fields: ")
		}
		if got != tt.errors {
			t.Errorf("%+v: %q, want %q", tt.form, got, tt.errors)
		}
	}
}
