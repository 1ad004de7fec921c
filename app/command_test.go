package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"assistant-declaration/app"
	"assistant-declaration/app/apptest"
	"assistant-declaration/app/organizations/orgtest"
)

// `jobs list`, `jobs run NAME` and `sync ORGANIZATION_ID` work on the
// assembled application; a run is recorded like a scheduled one.
func TestCommands(t *testing.T) {
	h := apptest.New(t)
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := app.Command(ctx, h.Config, logger, h.DB, args, &out)
		return out.String(), err
	}

	out, err := run("jobs", "list")
	if err != nil || !strings.Contains(out, "ticketing-sync-nightly") || !strings.Contains(out, "job-run-requests") {
		t.Fatalf("jobs list = %q, %v", out, err)
	}
	if out, err := run("jobs", "run", "purge-job-runs"); err != nil || !strings.Contains(out, "purge-job-runs: succeeded") {
		t.Fatalf("jobs run = %q, %v", out, err)
	}
	var status string
	if err := h.DB.QueryRowContext(ctx, `SELECT status FROM job_runs WHERE job_name = 'purge-job-runs' ORDER BY started_at DESC LIMIT 1`).Scan(&status); err != nil || status != "success" {
		t.Errorf("recorded run: %q, %v", status, err)
	}
	if _, err := run("jobs", "run", "send-emails"); err == nil {
		t.Error("a poller ran from the command line")
	}

	org := orgtest.Insert(t, h.DB, orgtest.Row{Name: "Théâtre de la commande"})
	if _, err := run("sync", org.ID.String()); err == nil {
		t.Error("sync of an organization without ticketing system succeeded")
	}
	// Credentials that cannot be decrypted: the run is recorded, failed, with its code.
	if _, err := h.DB.ExecContext(ctx, `INSERT INTO ticketing_systems (organization_id, name, credentials) VALUES (?, 'BILLETWEB', '\x00')`, org.ID); err != nil {
		t.Fatal(err)
	}
	out, err = run("sync", org.ID.String())
	if err == nil || !strings.Contains(out, "BILLETWEB") || !strings.Contains(out, "failed") {
		t.Errorf("sync = %q, %v", out, err)
	}
	var runs int
	if err := h.DB.QueryRowContext(ctx, `SELECT count(*) FROM synchronization_runs WHERE organization_id = ? AND status = 'failed' AND finished_at IS NOT NULL`, org.ID).Scan(&runs); err != nil || runs != 1 {
		t.Errorf("recorded synchronizations = %d, %v", runs, err)
	}
}
