package synchronization

import (
	"context"

	"github.com/google/uuid"

	"assistant-declaration/app/derrors"
)

// SynchronizeNow synchronizes the organization in this process
// (`assistant-declaration sync ORGANIZATION_ID`), as one recorded run the
// organization's page and the admin pages show. It is refused while another
// run of the organization is pending or running.
func (s *Service) SynchronizeNow(ctx context.Context, organizationID uuid.UUID) (_ *Run, err error) {
	defer derrors.Wrap(&err, "synchronization: synchronize %s now", organizationID)
	// Inserted already claimed (running), so that no server's poller takes
	// it; should this process die, the run stops being refreshed and the
	// pollers fail it like any run whose worker died (staleRunAfter).
	now := s.now()
	run, err := insertRunAs(ctx, s.DB, &Run{ID: uuid.New(), OrganizationID: organizationID, Status: RunRunning, NotBefore: now, StartedAt: &now})
	if err != nil {
		return nil, err
	}
	if run == nil {
		return nil, ErrSynchronizationOngoing
	}
	if err := s.Execute(ctx, run); err != nil {
		return nil, err
	}
	return GetRun(ctx, s.DB, organizationID, run.ID)
}
