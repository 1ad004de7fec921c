package app

import (
	"context"

	"assistant-declaration/app/accounts"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/organizations"
)

// seedDemo loads the idempotent demonstration data of dev mode.
func (a *App) seedDemo(ctx context.Context) error {
	// Accounts: a confirmed admin and a confirmed entrepreneur with known
	// passwords, logged so developers can sign in (never in production).
	// SeedDemoUsers returns their ids by email: the demo organization, added
	// below, attaches "entrepreneur@domain.demo" as its collaborator.
	ids, err := a.accounts.Service().SeedDemoUsers(ctx)
	if err != nil {
		return err
	}
	if id, ok := ids["entrepreneur@domain.demo"]; ok {
		org, err := organizations.SeedDemo(ctx, a.db, id)
		if err != nil {
			return err
		}
		if err := declarations.SeedDemo(ctx, a.db, org.ID); err != nil {
			return err
		}
	}
	// Demo data is refused in production (config), so these are not secrets.
	for _, u := range accounts.DemoUsers {
		a.logger.Info("demo account", "email", u.Email, "password", u.Password, "admin", u.Admin)
	}
	return nil
}
