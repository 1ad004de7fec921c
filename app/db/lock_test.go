package db_test

import (
	"context"
	"errors"
	"testing"

	"assistant-declaration/app/db"
	"assistant-declaration/app/db/dbtest"
)

func TestSessionLock(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	first, err := d.TryLock(ctx, "test:session-lock")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.TryLock(ctx, "test:session-lock"); !errors.Is(err, db.ErrLockHeld) {
		t.Fatalf("second TryLock = %v, want ErrLockHeld", err)
	}
	// Unlocking with a cancelled context still releases the lock.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := first.Unlock(cancelled); err != nil {
		t.Fatal(err)
	}
	again, err := d.TryLock(ctx, "test:session-lock")
	if err != nil {
		t.Fatalf("TryLock after Unlock: %v", err)
	}
	// An unlock that cannot be confirmed (the lock is already gone) ends the
	// session rather than returning it to the pool.
	if _, err := again.Conn.ExecContext(ctx, `SELECT pg_advisory_unlock_all()`); err != nil {
		t.Fatal(err)
	}
	if err := again.Unlock(ctx); err == nil {
		t.Error("Unlock of a lock no longer held reported success")
	}
	if err := d.Pool.Ping(ctx); err != nil {
		t.Errorf("pool unusable after a discarded connection: %v", err)
	}
}
