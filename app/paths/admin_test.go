package paths

import (
	"net/url"
	"testing"

	"github.com/google/uuid"
)

func TestAdminPaths(t *testing.T) {
	id := uuid.MustParse("6f1c2b8e-8d4e-4a55-9d2a-0f6a1f1e2d3c")
	for _, tt := range []struct{ got, want string }{
		{To.AdminUser(id), "/admin/users/" + id.String()},
		{To.AdminUserDisable(id), "/admin/users/" + id.String() + "/disable"},
		{To.AdminImpersonationStart(id), "/admin/users/" + id.String() + "/impersonate"},
		{To.AdminOrganization(id), "/admin/organizations/" + id.String()},
		{To.AdminOrganizationsExport(url.Values{"q": {"théâtre"}}), "/admin/organizations.csv?q=th%C3%A9%C3%A2tre"},
		{To.AdminUsersQuery(nil), "/admin/users"},
		{To.AdminAuditOf("a+b@c.fr"), "/admin/audit?email=a%2Bb%40c.fr"},
	} {
		if tt.got != tt.want {
			t.Errorf("%q, want %q", tt.got, tt.want)
		}
	}
}

func TestAdminSectionsCurrent(t *testing.T) {
	current := func(path string) []string {
		var keys []string
		for _, s := range To.AdminSections() {
			if s.Current(path) {
				keys = append(keys, s.LabelKey)
			}
		}
		return keys
	}
	for path, want := range map[string]string{
		"/admin":                   "admin.nav.organizations",
		"/admin/organizations/x":   "admin.nav.organizations",
		"/admin/organizations.csv": "admin.nav.organizations",
		"/admin/users/x":           "admin.nav.users",
		"/admin/ticketing":         "admin.nav.ticketing",
		"/admin/jobs":              "admin.nav.jobs",
		"/admin/settings":          "admin.nav.settings",
		"/admin/agencies":          "admin.nav.agencies",
		"/admin/declarations":      "admin.nav.declarations",
		"/admin/statistics":        "admin.nav.statistics",
		"/admin/audit":             "admin.nav.audit",
	} {
		if got := current(path); len(got) != 1 || got[0] != want {
			t.Errorf("current entries of %s = %v, want [%s]", path, got, want)
		}
	}
}
