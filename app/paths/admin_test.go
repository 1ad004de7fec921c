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
