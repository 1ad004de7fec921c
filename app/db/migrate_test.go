package db_test

import (
	"context"
	"testing"

	"assistant-declaration/app/db"
	"assistant-declaration/app/db/dbtest"
)

func TestMigrationsApplyAndNothingRemainsPending(t *testing.T) {
	d := dbtest.Open(t)
	n, err := db.PendingMigrations(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("pending migrations = %d, want 0", n)
	}
	// Running again is a no-op and must not block on the advisory lock.
	applied, err := db.Migrate(context.Background(), d)
	if err != nil || len(applied) != 0 {
		t.Fatalf("second Migrate: applied=%v err=%v", applied, err)
	}
}
