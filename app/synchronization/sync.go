package synchronization

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/db"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/ticketing"
)

// Outcome is how one system's synchronization ended.
type Outcome struct {
	SystemID uuid.UUID
	System   ticketing.System
	// Series is how many series the synchronization added or changed.
	Series int
	// Warnings counts, by reason, what the connector left out of those series.
	Warnings map[ticketing.WarningCode]int
	// Err is nil on success; its code was recorded on the system.
	Err error
}

// Progress is told when a system starts (done false) and when it ends (done true).
type Progress func(o Outcome, done bool)

// SynchronizeOrganization synchronizes every live remote system of the organization, one
// transaction per system (decision T2, docs/decisions.md): a failing system records its error and keeps its former
// data, the others still synchronize. A second synchronization of the same organization while
// one runs is refused with ErrSynchronizationOngoing (decision T1, docs/decisions.md); other organizations are never
// blocked. actingUserID (uuid.Nil for the nightly job) selects real or mock connectors.
func (s *Service) SynchronizeOrganization(ctx context.Context, organizationID, actingUserID uuid.UUID, progress Progress) (_ []Outcome, err error) {
	defer derrors.Wrap(&err, "synchronization: synchronize %s", organizationID)
	unlock, err := s.lockOrganization(ctx, organizationID)
	if err != nil {
		return nil, err
	}
	defer unlock()

	systems, err := ListSystemsForOrganization(ctx, s.DB, organizationID)
	if err != nil {
		return nil, err
	}
	if len(systems) == 0 {
		return nil, ErrNoValidTicketingSystem
	}
	// Captured before any remote call, so that changes made during the run are fetched next time.
	startedAt := s.now()
	outcomes := make([]Outcome, 0, len(systems))
	for i := range systems {
		o := Outcome{SystemID: systems[i].ID, System: systems[i].Name}
		if progress != nil {
			progress(o, false)
		}
		o.Series, o.Warnings, o.Err = s.synchronizeSystem(ctx, &systems[i], actingUserID, startedAt)
		if o.Err != nil {
			if rerr := s.recordError(context.WithoutCancel(ctx), systems[i].ID, o.Err); rerr != nil {
				return outcomes, rerr
			}
		}
		if progress != nil {
			progress(o, true)
		}
		outcomes = append(outcomes, o)
	}
	return outcomes, nil
}

// lockOrganization takes the organization's session advisory lock on a connection of its own,
// held across the per-system transactions; the returned function releases it.
func (s *Service) lockOrganization(ctx context.Context, organizationID uuid.UUID) (func(), error) {
	lock, err := s.DB.TryLock(ctx, "ticketing_systems_synchronization:"+organizationID.String())
	if errors.Is(err, db.ErrLockHeld) {
		return nil, ErrSynchronizationOngoing
	}
	if err != nil {
		return nil, fmt.Errorf("synchronization: lock %s: %w", organizationID, err)
	}
	return func() {
		if err := lock.Unlock(ctx); err != nil {
			s.Logger.Error("synchronization unlock", "organization", organizationID, "error", err)
		}
	}, nil
}

