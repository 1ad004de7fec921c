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
