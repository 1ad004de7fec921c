package jobs

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"assistant-declaration/app/db"
	"assistant-declaration/app/db/dbtest"
)

// jobName gives each test its own job, hence its own lock and rows.
func jobName(t *testing.T) string {
	return fmt.Sprintf("test-%s-%06d", strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")), rand.IntN(1e6))
}

// openPool opens an independent pool on the test database, as a separate
// instance of the app would.
func openPool(t *testing.T) *db.DB {
	t.Helper()
	dbtest.Open(t)
	d, err := db.Open(context.Background(), dbtest.URL(), 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

// waitFor polls cond until it holds or fails the test after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// runsOf returns the job's rows, oldest slot first.
func runsOf(t *testing.T, d *db.DB, name string) []Run {
	t.Helper()
	var runs []Run
	if err := d.NewSelect().Model(&runs).Where("job_name = ?", name).Order("scheduled_at").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return runs
}

// terminate kills the backend of a session, as a crash or a network cut would.
func terminate(t *testing.T, d *db.DB, pid int32) {
	t.Helper()
	var ok bool
	if err := d.NewRaw("SELECT pg_terminate_backend(?)", pid).Scan(context.Background(), &ok); err != nil || !ok {
		t.Fatalf("pg_terminate_backend(%d) = %v, %v", pid, ok, err)
	}
}
