package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-co-op/gocron/v2"

	"assistant-declaration/app/db"
	"assistant-declaration/app/db/dbtest"
)

// execution is one call of a job function, seen from the job.
type execution struct {
	instance string
	slot     time.Time
}

// recorder collects the executions of one job across instances.
type recorder struct {
	mu   sync.Mutex
	runs []execution
}

func (r *recorder) job(instance string, work time.Duration) func(context.Context) error {
	return func(ctx context.Context) error {
		r.mu.Lock()
		r.runs = append(r.runs, execution{instance, ScheduledAt(ctx)})
		r.mu.Unlock()
		time.Sleep(work)
		return nil
	}
}

// runCluster starts one Scheduler per instance, each on its own pool, all
// running job on def, start-up staggered by stagger, and stops them after
// d. It returns what the job saw.
func runCluster(t *testing.T, name string, def gocron.JobDefinition, work, stagger, d time.Duration) []execution {
	t.Helper()
	rec := &recorder{}
	var scheds []*Scheduler
	for i := range 3 {
		instance := fmt.Sprintf("instance-%d", i)
		s, err := New(openPool(t), instance, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Add(name, def, rec.job(instance, work)); err != nil {
			t.Fatal(err)
		}
		scheds = append(scheds, s)
	}
	for _, s := range scheds {
		s.Start()
		time.Sleep(stagger)
	}
	time.Sleep(d)
	for _, s := range scheds {
		if err := s.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	return rec.runs
}

// checkOncePerSlot asserts that every execution had its own slot, that each
// has a successful job_runs row and no other row exists, and that slots are
// consecutive but for one.
func checkOncePerSlot(t *testing.T, d *db.DB, name string, execs []execution, period time.Duration, minSlots int) {
	t.Helper()
	seen := map[int64]string{} // by Unix µs: the job sees Paris times, the database gives UTC
	for _, e := range execs {
		if other, dup := seen[e.slot.UnixMicro()]; dup {
			t.Errorf("slot %s executed twice (%s and %s)", e.slot, other, e.instance)
		}
		seen[e.slot.UnixMicro()] = e.instance
	}
	runs := runsOf(t, d, name)
	if len(runs) != len(execs) {
		t.Errorf("%d job_runs rows for %d executions", len(runs), len(execs))
	}
	missed := 0
	for i, r := range runs {
		if _, ok := seen[r.ScheduledAt.UnixMicro()]; !ok || r.Status != StatusSuccess {
			t.Errorf("run %+v: no matching execution or not successful", r)
		}
		if i > 0 {
			gap := r.ScheduledAt.Sub(runs[i-1].ScheduledAt)
			if gap%period != 0 {
				t.Errorf("slots %s and %s are not whole periods apart", runs[i-1].ScheduledAt, r.ScheduledAt)
			}
			missed += int(gap/period) - 1
		}
	}
	// A loaded machine may delay a run past the next slot, which every
	// instance then finds locked: tolerate one such miss, never a duplicate.
	if missed > 1 {
		t.Errorf("%d slots missed between the first and the last run", missed)
	}
	if len(runs) < minSlots {
		t.Errorf("%d slots ran, want at least %d", len(runs), minSlots)
	}
}

// THE property: three instances firing the same every-second schedule run
// each slot exactly once. The job lasts long enough for the losers to find
// the lock held.
func TestClusterRunsEachCronSlotOnce(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	name := jobName(t)
	execs := runCluster(t, name, gocron.CronJob("* * * * * *", true), 150*time.Millisecond, 0, 5*time.Second)
	checkOncePerSlot(t, d, name, execs, time.Second, 4)
	for _, e := range execs {
		if e.slot.Nanosecond() != 0 {
			t.Errorf("slot %s is not the cron second", e.slot)
		}
	}
}

// Duration jobs fire at each instance's own offset: the late instances find
// the interval's slot claimed (splay), not the lock held.
func TestClusterRunsEachDurationSlotOnce(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	name := jobName(t)
	execs := runCluster(t, name, gocron.DurationJob(time.Second), 10*time.Millisecond, 300*time.Millisecond, 4500*time.Millisecond)
	checkOncePerSlot(t, d, name, execs, time.Second, 3)
}

// never is a schedule that does not fire during a test.
var never = gocron.CronJob("0 0 1 1 *", false)

func TestRunOutcomesAreRecorded(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	ctx := context.Background()
	s, err := New(d, "outcomes", nil)
	if err != nil {
		t.Fatal(err)
	}
	ok, failing, panicking := jobName(t)+"-ok", jobName(t)+"-err", jobName(t)+"-panic"
	slots := make(chan time.Time, 1)
	must(t, s.Add(ok, never, func(ctx context.Context) error { slots <- ScheduledAt(ctx); return nil }))
	must(t, s.Add(failing, never, func(context.Context) error { return errors.New("upstream said no") }))
	must(t, s.Add(panicking, never, func(context.Context) error { panic("boom") }))
	if err := s.Add(ok, never, func(context.Context) error { return nil }); err == nil {
		t.Fatal("duplicate job name accepted")
	}
	s.Start()
	defer func() { must(t, s.Shutdown(ctx)) }()

	for _, n := range []string{ok, failing, panicking} {
		must(t, s.RunNow(n))
		waitFor(t, 5*time.Second, n+" to finish", func() bool {
			runs := runsOf(t, d, n)
			return len(runs) == 1 && runs[0].Status != StatusRunning
		})
	}
	if err := s.RunNow("no-such-job"); err == nil {
		t.Fatal("RunNow of an unknown job succeeded")
	}

	r := runsOf(t, d, ok)[0]
	if r.Status != StatusSuccess || r.Error != "" || r.InstanceID != "outcomes" || r.FinishedAt.IsZero() {
		t.Errorf("successful run = %+v", r)
	}
	// A manual run's slot is its start: the job saw the recorded slot.
	slot := <-slots
	if !slot.Equal(r.ScheduledAt) || r.ScheduledAt.Sub(r.StartedAt).Abs() > time.Second {
		t.Errorf("manual run slot %s, job saw %s, started at %s", r.ScheduledAt, slot, r.StartedAt)
	}
	if r := runsOf(t, d, failing)[0]; r.Status != StatusFailed || r.Error != "upstream said no" {
		t.Errorf("failing run = %+v", r)
	}
	if r := runsOf(t, d, panicking)[0]; r.Status != StatusFailed || !strings.HasPrefix(r.Error, "panic: boom") {
		t.Errorf("panicking run = %+v", r)
	}

}

// A run whose session dies is cancelled (another instance may take the lock)
// and recorded as failed through another connection.
func TestLostSessionCancelsTheRun(t *testing.T) {
	// Not parallel: another test's scheduler starting meanwhile would sweep
	// the run as abandoned (also "failed", but not the path under test).
	d := dbtest.Open(t)
	name := jobName(t)
	s, err := New(openPool(t), "fragile", nil, WithHeartbeat(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	must(t, s.Add(name, never, func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	}))
	s.Start()
	defer func() { must(t, s.Shutdown(context.Background())) }()
	must(t, s.RunNow(name))
	waitFor(t, 5*time.Second, "the run to start", func() bool { return len(runsOf(t, d, name)) == 1 })

	terminate(t, d, runsOf(t, d, name)[0].BackendPID)
	waitFor(t, 5*time.Second, "the run to be recorded", func() bool { return runsOf(t, d, name)[0].Status != StatusRunning })
	if r := runsOf(t, d, name)[0]; r.Status != StatusFailed || !strings.Contains(r.Error, ErrSessionLost.Error()) {
		t.Errorf("run = %+v, want failed with %q", r, ErrSessionLost)
	}
}

// Shutdown waits for the running job, whose outcome is recorded and lock
// released although its context is cancelled.
func TestShutdownWaitsForRunningJobs(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	name := jobName(t)
	s, err := New(openPool(t), "leaving", nil)
	if err != nil {
		t.Fatal(err)
	}
	must(t, s.Add(name, never, func(context.Context) error {
		time.Sleep(300 * time.Millisecond)
		return nil
	}))
	s.Start()
	must(t, s.RunNow(name))
	waitFor(t, 5*time.Second, "the run to start", func() bool { return len(runsOf(t, d, name)) == 1 })
	must(t, s.Shutdown(context.Background()))

	if r := runsOf(t, d, name)[0]; r.Status != StatusSuccess {
		t.Fatalf("run after Shutdown = %+v, want success", r)
	}
	k, err := NewPGLocker(d, "next").Lock(context.Background(), name)
	if err != nil {
		t.Fatalf("lock still held after Shutdown: %v", err)
	}
	must(t, k.Unlock(context.Background()))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Pollers run on every instance, survive a panic, and write no job_runs row.
func TestPollersRunEverywhereWithoutRecords(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	name := jobName(t)
	var mu sync.Mutex
	ticks := map[string]int{}
	var schedulers []*Scheduler
	for _, instance := range []string{"a", "b"} {
		s, err := New(openPool(t), instance, nil)
		if err != nil {
			t.Fatal(err)
		}
		first := true
		must(t, s.AddPoller(name, 100*time.Millisecond, func(context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			ticks[instance]++
			if first {
				first = false
				panic("first tick panics")
			}
			return nil
		}))
		s.Start()
		schedulers = append(schedulers, s)
	}
	waitFor(t, 5*time.Second, "both instances to tick repeatedly", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return ticks["a"] >= 3 && ticks["b"] >= 3
	})
	for _, s := range schedulers {
		must(t, s.Shutdown(context.Background()))
	}
	if runs := runsOf(t, d, name); len(runs) != 0 {
		t.Errorf("pollers recorded %d job runs", len(runs))
	}
}

// A poller stopped by the shutdown mid-tick (its context cancelled, its
// function returning that cancellation) is not reported as failed.
func TestPollerStoppedByShutdownIsNoFailure(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	var logMu sync.Mutex
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &logMu}, nil))
	s, err := New(openPool(t), "a", logger)
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	var once sync.Once
	must(t, s.AddPoller(jobName(t), 50*time.Millisecond, func(ctx context.Context) error {
		once.Do(func() { close(started) })
		<-ctx.Done()
		return fmt.Errorf("poll: %w", ctx.Err())
	}))
	s.Start()
	<-started
	must(t, s.Shutdown(context.Background()))
	logMu.Lock()
	defer logMu.Unlock()
	if strings.Contains(logs.String(), "poller failed") {
		t.Errorf("the shutdown was logged as a failure:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "poller stopped by the shutdown") {
		t.Errorf("the stop was not logged:\n%s", logs.String())
	}
}

// lockedWriter serializes the writes of the scheduler's goroutines.
type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Shutdown may be called twice (the serve command's stop, then App.Close):
// the second call returns the first one's result at once.
func TestShutdownTwice(t *testing.T) {
	t.Parallel()
	s, err := New(openPool(t), "a", nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	must(t, s.Shutdown(context.Background()))
	start := time.Now()
	if err := s.Shutdown(context.Background()); err != nil || time.Since(start) > time.Second {
		t.Errorf("second shutdown: %v after %s", err, time.Since(start))
	}
}
