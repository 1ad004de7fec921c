package jobs

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// Run statuses recorded in job_runs.
const (
	StatusRunning = "running"
	StatusSuccess = "success"
	StatusFailed  = "failed"
)

// abandonedError is recorded on runs whose instance died mid-way.
const abandonedError = "abandoned: instance stopped mid-run"

// Run is one row of job_runs.
type Run struct {
	bun.BaseModel `bun:"table:job_runs"`

	ID          int64     `bun:",pk"`
	JobName     string    `bun:",notnull"`
	ScheduledAt time.Time `bun:",notnull"`
	StartedAt   time.Time `bun:",notnull"`
	FinishedAt  bun.NullTime
	Status      string `bun:",notnull"`
	Error       string `bun:",nullzero"`
	InstanceID  string `bun:",notnull"`
	BackendPID  int32  `bun:",nullzero"`
	DurationMS  int64  `bun:",nullzero"`
}

// Duration is how long the run took (zero while running).

type runKey struct{}

// ScheduledAt returns the schedule slot of the run ctx belongs to (the start
// time of a manual run), or the zero time outside a job. Jobs use it to make
// their side effects idempotent per slot.
func ScheduledAt(ctx context.Context) time.Time {
	t, _ := ctx.Value(runKey{}).(time.Time)
	return t
}

// run executes fn as the run k claimed: panics become errors, a heartbeat on
// the pinned session cancels fn if the lock is lost, and the outcome is
// recorded on the run's row.
func (k *pgLock) run(ctx context.Context, fn func(context.Context) error, heartbeat time.Duration) error {
	ctx, cancel := context.WithCancelCause(context.WithValue(ctx, runKey{}, k.slot))
	defer cancel(nil)
	stop := k.watch(ctx, cancel, heartbeat)
	err := call(ctx, fn)
	stop()
	if cause := context.Cause(ctx); err != nil && errors.Is(cause, ErrSessionLost) {
		err = fmt.Errorf("%w: %w", cause, err)
	}
	return errors.Join(err, k.finish(ctx, err))
}

// call runs fn, turning a panic into an error so that the run is recorded as
// failed and the scheduler keeps going.
func call(ctx context.Context, fn func(context.Context) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return fn(ctx)
}

// watch pings the pinned session every interval while the job runs. The
// lock lives as long as that session: once it is gone another instance may
// start the job, so this one is told to stop.
func (k *pgLock) watch(ctx context.Context, cancel context.CancelCauseFunc, every time.Duration) (stop func()) {
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				pctx, pcancel := context.WithTimeout(ctx, every)
				err := k.conn.PingContext(pctx)
				pcancel()
				if err != nil && ctx.Err() == nil {
					cancel(fmt.Errorf("%w (%v)", ErrSessionLost, err))
					return
				}
			}
		}
	}()
	// The connection is used again after fn returns: wait for the last ping.
	return func() { close(done); <-exited }
}

const finishSQL = `
	UPDATE job_runs SET status = $2, error = $3, finished_at = now(),
		duration_ms = round(extract(epoch FROM now() - started_at) * 1000)
	WHERE id = $1`

// finish records the outcome of the run. It goes through the pinned session
// so the row is final before the lock is released, and falls back on the pool
// when that session is the thing that failed.
func (k *pgLock) finish(ctx context.Context, runErr error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	status, msg := StatusSuccess, any(nil)
	if runErr != nil {
		status, msg = StatusFailed, runErr.Error()
	}
	if _, err := k.conn.ExecContext(ctx, finishSQL, k.runID, status, msg); err == nil {
		return nil
	}
	if _, err := k.l.db.DB.DB.ExecContext(ctx, finishSQL, k.runID, status, msg); err != nil {
		return fmt.Errorf("jobs: record run %d of %s: %w", k.runID, k.name, err)
	}
	return nil
}

// SweepAbandoned marks as failed the running rows whose session no longer
// holds the job's advisory lock: the instance was killed, or lost its
// database connection, mid-run. Such a run is recorded, not lost. It returns
// the number of runs marked.
//
// pg_locks shows a bigint advisory key split in two oids (classid: high 32
// bits, objid: low 32 bits, objsubid = 1); advisory locks are per database.
func SweepAbandoned(ctx context.Context, idb bun.IDB) (_ int64, err error) {
	defer derrors.Wrap(&err, "jobs: sweep abandoned runs")
	res, err := idb.NewRaw(`
		UPDATE job_runs r SET status = ?, error = ?, finished_at = now(),
			duration_ms = round(extract(epoch FROM now() - r.started_at) * 1000)
		WHERE r.status = ? AND NOT EXISTS (
			SELECT 1 FROM pg_locks l
			WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
			  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			  AND l.pid = r.backend_pid
			  AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended('job:' || r.job_name, 0))`,
		StatusFailed, abandonedError, StatusRunning).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// PurgeRuns deletes the runs started before the given time.
func PurgeRuns(ctx context.Context, idb bun.IDB, before time.Time) (_ int64, err error) {
	defer derrors.Wrap(&err, "jobs: purge runs before %s", before)
	res, err := idb.NewDelete().Model((*Run)(nil)).Where("started_at < ?", before).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
