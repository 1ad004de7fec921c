package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
	"assistant-declaration/config"
	"assistant-declaration/jobs"
)

// Command runs the maintenance commands that need the assembled application:
//
//	jobs list                   the registered jobs and their schedules
//	jobs run NAME               run a scheduled job now, in this process, recorded in job_runs
//	sync ORGANIZATION_ID        synchronize an organization's ticketing systems now
func Command(ctx context.Context, cfg *config.Config, logger *slog.Logger, d *db.DB, args []string, out io.Writer) (err error) {
	defer derrors.Wrap(&err, "app: command %v", args)
	a, err := New(Deps{Config: cfg, DB: d, Logger: logger})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, a.Close()) }()
	switch {
	case len(args) == 2 && args[0] == "jobs" && args[1] == "list":
		for _, j := range a.scheduler.Jobs() {
			schedule := j.Crontab
			if schedule == "" {
				schedule = "every " + j.Every.String()
			}
			kind := "scheduled"
			if j.Poller {
				kind = "poller"
			}
			fmt.Fprintf(out, "%-28s %-10s %s\n", j.Name, kind, schedule)
		}
		return nil
	case len(args) == 3 && args[0] == "jobs" && args[1] == "run":
		start := time.Now()
		err := a.scheduler.Run(ctx, args[2], start)
		if errors.Is(err, jobs.ErrHeldElsewhere) {
			return fmt.Errorf("%s is running on another instance right now: try again later", args[2])
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: succeeded in %s\n", args[2], time.Since(start).Round(time.Millisecond))
		return nil
	case len(args) == 2 && args[0] == "sync":
		id, err := uuid.Parse(args[1])
		if err != nil {
			return fmt.Errorf("organization id %q: %w", args[1], err)
		}
		run, err := a.sync.SynchronizeNow(ctx, id)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "synchronization %s of %s: %s\n", run.ID, id, run.Status)
		for _, s := range run.Systems {
			code := ""
			if s.ErrorCode != nil {
				code = " " + *s.ErrorCode
			}
			fmt.Fprintf(out, "  %-12s %-10s %d series%s\n", s.System, s.Status, s.SeriesCount, code)
		}
		if run.Status.Failed() {
			return errors.New("the synchronization failed")
		}
		return nil
	}
	return errors.New("usage: jobs list | jobs run NAME | sync ORGANIZATION_ID")
}
