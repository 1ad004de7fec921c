package synchronization

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/ticketing"
)

// RunStatus is the state of a run or of one system within it (synchronization_runs.status and
// synchronization_run_systems.status).
type RunStatus string

// Run statuses.
const (
	RunPending   RunStatus = "pending"
	RunRunning   RunStatus = "running"
	RunSucceeded RunStatus = "succeeded"
	RunFailed    RunStatus = "failed"
)

// Succeeded reports whether the run or system ended well.
func (s RunStatus) Succeeded() bool { return s == RunSucceeded }

// Failed reports whether the run or system ended in error.
func (s RunStatus) Failed() bool { return s == RunFailed }

// Finished reports whether the run or system ended.
func (s RunStatus) Finished() bool { return s == RunSucceeded || s == RunFailed }

// LabelKey is the message key of the status as a word (locales: synchronization.runStatus).
func (s RunStatus) LabelKey() string { return "synchronization.runStatus." + string(s) }

// MessageKey is the message key of the sentence telling a run's progress
// (locales: synchronization.run).
func (s RunStatus) MessageKey() string { return "synchronization.run." + string(s) }

// SystemMessageKey is the message key of the sentence telling one system's progress; the
// succeeded one counts the series (locales: synchronization.run).
func (s RunStatus) SystemMessageKey() string {
	switch s {
	case RunPending:
		return "synchronization.run.systemPending"
	case RunRunning:
		return "synchronization.run.systemRunning"
	case RunSucceeded:
		return "synchronization.run.systemSucceeded"
	}
	return "synchronization.run.systemFailed"
}

// Tone is the DSFR alert variant of the status.
func (s RunStatus) Tone() string {
	switch s {
	case RunSucceeded:
		return "success"
	case RunFailed:
		return "error"
	}
	return "info"
}

// Run is a background synchronization of one organization (decision T9, docs/decisions.md).
type Run struct {
	bun.BaseModel `bun:"table:synchronization_runs,alias:r"`

	ID             uuid.UUID  `bun:"id,pk" json:"id"`
	OrganizationID uuid.UUID  `bun:"organization_id" json:"organization_id"`
	RequestedBy    *uuid.UUID `bun:"requested_by" json:"requested_by"`
	Status         RunStatus  `bun:"status" json:"status"`
	ErrorCode      *string    `bun:"error_code" json:"error_code"`
	ErrorArgument  string     `bun:"error_argument,nullzero" json:"error_argument"`
	NotBefore      time.Time  `bun:"not_before,nullzero,default:now()" json:"not_before"`
	StartedAt      *time.Time `bun:"started_at" json:"started_at"`
	FinishedAt     *time.Time `bun:"finished_at" json:"finished_at"`
	CreatedAt      time.Time  `bun:"created_at,nullzero,default:now()" json:"created_at"`
	UpdatedAt      time.Time  `bun:"updated_at,nullzero,default:now()" json:"updated_at"`

	Systems []RunSystem `bun:"rel:has-many,join:id=run_id" json:"systems"`
}

// Finished reports whether the run ended (the page stops polling).
func (r *Run) Finished() bool { return r.Status.Finished() }

// RunSystem is the progress of one system within a run.
type RunSystem struct {
	bun.BaseModel `bun:"table:synchronization_run_systems,alias:rs"`

	RunID             uuid.UUID `bun:"run_id,pk" json:"run_id"`
	TicketingSystemID uuid.UUID `bun:"ticketing_system_id,pk" json:"ticketing_system_id"`
	Status            RunStatus `bun:"status" json:"status"`
	ErrorCode         *string   `bun:"error_code" json:"error_code"`
	ErrorArgument     string    `bun:"error_argument,nullzero" json:"error_argument"`
	SeriesCount       int       `bun:"series_count" json:"series_count"`
	// Warnings counts, by ticketing.WarningCode, what the connector left out.
	Warnings   map[ticketing.WarningCode]int `bun:"warnings,type:jsonb" json:"warnings"`
	StartedAt  *time.Time                    `bun:"started_at" json:"started_at"`
	FinishedAt *time.Time                    `bun:"finished_at" json:"finished_at"`
	// System is the name of the ticketing system, joined for display.
	System ticketing.System `bun:"system,scanonly" json:"system"`
}

// LatestRunJSON is an SQL expression: the latest run of the organization
// whose id is org (a placeholder or a column) with its systems, as the JSON
// DecodeRun reads, NULL before the first run. A page reads it within its
// own statement (the organization page, see series.Overview).
func LatestRunJSON(org string) string {
	return `(SELECT ` + runJSON + ` FROM synchronization_runs AS r WHERE r.organization_id = ` + org + ` ORDER BY r.created_at DESC LIMIT 1)`
}

