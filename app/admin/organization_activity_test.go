package admin_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// The organization page shows its pending invitations (not the expired
// ones) and the latest changes to its declarations.
func TestOrganizationInvitationsAndChanges(t *testing.T) {
	t.Parallel()
	h, cl, _ := adminClient(t)
	ctx := context.Background()
	org := createOrg(t, h, "Compagnie "+token(t), "", time.Time{})
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := h.DB.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO organization_invitations (organization_id, email, token_hash, expires_at) VALUES (?, 'pending@example.org', ?, now() + interval '2 days')`, org.ID, uuid.NewString())
	exec(`INSERT INTO organization_invitations (organization_id, email, token_hash, expires_at) VALUES (?, 'expired@example.org', ?, now() - interval '1 day')`, org.ID, uuid.NewString())
	r := cl.Get("/admin/organizations/" + org.ID.String())
	if r.StatusCode != 200 || r.Doc.Find("#no-changes").Length() != 1 {
		t.Fatalf("organization page = %d", r.StatusCode)
	}
	if got := r.Text("#invitations-table tbody"); !strings.Contains(got, "pending@example.org") || strings.Contains(got, "expired@example.org") {
		t.Errorf("invitations: %q", got)
	}
	var system, serie uuid.UUID
	if err := h.DB.NewRaw(`INSERT INTO ticketing_systems (organization_id, name) VALUES (?, 'MANUAL') RETURNING id`, org.ID).Scan(ctx, &system); err != nil {
		t.Fatal(err)
	}
	if err := h.DB.NewRaw(`INSERT INTO event_series (ticketing_system_id, internal_ticketing_system_id, name) VALUES (?, 'x', 'Le Songe') RETURNING id`, system).Scan(ctx, &serie); err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO declaration_changes (event_serie_id, field, old_value, new_value, user_email) VALUES (?, 'placeCapacity', '100', '120', 'jeanne@example.org')`, serie)
	got := cl.Get("/admin/organizations/" + org.ID.String()).Text("#changes-table tbody")
	for _, want := range []string{"Le Songe", "jeanne@example.org", "100", "120"} {
		if !strings.Contains(got, want) {
			t.Errorf("changes %q lack %q", got, want)
		}
	}
	if strings.Contains(got, "placeCapacity") {
		t.Errorf("raw field name shown: %q", got)
	}
}
