package benchmarks

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"assistant-declaration/app/admin"
	"assistant-declaration/app/statistics"
)

// backofficeBenchOrganizations is the default size of the back office
// benchmark's dataset: a tenth of the national one, with its shape (20
// series of 5 performances per organization). BENCH_BACKOFFICE_ORGANIZATIONS
// sets it, up to the national 20 000.
const backofficeBenchOrganizations = 2_000

// BenchmarkBackOffice seeds the national dataset's shape at a configurable
// size, then measures /admin/statistics and /impact on one connection and
// /admin/jobs and /admin/declarations on 16, printing p50 and p99 of each and the refresh of the
// statistics' figures.
func BenchmarkBackOffice(b *testing.B) {
	ctx := context.Background()
	orgs := backofficeBenchOrganizations
	if n, err := strconv.Atoi(os.Getenv("BENCH_BACKOFFICE_ORGANIZATIONS")); err == nil && n > 0 {
		orgs = n
	}
	d := migratedDatabase(b, "bench_backoffice", adminBenchPool)
	start := time.Now()
	if err := admin.SeedOrganizations(ctx, d, orgs); err != nil {
		b.Fatal(err)
	}
	counts, err := admin.SeedActivity(ctx, d, slog.New(slog.NewTextHandler(b.Output(), nil)), admin.NationalSeriesPerOrganization, admin.NationalPerformancesPerSerie)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d organizations, %+v in %s", orgs, counts, time.Since(start).Round(time.Millisecond))

	base := serveApp(b, d)
	header := http.Header{"Cookie": {"session=" + adminSession(b, d)}}
	b.ResetTimer()
	for _, page := range []struct {
		path, mark  string
		connections int
	}{
		{"/admin/statistics", "chart-failureRate", 1},
		{"/impact", "impact-amount", 1},
		{"/admin/jobs", "jobs-table", adminBenchConnections},
		{"/admin/declarations", "declarations-table", adminBenchConnections},
		{"/admin/declarations?organism=SACEM&sort=organization", "declarations-table", adminBenchConnections},
	} {
		target := base + page.path
		expect(b, target, header, page.mark)
		Load(target, page.connections, time.Second, header) // warm-up
		r := Load(target, page.connections, adminBenchDuration, header)
		b.Logf("GET %s, %d connection(s): %s", page.path, page.connections, r)
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