// runJSON is the run r with its systems as the JSON of a Run: every column
// of both tables under its own name (Run's and RunSystem's JSON tags are the
// column names), so that a column added is read without touching this.
const runJSON = `to_jsonb(r) || jsonb_build_object('systems', coalesce((
    SELECT jsonb_agg(to_jsonb(rs) || jsonb_build_object('system', ts.name) ORDER BY ts.created_at)
    FROM synchronization_run_systems AS rs JOIN ticketing_systems AS ts ON ts.id = rs.ticketing_system_id
    WHERE rs.run_id = r.id), '[]'::jsonb))`

// SystemsAndRuns reads the organization's live remote systems (MANUAL
// excluded, oldest first, without their credentials) and its latest runs
// with their systems (newest first, at most runs of them) in one statement:
// the pages listing both.
func SystemsAndRuns(ctx context.Context, idb bun.IDB, organizationID uuid.UUID, runs int) (_ []System, _ []Run, err error) {
	defer derrors.Wrap(&err, "synchronization: systems and runs of %s", organizationID)
	var systemsJSON, runsJSON string // not []byte: Bun scans a []byte destination as a list
	err = idb.NewRaw(`SELECT
	(SELECT coalesce(jsonb_agg(to_jsonb(s) - 'credentials' ORDER BY s.created_at, s.id), '[]') FROM ticketing_systems AS s
		WHERE s.organization_id = ?0 AND `+LiveRemoteSystemSQL("s")+`),
	(SELECT coalesce(jsonb_agg(x.run ORDER BY x.created_at DESC), '[]') FROM (
		SELECT `+runJSON+` AS run, r.created_at FROM synchronization_runs AS r
		WHERE r.organization_id = ?0 ORDER BY r.created_at DESC LIMIT ?1) AS x)`,
		organizationID, runs).Scan(ctx, &systemsJSON, &runsJSON)
	if err != nil {
		return nil, nil, err
	}
	var systems []System
	if err := json.Unmarshal([]byte(systemsJSON), &systems); err != nil {
		return nil, nil, fmt.Errorf("decode the systems: %w", err)
	}
	var rs []Run
	if err := json.Unmarshal([]byte(runsJSON), &rs); err != nil {
		return nil, nil, fmt.Errorf("decode the runs: %w", err)
	}
	return systems, rs, nil
}

// DecodeRun reads a run written by LatestRunJSON; nil for none.
func DecodeRun(b []byte) (*Run, error) {
	if len(b) == 0 {
		return nil, nil
	}
	run := &Run{}
	if err := json.Unmarshal(b, run); err != nil {
		return nil, fmt.Errorf("synchronization: decode a run: %w", err)
	}
	return run, nil
}

// Enqueue asks for a synchronization of the organization. While one is pending or running, that
// one is returned instead (two clicks never start two runs); created tells which.
func Enqueue(ctx context.Context, idb bun.IDB, organizationID uuid.UUID, requestedBy *uuid.UUID, notBefore time.Time) (_ *Run, _ bool, err error) {
	defer derrors.Wrap(&err, "synchronization: enqueue a run for %s", organizationID)
	run, err := insertRun(ctx, idb, organizationID, requestedBy, notBefore)
	if err != nil || run != nil {
		return run, run != nil, err
	}
	run, err = ActiveRun(ctx, idb, organizationID)
	if err == nil && run == nil {
		// The active run finished between our insert and this read: ask again.
		return Enqueue(ctx, idb, organizationID, requestedBy, notBefore)
	}
	return run, false, err
}

// insertRun inserts a pending run with one pending row per live remote system and returns it as
// GetRun would, without reading it back; it returns nil when the organization already has an
// active run.
func insertRun(ctx context.Context, idb bun.IDB, organizationID uuid.UUID, requestedBy *uuid.UUID, notBefore time.Time) (*Run, error) {
	return insertRunAs(ctx, idb, &Run{ID: uuid.New(), OrganizationID: organizationID, RequestedBy: requestedBy, Status: RunPending, NotBefore: notBefore})
}

