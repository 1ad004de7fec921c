package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/users"
)

// FreshProConnect is how long a ProConnect authentication proves the owner's
// presence for deleting an account without a password (decision P7, docs/decisions.md).
const FreshProConnect = 10 * time.Minute

// ErrProConnectRequired refuses to delete an account without a password
// until its owner has signed in with ProConnect again.
var ErrProConnectRequired = derrors.New(derrors.ErrForbidden, "accounts.delete.proConnectRequired")

// DeletionProof is what the owner gives, when deleting their account, to
// prove it is them and not someone at an unlocked screen or holding a stolen
// session: their password, or a ProConnect authentication of this session
// (ProConnectAt, zero when there was none).
type DeletionProof struct {
	Password     string
	ProConnectAt time.Time
}

// DeleteAccount deletes the actor's own account once proof holds; their
// sessions, tokens and collaborator links go with them (ON DELETE CASCADE),
// their organizations stay (decision P7, docs/decisions.md). The audit log
// keeps who it was and which organizations they left. A ProConnect
// authentication less than FreshProConnect old is proof enough; otherwise an
// account with a password needs it (a wrong one is a field error, and nothing
// is deleted), and one without is refused with ErrProConnectRequired.
func (s *Service) DeleteAccount(ctx context.Context, actor audit.Actor, proof DeletionProof) (err error) {
	defer derrors.Wrap(&err, "accounts: delete the account of %s", actor.UserID)
	if actor.OnBehalfOf != nil || actor.UserID == uuid.Nil {
		return errors.New("accounts: an account is deleted by its owner only, never while impersonating")
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := users.ByID(ctx, tx, actor.UserID)
		if err != nil {
			return err
		}
		if u == nil {
			return derrors.ErrNotFound
		}
		if err := s.checkDeletionProof(u, proof); err != nil {
			return err
		}
		return deleteAccount(ctx, tx, actor.Entry(audit.AccountDeleted), actor.UserID, actor.Email)
	})
}

// ProConnectFresh tells whether a ProConnect authentication at at (zero for
// none) is recent enough to prove the owner's presence on its own.
func (s *Service) ProConnectFresh(at time.Time) bool {
	return !at.IsZero() && s.now().Sub(at) < FreshProConnect
}

// checkDeletionProof applies DeleteAccount's rule of proof to u.
func (s *Service) checkDeletionProof(u *users.User, proof DeletionProof) error {
	if s.ProConnectFresh(proof.ProConnectAt) {
		return nil
	}
	if u.PasswordHash == "" {
		return ErrProConnectRequired
	}
	errs := derrors.Fields{}
	switch {
	case proof.Password == "":
		errs.Add("password", errRequired)
	case !CheckPassword(proof.Password, u.PasswordHash):
		errs.Add("password", "accounts.delete.wrongPassword")
	}
	return errs.Err()
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
