package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/uptrace/bun"
)

// Purge is a housekeeping job deleting the rows of one table that are past
// their retention. The package owning the table defines it (its PurgeJobs
// function) and app/jobs.go registers every package's with AddPurges, so no
// package deletes another one's rows.
type Purge struct {
	Name string // the job's stable name (lock key, job_runs)
	Cron string // crontab, read in Europe/Paris
	// Delete deletes the rows past retention and returns how many it deleted.
	Delete func(ctx context.Context, idb bun.IDB) (int64, error)
}

// AddPurges registers purges, each deleting through idb on its schedule and
// logging how many rows it deleted.
func (s *Scheduler) AddPurges(idb bun.IDB, purges ...Purge) error {
	for _, p := range purges {
		err := s.Add(p.Name, gocron.CronJob(p.Cron, false), func(ctx context.Context) error {
			n, err := p.Delete(ctx, idb)
			if n > 0 {
				s.log.Info("purged", "job", p.Name, "rows", n)
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("jobs: add purge %s: %w", p.Name, err)
		}
	}
	return nil
}

// RunRetention is how long job_runs rows are kept.
const RunRetention = 90 * 24 * time.Hour

// PurgeJobs are the purges of this package's table: purge-job-runs, daily at
// 03:30 Paris (clear of the hour daylight saving time skips or repeats),
// deletes the runs and the claimed run requests older than RunRetention.
func PurgeJobs() []Purge {
	return []Purge{{Name: "purge-job-runs", Cron: "30 3 * * *", Delete: func(ctx context.Context, idb bun.IDB) (int64, error) {
		n, err := PurgeRuns(ctx, idb, time.Now().Add(-RunRetention))
		if err != nil {
			return n, err
		}
		m, err := purgeRequests(ctx, idb, time.Now().Add(-RunRetention))
		return n + m, err
	}}}
}
