package web

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/token"
)

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
