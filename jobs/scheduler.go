// Package jobs runs the background jobs: a gocron v2 scheduler in every
// instance, made safe for N instances by PostgreSQL, with every run recorded
// in job_runs.
//
// # Exactly once per slot
//
// Every instance fires every schedule. Before a run, the PGLocker takes the
// job's session-level advisory lock on a pinned connection (so a job never
// overlaps itself across instances) and inserts the run's row, keyed by
// (job_name, scheduled_at) under a unique constraint. The slot is gocron's
// scheduled time: for a CronJob it is the same instant on every instance;
// for a DurationJob it is that time truncated to the interval, so instances
// started at different moments still agree. The first instance to insert the
// slot runs it, the others get ErrAlreadyRan and skip: each slot runs once,
// even when one instance fires after another has finished.
//
// A run killed mid-way (crash, OOM, lost connection) leaves a running row
// whose session, and so its lock, is gone; SweepAbandoned, at Start and every
// five minutes, records it as failed. Jobs must still be idempotent: a run can
// fail half-way and the next slot will redo the work.
//
// # Adding a job
//
// A domain exposes a plain function; app/jobs.go wires it once:
//
//	s, err := jobs.New(database, instanceID, logger)
//	s.AddPurges(database, web.PurgeJobs()...) // each package purges its own tables
//	s.Add("ticketing-sync-nightly", gocron.CronJob("0 1 * * *", false), enqueueNightly)
//	s.AddPoller("send-emails", 5*time.Second, sender.SendDue) // every instance, no record
//	s.Start()
//	defer s.Shutdown(ctx) // before closing the database
//
// The name is the lock key and the job's identity in job_runs: keep it stable.
// Cron schedules are read in Europe/Paris. A DurationJob's slots are
// intervals aligned on UTC (time.Truncate), whatever the start-up time of each
// instance; prefer CronJob for anything tied to the clock. fn receives a
// context cancelled on shutdown or when the lock is lost: return promptly.
// ScheduledAt(ctx) gives the slot, a natural idempotency key.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
)

// Scheduler is the instance's gocron scheduler with the PostgreSQL locker
// and the job_runs recorder.
type Scheduler struct {
	db        *db.DB
	log       *slog.Logger
	locker    *PGLocker
	cron      gocron.Scheduler
	heartbeat time.Duration

	mu   sync.Mutex
	jobs map[string]gocron.Job
	// fns are the scheduled jobs' functions, for the runs asked for outside
	// their schedule (Run, the job-run-requests poller).
	fns map[string]func(context.Context) error

	// stopOnce makes Shutdown idempotent; stopErr is its result.
	stopOnce sync.Once
	stopErr  error
}

// Option tunes a Scheduler.
type Option func(*Scheduler)

// WithHeartbeat sets how often a running job's pinned session is checked
// (default 15 s).
func WithHeartbeat(every time.Duration) Option {
	return func(s *Scheduler) { s.heartbeat = every }
}

