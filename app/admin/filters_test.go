package admin

import (
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"assistant-declaration/app/locale"
)

func get(raw string) query {
	v, _ := url.ParseQuery(raw)
	return v.Get
}

func TestParseOrganizationFilter(t *testing.T) {
	tests := []struct {
		raw, url, next, sortName, err string
		page                          int
	}{
		{raw: "", url: "/admin", next: "/admin?page=2", sortName: "/admin?sort=name", page: 1},
		{raw: "q=+Théâtre+&sacem=yes&sacd=maybe&page=3", url: "/admin?q=Th%C3%A9%C3%A2tre&sacem=yes",
			next: "/admin?page=4&q=Th%C3%A9%C3%A2tre&sacem=yes", sortName: "/admin?q=Th%C3%A9%C3%A2tre&sacem=yes&sort=name", page: 3},
		{raw: "sort=name&page=-2", url: "/admin?sort=name", next: "/admin?page=2&sort=name", sortName: "/admin?sort=-name", page: 1},
		{raw: "sort=password_hash&page=999999", url: "/admin", next: "/admin?page=1001", sortName: "/admin?sort=name", page: maxPage},
		{raw: "since=2025-02-30", url: "/admin?since=2025-02-30", next: "/admin?page=2&since=2025-02-30",
			sortName: "/admin?since=2025-02-30&sort=name", page: 1, err: "admin.filters.invalidDate"},
		{raw: "since=31/12/2024", url: "/admin?since=31%2F12%2F2024", next: "/admin?page=2&since=31%2F12%2F2024",
			sortName: "/admin?since=31%2F12%2F2024&sort=name", page: 1},
	}
	for _, tt := range tests {
		f, errs := ParseOrganizationFilter(get(tt.raw))
		if f.PageURL(1) != tt.url || f.PageURL(f.Page+1) != tt.next || f.SortURL("name") != tt.sortName || f.Page != tt.page || errs["since"] != tt.err {
			t.Errorf("%q: url %q next %q sort %q page %d errs %v", tt.raw, f.PageURL(1), f.PageURL(f.Page+1), f.SortURL("name"), f.Page, errs)
		}
	}
	if f, _ := ParseOrganizationFilter(get("since=31/12/2024")); !f.Since.Equal(time.Date(2024, 12, 31, 0, 0, 0, 0, locale.Paris)) {
		t.Errorf("since JJ/MM/AAAA = %s", f.Since)
	}
}

// The search is cut to its first 200 characters, never inside one: a cut
// UTF-8 sequence made PostgreSQL fail the query.
func TestSearchIsCutByCharacters(t *testing.T) {
	f, _ := ParseOrganizationFilter(get("q=" + url.QueryEscape(strings.Repeat("é", maxQueryLength+1))))
	if !utf8.ValidString(f.Query) || utf8.RuneCountInString(f.Query) != maxQueryLength {
		t.Errorf("query cut to %d bytes, valid UTF-8 %v", len(f.Query), utf8.ValidString(f.Query))
	}
}

func TestExportURL(t *testing.T) {
	f, _ := ParseOrganizationFilter(get("q=a&sort=-name&page=3"))
	if got := organizationsList.view(f.Listing, false, nil).ExportURL; got != "/admin/organizations.csv?q=a&sort=-name" {
		t.Errorf("export url %q", got)
	}
	if u := ParseUserFilter(get("")); usersList.view(u.Listing, false, nil).ExportURL != "/admin/users.csv" {
		t.Errorf("bare export url %q", usersList.view(u.Listing, false, nil).ExportURL)
	}
}

func TestListTrigger(t *testing.T) {
	f := ParseUserFilter(get(""))
	want := "submit, change from:#filter-status, change from:#filter-admin, change from:#filter-activity, input changed delay:400ms from:#filter-q"
	if got := usersList.view(f.Listing, false, f.selects()).Trigger; got != want {
		t.Errorf("trigger %q, want %q", got, want)
	}
}

func TestLabelKeys(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{StatusDisabled.LabelKey(), "admin.status.disabled"}, {StatusConfirmed.BadgeClass(), "fr-badge--success"},
		{StatusRegistered.BadgeClass(), "fr-badge--info"}, {activityDormant.LabelKey(), "admin.users.activityDormant"},
		{yes.LabelKey(), "admin.filters.yes"}, {AuditAction("user_disabled").LabelKey(), "admin.audit.actions.user_disabled"},
	} {
		if tt.got != tt.want {
			t.Errorf("label %q, want %q", tt.got, tt.want)
		}
	}
}

func TestAriaSort(t *testing.T) {
	for sort, want := range map[string]string{"": "none", "name": "ascending", "-name": "descending", "created": "none"} {
		if got := (Listing{Sort: sort}).AriaSort("name"); got != want {
			t.Errorf("sort %q: %q, want %q", sort, got, want)
		}
	}
}

func TestParseAuditFilter(t *testing.T) {
	f, errs := ParseAuditFilter(get("action=user_disabled&email=A@B.fr&from=2026-01-01&to=x&before=42&after=zz"))
	if f.Action != "user_disabled" || f.Email != "A@B.fr" || f.From.IsZero() || f.Before != 42 || f.After != 0 || errs["to"] == "" {
		t.Errorf("parsed %+v, errors %v", f, errs)
	}
	if got := f.CursorURL("before", 7); got != "/admin/audit?action=user_disabled&before=7&email=A%40B.fr&from=2026-01-01&to=x" {
		t.Errorf("cursor url %q", got)
	}
	if f, _ := ParseAuditFilter(get("action=DROP+TABLE")); f.Action != "" {
		t.Errorf("invalid action kept: %q", f.Action)
	}
}

func TestLikePattern(t *testing.T) {
	for in, want := range map[string]string{"abc": "%abc%", "50%_off": `%50\%\_off%`, `a\b`: `%a\\b%`} {
		if got := likePattern(in); got != want {
			t.Errorf("likePattern(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestImpersonationRefusal(t *testing.T) {
	admin := uuid.New()
	user := func(status UserStatus, isAdmin bool) *UserDetail {
		return &UserDetail{UserRow: UserRow{ID: uuid.New(), Status: status, IsAdmin: isAdmin}}
	}
	self := user(StatusConfirmed, true)
	self.ID = admin
	tests := []struct {
		target *UserDetail
		want   string
	}{
		{user(StatusConfirmed, false), ""},
		{self, "admin.impersonation.self"},
		{user(StatusConfirmed, true), "admin.impersonation.targetIsAdmin"},
		{user(StatusDisabled, false), "admin.impersonation.targetNotConfirmed"},
		{user(StatusRegistered, false), "admin.impersonation.targetNotConfirmed"},
	}
	for _, tt := range tests {
		if got := ImpersonationRefusal(admin, tt.target); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.target.UserRow, got, tt.want)
		}
	}
}

func TestValidateReason(t *testing.T) {
	long := string(make([]rune, maxReasonLength+1))
	for reason, want := range map[string]string{"": "admin.impersonation.reasonRequired", "ticket 1": "", long: "admin.impersonation.reasonTooLong"} {
		if got := validateReason(reason)["reason"]; got != want {
			t.Errorf("validateReason(len %d) = %q, want %q", len(reason), got, want)
		}
	}
}
