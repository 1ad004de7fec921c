package synchronization

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/ticketing"
)

func TestEnqueueNightlySpreadsRunsAndKeepsActiveOnes(t *testing.T) {
	// Not parallel: the nightly job enqueues every organization of the shared test database. Its
	// runs are dated in 2100 so that no runner claims them, and removed afterwards.
	start := time.Date(2100, 1, 1, 1, 0, 0, 0, time.UTC)
	idle, busy, manual := newFixture(t), newFixture(t), newFixture(t)
	t.Cleanup(func() { idle.exec(`DELETE FROM synchronization_runs WHERE not_before >= ?`, start) })
	ctx := context.Background()
	idle.connect(ticketing.Billetweb, &scripted{})
	busy.connect(ticketing.Billetweb, &scripted{})
	manual.exec(`INSERT INTO ticketing_systems (organization_id, name) VALUES (?, 'MANUAL')`, manual.org)
	active, _, err := Enqueue(ctx, busy.svc.DB, busy.org, &busy.user.ID, start.Add(10*NightlySpread))
	if err != nil {
		t.Fatal(err)
	}

	svc := *idle.svc
	svc.Now = func() time.Time { return start }
	n, err := svc.EnqueueNightly(ctx)
	if err != nil {
		t.Fatal(err)
	}

	var orgs int
	if err := idle.db.NewRaw(`SELECT count(DISTINCT organization_id) FROM ticketing_systems AS s WHERE `+LiveRemoteSystemSQL("s")).Scan(ctx, &orgs); err != nil {
		t.Fatal(err)
	}
	var notBefores []time.Time
	if err := idle.db.NewRaw(`SELECT not_before FROM synchronization_runs WHERE not_before >= ? AND not_before < ?`,
		start, start.Add(NightlySpread)).Scan(ctx, &notBefores); err != nil {
		t.Fatal(err)
	}
	if n == 0 || len(notBefores) != n {
		t.Fatalf("enqueued %d, runs in the window %d", n, len(notBefores))
	}
	// Each run starts at its own multiple of the step, within the spread.
	step, slots := NightlySpread/time.Duration(orgs), map[time.Duration]bool{}
	for _, nb := range notBefores {
		d := nb.Sub(start)
		slot := (d + step/2) / step
		if off := d - slot*step; off > time.Microsecond || off < -time.Microsecond || slots[slot] {
			t.Errorf("not_before %v is not a free slot of %v", nb, step)
		}
		slots[slot] = true
	}

	runsOf := func(org uuid.UUID) []Run {
		_, runs, err := SystemsAndRuns(ctx, svc.DB, org, 10)
		if err != nil {
			t.Fatal(err)
		}
		return runs
	}
	if runs := runsOf(idle.org); len(runs) != 1 || runs[0].RequestedBy != nil || len(runs[0].Systems) != 1 {
		t.Errorf("idle organization runs = %+v", runs)
	}
	if runs := runsOf(busy.org); len(runs) != 1 || runs[0].ID != active.ID {
		t.Errorf("busy organization runs = %+v, want its active run only", runs)
	}
	if runs := runsOf(manual.org); len(runs) != 0 {
		t.Errorf("manual-only organization runs = %+v", runs)
	}
}

