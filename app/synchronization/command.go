package synchronization

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/derrors"
)

// commandHold keeps the run of `assistant-declaration sync` out of the
// servers' pollers (they claim runs whose not_before has passed) for the
// moment between its insert and its claim by the command itself.
const commandHold = time.Hour

// SynchronizeNow synchronizes the organization in this process
// (`assistant-declaration sync ORGANIZATION_ID`), as one recorded run the
// organization's page and the admin pages show. It is refused while another
// run of the organization is pending or running.
func (s *Service) SynchronizeNow(ctx context.Context, organizationID uuid.UUID) (_ *Run, err error) {
	defer derrors.Wrap(&err, "synchronization: synchronize %s now", organizationID)
	run, err := insertRun(ctx, s.DB, organizationID, nil, s.now().Add(commandHold))
	if err != nil {
		return nil, err
	}
	if run == nil {
		return nil, ErrSynchronizationOngoing
	}
	res, err := s.DB.NewUpdate().Table("synchronization_runs").Where("id = ? AND status = ?", run.ID, RunPending).
		Set("status = ?, not_before = now(), started_at = now(), updated_at = now()", RunRunning).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("claim run %s: %w", run.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, fmt.Errorf("claim run %s: %d rows (%v)", run.ID, n, err)
	}
	if err := s.Execute(ctx, run); err != nil {
		return nil, err
	}
	return GetRun(ctx, s.DB, organizationID, run.ID)
}
