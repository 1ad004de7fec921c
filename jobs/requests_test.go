package jobs

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-co-op/gocron/v2"
)

// "Exécuter maintenant" pressed on two instances at once gives one run per
// request, whichever instance's poller sees it first.
func TestRequestedRunsRunOnceAcrossInstances(t *testing.T) {
	name := jobName(t)
	var runs atomic.Int32
	var schedulers []*Scheduler
	for _, instance := range []string{"instance-a", "instance-b", "instance-c"} {
		s, err := New(openPool(t), instance, nil)
		must(t, err)
		// A schedule that never comes during the test: only requests run it.
		must(t, s.Add(name, gocron.CronJob("0 0 1 1 *", false), func(context.Context) error {
			runs.Add(1)
			time.Sleep(50 * time.Millisecond)
			return nil
		}))
		schedulers = append(schedulers, s)
	}
	d := openPool(t)
	ctx := context.Background()
	// Two admins press the button on two instances at the same moment.
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := RequestRun(ctx, d, name, nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// Every instance's poller ticks at once, several times.
	for range 5 {
		var ticks sync.WaitGroup
		for _, s := range schedulers {
			ticks.Add(1)
			go func() {
				defer ticks.Done()
				for {
					r, err := s.claimRequest(ctx, nil)
					if err != nil {
						t.Error(err)
						return
					}
					if r == nil || r.JobName != name {
						return
					}
					if _, err := s.runRequest(ctx, r); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		ticks.Wait()
	}
	if got := runs.Load(); got != 2 {
		t.Fatalf("%d runs for 2 requests, want 2", got)
	}
	recorded := runsOf(t, d, name)
	if len(recorded) != 2 {
		t.Fatalf("%d job_runs rows, want 2", len(recorded))
	}
	for _, r := range recorded {
		if r.Status != StatusSuccess {
			t.Errorf("run %d: %s", r.ID, r.Status)
		}
	}
	pending, err := d.NewSelect().Table("job_run_requests").Where("job_name = ? AND claimed_at IS NULL", name).Count(ctx)
	must(t, err)
	if pending != 0 {
		t.Errorf("%d requests still pending", pending)
	}
}

// A request whose job runs on another instance is given back, and the
// requests behind it still run in the same tick.
func TestRequestBehindABusyJobRuns(t *testing.T) {
	busy, free := jobName(t)+"-busy", jobName(t)+"-free"
	s, err := New(openPool(t), "instance-a", nil)
	must(t, err)
	var ranFree atomic.Int32
	must(t, s.Add(busy, gocron.CronJob("0 0 1 1 *", false), func(context.Context) error { return nil }))
	must(t, s.Add(free, gocron.CronJob("0 0 1 1 *", false), func(context.Context) error { ranFree.Add(1); return nil }))
	ctx := context.Background()
	held, err := NewPGLocker(openPool(t), "instance-b").Lock(ctx, busy)
	must(t, err)
	defer func() { must(t, held.Unlock(ctx)) }()
	d := openPool(t)
	_, err = RequestRun(ctx, d, busy, nil)
	must(t, err)
	_, err = RequestRun(ctx, d, free, nil)
	must(t, err)

	must(t, s.runRequests(ctx))
	if ranFree.Load() != 1 {
		t.Errorf("the request behind the busy job ran %d times, want 1", ranFree.Load())
	}
	pending, err := d.NewSelect().Table("job_run_requests").Where("job_name = ? AND claimed_at IS NULL", busy).Count(ctx)
	must(t, err)
	if pending != 1 {
		t.Errorf("%d pending requests of the busy job, want it given back", pending)
	}
}

// The catalogue lists scheduled jobs then pollers with their schedules; only
// scheduled jobs can be run on demand.
func TestJobsCatalog(t *testing.T) {
	s, err := New(openPool(t), "instance", nil)
	must(t, err)
	noop := func(context.Context) error { return nil }
	must(t, s.Add("b-nightly", gocron.CronJob("0 1 * * *", false), noop))
	must(t, s.AddPoller("a-poller", 3*time.Second, noop))
	jobs := s.Jobs()
	want := []Job{
		{Name: "b-nightly", Crontab: "0 1 * * *"},
		{Name: "sweep-abandoned-runs", Crontab: "*/5 * * * *"},
		{Name: "a-poller", Poller: true, Every: 3 * time.Second},
	}
	if len(jobs) != len(want) {
		t.Fatalf("jobs = %+v", jobs)
	}
	for i := range want {
		if jobs[i] != want[i] {
			t.Errorf("job %d = %+v, want %+v", i, jobs[i], want[i])
		}
	}
	if !s.Runnable("b-nightly") || s.Runnable("a-poller") || s.Runnable("nope") {
		t.Error("Runnable is wrong")
	}
	if err := s.Run(context.Background(), "a-poller", time.Now()); err == nil {
		t.Error("a poller ran on demand")
	}
}
