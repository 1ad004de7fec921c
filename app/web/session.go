package web

import (
	"context"
	"errors"
	"fmt"
	"time"

	"assistant-declaration/app/token"
	"assistant-declaration/app/users"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/uptrace/bun"
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

	token string
	isNew bool
	dirty bool
}

// SessionConfig holds the cookie and lifetime settings.
type SessionConfig struct {
	Secure      bool          // HTTPS: __Host- prefixed, Secure cookies
	IdleTimeout time.Duration // anonymous and entrepreneur sessions
	AdminMaxAge time.Duration // absolute lifetime of an admin's session
}

// CookieName is the session cookie: __Host- in production so it is bound to
// the exact host, HTTPS-only and path /.
func (sc SessionConfig) CookieName() string {
	if sc.Secure {
		return "__Host-session"
	}
	return "session"
}

const sessionLocal = "web.session"

// sessionQuery loads a session with its user and impersonated user. Every
// request that carries a cookie runs it, so it is a real prepared statement,
// cached per connection by pgx: parsing and planning this three-table join
// cost several times its execution, which is a primary-key lookup.
const sessionQuery = `SELECT s.user_id, s.data, s.created_at, s.last_seen_at, s.expires_at,
	s.impersonated_user_id, coalesce(s.impersonation_reason, ''), s.impersonation_expires_at,
	u.email, u.first_name, u.last_name, u.status, u.is_admin,
	i.email, i.first_name, i.last_name, i.status, i.is_admin
FROM sessions s
LEFT JOIN users u ON u.id = s.user_id
LEFT JOIN users i ON i.id = s.impersonated_user_id
WHERE s.id = $1 AND s.expires_at > now()`

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
		&user.email, &user.firstName, &user.lastName, &user.status, &user.isAdmin,
		&impersonated.email, &impersonated.firstName, &impersonated.lastName, &impersonated.status, &impersonated.isAdmin)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("web: load session: %w", err)
	}
	s.User, s.ImpersonatedUser = user.of(s.UserID), impersonated.of(s.ImpersonatedUserID)
	return s, nil
}

// joinedUser holds the columns of a LEFT JOINed user, all NULL when the
// session has no such user.
type joinedUser struct {
	email, firstName, lastName, status *string
	isAdmin                            *bool
}

func (j joinedUser) of(id *uuid.UUID) *users.User {
	if id == nil || j.email == nil {
		return nil
	}
	return &users.User{ID: *id, Email: *j.email, FirstName: *j.firstName, LastName: *j.lastName, Status: users.Status(*j.status), IsAdmin: *j.isAdmin}
}

// CurrentSession returns the request's session, creating an unsaved one when
// the visitor has none yet; it is written at the end of the request only if
// something was put in it.
func CurrentSession(c *fiber.Ctx) *Session {
	if s, ok := c.Locals(sessionLocal).(*Session); ok && s != nil {
		return s
	}
	s := &Session{isNew: true, token: token.New()}
	s.ID = token.Hash(s.token)
	c.Locals(sessionLocal, s)
	return s
}

func existingSession(c *fiber.Ctx) *Session {
	s, _ := c.Locals(sessionLocal).(*Session)
	return s
}

// CSRFToken returns the session's anti-CSRF token, creating it (and the
// session) on first use. Templates reach it through .Page.CSRF.
func CSRFToken(c *fiber.Ctx) string {
	s := CurrentSession(c)
	if s.Data.CSRF == "" {
		s.Data.CSRF = token.New()
		s.dirty = true
	}
	return s.Data.CSRF
}

// AddFlash queues a message for the next rendered page.
func AddFlash(c *fiber.Ctx, level, key string) {
	s := CurrentSession(c)
	s.Data.Flashes = append(s.Data.Flashes, Flash{Level: level, Key: key})
	s.dirty = true
}

// TakeFlashes returns and clears the queued messages.
func TakeFlashes(c *fiber.Ctx) []Flash {
	s := existingSession(c)
	if s == nil || len(s.Data.Flashes) == 0 {
		return nil
	}
	f := s.Data.Flashes
	s.Data.Flashes = nil
	s.dirty = true
	return f
}

// SetSessionValue stores a small string (OIDC state, pending invitation…).
func SetSessionValue(c *fiber.Ctx, key, value string) {
	s := CurrentSession(c)
	if s.Data.Values == nil {
		s.Data.Values = map[string]string{}
	}
	if value == "" {
		delete(s.Data.Values, key)
	} else {
		s.Data.Values[key] = value
	}
	s.dirty = true
}

