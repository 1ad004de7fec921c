package synchronization

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/derrors"
)

// Runner executes the pending runs in the background, independently of the page that asked for
// them, with at most a fixed number of organizations synchronized at once by this instance.
type Runner struct {
	service *Service
	slots   chan struct{}
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// NewRunner builds a runner executing up to concurrency runs at once.
func NewRunner(s *Service, concurrency int) *Runner {
	ctx, cancel := context.WithCancel(context.Background())
	return &Runner{service: s, slots: make(chan struct{}, max(concurrency, 1)), ctx: ctx, cancel: cancel}
}

// Tick claims as many due runs as there are free slots and starts them; it does not wait for
// them, so that a long synchronization never delays the next claims. The scheduler calls it every
// few seconds.
func (r *Runner) Tick(ctx context.Context) (err error) {
	defer derrors.Wrap(&err, "synchronization: tick")
	free := cap(r.slots) - len(r.slots)
	if free == 0 || r.ctx.Err() != nil {
		return nil
	}
	runs, err := r.service.claim(ctx, free)
	if err != nil {
		return err // claim says what failed
	}
	for i := range runs {
		r.slots <- struct{}{}
		r.wg.Go(func() {
			defer func() { <-r.slots }()
			if err := r.service.Execute(r.ctx, &runs[i]); err != nil {
				r.service.Logger.Error("synchronization run failed", "run_id", runs[i].ID, "error", err)
			}
		})
	}
	return nil
}

// Wait blocks until the started runs end (tests).
func (r *Runner) Wait() { r.wg.Wait() }

// Shutdown cancels the runs in progress and waits for them to record their outcome.
func (r *Runner) Shutdown() {
	r.cancel()
	r.wg.Wait()
}

// NightlySpread is the part of the night over which the nightly runs are spread, so that the
// remote systems and the database see a steady trickle rather than a burst.
const NightlySpread = 4 * time.Hour

// EnqueueNightly enqueues a run for every organization with a live remote system, spread evenly
// over NightlySpread from now; the Runner's concurrency bounds how many execute at once.
// Organizations with a run already pending or running keep it.
func (s *Service) EnqueueNightly(ctx context.Context) (int, error) {
	var orgs []uuid.UUID
	err := s.DB.NewSelect().TableExpr("ticketing_systems AS s").ColumnExpr("DISTINCT s.organization_id").
		Where(LiveRemoteSystemSQL("s")).Scan(ctx, &orgs)
	if err != nil {
		return 0, fmt.Errorf("synchronization: list the organizations to synchronize tonight: %w", err)
	}
	if len(orgs) == 0 {
		return 0, nil
	}
	start, step := s.now(), NightlySpread/time.Duration(len(orgs))
	enqueued := 0
	for i, org := range orgs {
		run, err := insertRun(ctx, s.DB, org, nil, start.Add(time.Duration(i)*step))
		if err != nil && !errors.Is(err, ErrNoValidTicketingSystem) { // disconnected meanwhile
			return enqueued, fmt.Errorf("synchronization: enqueue the nightly runs: %w", err)
		}
		if run != nil {
			enqueued++
		}
	}
	return enqueued, nil
}
