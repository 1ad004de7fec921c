package accounts

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/users"
)

// DeleteAccount deletes the actor's own account; their sessions, tokens and
// collaborator links go with them (ON DELETE CASCADE), their organizations
// stay (decision P7, docs/decisions.md). The audit log keeps who it was and which organizations they left.
func (s *Service) DeleteAccount(ctx context.Context, actor audit.Actor) (err error) {
	defer derrors.Wrap(&err, "accounts: delete the account of %s", actor.UserID)
	if actor.OnBehalfOf != nil || actor.UserID == uuid.Nil {
		return errors.New("accounts: an account is deleted by its owner only, never while impersonating")
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return deleteAccount(ctx, tx, actor.Entry(audit.AccountDeleted), actor.UserID, actor.Email)
	})
}

// deleteAccount deletes userID in the caller's transaction after recording e,
// an AccountDeleted entry completed here with the subject and the
// organizations they leave. Sessions, tokens and collaborator links go with
// the user (ON DELETE CASCADE), organizations stay (decision P7, docs/decisions.md). Used by the owner's
// deletion and by the retention job.
func deleteAccount(ctx context.Context, tx bun.IDB, e *audit.Entry, userID uuid.UUID, email string) (err error) {
	defer derrors.Wrap(&err, "accounts: delete %s", userID)
	var orgs []uuid.UUID
	if err := tx.NewRaw(`SELECT organization_id FROM collaborators WHERE user_id = ? ORDER BY organization_id`, userID).
		Scan(ctx, &orgs); err != nil {
		return fmt.Errorf("list organizations: %w", err)
	}
	e.SubjectUserID, e.SubjectEmail = &userID, email
	e.Details["organizations"] = orgs
	if err := audit.Record(ctx, tx, e); err != nil {
		return err
	}
	return users.Delete(ctx, tx, userID)
}
