package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/uptrace/bun"

	"assistant-declaration/app/token"
	"assistant-declaration/app/users"
)

// Sessions are rows of the sessions table (decision P3 in docs/decisions.md: server-side and
// revocable). The cookie holds a random token; the row is keyed by its SHA-256.
// Anonymous visitors get a row only when something must be remembered (a CSRF
// token for a form, a flash message), so plain page views touch no table.

// SessionData is the free-form part of a session, stored as jsonb.
type SessionData struct {
	CSRF    string            `json:"csrf,omitempty"`
	Flashes []Flash           `json:"flashes,omitempty"`
	Values  map[string]string `json:"values,omitempty"`
}

// Flash is a one-time message shown on the next page (PRG).
type Flash struct {
	Level string `json:"level"` // success, info, warning, error
	Key   string `json:"key"`
}

// Session is the loaded session of the request.
type Session struct {
	bun.BaseModel `bun:"table:sessions"`

	ID                     string      `bun:"id,pk"`
	UserID                 *uuid.UUID  `bun:"user_id"`
	Data                   SessionData `bun:"data,type:jsonb"`
	CreatedAt              time.Time   `bun:"created_at"`
	LastSeenAt             time.Time   `bun:"last_seen_at"`
	ExpiresAt              time.Time   `bun:"expires_at"`
	ImpersonatedUserID     *uuid.UUID  `bun:"impersonated_user_id"`
	ImpersonationReason    string      `bun:"impersonation_reason,nullzero"`
	ImpersonationExpiresAt *time.Time  `bun:"impersonation_expires_at"`

	// Loaded with the session in one query: every signed-in request needs them.
	User             *users.User `bun:"rel:belongs-to,join:user_id=id"`
	ImpersonatedUser *users.User `bun:"rel:belongs-to,join:impersonated_user_id=id"`
	// The organizations of User and of ImpersonatedUser, read in that query
	// too (sessionQuery).
	userMemberships, impersonatedMemberships []Membership

	token string
	isNew bool
	dirty bool
}

// sessionQuery loads a session with its user and impersonated user, and the
// organizations each of them collaborates in (by name): every organization
// page checks the user is one of its collaborators and lists their
// organizations in the header, so reading them here spares each of those
// pages a statement of its own. Every request that carries a cookie runs it,
// so it is a real prepared statement, cached per connection by pgx: parsing
// and planning this join cost several times its execution, which is a
// primary-key lookup and two index scans.
var sessionQuery = `SELECT s.user_id, s.data, s.created_at, s.last_seen_at, s.expires_at,
	s.impersonated_user_id, coalesce(s.impersonation_reason, ''), s.impersonation_expires_at,
	u.email, u.first_name, u.last_name, u.status, u.is_admin, ` + membershipsOf("s.user_id") + `,
	i.email, i.first_name, i.last_name, i.status, i.is_admin, ` + membershipsOf("s.impersonated_user_id") + `
FROM sessions s
LEFT JOIN users u ON u.id = s.user_id
LEFT JOIN users i ON i.id = s.impersonated_user_id
WHERE s.id = $1 AND s.expires_at > now()`

// membershipsOf is the JSON array of the Memberships of the user whose id is
// the SQL expression userID (NULL when they have none).
func membershipsOf(userID string) string {
	return `(SELECT json_agg(json_build_object('id', o.id, 'name', o.name, 'official_id', o.official_id) ORDER BY o.name, o.id)
		FROM collaborators m JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = ` + userID + `)`
}

// loadSession finds the row of the cookie's token, or nil.
func loadSession(ctx context.Context, pool *pgxpool.Pool, cookie string) (*Session, error) {
	if cookie == "" || len(cookie) > 100 {
		return nil, nil
	}
	s := &Session{ID: token.Hash(cookie), token: cookie}
	var user, impersonated joinedUser
	err := pool.QueryRow(ctx, sessionQuery, pgx.QueryExecModeCacheStatement, s.ID).Scan(
		&s.UserID, &s.Data, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt,
		&s.ImpersonatedUserID, &s.ImpersonationReason, &s.ImpersonationExpiresAt,
		&user.email, &user.firstName, &user.lastName, &user.status, &user.isAdmin, &user.memberships,
		&impersonated.email, &impersonated.firstName, &impersonated.lastName, &impersonated.status, &impersonated.isAdmin, &impersonated.memberships)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("web: load session: %w", err)
	}
	s.User, s.ImpersonatedUser = user.of(s.UserID), impersonated.of(s.ImpersonatedUserID)
	if s.userMemberships, err = user.decodeMemberships(); err != nil {
		return nil, fmt.Errorf("web: load session: memberships of %v: %w", s.UserID, err)
	}
	if s.impersonatedMemberships, err = impersonated.decodeMemberships(); err != nil {
		return nil, fmt.Errorf("web: load session: memberships of %v: %w", s.ImpersonatedUserID, err)
	}
	return s, nil
}

// joinedUser holds the columns of a LEFT JOINed user, all NULL when the
// session has no such user.
type joinedUser struct {
	email, firstName, lastName, status *string
	isAdmin                            *bool
	memberships                        []byte
}

func (j joinedUser) decodeMemberships() ([]Membership, error) {
	if j.memberships == nil {
		return nil, nil
	}
	var m []Membership
	err := json.Unmarshal(j.memberships, &m)
	return m, err
}

func (j joinedUser) of(id *uuid.UUID) *users.User {
	if id == nil || j.email == nil {
		return nil
	}
	return &users.User{ID: *id, Email: *j.email, FirstName: *j.firstName, LastName: *j.lastName, Status: users.Status(*j.status), IsAdmin: *j.isAdmin}
}

// CreateSession inserts a session for sessionToken (signed in as userID, or
// anonymous when userID is nil) holding the CSRF token csrf: a fixture for
// handler tests that are not about signing in.
func CreateSession(ctx context.Context, idb bun.IDB, sessionToken string, userID *uuid.UUID, csrf string, expiresAt time.Time) error {
	s := &Session{ID: token.Hash(sessionToken), UserID: userID, Data: SessionData{CSRF: csrf}, ExpiresAt: expiresAt}
	if _, err := idb.NewInsert().Model(s).Column("id", "user_id", "data", "expires_at").Exec(ctx); err != nil {
		return fmt.Errorf("web: create session of %v: %w", userID, err)
	}
	return nil
}

// RevokeUserSessions deletes every session of a user except keepID (pass ""
// to revoke them all): after a password change or when an admin disables them.
func RevokeUserSessions(ctx context.Context, db bun.IDB, userID uuid.UUID, keepID string) error {
	_, err := db.NewDelete().Model((*Session)(nil)).
		Where("user_id = ? OR impersonated_user_id = ?", userID, userID).
		Where("id <> ?", keepID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("web: revoke the sessions of %s: %w", userID, err)
	}
	return nil
}