// insertRunAs inserts run as it is given (pending, or running when its caller executes it at
// once) with one pending row per live remote system, and returns it as GetRun would; it returns
// nil when the organization already has an active run.
func insertRunAs(ctx context.Context, idb bun.IDB, run *Run) (_ *Run, err error) {
	organizationID := run.OrganizationID
	defer derrors.Wrap(&err, "synchronization: insert a run for %s", organizationID)
	created := false
	err = idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		systems, err := ListSystemsForOrganization(ctx, tx, organizationID)
		if err != nil {
			return err
		}
		if len(systems) == 0 {
			return ErrNoValidTicketingSystem
		}
		res, err := tx.NewInsert().Model(run).ExcludeColumn("created_at", "updated_at").
			On("CONFLICT (organization_id) WHERE status IN ('pending', 'running') DO NOTHING").
			Returning("created_at, updated_at").Exec(ctx)
		if err != nil {
			return fmt.Errorf("insert the run: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("count the inserted runs: %w", err)
		}
		if n == 0 {
			return nil
		}
		created = true
		// Same order as runQuery: the systems' creation order.
		run.Systems = make([]RunSystem, len(systems))
		for i, sys := range systems {
			run.Systems[i] = RunSystem{RunID: run.ID, TicketingSystemID: sys.ID, Status: RunPending, System: sys.Name}
		}
		if _, err := tx.NewInsert().Model(&run.Systems).Column("run_id", "ticketing_system_id", "status").Exec(ctx); err != nil {
			return fmt.Errorf("insert the run's systems: %w", err)
		}
		return nil
	})
	if errors.Is(err, ErrNoValidTicketingSystem) {
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	if !created {
		return nil, nil
	}
	return run, nil
}

// ActiveRun returns the organization's pending or running run, or nil.
func ActiveRun(ctx context.Context, idb bun.IDB, organizationID uuid.UUID) (*Run, error) {
	run := new(Run)
	err := runQuery(idb, run).Where("r.organization_id = ? AND r.status IN (?, ?)", organizationID, RunPending, RunRunning).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("synchronization: active run of %s: %w", organizationID, err)
	}
	return run, nil
}

// GetRun returns a run of the organization; another organization's run is not found.
func GetRun(ctx context.Context, idb bun.IDB, organizationID, id uuid.UUID) (*Run, error) {
	run := new(Run)
	err := runQuery(idb, run).Where("r.id = ? AND r.organization_id = ?", id, organizationID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrSystemNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("synchronization: get run %s of %s: %w", id, organizationID, err)
	}
	return run, nil
}

func runQuery(idb bun.IDB, model any) *bun.SelectQuery {
	return idb.NewSelect().Model(model).Relation("Systems", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.ColumnExpr("rs.*").ColumnExpr("ts.name AS system").
			Join("JOIN ticketing_systems AS ts ON ts.id = rs.ticketing_system_id").Order("ts.created_at")
	})
}

// Resynchronize enqueues a synchronization of the organization on behalf of an admin, from the
// admin screens, unless one is already pending or running; the run uses the mock outside
// production as the nightly job does.
func (s *Service) Resynchronize(ctx context.Context, organizationID uuid.UUID) (err error) {
	defer derrors.Wrap(&err, "synchronization: resynchronize %s", organizationID)
	_, err = insertRun(ctx, s.DB, organizationID, nil, s.now())
	return err
}

// staleRunAfter is how long a running run may go without news before it is failed: its worker
// died (the heartbeat refreshes updated_at far more often).
const staleRunAfter = 5 * time.Minute

// claim marks up to n due pending runs as running and returns them. SKIP LOCKED lets several
// instances claim concurrently without ever taking the same run. Runs whose worker died are
// failed first, so that their organization can be synchronized again.
func (s *Service) claim(ctx context.Context, n int) (_ []Run, err error) {
	defer derrors.Wrap(&err, "synchronization: claim %d runs", n)
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var stale []uuid.UUID
		if err := tx.NewUpdate().Table("synchronization_runs").
			Where("status = ? AND updated_at < ?", RunRunning, s.now().Add(-staleRunAfter)).
			Set("status = ?, error_code = ?, finished_at = now(), updated_at = now()", RunFailed, errInterruptedSynchronizer.Code).
			Returning("id").Scan(ctx, &stale); err != nil {
			return fmt.Errorf("fail the stale runs: %w", err)
		}
		return failUnfinishedSystems(ctx, tx, errInterruptedSynchronizer.Code, stale...)
	})
	if err != nil {
		return nil, err
	}
	var runs []Run
	err = s.DB.NewRaw(`UPDATE synchronization_runs SET status = ?, started_at = now(), updated_at = now()
		WHERE id IN (SELECT id FROM synchronization_runs WHERE status = ? AND not_before <= ?
		             ORDER BY not_before FOR UPDATE SKIP LOCKED LIMIT ?)
		RETURNING *`, RunRunning, RunPending, s.now(), n).Scan(ctx, &runs)
	if err != nil {
		return nil, fmt.Errorf("claim the due runs: %w", err)
	}
	return runs, nil
}

