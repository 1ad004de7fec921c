package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"assistant-declaration/app/derrors"
)

// Request is one run asked for outside the schedule (job_run_requests).
type Request struct {
	bun.BaseModel `bun:"table:job_run_requests"`

	ID          int64      `bun:"id,pk,autoincrement"`
	JobName     string     `bun:"job_name"`
	RequestedAt time.Time  `bun:"requested_at,nullzero"`
	RequestedBy *uuid.UUID `bun:"requested_by"`
	ClaimedAt   *time.Time `bun:"claimed_at"`
	ClaimedBy   string     `bun:"claimed_by,nullzero"`
}

// RequestRun asks for one run of the named job as soon as an instance's
// job-run-requests poller sees it. The caller checks the name and audits.
func RequestRun(ctx context.Context, idb bun.IDB, name string, by *uuid.UUID) (_ *Request, err error) {
	defer derrors.Wrap(&err, "jobs: request a run of %s", name)
	r := &Request{JobName: name, RequestedBy: by}
	if _, err := idb.NewInsert().Model(r).ExcludeColumn("id", "requested_at").Returning("*").Exec(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// requestBatch bounds the requests one tick of the poller runs.
const requestBatch = 10

// AddRequestPoller registers the job-run-requests poller: every instance
// claims the pending requests (FOR UPDATE SKIP LOCKED: each request goes to
// one instance only) and runs them through Run, the request's time being the
// run's slot. A request whose job runs elsewhere at that moment is put back
// and tried again at the next tick.
func (s *Scheduler) AddRequestPoller(every time.Duration) error {
	return s.AddPoller("job-run-requests", every, s.runRequests)
}

// runRequests is one tick of the job-run-requests poller. A request given
// back is not claimed again in the same tick: the requests behind it run.
func (s *Scheduler) runRequests(ctx context.Context) error {
	var errs []error
	var givenBack []int64
	for range requestBatch {
		r, err := s.claimRequest(ctx, givenBack)
		if err != nil || r == nil {
			return errors.Join(append(errs, err)...)
		}
		gaveBack, err := s.runRequest(ctx, r)
		if err != nil {
			errs = append(errs, err)
		}
		if gaveBack {
			givenBack = append(givenBack, r.ID)
		}
	}
	return errors.Join(errs...)
}

// claimRequest marks the oldest pending request, except those of skip, as
// this instance's.
func (s *Scheduler) claimRequest(ctx context.Context, skip []int64) (_ *Request, err error) {
	defer derrors.Wrap(&err, "jobs: claim a run request")
	r := new(Request)
	err = s.db.NewRaw(`
		UPDATE job_run_requests SET claimed_at = now(), claimed_by = ?
		WHERE id = (SELECT id FROM job_run_requests WHERE claimed_at IS NULL AND id <> ALL(coalesce(?::bigint[], '{}'))
			ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
		RETURNING *`, s.locker.instanceID, pgdialect.Array(skip)).Scan(ctx, r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// runRequest runs a claimed request. Its outcome is the run's row; only a
// job busy elsewhere gives the request back (gaveBack).
func (s *Scheduler) runRequest(ctx context.Context, r *Request) (gaveBack bool, err error) {
	err = s.Run(ctx, r.JobName, r.RequestedAt)
	switch {
	case errors.Is(err, ErrHeldElsewhere):
		if _, uerr := s.db.NewUpdate().Model(r).Set("claimed_at = NULL, claimed_by = NULL").WherePK().Exec(ctx); uerr != nil {
			return false, fmt.Errorf("jobs: give back the run request %d of %s: %w", r.ID, r.JobName, uerr)
		}
		return true, nil
	case errors.Is(err, ErrUnknownJob):
		// Asked for from an instance running another version: nothing to run.
		s.log.Warn("run request of an unknown job dropped", "job", r.JobName, "request", r.ID)
		return false, nil
	case errors.Is(err, ErrAlreadyRan):
		return false, nil
	}
	return false, err
}

// purgeRequests deletes the claimed requests older than RunRetention (their
// runs are purged with the other job runs).
func purgeRequests(ctx context.Context, idb bun.IDB, before time.Time) (_ int64, err error) {
	defer derrors.Wrap(&err, "jobs: purge run requests before %s", before)
	res, err := idb.NewDelete().Model((*Request)(nil)).Where("claimed_at < ?", before).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
