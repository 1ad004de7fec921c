package accounts

import (
	"context"
	"time"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/users"
)

// LockedError refuses a sign-in while the address is locked. JustLocked is
// true for the failure that caused the lock, which is audited.
type LockedError struct {
	Until      time.Time
	JustLocked bool
}

func (e *LockedError) Error() string {
	return "accounts: account locked until " + e.Until.Format(time.RFC3339)
}

// Authenticate checks credentials with the lockout rule (decision P4, docs/decisions.md): while the
// address is locked, the password is not even checked; the MaxFailedSignIns-th
// consecutive failure locks it for LockDuration; a success resets the count.
// An address without an account goes through the same statements, the same
// password hashing and the same answers, so that neither the message nor the
// time taken tells whether it has one. The user is returned (nil when there
// is none) for the audit log.
func (s *Service) Authenticate(ctx context.Context, email, password string) (_ *users.User, err error) {
	defer derrors.Wrap(&err, "accounts: authenticate %q", email)
	u, err := users.ByEmail(ctx, s.db, email)
	if err != nil {
		return nil, err
	}
	now := s.now()
	lockedUntil, err := users.SignInLock(ctx, s.db, email, now)
	if err != nil {
		return nil, err
	}
	if lockedUntil != nil {
		return u, &LockedError{Until: *lockedUntil}
	}
	var hash string
	if u != nil {
		hash = u.PasswordHash
	}
	if !CheckPassword(password, hash) || u == nil {
		return u, s.recordFailure(ctx, email, now)
	}
	if err := users.Unlock(ctx, s.db, u.ID); err != nil {
		return nil, err
	}
	return s.signedIn(ctx, u)
}

// recordFailure counts a failed password for email and locks the address on
// the last allowed one.
func (s *Service) recordFailure(ctx context.Context, email string, now time.Time) (err error) {
	defer derrors.Wrap(&err, "accounts: record a failed sign-in of %q", email)
	lockedUntil, err := users.RecordSignInFailure(ctx, s.db, email, MaxFailedSignIns, now.Add(LockDuration))
	if err != nil {
		return err
	}
	if lockedUntil != nil {
		return &LockedError{Until: *lockedUntil, JustLocked: true}
	}
	return ErrBadCredentials
}

// signedIn ends a successful sign-in: an account that is not confirmed is
// refused (ErrNotConfirmed, with the account for the audit log); a confirmed
// one has its activity recorded and a pending retention warning cancelled,
// since the email promises that signing in keeps the account. The session
// middleware records later activity, but only once a session is a minute
// old, which a quick sign-in may never reach.
func (s *Service) signedIn(ctx context.Context, u *users.User) (_ *users.User, err error) {
	defer derrors.Wrap(&err, "accounts: sign in %s", u.ID)
	if u.Status != users.StatusConfirmed {
		return u, ErrNotConfirmed
	}
	if err := users.RecordActivity(ctx, s.db, u.ID); err != nil {
		return nil, err
	}
	return u, nil
}
