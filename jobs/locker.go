package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"

	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
)

var (
	// ErrHeldElsewhere is returned by Lock when another session, usually
	// another instance, is running the job right now.
	ErrHeldElsewhere = errors.New("jobs: lock held by another instance")
	// ErrAlreadyRan is returned by Lock when the slot the run belongs to was
	// already claimed: another instance fired the same schedule a moment
	// earlier (schedule splay) and has run, or is running, it.
	ErrAlreadyRan = errors.New("jobs: slot already ran")
	// ErrSessionLost cancels a running job whose pinned database session died:
	// its advisory lock is gone, so another instance may start the job.
	ErrSessionLost = errors.New("jobs: database session holding the job lock was lost")
)

// recordTimeout bounds the SQL recording a run once it ends,
// which must not hang a shutdown on an unreachable database.
const recordTimeout = 5 * time.Second

// PGLocker is gocron's distributed Locker on PostgreSQL session-level
// advisory locks. Each Lock pins one connection for the whole run: a session
// lock belongs to a connection, so lock and unlock must run on the same one,
// and if the process dies the server ends the session and frees the lock.
//
// Lock also claims the run's slot in job_runs (unique per job and slot) on
// that connection, which absorbs schedule splay: an instance firing the same
// slot after the winner released the lock finds the slot taken.
type PGLocker struct {
	db         *db.DB
	instanceID string
	// slot gives the scheduled time the run about to start belongs to; the
	// Scheduler reads it from gocron, a bare locker uses the current time.
	slot func(name string) time.Time

	mu sync.Mutex
	// claims hands the lock of a run to the task gocron calls right after
	// Lock, on the same goroutine; singleton mode keeps one run per job.
	claims map[string]*pgLock
}

// NewPGLocker returns a locker recording runs under instanceID.
func NewPGLocker(d *db.DB, instanceID string) *PGLocker {
	return &PGLocker{
		db:         d,
		instanceID: instanceID,
		slot:       func(string) time.Time { return time.Now() },
		claims:     map[string]*pgLock{},
	}
}

// lockKey namespaces job locks so they cannot collide with other advisory
// lock users (the migration runner locks 'migrations').
func lockKey(name string) string { return "job:" + name }

// Lock takes the job's advisory lock without waiting and claims the run's
// slot in job_runs as a running row. It fails with ErrHeldElsewhere or
// ErrAlreadyRan when another instance has the run; gocron then skips it.
func (l *PGLocker) Lock(ctx context.Context, name string) (gocron.Lock, error) {
	k, err := l.lockSlot(ctx, name, l.slot(name))
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.claims[name] = k
	l.mu.Unlock()
	return k, nil
}

// lockSlot takes the job's advisory lock without waiting and claims slot in
// job_runs as a running row.
func (l *PGLocker) lockSlot(ctx context.Context, name string, slot time.Time) (*pgLock, error) {
	lock, err := l.db.TryLock(ctx, lockKey(name))
	if errors.Is(err, db.ErrLockHeld) {
		return nil, ErrHeldElsewhere
	}
	if err != nil {
		return nil, fmt.Errorf("jobs: lock %s: %w", name, err)
	}
	conn := lock.Conn
	k := &pgLock{l: l, lock: lock, conn: conn, name: name, slot: slot.Truncate(time.Microsecond)}
	err = conn.QueryRowContext(ctx, `
		INSERT INTO job_runs (job_name, scheduled_at, instance_id, backend_pid)
		VALUES ($1, $2, $3, pg_backend_pid())
		ON CONFLICT (job_name, scheduled_at) DO NOTHING
		RETURNING id`, name, k.slot, l.instanceID).Scan(&k.runID)
	if err != nil {
		_ = k.release(ctx) // the insert's error is the one returned; release closes the connection whatever happens
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrAlreadyRan
		}
		return nil, fmt.Errorf("jobs: claim %s: %w", name, err)
	}
	return k, nil
}

// take returns the lock Lock just took for the job, for its run to record
// into; nil if there is none.
func (l *PGLocker) take(name string) *pgLock {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := l.claims[name]
	delete(l.claims, name)
	return k
}

// pgLock is one held job lock and the job_runs row it claimed.
type pgLock struct {
	l     *PGLocker
	lock  *db.SessionLock
	conn  *sql.Conn // lock.Conn, where the run is recorded
	name  string
	slot  time.Time
	runID int64
}

// Unlock releases the lock. gocron passes the job's context, which is
// cancelled on shutdown, exactly when the unlock matters most: release does
// not inherit the cancellation.
func (k *pgLock) Unlock(ctx context.Context) (err error) {
	defer derrors.Wrap(&err, "jobs: unlock %q", k.name)
	k.l.mu.Lock()
	if k.l.claims[k.name] == k {
		delete(k.l.claims, k.name)
	}
	k.l.mu.Unlock()
	return k.release(ctx)
}

// release unlocks and returns the pinned connection to the pool (or closes
// it when the unlock cannot be confirmed, see db.SessionLock.Unlock).
func (k *pgLock) release(ctx context.Context) error {
	if err := k.lock.Unlock(ctx); err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	return nil
}
