package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/go-co-op/gocron/v2"

	"assistant-declaration/app/derrors"
)

// Job describes one registered job for the admin page and the command line.
type Job struct {
	Name string
	// Poller tells a job running on every instance every Every, without a
	// job_runs row; the others are scheduled by Crontab (Europe/Paris) or
	// every Every, once per slot across instances.
	Poller  bool
	Crontab string
	Every   time.Duration
}

// Jobs lists the registered jobs, scheduled ones first, by name.
func (s *Scheduler) Jobs() []Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := make([]Job, 0, len(s.jobs))
	for name, j := range s.jobs {
		job := Job{Name: name}
		_, scheduled := s.fns[name]
		job.Poller = !scheduled
		switch sched := j.Schedule().(type) {
		case gocron.CronJobSchedule:
			job.Crontab = sched.Crontab
		case gocron.DurationJobSchedule:
			job.Every = sched.Duration
		}
		list = append(list, job)
	}
	slices.SortFunc(list, func(a, b Job) int {
		if a.Poller != b.Poller {
			if a.Poller {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return list
}

// Runnable tells whether name is a scheduled job that can be run on demand
// (pollers already run every few seconds).
func (s *Scheduler) Runnable(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.fns[name]
	return ok
}

// ErrUnknownJob is the error of a run asked for a job that is not scheduled.
var ErrUnknownJob = errors.New("jobs: unknown job")

// Run runs the named scheduled job now, in this process, as the run of slot:
// recorded in job_runs like a scheduled run, refused with ErrHeldElsewhere
// while the job runs somewhere and with ErrAlreadyRan when slot was taken.
func (s *Scheduler) Run(ctx context.Context, name string, slot time.Time) (err error) {
	defer derrors.Wrap(&err, "jobs: run %s now", name)
	s.mu.Lock()
	fn := s.fns[name]
	s.mu.Unlock()
	if fn == nil {
		return fmt.Errorf("%w %q", ErrUnknownJob, name)
	}
	k, err := s.locker.lockSlot(ctx, name, slot)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, k.Unlock(context.WithoutCancel(ctx))) }()
	return k.run(ctx, fn, s.heartbeat)
}