// New builds the scheduler of this instance; instanceID (host or pod name)
// is recorded on the runs it makes. It registers the sweep of abandoned runs.
func New(d *db.DB, instanceID string, logger *slog.Logger, opts ...Option) (_ *Scheduler, err error) {
	defer derrors.Wrap(&err, "jobs: new scheduler %s", instanceID)
	if instanceID == "" {
		return nil, errors.New("empty instance id")
	}
	if logger == nil {
		logger = slog.Default()
	}
	s := &Scheduler{
		db:        d,
		log:       logger.With("component", "jobs", "instance", instanceID),
		locker:    NewPGLocker(d, instanceID),
		heartbeat: 15 * time.Second,
		jobs:      map[string]gocron.Job{},
		fns:       map[string]func(context.Context) error{},
	}
	for _, opt := range opts {
		opt(s)
	}
	s.locker.slot = s.slotOf
	s.cron, err = gocron.NewScheduler(
		gocron.WithLocation(locale.Paris),
		gocron.WithLogger(s.log),
		gocron.WithDistributedLocker(s.locker),
		// Shutdown's context is the real bound; this only keeps gocron from
		// giving up on running jobs before it.
		gocron.WithStopTimeout(time.Hour),
	)
	if err != nil {
		return nil, err
	}
	err = s.Add("sweep-abandoned-runs", gocron.CronJob("*/5 * * * *", false), func(ctx context.Context) error {
		return s.sweep(ctx)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Add registers fn under name, run on def's schedule by exactly one instance
// per slot, never overlapping itself. opts are extra gocron job options.
func (s *Scheduler) Add(name string, def gocron.JobDefinition, fn func(ctx context.Context) error, opts ...gocron.JobOption) (err error) {
	defer derrors.Wrap(&err, "jobs: add %s", name)
	err = s.register(name, def, s.task(name, fn), append([]gocron.JobOption{
		gocron.WithEventListeners(gocron.AfterLockError(s.lockError)),
	}, opts...)...)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.fns[name] = fn
	s.mu.Unlock()
	return nil
}

// AddPoller registers fn to run every interval on EVERY instance, without a
// lock and without a job_runs row: for workers that claim their own work with
// FOR UPDATE SKIP LOCKED (outbox, synchronization queue), where running
// everywhere is the point and a row every few seconds would only bury the
// runs worth reading. Errors are logged, panics recovered.
func (s *Scheduler) AddPoller(name string, every time.Duration, fn func(ctx context.Context) error) (err error) {
	defer derrors.Wrap(&err, "jobs: add the poller %s", name)
	return s.register(name, gocron.DurationJob(every), func(ctx context.Context) error {
		err := call(ctx, fn)
		switch {
		case err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled):
			// The shutdown cancelled the tick: each poller leaves its
			// work to be resumed (transmissions requeue themselves).
			s.log.Info("poller stopped by the shutdown", "job", name)
			return nil
		case err != nil:
			s.log.Error("poller failed", "job", name, "err", err)
		}
		return err
	}, gocron.WithDisabledDistributedJobLocker(true))
}

// register adds a job that never overlaps itself under a unique name.
func (s *Scheduler) register(name string, def gocron.JobDefinition, task func(context.Context) error, opts ...gocron.JobOption) error {
	if name == "" {
		return errors.New("jobs: empty job name")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.jobs[name]; dup {
		// Two jobs under one name would share a lock and their slots.
		return fmt.Errorf("jobs: job %q already registered", name)
	}
	opts = append([]gocron.JobOption{gocron.WithName(name), gocron.WithSingletonMode(gocron.LimitModeReschedule)}, opts...)
	j, err := s.cron.NewJob(def, gocron.NewTask(task), opts...)
	if err != nil {
		return fmt.Errorf("jobs: add %s: %w", name, err)
	}
	s.jobs[name] = j
	return nil
}

// task wraps fn into the function gocron calls after a successful Lock.
func (s *Scheduler) task(name string, fn func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		k := s.locker.take(name)
		if k == nil {
			// gocron calls Lock before every run: this is a bug, not a skip.
			err := fmt.Errorf("jobs: %s started without its lock", name)
			s.log.Error("job not run", "job", name, "err", err)
			return err
		}
		err := k.run(ctx, fn, s.heartbeat)
		if err != nil {
			s.log.Error("job failed", "job", name, "run", k.runID, "slot", k.slot, "err", err)
		} else {
			s.log.Debug("job done", "job", name, "run", k.runID, "slot", k.slot)
		}
		return err
	}
}

// lockError logs why a run was skipped: losing the race to another instance
// is the normal case in a cluster; anything else is a database problem.
func (s *Scheduler) lockError(_ uuid.UUID, name string, err error) {
	if errors.Is(err, ErrHeldElsewhere) || errors.Is(err, ErrAlreadyRan) {
		s.log.Debug("job run elsewhere", "job", name, "reason", err)
		return
	}
	s.log.Warn("job skipped: cannot lock", "job", name, "err", err)
}

// slotOf returns the schedule slot the run of the named job now starting
// belongs to: the latest time gocron scheduled it for that is not in the
// future. gocron keeps that time among the job's next runs until the run has
// started, which is after Lock. When there is none, the run was not
// scheduled (RunNow): its slot is now.
func (s *Scheduler) slotOf(name string) time.Time {
	now := time.Now()
	s.mu.Lock()
	j := s.jobs[name]
	s.mu.Unlock()
	if j == nil {
		return now
	}
	// Several times can be pending when runs were rescheduled while the
	// previous one was still running; 8 is plenty.
	next, err := j.NextRuns(8)
	if err != nil {
		return now
	}
	var slot time.Time
	for _, t := range next {
		if !t.After(now) && t.After(slot) {
			slot = t
		}
	}
	if slot.IsZero() {
		return now
	}
	if d, ok := j.Schedule().(gocron.DurationJobSchedule); ok && d.Duration > 0 {
		// Instances started at different times fire at different offsets
		// within the interval: truncation maps each firing to the shared
		// interval-aligned slot.
		return slot.Truncate(d.Duration)
	}
	return slot
}

// sweep records abandoned runs as failed.
func (s *Scheduler) sweep(ctx context.Context) (err error) {
	defer derrors.Wrap(&err, "jobs: sweep")
	n, err := SweepAbandoned(ctx, s.db)
	if n > 0 {
		s.log.Warn("abandoned job runs recorded as failed", "count", n)
	}
	return err
}

// Start sweeps runs abandoned by a previous life of the cluster, then starts
// scheduling. It does not block.
func (s *Scheduler) Start() {
	// The database may be down at boot: the periodic sweep will catch up.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.sweep(ctx); err != nil {
		s.log.Error("sweep of abandoned runs failed", "err", err)
	}
	s.cron.Start()
}

// Shutdown stops scheduling, cancels the running jobs' contexts and waits
// for them to finish and release their locks, at most until ctx is done.
// Call it before closing the database. Later calls wait for the first one
// and return its result: gocron's own shutdown, called twice, waits for a
// stop that already happened.
func (s *Scheduler) Shutdown(ctx context.Context) error {
	s.stopOnce.Do(func() {
		if err := s.cron.ShutdownWithContext(ctx); err != nil {
			s.stopErr = fmt.Errorf("jobs: shutdown: %w", err)
		}
	})
	return s.stopErr
}

// RunNow runs the named job at once on this instance, outside its schedule
// (admin "run now"). The run is recorded like any other; it is skipped if the
// job is running somewhere at that moment.
func (s *Scheduler) RunNow(name string) error {
	s.mu.Lock()
	j := s.jobs[name]
	s.mu.Unlock()
	if j == nil {
		return fmt.Errorf("jobs: unknown job %q", name)
	}
	if err := j.RunNow(); err != nil {
		return fmt.Errorf("jobs: run %s now: %w", name, err)
	}
	return nil
}