// SessionValue reads a value stored with SetSessionValue.
func SessionValue(c *fiber.Ctx, key string) string {
	if s := existingSession(c); s != nil {
		return s.Data.Values[key]
	}
	return ""
}

// saveSession writes the session when it changed and sets the cookie.
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

func (m *Middleware) saveSession(c *fiber.Ctx) error {
	s := existingSession(c)
	if s == nil || !s.dirty {
		return nil
	}
	ctx := c.UserContext()
	if s.ExpiresAt.IsZero() {
		s.ExpiresAt = time.Now().Add(m.sessions.IdleTimeout)
	}
	columns := []string{"user_id", "data", "expires_at", "impersonated_user_id", "impersonation_reason", "impersonation_expires_at"}
	if s.isNew {
		if _, err := m.db.NewInsert().Model(s).Column(append(columns, "id")...).Exec(ctx); err != nil {
			return fmt.Errorf("web: insert session: %w", err)
		}
		m.setSessionCookie(c, s)
		s.isNew = false
		return nil
	}
	// An existing session is only updated, never re-created: if it was
	// revoked meanwhile (password change, sign-out in another tab), it stays
	// revoked and the browser forgets it.
	res, err := m.db.NewUpdate().Model(s).Column(columns...).WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("web: update session: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		m.clearSessionCookie(c)
	}
	return nil
}

func (m *Middleware) setSessionCookie(c *fiber.Ctx, s *Session) {
	c.Cookie(&fiber.Cookie{
		Name:     m.sessions.CookieName(),
		Value:    s.token,
		Path:     "/",
		Secure:   m.sessions.Secure,
		HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode,
		// A browser-session cookie; the server-side expiry is the real limit.
	})
}

// StartUserSession signs the user in: the old session (anonymous or not) is
// replaced by a new token so a fixed session id can never be promoted.
// Admins get an absolute lifetime, everybody else an idle one.
func (m *Middleware) StartUserSession(c *fiber.Ctx, userID uuid.UUID, isAdmin bool) error {
	old := existingSession(c)
	if old != nil && !old.isNew {
		if _, err := m.db.NewDelete().Model((*Session)(nil)).Where("id = ?", old.ID).Exec(c.UserContext()); err != nil {
			return fmt.Errorf("web: replace the session of %s: %w", userID, err)
		}
	}
	s := &Session{isNew: true, dirty: true, token: token.New(), UserID: &userID}
	s.ID = token.Hash(s.token)
	if old != nil {
		s.Data.Flashes = old.Data.Flashes
	}
	if isAdmin {
		s.ExpiresAt = time.Now().Add(m.sessions.AdminMaxAge)
	} else {
		s.ExpiresAt = time.Now().Add(m.sessions.IdleTimeout)
	}
	c.Locals(sessionLocal, s)
	c.Locals(userLocal, nil)
	return nil
}

// EndSession signs the user out and forgets everything about the session.
func (m *Middleware) EndSession(c *fiber.Ctx) error {
	if s := existingSession(c); s != nil && !s.isNew {
		if _, err := m.db.NewDelete().Model((*Session)(nil)).Where("id = ?", s.ID).Exec(c.UserContext()); err != nil {
			return fmt.Errorf("web: end session: %w", err)
		}
	}
	c.Locals(sessionLocal, nil)
	c.Locals(userLocal, nil)
	m.clearSessionCookie(c)
	return nil
}

func (m *Middleware) clearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: m.sessions.CookieName(), Value: "", Path: "/", Secure: m.sessions.Secure, HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Unix(0, 0), MaxAge: -1})
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

// HasSession reports whether the request carries a session (persisted, or
// created during this request).
func HasSession(c *fiber.Ctx) bool { return existingSession(c) != nil }

// SessionID is the id (token hash) of the current persisted session, or "".
func SessionID(c *fiber.Ctx) string {
	if s := existingSession(c); s != nil && !s.isNew {
		return s.ID
	}
	return ""
}

// StartImpersonation makes the admin's session act as userID until expires.
func StartImpersonation(c *fiber.Ctx, userID uuid.UUID, reason string, expires time.Time) {
	s := CurrentSession(c)
	s.ImpersonatedUserID, s.ImpersonationReason, s.ImpersonationExpiresAt = &userID, reason, &expires
	s.dirty = true
	c.Locals(userLocal, nil)
}

// StopImpersonation returns the session to the admin's own identity.
func StopImpersonation(c *fiber.Ctx) {
	s := CurrentSession(c)
	s.ImpersonatedUserID, s.ImpersonationReason, s.ImpersonationExpiresAt = nil, "", nil
	s.dirty = true
	c.Locals(userLocal, nil)
}