func TestStaleRunIsFailedWithItsSystems(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	running := f.connect(ticketing.Billetweb, &scripted{})
	f.connect(ticketing.HelloAsso, &scripted{})
	// In 2100, so that no runner of another test claims it.
	run, _, err := Enqueue(ctx, f.svc.DB, f.org, &f.user.ID, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	// Its worker died while synchronizing the first system.
	f.exec(`UPDATE synchronization_runs SET status = 'running', started_at = now(), updated_at = ? WHERE id = ?`,
		time.Now().Add(-staleRunAfter-time.Minute), run.ID)
	f.exec(`UPDATE synchronization_run_systems SET status = 'running', started_at = now() WHERE run_id = ? AND ticketing_system_id = ?`, run.ID, running)

	if _, err := f.svc.claim(ctx, 0); err != nil {
		t.Fatal(err)
	}

	got, err := GetRun(ctx, f.svc.DB, f.org, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != RunFailed || got.ErrorCode == nil || *got.ErrorCode != errInterruptedSynchronizer.Code || got.FinishedAt == nil {
		t.Errorf("run = %+v", got)
	}
	for _, s := range got.Systems {
		if s.Status != RunFailed || s.ErrorCode == nil || *s.ErrorCode != errInterruptedSynchronizer.Code || s.FinishedAt == nil {
			t.Errorf("system %s = %+v", s.System, s)
		}
	}
}

// The latest run read as JSON within another statement (the organization
// page's) is the run GetRun reads, with its systems; so are the runs and the
// systems SystemsAndRuns reads.
func TestLatestRunJSONIsTheLatestRun(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	var none []byte
	if err := f.db.NewRaw(`SELECT `+LatestRunJSON("?"), f.org).Scan(ctx, &none); err != nil {
		t.Fatal(err)
	}
	if run, err := DecodeRun(none); run != nil || err != nil {
		t.Fatalf("before any run: %v, %v", run, err)
	}
	system := f.connect(ticketing.Billetweb, &scripted{})
	f.exec(`INSERT INTO synchronization_runs (organization_id, status, created_at) VALUES (?, 'succeeded', now() - interval '1 hour')`, f.org)
	f.exec(`WITH r AS (INSERT INTO synchronization_runs (organization_id, status, error_code, started_at) VALUES (?, 'failed', 'x', now()) RETURNING id)
INSERT INTO synchronization_run_systems (run_id, ticketing_system_id, status, series_count, started_at) SELECT r.id, ?, 'failed', 7, now() FROM r`, f.org, system)
	var b []byte
	if err := f.db.NewRaw(`SELECT `+LatestRunJSON("?"), f.org).Scan(ctx, &b); err != nil {
		t.Fatal(err)
	}
	got, err := DecodeRun(b)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil {
		t.Fatal("no latest run")
	}
	want, err := GetRun(ctx, f.db, f.org, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != want.ID || got.Status != want.Status || *got.ErrorCode != *want.ErrorCode || !got.StartedAt.Equal(*want.StartedAt) ||
		!got.CreatedAt.Equal(want.CreatedAt) || len(got.Systems) != 1 {
		t.Fatalf("latest run = %+v, want %+v", got, want)
	}
	if s, w := got.Systems[0], want.Systems[0]; s.System != w.System || s.SeriesCount != 7 || s.Status != w.Status || !s.StartedAt.Equal(*w.StartedAt) {
		t.Errorf("its system = %+v, want %+v", s, w)
	}

	systems, runs, err := SystemsAndRuns(ctx, f.db, f.org, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].ID != want.ID || len(runs[0].Systems) != 1 || runs[0].Systems[0].SeriesCount != 7 {
		t.Errorf("SystemsAndRuns' runs = %+v, want the latest only", runs)
	}
	stored, err := ListSystemsForOrganization(ctx, f.db, f.org)
	if err != nil {
		t.Fatal(err)
	}
	if len(systems) != 1 || len(stored) != 1 || systems[0].ID != system || systems[0].Name != stored[0].Name ||
		systems[0].OrganizationID != f.org || !systems[0].CreatedAt.Equal(stored[0].CreatedAt) || systems[0].Credentials != nil || len(stored[0].Credentials) == 0 {
		t.Errorf("SystemsAndRuns' systems = %+v, want %+v without its credentials", systems, stored)
	}
}

// A run's JSON carries every column of the run and of its systems, each
// under a JSON tag of Run or RunSystem: a column added without its field
// fails here rather than being dropped silently.
func TestRunJSONHasAFieldForEveryColumn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	system := f.connect(ticketing.Billetweb, &scripted{})
	runID := uuid.New()
	f.exec(`INSERT INTO synchronization_runs (id, organization_id, requested_by, status, error_code, error_argument, started_at, finished_at)
		VALUES (?, ?, ?, 'failed', 'some_code', 'argument', now(), now())`, runID, f.org, f.user.ID)
	f.exec(`INSERT INTO synchronization_run_systems (run_id, ticketing_system_id, status, error_code, error_argument, series_count, warnings, started_at, finished_at)
		VALUES (?, ?, 'failed', 'system_code', 'system argument', 3, '{"undated_tickets": 2}', now(), now())`, runID, system)
	var raw string
	if err := f.db.NewRaw(`SELECT `+runJSON+` FROM synchronization_runs AS r WHERE r.id = ?`, runID).Scan(ctx, &raw); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	var run Run
	if err := dec.Decode(&run); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	if run.ID != runID || run.RequestedBy == nil || *run.RequestedBy != f.user.ID || run.Status != RunFailed ||
		run.ErrorCode == nil || *run.ErrorCode != "some_code" || run.ErrorArgument != "argument" || run.FinishedAt == nil {
		t.Errorf("run %+v", run)
	}
	if len(run.Systems) != 1 {
		t.Fatalf("systems %+v", run.Systems)
	}
	s := run.Systems[0]
	if s.RunID != runID || s.TicketingSystemID != system || s.System != ticketing.Billetweb || s.SeriesCount != 3 ||
		s.ErrorArgument != "system argument" || s.Warnings[ticketing.WarningUndatedTickets] != 2 || s.StartedAt == nil {
		t.Errorf("system %+v", s)
	}
}

// The command line's run is inserted already running, in one statement: it is
// never a pending run that a crash before its claim would leave to the
// servers' pollers (a trigger refuses any other insert for the organization).
func TestSynchronizeNowInsertsItsRunRunning(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.connect(ticketing.Billetweb, &scripted{})
	trigger := "refuse_unclaimed_" + strings.ReplaceAll(f.org.String(), "-", "")
	f.exec(`CREATE OR REPLACE FUNCTION test_refuse_unclaimed_run() RETURNS trigger LANGUAGE plpgsql AS
		$$BEGIN RAISE EXCEPTION 'run % inserted %', NEW.id, NEW.status; END$$`)
	f.exec(`CREATE TRIGGER ` + trigger + ` BEFORE INSERT ON synchronization_runs FOR EACH ROW
		WHEN (NEW.organization_id = '` + f.org.String() + `' AND (NEW.status <> 'running' OR NEW.started_at IS NULL OR NEW.not_before > now()))
		EXECUTE FUNCTION test_refuse_unclaimed_run()`)
	t.Cleanup(func() { f.exec(`DROP TRIGGER ` + trigger + ` ON synchronization_runs`) })

	run, err := f.svc.SynchronizeNow(context.Background(), f.org)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != RunSucceeded || run.StartedAt == nil || run.FinishedAt == nil || len(run.Systems) != 1 {
		t.Errorf("run %+v", run)
	}
	if _, err := f.svc.SynchronizeNow(context.Background(), f.org); err != nil {
		t.Errorf("second run: %v", err)
	}
}
