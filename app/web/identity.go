package web

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/users"
)

// Identity is who the request acts as. While an admin impersonates someone,
// User is the impersonated user and Impersonator the admin.
type Identity struct {
	User         *users.User
	Impersonator *users.User
	Reason       string
	Until        time.Time
	// Memberships are the organizations User collaborates in, by name, read
	// with the session: the collaborator guard checks them and the header's
	// switcher lists them without a statement of their own.
	Memberships []Membership
}

// Membership names an organization a user collaborates in (decision P15,
// docs/decisions.md).
type Membership struct {
	ID         uuid.UUID `json:"id"`
	Name       string    `json:"name"`
	OfficialID string    `json:"official_id"` // SIREN
}

// Membership is the user's membership of the organization id, if they are
// one of its collaborators.
func (id *Identity) Membership(orgID uuid.UUID) (Membership, bool) {
	for _, m := range id.Memberships {
		if m.ID == orgID {
			return m, true
		}
	}
	return Membership{}, false
}

// Impersonating reports whether an admin acts as another user.
func (id *Identity) Impersonating() bool { return id != nil && id.Impersonator != nil }

const userLocal = "web.identity"

// CurrentIdentity returns the request's identity, or nil when anonymous.
func CurrentIdentity(c *fiber.Ctx) *Identity {
	id, _ := c.Locals(userLocal).(*Identity)
	return id
}

// CurrentUser returns the user the request acts as, or nil.
func CurrentUser(c *fiber.Ctx) *users.User {
	if id := CurrentIdentity(c); id != nil {
		return id.User
	}
	return nil
}

// RealUser is the person actually at the keyboard (the admin while impersonating).
func RealUser(c *fiber.Ctx) *users.User {
	id := CurrentIdentity(c)
	if id == nil {
		return nil
	}
	if id.Impersonator != nil {
		return id.Impersonator
	}
	return id.User
}

// AuditActor is who the request acts as, for the audit log: the real user
// (the admin while impersonating) and the user acted for.
func AuditActor(c *fiber.Ctx) audit.Actor {
	a := audit.Actor{RequestID: RequestID(c), IP: c.IP()}
	id := CurrentIdentity(c)
	if id == nil {
		return a
	}
	real := RealUser(c)
	a.UserID, a.Email = real.ID, real.Email
	if id.Impersonating() {
		a.OnBehalfOf, a.OnBehalfOfEmail = &id.User.ID, id.User.Email
	}
	return a
}

// loadIdentity resolves the session's user(s). A disabled or deleted user, or
// an expired impersonation, is dealt with here so no handler has to.
func (m *Middleware) loadIdentity(c *fiber.Ctx, s *Session) error {
	if s == nil || s.UserID == nil {
		return nil
	}
	ctx := c.UserContext()
	real := s.User
	if real == nil || real.Status != users.StatusConfirmed {
		return m.EndSession(c)
	}
	id := &Identity{User: real, Memberships: s.userMemberships}
	if s.ImpersonatedUserID != nil {
		target := s.ImpersonatedUser
		expired := s.ImpersonationExpiresAt == nil || time.Now().After(*s.ImpersonationExpiresAt)
		if !real.IsAdmin || target == nil || expired {
			if target != nil {
				err := audit.Record(ctx, m.db, &audit.Entry{Action: audit.ImpersonationExpire, ActorUserID: &real.ID, ActorEmail: real.Email,
					SubjectUserID: &target.ID, SubjectEmail: target.Email, RequestID: RequestID(c), IP: c.IP()})
				if err != nil {
					return fmt.Errorf("web: audit the end of %s impersonating %s: %w", real.ID, target.ID, err)
				}
			}
			StopImpersonation(c)
			AddFlash(c, "info", "impersonation.expired")
		} else {
			id = &Identity{User: target, Impersonator: real, Reason: s.ImpersonationReason, Until: *s.ImpersonationExpiresAt,
				Memberships: s.impersonatedMemberships}
		}
	}
	c.Locals(userLocal, id)
	return m.touch(ctx, s, real)
}

// touch records activity at most once a minute per session: enough for "last
// activity" and the idle timeout, without a write on every request.
func (m *Middleware) touch(ctx context.Context, s *Session, u *users.User) (err error) {
	defer derrors.Wrap(&err, "web: touch the session of %s", u.ID)
	now := time.Now()
	if now.Sub(s.LastSeenAt) < time.Minute {
		return nil
	}
	q := m.db.NewUpdate().Model(s).Set("last_seen_at = now()").WherePK()
	if !u.IsAdmin {
		s.ExpiresAt = now.Add(m.sessions.IdleTimeout)
		q = q.Set("expires_at = ?", s.ExpiresAt)
	}
	if _, err := q.Exec(ctx); err != nil {
		return err
	}
	s.LastSeenAt = now
	// Activity also cancels a pending retention warning (decision P14, docs/decisions.md).
	return users.RecordActivity(ctx, m.db, u.ID)
}

// RequireUser lets signed-in users through and sends others to sign in,
// remembering where they were going.
func RequireUser(c *fiber.Ctx) error {
	if CurrentUser(c) == nil {
		back := c.OriginalURL()
		if IsHTMX(c) {
			// The request is a fragment's; come back to the page showing it.
			back = paths.To.Home()
			if u, err := url.Parse(c.Get("HX-Current-URL")); err == nil {
				back = SafeRedirectPath(u.RequestURI(), paths.To.Home())
			}
		}
		target := paths.To.SignInThenBack(back)
		if IsHTMX(c) {
			c.Set("HX-Redirect", target)
			return c.SendStatus(fiber.StatusUnauthorized)
		}
		return c.Redirect(target, fiber.StatusSeeOther)
	}
	return c.Next()
}

// RequireAdmin lets only admins acting as themselves through; to everybody
// else the back office does not exist (404).
func RequireAdmin(c *fiber.Ctx) error {
	id := CurrentIdentity(c)
	if id == nil {
		return RequireUser(c)
	}
	if !id.User.IsAdmin || id.Impersonating() {
		return ErrNotFound
	}
	return c.Next()
}

// ErrRefusedWhileImpersonating answers actions support agents may not take in
// someone else's name (decision P9, docs/decisions.md).
var ErrRefusedWhileImpersonating = NewError(fiber.StatusForbidden, "impersonation.refused")

// RefuseWhileImpersonating guards password/email changes, account deletion and
// declaration transmission.
func RefuseWhileImpersonating(c *fiber.Ctx) error {
	if CurrentIdentity(c).Impersonating() {
		return ErrRefusedWhileImpersonating
	}
	return c.Next()
}

// auditImpersonatedRequest writes every state-changing request made while
// impersonating, after it ran, with its outcome.
func (m *Middleware) auditImpersonatedRequest(c *fiber.Ctx, handlerErr error) {
	id := CurrentIdentity(c)
	if !id.Impersonating() || c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead {
		return
	}
	status := c.Response().StatusCode()
	if handlerErr != nil {
		status = asError(handlerErr).Status
	}
	err := audit.Record(context.WithoutCancel(c.UserContext()), m.db, &audit.Entry{
		Action: audit.ImpersonatedRequest, ActorUserID: &id.Impersonator.ID, ActorEmail: id.Impersonator.Email,
		SubjectUserID: &id.User.ID, SubjectEmail: id.User.Email, RequestID: RequestID(c), IP: c.IP(),
		Method: c.Method(), Path: c.Path(), Details: map[string]any{"status": status},
	})
	if err != nil {
		m.logger.Error("audit write failed", "request_id", RequestID(c), "error", err)
	}
}
