package db

import (
	"context"
	"fmt"

	"github.com/uptrace/bun/migrate"

	"assistant-declaration/app/derrors"
	"assistant-declaration/migrations"
)

// Migrate applies every pending migration. Several instances starting at once
// serialize on a session-level advisory lock held on one pinned connection:
// unlike Bun's table lock, a crash mid-way releases it with the connection.
func Migrate(ctx context.Context, d *DB) (applied []string, err error) {
	lock, err := d.Lock(ctx, "migrations")
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	defer func() { _ = lock.Unlock(ctx) }()

	m := migrate.NewMigrator(d.DB, migrations.Migrations, migrate.WithMarkAppliedOnSuccess(true))
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("migrate: init: %w", err)
	}
	group, err := m.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	for _, mig := range group.Migrations {
		applied = append(applied, mig.Name)
	}
	return applied, nil
}

// PendingMigrations counts migrations not yet applied; /readyz uses it.
func PendingMigrations(ctx context.Context, d *DB) (_ int, err error) {
	defer derrors.Wrap(&err, "db: count pending migrations")
	m := migrate.NewMigrator(d.DB, migrations.Migrations)
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return 0, err
	}
	return len(ms.Unapplied()), nil
}
