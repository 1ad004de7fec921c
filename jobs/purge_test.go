package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"assistant-declaration/app/db/dbtest"
)

// count runs a COUNT(*) query.
func count(t *testing.T, idb bun.IDB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := idb.NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPurgeRunsKeepsRecentRuns(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	ctx := context.Background()
	name := jobName(t)
	_, err := d.NewRaw(`INSERT INTO job_runs (job_name, scheduled_at, started_at, status, instance_id) VALUES
		(?0, now() - interval '91 days', now() - interval '91 days', 'success', 'x'),
		(?0, now() - interval '89 days', now() - interval '89 days', 'success', 'x')`, name).Exec(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := PurgeRuns(ctx, d, time.Now().Add(-RunRetention)); err != nil {
		t.Fatal(err)
	}
	if n := count(t, d, `SELECT count(*) FROM job_runs WHERE job_name = ?`, name); n != 1 {
		t.Fatalf("%d runs left, want the 89-day-old one", n)
	}
	if n := count(t, d, `SELECT count(*) FROM job_runs WHERE job_name = ? AND started_at < now() - interval '88 days'`, name); n != 1 {
		t.Fatalf("the run kept is not the 89-day-old one")
	}
}

// TestAddPurges: every purge is scheduled under its name, and a run deletes
// through the purge's function.
func TestAddPurges(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	s, err := New(d, "purges", nil)
	if err != nil {
		t.Fatal(err)
	}
	deleted := make(chan struct{}, 1)
	purges := append(PurgeJobs(), Purge{Name: jobName(t), Cron: "* * * * *", Delete: func(context.Context, bun.IDB) (int64, error) {
		select {
		case deleted <- struct{}{}:
		default:
		}
		return 1, nil
	}})
	must(t, s.AddPurges(d, purges...))
	s.Start()
	defer func() { must(t, s.Shutdown(context.Background())) }()

	for _, p := range purges {
		j, ok := s.jobs[p.Name]
		if !ok {
			t.Fatalf("%s not registered", p.Name)
		}
		if next, err := j.NextRun(); err != nil || next.IsZero() || time.Until(next) > 24*time.Hour {
			t.Errorf("%s next run %s (%v)", p.Name, next, err)
		}
	}
	must(t, s.RunNow(purges[len(purges)-1].Name))
	select {
	case <-deleted:
	case <-time.After(10 * time.Second):
		t.Fatal("the purge did not run")
	}
}
