package accounts

import (
	"context"

	"github.com/google/uuid"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/users"
)

// UpdateProfile changes the names of a user (the email cannot change).
func (s *Service) UpdateProfile(ctx context.Context, userID uuid.UUID, f *ProfileForm) (err error) {
	defer derrors.Wrap(&err, "accounts: update the profile of %s", userID)
	return users.UpdateNames(ctx, s.db, userID, f.FirstName, f.LastName)
}

// DeadlineReminders reports whether the user gets the declaration deadline
// reminders (app/reminders).
func (s *Service) DeadlineReminders(ctx context.Context, userID uuid.UUID) (_ bool, err error) {
	defer derrors.Wrap(&err, "accounts: deadline reminders of %s", userID)
	return users.DeadlineReminders(ctx, s.db, userID)
}

// SetDeadlineReminders switches the user's declaration deadline reminders on
// or off.
func (s *Service) SetDeadlineReminders(ctx context.Context, userID uuid.UUID, on bool) (err error) {
	defer derrors.Wrap(&err, "accounts: switch the deadline reminders of %s", userID)
	return users.SetDeadlineReminders(ctx, s.db, userID, on)
}
