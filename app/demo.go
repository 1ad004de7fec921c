package app

import (
	"context"
	"fmt"

	"assistant-declaration/app/accounts"
	"assistant-declaration/app/agencies"
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
		if _, err := organizations.SeedDemo(ctx, a.db, id); err != nil {
			return fmt.Errorf("demo organization of %s: %w", id, err)
		}
	}
	if err := agencies.SeedDemo(ctx, a.db); err != nil {
		return err
	}
	// Demo data is refused in production (config), so these are not secrets.
	for _, u := range accounts.DemoUsers {
		a.logger.Info("demo account", "email", u.Email, "password", u.Password, "admin", u.Admin)
	}
	return nil
}
