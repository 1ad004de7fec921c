package accounts

import (
	"context"

	"github.com/google/uuid"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/users"
)

// DemoUser is a demonstration account with its known password.
type DemoUser struct {
	Email, FirstName, LastName, Password string
	Admin                                bool
}

// DemoUsers are the accounts of dev mode's demonstration data.
var DemoUsers = []DemoUser{
	{Email: "admin@domain.demo", FirstName: "Alice", LastName: "Admin", Password: "Demo-Admin-2026!", Admin: true},
	{Email: "entrepreneur@domain.demo", FirstName: "Étienne", LastName: "Entrepreneur", Password: "Demo-Entrepreneur-2026!"},
}

// SeedDemoUsers creates the missing demonstration accounts (idempotent) and
// returns their ids by email.
func (s *Service) SeedDemoUsers(ctx context.Context) (_ map[string]uuid.UUID, err error) {
	defer derrors.Wrap(&err, "accounts: seed the demonstration users")
	ids := map[string]uuid.UUID{}
	for _, d := range DemoUsers {
		u, err := users.ByEmail(ctx, s.db, d.Email)
		if err != nil {
			return nil, err
		}
		if u != nil {
			ids[d.Email] = u.ID
			continue
		}
		if ids[d.Email], err = createConfirmed(ctx, s.db, d.Email, d.FirstName, d.LastName, d.Password, d.Admin); err != nil {
			return nil, err
		}
	}
	return ids, nil
}
