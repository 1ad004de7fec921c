package admin

import (
	"time"

	"github.com/google/uuid"
)

// PendingInvitation is an invitation of an organization not yet accepted
// nor expired, as the back office shows it (read-only).
type PendingInvitation struct {
	Email     string    `json:"email"`
	InvitedBy string    `json:"invited_by"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// pendingInvitationsSQL is a column of GetOrganization: the live
// invitations of the organization o at ?, newest first, as JSON.
const pendingInvitationsSQL = `(SELECT coalesce(jsonb_agg(to_jsonb(i) ORDER BY i.created_at DESC), '[]') FROM (
		SELECT i.email, coalesce(u.email, '') AS invited_by, i.created_at, i.expires_at
		FROM organization_invitations i LEFT JOIN users u ON u.id = i.invited_by_user_id
		WHERE i.organization_id = o.id AND i.expires_at > ? ORDER BY i.created_at DESC LIMIT 100) AS i) AS invitations`

// OrganizationChange is a line of the declarations' history of changes of
// an organization (decision D11 in docs/decisions.md).
type OrganizationChange struct {
	SerieID           uuid.UUID `json:"event_serie_id"`
	SerieName         string    `json:"serie_name"`
	Field             string    `json:"field"`
	OldValue          string    `json:"old_value"`
	NewValue          string    `json:"new_value"`
	UserEmail         string    `json:"user_email"`
	ImpersonatorEmail string    `json:"impersonator_email"`
	CreatedAt         time.Time `json:"created_at"`
}

// organizationChangesShown bounds the history on the organization page; the
// declaration's own page has the rest.
const organizationChangesShown = 30

// organizationChangesSQL is a column of GetOrganization: the latest ?
// changes to the declarations of the series of the organization o (at most ?
// per serie), newest first, as JSON.
const organizationChangesSQL = `(SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY c.created_at DESC), '[]') FROM (
		SELECT c.event_serie_id, s.name AS serie_name, c.field, c.old_value, c.new_value, c.user_email, c.impersonator_email, c.created_at
		FROM event_series s JOIN ticketing_systems t ON t.id = s.ticketing_system_id
		CROSS JOIN LATERAL (SELECT * FROM declaration_changes c WHERE c.event_serie_id = s.id ORDER BY c.created_at DESC LIMIT ?) c
		WHERE t.organization_id = o.id ORDER BY c.created_at DESC LIMIT ?) AS c) AS changes`
