package admin_test

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"assistant-declaration/app/admin"
	"assistant-declaration/app/db"
	"assistant-declaration/app/db/dbtest"
)

// The national dataset's activity, at a small scale (SEED_TEST_ORGANIZATIONS
// makes it larger, to time it): its shape, and a second run adding nothing.
func TestSeedActivity(t *testing.T) {
	d := dbtest.OpenEmpty(t)
	ctx := context.Background()
	if _, err := db.Migrate(ctx, d); err != nil {
		t.Fatal(err)
	}
	orgs := 200
	if n, err := strconv.Atoi(os.Getenv("SEED_TEST_ORGANIZATIONS")); err == nil {
		orgs = n
	}
	start := time.Now()
	if err := admin.SeedOrganizations(ctx, d, orgs); err != nil {
		t.Fatal(err)
	}
	counts, err := admin.SeedActivity(ctx, d, slog.New(slog.DiscardHandler), admin.NationalSeriesPerOrganization, admin.NationalPerformancesPerSerie)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d organizations: %+v in %s", orgs, counts, time.Since(start))
	if counts.Systems != int64(orgs) || counts.Series != int64(orgs*20) || counts.Events != int64(orgs*100) {
		t.Errorf("counts %+v", counts)
	}
	// 60 % of the series, 1.25 declarations each: 0.75 per serie, within 10 %.
	if want := float64(counts.Series) * 0.75; float64(counts.Declarations) < want*0.9 || float64(counts.Declarations) > want*1.1 {
		t.Errorf("%d declarations for %d series, want about %.0f", counts.Declarations, counts.Series, want)
	}
	var connectors, inError, codes int
	var failedShare float64
	err = d.QueryRowContext(ctx, `SELECT count(DISTINCT name), count(*) FILTER (WHERE last_error_code IS NOT NULL) FROM ticketing_systems`).Scan(&connectors, &inError)
	if err != nil || connectors != 6 || inError == 0 {
		t.Errorf("%d connectors, %d in error (%v)", connectors, inError, err)
	}
	err = d.QueryRowContext(ctx, `SELECT count(DISTINCT last_transmission_error), avg((last_transmission_error IS NOT NULL)::int)
		FROM event_serie_declarations`).Scan(&codes, &failedShare)
	if err != nil || codes < 3 || failedShare < 0.015 || failedShare > 0.045 {
		t.Errorf("%d error codes, %.3f failed (%v)", codes, failedShare, err)
	}
	again, err := admin.SeedActivity(ctx, d, slog.New(slog.DiscardHandler), admin.NationalSeriesPerOrganization, admin.NationalPerformancesPerSerie)
	if err != nil || again != (admin.SeedCounts{}) {
		t.Errorf("second seed added %+v (%v)", again, err)
	}
	var accepted int
	if err := d.QueryRowContext(ctx, `SELECT coalesce(sum(value), 0) FROM statistics_monthly WHERE metric = 'declarations_accepted'`).Scan(&accepted); err != nil || accepted == 0 {
		t.Errorf("statistics not refreshed: %d accepted (%v)", accepted, err)
	}
}
