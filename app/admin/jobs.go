package admin

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
	"assistant-declaration/jobs"
)

// JobRunRequested is the audit action of "Exécuter maintenant".
const JobRunRequested = "job_run_requested"

// JobCatalog is what the jobs page knows of the scheduler: the registered
// jobs, and which of them run on demand (jobs.Scheduler).
type JobCatalog interface {
	Jobs() []jobs.Job
	Runnable(name string) bool
}

// Thresholds of a job's health at a glance.
const (
	// StuckAfter is how long a run may stay running before the page calls it
	// stuck (the longest job, the nightly enqueue, takes seconds).
	StuckAfter = time.Hour
	// lastRunsShown is how many recent runs the page shows per job.
	lastRunsShown = 5
	// failuresWindow is the period of the failure count.
	failuresWindow = 7 * 24 * time.Hour
)

// JobHealth is a job's state at a glance.
type JobHealth string

// Healths of a job.
const (
	JobHealthy  JobHealth = "ok"
	JobFailing  JobHealth = "failing"
	JobStuck    JobHealth = "stuck"
	JobNeverRun JobHealth = "never"
	JobPolling  JobHealth = "polling"
)

// LabelKey is the health's translation key.
func (h JobHealth) LabelKey() string { return "admin.jobs.health." + string(h) }

// BadgeClass is the DSFR badge of the health.
func (h JobHealth) BadgeClass() string {
	switch h {
	case JobHealthy:
		return "fr-badge--success"
	case JobFailing, JobStuck:
		return "fr-badge--error"
	default:
		return "fr-badge--info"
	}
}

// JobRun is one recorded run as the page shows it.
type JobRun struct {
	jobs.Run
	Stuck bool
}

// StatusKey is the translation key of the run's status.
func (r JobRun) StatusKey() string {
	if r.Stuck {
		return "admin.jobs.health.stuck"
	}
	return "admin.jobs.status." + r.Status
}

// shownError bounds the error shown per run (a panic carries its stack).
const shownError = 300

// ShortError is the start of the run's error.
func (r JobRun) ShortError() string {
	if runes := []rune(r.Error); len(runes) > shownError {
		return string(runes[:shownError]) + "…"
	}
	return r.Error
}

// Failed tells a failed run.
func (r JobRun) Failed() bool { return r.Status == jobs.StatusFailed }

// Duration is how long the run took, in French ("850 ms", "12,4 s", "3 min 05 s"),
// empty while it runs.
func (r JobRun) Duration() string {
	if r.FinishedAt.IsZero() {
		return ""
	}
	return FormatDuration(time.Duration(r.DurationMS) * time.Millisecond)
}

// FormatDuration writes d the French way, at a precision that fits its size.
func FormatDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < time.Minute:
		tenths := d.Milliseconds() / 100
		return fmt.Sprintf("%d,%d s", tenths/10, tenths%10)
	default:
		s := int64(d.Round(time.Second).Seconds())
		return fmt.Sprintf("%d min %02d s", s/60, s%60)
	}
}

// JobState is one job of the page: its schedule, recent runs, failures over
// seven days, runs asked for and not started yet, and its health.
type JobState struct {
	jobs.Job
	LastRuns []JobRun
	Failures int
	Pending  int
	Health   JobHealth
}

// JobStates reads the state of every job of catalog in one statement: the
// last runs of each job (one index range per job), its failures of the last
// seven days and its run requests no instance has claimed yet.
func JobStates(ctx context.Context, idb bun.IDB, catalog JobCatalog, now time.Time) (_ []JobState, err error) {
	defer derrors.Wrap(&err, "admin: read the state of the jobs")
	list := catalog.Jobs()
	names := make([]string, len(list))
	for i, j := range list {
		names[i] = j.Name
	}
	// One row per run of a job, or a single one for a job never run (its
	// run's columns NULL), each with the job's counts.
	var rows []struct {
		jobs.Run `bun:",extend"`
		Job      string `bun:"job,scanonly"`
		Failures int    `bun:"failures,scanonly"`
		Pending  int    `bun:"pending,scanonly"`
	}
	err = idb.NewRaw(`
		SELECT n.job, n.failures, n.pending, r.* FROM (
			SELECT job,
				(SELECT count(*) FROM job_runs WHERE job_name = job AND started_at > ? AND status = ?) AS failures,
				(SELECT count(*) FROM job_run_requests WHERE job_name = job AND claimed_at IS NULL) AS pending
			FROM unnest(?::text[]) AS job) AS n
		LEFT JOIN LATERAL (SELECT * FROM job_runs WHERE job_name = n.job ORDER BY started_at DESC LIMIT ?) AS r ON true
		ORDER BY n.job, r.started_at DESC`,
		now.Add(-failuresWindow), jobs.StatusFailed, pgdialect.Array(names), lastRunsShown).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*JobState, len(list))
	states := make([]JobState, len(list))
	for i, j := range list {
		states[i] = JobState{Job: j}
		byName[j.Name] = &states[i]
	}
	for _, r := range rows {
		s := byName[r.Job]
		s.Failures, s.Pending = r.Failures, r.Pending
		if r.ID != 0 {
			stuck := r.Status == jobs.StatusRunning && now.Sub(r.StartedAt) > StuckAfter
			s.LastRuns = append(s.LastRuns, JobRun{Run: r.Run, Stuck: stuck})
		}
	}
	for i := range states {
		states[i].Health = health(&states[i])
	}
	return states, nil
}

// health sums a job up: stuck when its latest run has been running too
// long, failing when its latest finished run failed.
func health(s *JobState) JobHealth {
	if s.Poller {
		return JobPolling
	}
	if len(s.LastRuns) == 0 {
		return JobNeverRun
	}
	if s.LastRuns[0].Stuck {
		return JobStuck
	}
	for _, r := range s.LastRuns {
		if r.Status == jobs.StatusRunning {
			continue
		}
		if r.Failed() {
			return JobFailing
		}
		return JobHealthy
	}
	return JobHealthy
}

// RequestJobRun asks for one run of the named job now, audited; the
// job-run-requests poller of one instance runs it.
func RequestJobRun(ctx context.Context, idb bun.IDB, catalog JobCatalog, by audit.Actor, name string) (err error) {
	defer derrors.Wrap(&err, "admin: request a run of %s", name)
	if !catalog.Runnable(name) {
		return derrors.ErrNotFound
	}
	return idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		r, err := jobs.RequestRun(ctx, tx, name, &by.UserID)
		if err != nil {
			return err
		}
		e := by.Entry(JobRunRequested)
		e.Details["job"] = name
		e.Details["request"] = r.ID
		return recordUserEntry(ctx, tx, e)
	})
}
