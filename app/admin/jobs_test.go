package admin_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"assistant-declaration/app/admin"
)

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		850 * time.Millisecond:   "850 ms",
		12400 * time.Millisecond: "12,4 s",
		185 * time.Second:        "3 min 05 s",
	} {
		if got := admin.FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%s) = %q, want %q", d, got, want)
		}
	}
}

// The jobs page lists every job with its schedule and health; a failing and
// a stuck job stand out; "Exécuter maintenant" records one audited request.
func TestJobsPage(t *testing.T) {
	h, cl, adminID := adminClient(t)
	ctx := context.Background()
	now := time.Now()
	for _, r := range []struct {
		job, status, err string
		started          time.Time
	}{
		{"purge-job-runs", "success", "", now.Add(-48 * time.Hour)},
		{"purge-job-runs", "failed", "jobs: purge runs: connection refused", now.Add(-24 * time.Hour)},
		{"account-retention", "running", "", now.Add(-3 * time.Hour)},
	} {
		var finished any
		if r.status != "running" {
			finished = r.started.Add(1500 * time.Millisecond)
		}
		_, err := h.DB.ExecContext(ctx, `INSERT INTO job_runs (job_name, scheduled_at, started_at, finished_at, status, error, instance_id, duration_ms)
			VALUES (?, ?, ?, ?, ?, NULLIF(?, ''), 'web-1', 1500)`, r.job, r.started, r.started, finished, r.status, r.err)
		if err != nil {
			t.Fatal(err)
		}
	}
	r := cl.Get("/admin/jobs")
	if r.StatusCode != 200 {
		t.Fatalf("GET /admin/jobs = %d", r.StatusCode)
	}
	for job, want := range map[string]string{
		"purge-job-runs":         "En échec",
		"account-retention":      "Bloquée",
		"ticketing-sync-nightly": "",
		"ticketing-sync-runs":    "En continu",
		"job-run-requests":       "En continu",
	} {
		row := r.Doc.Find("#job-" + job)
		if row.Length() != 1 {
			t.Errorf("no row for %s", job)
			continue
		}
		if got := strings.TrimSpace(row.Find(".job-health").Text()); want != "" && got != want {
			t.Errorf("%s: health %q, want %q", job, got, want)
		}
	}
	if got := strings.TrimSpace(r.Doc.Find("#job-purge-job-runs .job-failures").Text()); got != "1" {
		t.Errorf("failures of purge-job-runs = %q, want 1", got)
	}
	if !strings.Contains(r.Text("#runs-purge-job-runs"), "connection refused") || !strings.Contains(r.Text("#runs-purge-job-runs"), "1,5 s") {
		t.Errorf("runs of purge-job-runs: %q", r.Text("#runs-purge-job-runs"))
	}
	if r.Doc.Find("#job-ticketing-sync-runs form").Length() != 0 {
		t.Error("a poller offers to run now")
	}

	if r := cl.PostForm("/admin/jobs/purge-job-runs/run", nil); r.StatusCode != 303 {
		t.Fatalf("run now = %d", r.StatusCode)
	}
	if r := cl.PostForm("/admin/jobs/ticketing-sync-runs/run", nil); r.StatusCode != 404 {
		t.Errorf("run a poller now = %d, want 404", r.StatusCode)
	}
	if got := cl.Get("/admin/jobs").Text("#job-purge-job-runs .job-pending"); !strings.Contains(got, "1 exécution") {
		t.Errorf("pending request: %q", got)
	}
	var audited int
	if err := h.DB.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = ? AND actor_user_id = ? AND details->>'job' = 'purge-job-runs'`,
		admin.JobRunRequested, adminID).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("audit entries = %d (%v), want 1", audited, err)
	}
}
