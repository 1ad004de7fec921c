package paths

import (
	"testing"

	"github.com/google/uuid"
)

func TestOrganizationAndSeriesPaths(t *testing.T) {
	org := uuid.MustParse("11111111-1111-1111-1111-111111111111")
	serie := uuid.MustParse("22222222-2222-2222-2222-222222222222")
	const o = "/dashboard/organization/11111111-1111-1111-1111-111111111111"
	tests := []struct{ got, want string }{
		{To.Organization(org), o},
		{To.OrganizationFiltered(org, "all"), o + "?filter=all"},
		{To.OrganizationFiltered(org, ""), o},
		{To.OrganizationCreate("siret", "123", "name", ""), "/dashboard/organization/create?siret=123"},
		{To.OrganizationRevoke(org, serie), o + "/invitations/22222222-2222-2222-2222-222222222222/revoke"},
		{To.InvitationSignIn("tok"), "/auth/sign-in?callbackUrl=%2Finvitations%2Ftok"},
		{To.DashboardInvitationAccept(serie), "/dashboard/invitations/22222222-2222-2222-2222-222222222222/accept"},
		{To.DashboardInvitationDecline(serie), "/dashboard/invitations/22222222-2222-2222-2222-222222222222/decline"},
		{To.Series(org, "to-declare"), o + "/series?filter=to-declare"},
		{To.SerieEdit(org, serie), o + "/serie/22222222-2222-2222-2222-222222222222/edit"},
		{To.Declaration(org, serie), o + "/serie/22222222-2222-2222-2222-222222222222/declaration"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
