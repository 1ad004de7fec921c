package app

import (
	"context"
	"fmt"

	"assistant-declaration/app/accounts"
	"assistant-declaration/app/agencies"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/synchronization"
)

// seedDemo loads the idempotent demonstration data of dev mode.
func (a *App) seedDemo(ctx context.Context) (err error) {
	defer derrors.Wrap(&err, "app: seed demo data")
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
			return fmt.Errorf("demo organization of %s: %w", id, err)
		}
		system, err := synchronization.EnsureManualSystem(ctx, a.db, org.ID)
		if err != nil {
			return fmt.Errorf("demo manual ticketing system of %s: %w", org.ID, err)
		}
		if err := declarations.SeedDemo(ctx, a.db, org.ID, system); err != nil {
			return fmt.Errorf("demo declarations of organization %s: %w", org.ID, err)
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
