package benchmarks

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"assistant-declaration/app/admin"
	"assistant-declaration/app/db"
	"assistant-declaration/app/statistics"
)

// backofficeBenchOrganizations is the default size of the back office
// benchmark's dataset: a tenth of the national one, with its shape (20
// series of 5 performances per organization), seeded in well under a minute.
// BENCH_BACKOFFICE_ORGANIZATIONS sets it, up to the national 20 000.
const backofficeBenchOrganizations = 2_000

// BenchmarkBackOffice measures the back office on the national dataset's
// shape: /admin/statistics and /impact on one connection; the filtered
// /admin list, /admin/jobs and /admin/declarations (by date, and one
// organism sorted by organization) on 16, with the pool the README
// recommends; it prints p50 and p99 of each (and of each list's query alone)
// and the time of the statistics' refresh. It seeds its own database, or,
// with BENCH_BACKOFFICE_DATABASE_URL, uses one seeded beforehand with `demo
// seed --national` (the national dataset seeds once, in minutes, and serves
// any number of runs).
func BenchmarkBackOffice(b *testing.B) {
	ctx := context.Background()
	d := backofficeDatabase(b)
	base := serveApp(b, d)
	header := http.Header{"Cookie": {"session=" + adminSession(b, d)}}
	checkPage(b, base+"/admin?"+adminBenchQuery, header)
	b.ResetTimer()
	// The lists' main query alone, one run after the other, after each list's
	// load: what the indexes decide, apart from rendering and from the CPU 16
	// connections share.
	organizations := func(v url.Values) error {
		f, _ := admin.ParseOrganizationFilter(v.Get)
		_, err := admin.ListOrganizations(ctx, d, f)
		return err
	}
	failed := func(v url.Values) error {
		f, _ := admin.ParseDeclarationFilter(v.Get)
		_, err := admin.ListDeclarations(ctx, d, f)
		return err
	}
	for _, page := range []struct {
		path, mark  string
		connections int
		query       func(url.Values) error
	}{
		{"/admin/statistics", "chart-failureRate", 1, nil},
		{"/impact", "impact-amount", 1, nil},
		{"/admin?" + adminBenchQuery, "organizations-table", adminBenchConnections, organizations},
		{"/admin/jobs", "jobs-table", adminBenchConnections, nil},
		{"/admin/declarations", "declarations-table", adminBenchConnections, failed},
		{"/admin/declarations?organism=SACEM&sort=organization", "declarations-table", adminBenchConnections, failed},
	} {
		target := base + page.path
		expect(b, target, header, page.mark)
		Load(target, page.connections, time.Second, header) // warm-up
		r := Load(target, page.connections, adminBenchDuration, header)
		alone := ""
		if page.query != nil {
			u, _ := url.Parse(page.path)
			p50, p99 := timeRuns(b, adminBenchSQLRuns, func() error { return page.query(u.Query()) })
			alone = fmt.Sprintf("; query alone p50 %.2f ms  p99 %.2f ms", ms(p50), ms(p99))
		}
		b.Logf("GET %s, %d connection(s), pool of %d: %s%s", page.path, page.connections, adminBenchPool, r, alone)
		if r.Errors > 0 {
			b.Errorf("GET %s: %d requests failed", page.path, r.Errors)
		}
	}
	b.StopTimer()
	refresh := time.Now()
	if err := statistics.Refresh(ctx, d); err != nil {
		b.Fatal(err)
	}
	b.Logf("refresh of the statistics (the 10-minute job): %s", time.Since(refresh).Round(time.Millisecond))
}

// backofficeDatabase is the database of BENCH_BACKOFFICE_DATABASE_URL,
// migrated and used as it is, or a new one seeded with
// BENCH_BACKOFFICE_ORGANIZATIONS organizations (backofficeBenchOrganizations
// by default).
func backofficeDatabase(b *testing.B) *db.DB {
	b.Helper()
	ctx := context.Background()
	if url := os.Getenv("BENCH_BACKOFFICE_DATABASE_URL"); url != "" {
		d, err := db.Open(ctx, url, adminBenchPool)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(d.Close)
		if _, err := db.Migrate(ctx, d); err != nil {
			b.Fatal(err)
		}
		var orgs, events int64
		if err := d.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM organizations), (SELECT count(*) FROM events)`).Scan(&orgs, &events); err != nil {
			b.Fatal(err)
		}
		b.Logf("BENCH_BACKOFFICE_DATABASE_URL: %d organizations, %d performances, as seeded", orgs, events)
		return d
	}
	orgs := backofficeBenchOrganizations
	if n, err := strconv.Atoi(os.Getenv("BENCH_BACKOFFICE_ORGANIZATIONS")); err == nil && n > 0 {
		orgs = n
	}
	d := migratedDatabase(b, "bench_backoffice", adminBenchPool)
	start := time.Now()
	if err := admin.SeedOrganizations(ctx, d, orgs); err != nil {
		b.Fatal(err)
	}
	// Each seeding step's time with -v only: go test keeps ten lines of a
	// benchmark's output.
	steps := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		steps = slog.New(slog.NewTextHandler(b.Output(), nil))
	}
	counts, err := admin.SeedActivity(ctx, d, steps, admin.NationalSeriesPerOrganization, admin.NationalPerformancesPerSerie)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d organizations, %+v in %s", orgs, counts, time.Since(start).Round(time.Millisecond))
	return d
}

// expect makes sure a measured page is the real one.
func expect(b *testing.B, target string, header http.Header, mark string) {
	b.Helper()
	req, _ := http.NewRequest(http.MethodGet, target, nil)
	req.Header = header
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !containsAll(string(body), mark) {
		b.Fatalf("GET %s = %d, without %s", target, resp.StatusCode, mark)
	}
}
