package organizations_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"assistant-declaration/app/db/dbtest"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/organizations/orgtest"
)

func TestPurgeExpiredInvitationsKeepsThoseStillListed(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	ctx := context.Background()
	org := orgtest.Insert(t, d, orgtest.Row{Name: "Compagnie des Invitations"}).ID
	_, err := d.NewRaw(`INSERT INTO organization_invitations (organization_id, email, token_hash, expires_at) VALUES
		(?0, 'long-gone@example.org', ?0 || '-old', now() - interval '31 days'),
		(?0, 'recently-expired@example.org', ?0 || '-recent', now() - interval '29 days'),
		(?0, 'pending@example.org', ?0 || '-pending', now() + interval '1 day')`, org).Exec(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := organizations.PurgeExpiredInvitations(ctx, d, time.Now().Add(-organizations.ExpiredInvitationRetention)); err != nil || n < 1 {
		t.Fatalf("PurgeExpiredInvitations = %d, %v; want at least 1", n, err)
	}
	var left []string
	if err := d.NewRaw(`SELECT email FROM organization_invitations WHERE organization_id = ? ORDER BY 1`, org).Scan(ctx, &left); err != nil {
		t.Fatal(err)
	}
	if want := []string{"pending@example.org", "recently-expired@example.org"}; fmt.Sprint(left) != fmt.Sprint(want) {
		t.Fatalf("invitations left = %v, want %v", left, want)
	}
}