// Execute performs a claimed run: it synchronizes the organization, recording each system's
// progress for the page that follows it, then the outcome.
func (s *Service) Execute(ctx context.Context, run *Run) (err error) {
	defer derrors.Wrap(&err, "synchronization: execute run %s of %s", run.ID, run.OrganizationID)
	actor := uuid.Nil
	if run.RequestedBy != nil {
		actor = *run.RequestedBy
	}
	stop := s.heartbeat(ctx, run.ID)
	defer stop()
	progress := func(o Outcome, done bool) {
		q := s.DB.NewUpdate().Table("synchronization_run_systems").
			Where("run_id = ? AND ticketing_system_id = ?", run.ID, o.SystemID)
		switch {
		case !done:
			q.Set("status = ?, started_at = now()", RunRunning)
		case o.Err != nil:
			q.Set("status = ?, error_code = ?, error_argument = nullif(?, ''), finished_at = now()", RunFailed, ErrorCode(o.Err), ErrorArgument(o.Err))
		default:
			q.Set("status = ?, series_count = ?, warnings = ?::jsonb, finished_at = now()", RunSucceeded, o.Series, warningsJSON(o.Warnings))
		}
		if _, err := q.Exec(context.WithoutCancel(ctx)); err != nil {
			s.Logger.Error("synchronization progress not recorded", "run_id", run.ID, "error", err)
		}
	}
	outcomes, err := s.SynchronizeOrganization(ctx, run.OrganizationID, actor, progress)
	status, code, argument := RunSucceeded, "", ""
	if err == nil {
		for _, o := range outcomes {
			if o.Err != nil && code == "" {
				status, code, argument = RunFailed, ErrorCode(o.Err), ErrorArgument(o.Err)
			}
		}
	} else {
		status, code = RunFailed, ErrorCode(err)
	}
	var errCode *string
	if code != "" {
		errCode = &code
	}
	_, uerr := s.DB.NewUpdate().Table("synchronization_runs").Where("id = ?", run.ID).
		Set("status = ?, error_code = ?, error_argument = nullif(?, ''), finished_at = now(), updated_at = now()", status, errCode, argument).
		Exec(context.WithoutCancel(ctx))
	if uerr != nil {
		uerr = fmt.Errorf("record the outcome %s: %w", status, uerr)
	} else if status == RunFailed {
		// Systems never reached (the run was refused) are failed with the run.
		uerr = failUnfinishedSystems(context.WithoutCancel(ctx), s.DB, code, run.ID)
	}
	if err != nil && !isBusiness(err) {
		return errors.Join(err, uerr)
	}
	return uerr
}

// warningsJSON is the warnings column's value of counts (an empty object for none).
func warningsJSON(counts map[ticketing.WarningCode]int) string {
	if len(counts) == 0 {
		return "{}"
	}
	b, err := json.Marshal(counts)
	if err != nil {
		panic(err) // a map of strings to ints always marshals
	}
	return string(b)
}

// failUnfinishedSystems fails with code the systems of failed runs still pending or running, so
// that a finished run never shows a system in progress.
func failUnfinishedSystems(ctx context.Context, idb bun.IDB, code string, runIDs ...uuid.UUID) error {
	if len(runIDs) == 0 {
		return nil
	}
	_, err := idb.NewUpdate().Table("synchronization_run_systems").
		Where("run_id IN (?) AND status IN (?, ?)", bun.List(runIDs), RunPending, RunRunning).
		Set("status = ?, error_code = ?, finished_at = now()", RunFailed, code).Exec(ctx)
	if err != nil {
		return fmt.Errorf("fail the unfinished systems of %d runs from %s: %w", len(runIDs), runIDs[0], err)
	}
	return nil
}

// heartbeatEvery is how often a running run proves its worker is alive.
const heartbeatEvery = 30 * time.Second

func (s *Service) heartbeat(ctx context.Context, runID uuid.UUID) func() {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(heartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				_, err := s.DB.NewUpdate().Table("synchronization_runs").Where("id = ?", runID).Set("updated_at = now()").Exec(ctx)
				if err != nil && ctx.Err() == nil {
					// A missed beat is retried at the next tick; only a worker silent for
					// staleRunAfter loses its run.
					s.Logger.Warn("synchronization heartbeat", "run_id", runID, "error", err)
				}
			}
		}
	})
	return func() { cancel(); wg.Wait() }
}
