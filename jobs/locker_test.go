package jobs

import (
	"context"
	"errors"
	"testing"
	"time"

	"assistant-declaration/app/db"
	"assistant-declaration/app/db/dbtest"
)

func TestLockExcludesOtherInstancesUntilUnlock(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	name := jobName(t)
	a, b := NewPGLocker(d, "a"), NewPGLocker(openPool(t), "b")

	k, err := a.Lock(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Lock(context.Background(), name); !errors.Is(err, ErrHeldElsewhere) {
		t.Fatalf("second Lock = %v, want ErrHeldElsewhere", err)
	}

	// gocron unlocks with the job's context, already cancelled on shutdown.
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if err := k.Unlock(cancelled); err != nil {
		t.Fatalf("Unlock with a cancelled context: %v", err)
	}
	k2, err := b.Lock(context.Background(), name)
	if err != nil {
		t.Fatalf("Lock after Unlock: %v", err)
	}
	if err := k2.Unlock(context.Background()); err != nil {
		t.Fatal(err)
	}

	runs := runsOf(t, d, name)
	if len(runs) != 2 || runs[0].InstanceID != "a" || runs[1].InstanceID != "b" {
		t.Fatalf("runs = %+v, want a row claimed by a then one by b", runs)
	}
}

func TestLockFreedWhenSessionDies(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	name := jobName(t)
	a, b := NewPGLocker(openPool(t), "a"), NewPGLocker(d, "b")

	k, err := a.Lock(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	terminate(t, d, runsOf(t, d, name)[0].BackendPID)
	waitFor(t, 5*time.Second, "the lock to be free", func() bool {
		k2, err := b.Lock(context.Background(), name)
		if err != nil {
			return false
		}
		return k2.Unlock(context.Background()) == nil
	})
	// The dead session cannot confirm the unlock: it reports it.
	if err := k.Unlock(context.Background()); err == nil {
		t.Fatal("Unlock on a killed session succeeded")
	}
}

func TestDiscardEndsTheSession(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	name := jobName(t)
	pool := openPool(t)
	a, b := NewPGLocker(pool, "a"), NewPGLocker(d, "b")

	k, err := a.Lock(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	// An Unlock that fails must not hand the session, lock included, back
	// to the pool: discard closes the physical connection.
	db.DiscardConn(context.Background(), k.(*pgLock).conn)
	// The server ends the session asynchronously after the socket closes.
	waitFor(t, 5*time.Second, "the discarded session to end", func() bool {
		k2, err := b.Lock(context.Background(), name)
		if err != nil {
			return false
		}
		return k2.Unlock(context.Background()) == nil
	})
	if err := pool.Ping(); err != nil {
		t.Fatalf("pool unusable after discard: %v", err)
	}
}

func TestLockRefusesAClaimedSlot(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	name := jobName(t)
	slot := time.Date(2026, 11, 21, 3, 30, 0, 0, time.UTC)
	a, b := NewPGLocker(d, "a"), NewPGLocker(openPool(t), "b")
	a.slot = func(string) time.Time { return slot }
	b.slot = a.slot

	k, err := a.Lock(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Unlock(context.Background()); err != nil {
		t.Fatal(err)
	}
	// b fires the same slot late, after a released the lock (splay).
	if _, err := b.Lock(context.Background(), name); !errors.Is(err, ErrAlreadyRan) {
		t.Fatalf("Lock of a claimed slot = %v, want ErrAlreadyRan", err)
	}
	// The refused Lock released the advisory lock it had taken.
	b.slot = func(string) time.Time { return slot.Add(time.Minute) }
	k, err = b.Lock(context.Background(), name)
	if err != nil {
		t.Fatalf("Lock of the next slot: %v", err)
	}
	if err := k.Unlock(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestRunKilledMidWayIsRecordedAsFailed(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	ctx := context.Background()
	live, dead := jobName(t), jobName(t)+"-dead"
	l := NewPGLocker(openPool(t), "doomed")

	kLive, err := l.Lock(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = kLive.Unlock(ctx) }()
	kDead, err := l.Lock(ctx, dead)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SweepAbandoned(ctx, d); err != nil {
		t.Fatal(err)
	}
	if s := runsOf(t, d, dead)[0].Status; s != StatusRunning {
		t.Fatalf("run whose lock is held swept: status %s", s)
	}

	// The instance dies mid-run: its session ends, the row stays running.
	terminate(t, d, runsOf(t, d, dead)[0].BackendPID)
	waitFor(t, 5*time.Second, "the sweep to record the dead run", func() bool {
		if _, err := SweepAbandoned(ctx, d); err != nil {
			t.Fatal(err)
		}
		return runsOf(t, d, dead)[0].Status != StatusRunning
	})
	r := runsOf(t, d, dead)[0]
	if r.Status != StatusFailed || r.Error != abandonedError || r.FinishedAt.IsZero() {
		t.Fatalf("dead run = %+v, want failed/%q with finished_at", r, abandonedError)
	}
	if s := runsOf(t, d, live)[0].Status; s != StatusRunning {
		t.Fatalf("live run swept along: status %s", s)
	}
	_ = kDead.Unlock(ctx)
}
