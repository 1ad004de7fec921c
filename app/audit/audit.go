// Package audit writes the append-only audit log (decision P9, docs/decisions.md) and reads it
// back for the admin screen.
package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Actions recorded in the log.
const (
	SignIn              = "sign_in"
	SignInFailed        = "sign_in_failed"
	SignOut             = "sign_out"
	AccountLocked       = "account_locked"
	ImpersonationStart  = "impersonation_start"
	ImpersonationStop   = "impersonation_stop"
	ImpersonationExpire = "impersonation_expired"
	ImpersonatedRequest = "impersonated_request"
	UserDisabled        = "user_disabled"
	UserEnabled         = "user_enabled"
	AccountDeleted      = "account_deleted"
)

// Actions lists the actions above, for the admin's audit log filter.
var Actions = []string{SignIn, SignInFailed, SignOut, AccountLocked, ImpersonationStart, ImpersonationStop,
	ImpersonationExpire, ImpersonatedRequest, UserDisabled, UserEnabled, AccountDeleted}

// Entry is one line of the audit log. Actor is who acted (the admin while
// impersonating); Subject is whom it concerned (the impersonated user).
type Entry struct {
	bun.BaseModel `bun:"table:audit_log"`

	ID             int64          `bun:"id,pk,autoincrement"`
	OccurredAt     time.Time      `bun:"occurred_at,nullzero,default:now()"`
	Action         string         `bun:"action"`
	ActorUserID    *uuid.UUID     `bun:"actor_user_id"`
	ActorEmail     string         `bun:"actor_email,nullzero"`
	SubjectUserID  *uuid.UUID     `bun:"subject_user_id"`
	SubjectEmail   string         `bun:"subject_email,nullzero"`
	OrganizationID *uuid.UUID     `bun:"organization_id"`
	RequestID      string         `bun:"request_id,nullzero"`
	IP             string         `bun:"ip,nullzero"`
	Method         string         `bun:"method,nullzero"`
	Path           string         `bun:"path,nullzero"`
	Details        map[string]any `bun:"details,type:jsonb,nullzero"`
}

// Record appends an entry, inside the caller's transaction when given one.
func Record(ctx context.Context, db bun.IDB, e *Entry) error {
	if e.Details == nil {
		e.Details = map[string]any{}
	}
	if _, err := db.NewInsert().Model(e).ExcludeColumn("id", "occurred_at").Exec(ctx); err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

// Actor is who performs an action: the person at the keyboard (the admin
// while impersonating) and, then, the user they act as. Domain functions take
// it from the HTTP layer (web.AuditActor) so every entry names both.
type Actor struct {
	UserID          uuid.UUID
	Email           string
	OnBehalfOf      *uuid.UUID // the impersonated user, if any
	OnBehalfOfEmail string
	RequestID       string
	IP              string
}

// Entry starts an entry of action by a. When a acts on behalf of someone and
// the caller sets no other subject, that user is the subject.
func (a Actor) Entry(action string) *Entry {
	e := &Entry{Action: action, RequestID: a.RequestID, IP: a.IP, Details: map[string]any{}}
	if a.UserID != uuid.Nil {
		id := a.UserID
		e.ActorUserID, e.ActorEmail = &id, a.Email
	}
	if a.OnBehalfOf != nil {
		e.SubjectUserID, e.SubjectEmail = a.OnBehalfOf, a.OnBehalfOfEmail
		e.Details["on_behalf_of"] = a.OnBehalfOfEmail
	}
	return e
}
