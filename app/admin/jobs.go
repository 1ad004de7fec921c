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
	Runnable bool
	LastRuns []JobRun
	Failures int
	Pending  int
	Health   JobHealth
}

// JobStates reads the state of every job of catalog from job_runs: the
// last runs of each job (one index range per job) and the failures of the
// last seven days.
func JobStates(ctx context.Context, idb bun.IDB, catalog JobCatalog, now time.Time) (_ []JobState, err error) {
	defer derrors.Wrap(&err, "admin: read the state of the jobs")
	list := catalog.Jobs()
	names := make([]string, len(list))
	for i, j := range list {
		names[i] = j.Name
	}
	var runs []jobs.Run
	err = idb.NewRaw(`
		SELECT r.* FROM unnest(?::text[]) AS n(name)
		CROSS JOIN LATERAL (SELECT * FROM job_runs WHERE job_name = n.name ORDER BY started_at DESC LIMIT ?) AS r
		ORDER BY r.job_name, r.started_at DESC`, pgdialect.Array(names), lastRunsShown).Scan(ctx, &runs)
	if err != nil {
		return nil, fmt.Errorf("last runs: %w", err)
	}
	var failures []struct {
		JobName string
		N       int
	}
	err = idb.NewRaw(`SELECT job_name, count(*) AS n FROM job_runs WHERE started_at > ? AND status = ? GROUP BY job_name`,
		now.Add(-failuresWindow), jobs.StatusFailed).Scan(ctx, &failures)
	if err != nil {
		return nil, fmt.Errorf("failures: %w", err)
	}
	pending, err := jobs.PendingRequests(ctx, idb)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*JobState, len(list))
	states := make([]JobState, len(list))
	for i, j := range list {
		states[i] = JobState{Job: j, Runnable: catalog.Runnable(j.Name)}
		byName[j.Name] = &states[i]
	}
	for _, r := range runs {
		if s := byName[r.JobName]; s != nil {
			stuck := r.Status == jobs.StatusRunning && now.Sub(r.StartedAt) > StuckAfter
			s.LastRuns = append(s.LastRuns, JobRun{Run: r, Stuck: stuck})
		}
	}
	for _, f := range failures {
		if s := byName[f.JobName]; s != nil {
			s.Failures = f.N
		}
	}
	for _, p := range pending {
		if s := byName[p.JobName]; s != nil {
			s.Pending++
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
