package admin

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// PendingInvitation is an invitation of an organization not yet accepted
// nor expired, as the back office shows it (read-only).
type PendingInvitation struct {
	Email     string    `bun:"email"`
	InvitedBy string    `bun:"invited_by"`
	CreatedAt time.Time `bun:"created_at"`
	ExpiresAt time.Time `bun:"expires_at"`
}

// PendingInvitations lists an organization's live invitations, newest first.
func PendingInvitations(ctx context.Context, idb bun.IDB, organizationID uuid.UUID, now time.Time) (out []PendingInvitation, err error) {
	defer derrors.Wrap(&err, "admin: pending invitations of %s", organizationID)
	err = idb.NewRaw(`SELECT i.email, coalesce(u.email, '') AS invited_by, i.created_at, i.expires_at
		FROM organization_invitations i LEFT JOIN users u ON u.id = i.invited_by_user_id
		WHERE i.organization_id = ? AND i.expires_at > ? ORDER BY i.created_at DESC LIMIT 100`, organizationID, now).Scan(ctx, &out)
	return out, err
}

// OrganizationChange is a line of the declarations' history of changes of
// an organization (decision D11 in docs/decisions.md).
type OrganizationChange struct {
	SerieID           uuid.UUID `bun:"event_serie_id"`
	SerieName         string    `bun:"serie_name"`
	Field             string    `bun:"field"`
	OldValue          string    `bun:"old_value"`
	NewValue          string    `bun:"new_value"`
	UserEmail         string    `bun:"user_email"`
	ImpersonatorEmail string    `bun:"impersonator_email"`
	CreatedAt         time.Time `bun:"created_at"`
}

// organizationChangesShown bounds the history on the organization page; the
// declaration's own page has the rest.
const organizationChangesShown = 30

// OrganizationChanges reads the latest changes to the declarations of an
// organization's series, newest first.
func OrganizationChanges(ctx context.Context, idb bun.IDB, organizationID uuid.UUID) (out []OrganizationChange, err error) {
	defer derrors.Wrap(&err, "admin: declaration changes of %s", organizationID)
	err = idb.NewRaw(`SELECT c.event_serie_id, s.name AS serie_name, c.field, c.old_value, c.new_value, c.user_email, c.impersonator_email, c.created_at
		FROM event_series s JOIN ticketing_systems t ON t.id = s.ticketing_system_id
		CROSS JOIN LATERAL (SELECT * FROM declaration_changes c WHERE c.event_serie_id = s.id ORDER BY c.created_at DESC LIMIT ?) c
		WHERE t.organization_id = ? ORDER BY c.created_at DESC LIMIT ?`, organizationChangesShown, organizationID, organizationChangesShown).Scan(ctx, &out)
	return out, err
}