// synchronizeSystem fetches and applies one system in its own transaction; it returns how many
// series the system returned and the counts of what the connector left out of them.
func (s *Service) synchronizeSystem(ctx context.Context, sys *System, actingUserID uuid.UUID, startedAt time.Time) (_ int, _ map[ticketing.WarningCode]int, err error) {
	defer derrors.Wrap(&err, "synchronization: synchronize %s system %s", sys.Name, sys.ID)
	creds, err := s.Sealer.Open(sys.ID, sys.Credentials)
	if err != nil {
		// The cause (a changed key, a corrupt value) is the same for every system: the code
		// tells the user to type the credentials again.
		return 0, nil, errCredentialsUnreadable
	}
	conn, err := s.Connectors(sys.Name, creds, actingUserID)
	if err != nil {
		return 0, nil, fmt.Errorf("build the connector: %w", err)
	}
	remote, err := conn.FetchSeries(ctx, window(sys, startedAt), time.Time{})
	if err != nil {
		return 0, nil, fmt.Errorf("fetch: %w", err)
	}
	changed := 0
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Disconnected while fetching: the user no longer wants this system's data.
		alive, err := tx.NewSelect().Table("ticketing_systems").
			Where("id = ? AND deleted_at IS NULL", sys.ID).For("NO KEY UPDATE").Exists(ctx)
		if err != nil {
			return fmt.Errorf("lock the system: %w", err)
		}
		if !alive {
			return nil
		}
		if changed, err = apply(ctx, tx, sys, remote); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Table("ticketing_systems").Where("id = ?", sys.ID).
			Set("last_synchronized_at = ?", startedAt).
			Set("force_next_synchronization_from = NULL").
			Set("last_error_code = NULL, last_error_argument = NULL, last_error_http_status = NULL, last_error_excerpt = NULL, last_error_at = NULL").
			Set("updated_at = now()").Exec(ctx); err != nil {
			return fmt.Errorf("record the success: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	return changed, sumWarnings(remote), nil
}

// sumWarnings adds up the warnings of the series; nil when there are none.
func sumWarnings(series []ticketing.Serie) map[ticketing.WarningCode]int {
	var sum map[ticketing.WarningCode]int
	for _, serie := range series {
		for code, n := range serie.Warnings {
			if sum == nil {
				sum = map[ticketing.WarningCode]int{}
			}
			sum[code] += n
		}
	}
	return sum
}

// apply loads what the remote series match, diffs and writes (rule S10, docs/decisions.md); it
// returns how many series it added or changed.
func apply(ctx context.Context, tx bun.Tx, sys *System, remote []ticketing.Serie) (_ int, err error) {
	defer derrors.Wrap(&err, "synchronization: apply the series of %s", sys.ID)
	if len(remote) == 0 {
		return 0, nil
	}
	ids := make([]string, len(remote))
	for i, r := range remote {
		ids[i] = r.RemoteID
	}
	// Series are matched across the organization's connections of this provider, deleted ones
	// included, preferring the current one: reconnecting never duplicates series (decision T5, docs/decisions.md).
	var stored []serieRow
	err = tx.NewSelect().Model(&stored).
		DistinctOn("es.internal_ticketing_system_id").
		ColumnExpr("es.id, es.ticketing_system_id, es.internal_ticketing_system_id, es.name, es.ticketing_revenue_tax_rate").
		ColumnExpr(declarations.DeclaredSQL("es")+" AS frozen").
		Join("JOIN ticketing_systems AS ts ON ts.id = es.ticketing_system_id").
		Where("ts.organization_id = ? AND ts.name = ?", sys.OrganizationID, sys.Name).
		Where("es.internal_ticketing_system_id IN (?)", bun.List(ids)).
		OrderExpr("es.internal_ticketing_system_id, es.ticketing_system_id = ? DESC, es.created_at DESC", sys.ID).
		Scan(ctx)
	if err != nil {
		return 0, fmt.Errorf("load series: %w", err)
	}
	var live []uuid.UUID
	for _, ss := range stored {
		if !ss.Frozen {
			live = append(live, ss.ID)
		}
	}
	events := map[uuid.UUID][]eventRow{}
	if len(live) > 0 {
		var rows []eventRow
		if err := tx.NewSelect().Model(&rows).Where("event_serie_id IN (?)", bun.List(live)).Scan(ctx); err != nil {
			return 0, fmt.Errorf("load events: %w", err)
		}
		for _, e := range rows {
			events[e.EventSerieID] = append(events[e.EventSerieID], e)
		}
	}
	p := buildPlan(sys.ID, remote, stored, events, uuid.New)
	if p.empty() {
		return 0, nil
	}
	return p.changedSeries, write(ctx, tx, sys.ID, &p)
}

// write executes a plan through package declarations, which owns event_series and events; every
// statement is skipped when it has nothing to do.
func write(ctx context.Context, tx bun.Tx, systemID uuid.UUID, p *plan) (err error) {
	defer derrors.Wrap(&err, "synchronization: write the plan of %s", systemID)
	if err := declarations.ReattachSynchronizedSeries(ctx, tx, systemID, p.reattach); err != nil {
		return err
	}
	if err := declarations.InsertSynchronizedSeries(ctx, tx, p.newSeries); err != nil {
		return err
	}
	if err := declarations.RenameSynchronizedSeries(ctx, tx, p.renamed); err != nil {
		return err
	}
	if err := declarations.InsertSynchronizedEvents(ctx, tx, p.newEvents); err != nil {
		return err
	}
	if err := declarations.UpdateSynchronizedEvents(ctx, tx, p.updated); err != nil {
		return err
	}
	if err := declarations.FlagSynchronizedEventsRemoved(ctx, tx, p.flag); err != nil {
		return err
	}
	if err := declarations.UnflagSynchronizedEventsRemoved(ctx, tx, p.unflag); err != nil {
		return err
	}
	return declarations.DeleteSynchronizedEvents(ctx, tx, p.deleted)
}

// recordError stores a failure on the system, outside the rolled-back transaction (decision T3, docs/decisions.md).
func (s *Service) recordError(ctx context.Context, systemID uuid.UUID, cause error) error {
	var status sql.NullInt64
	excerpt := cause.Error()
	var re *ticketing.RemoteError
	if errors.As(cause, &re) {
		if re.Status != 0 {
			status = sql.NullInt64{Int64: int64(re.Status), Valid: true}
		}
		// The connector already excerpted and redacted the body; its error message is the
		// fallback for failures without one (timeouts…).
		excerpt = re.Error()
		if re.Excerpt != "" {
			excerpt = re.Excerpt
		}
	}
	s.Logger.Warn("ticketing synchronization failed", "ticketing_system_id", systemID, "code", ErrorCode(cause), "error", cause)
	_, err := s.DB.NewUpdate().Table("ticketing_systems").Where("id = ?", systemID).
		Set("last_error_code = ?", ErrorCode(cause)).
		Set("last_error_argument = nullif(?, '')", ErrorArgument(cause)).
		Set("last_error_http_status = ?", status).
		Set("last_error_excerpt = ?", truncate(excerpt, 300)).
		Set("last_error_at = ?", s.now()).
		Set("updated_at = now()").Exec(ctx)
	if err != nil {
		return fmt.Errorf("record the error of system %s: %w", systemID, err)
	}
	return nil
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}
