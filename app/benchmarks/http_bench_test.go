package benchmarks

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"assistant-declaration/app/db"
)

// benchDatabase creates a database for one benchmark on the cluster of
// BENCH_DATABASE_URL (or TEST_DATABASE_URL), dropped when it ends, and returns
// its URL. The name carries the process id so that runs from two checkouts on
// one cluster never drop each other's database.
func benchDatabase(b *testing.B, name string) string {
	b.Helper()
	name = fmt.Sprintf("%s_%d", name, os.Getpid())
	admin := os.Getenv("BENCH_DATABASE_URL")
	if admin == "" {
		admin = os.Getenv("TEST_DATABASE_URL")
	}
	if admin == "" {
		if os.Getenv("SKIP_DATABASE_TESTS") == "1" {
			b.Skip("SKIP_DATABASE_TESTS=1: database benchmark skipped")
		}
		b.Fatal("BENCH_DATABASE_URL (or TEST_DATABASE_URL) is not set: run `make bench`, or set it, or SKIP_DATABASE_TESTS=1 to skip the database benchmarks")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %q WITH (FORCE)`, name)); err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf(`CREATE DATABASE %q`, name)); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			b.Error(err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %q WITH (FORCE)`, name)); err != nil {
			b.Error(err)
		}
	})
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String()
}

func freePort(b *testing.B) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startBinary builds the real binary, starts `serve` and returns its base URL,
// its process and the time from exec to /readyz answering 200.
func startBinary(b *testing.B, databaseURL string) (string, *exec.Cmd, time.Duration) {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "assistant-declaration")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	run := func() (*exec.Cmd, string) {
		port := freePort(b)
		cmd := exec.Command(bin, "serve")
		cmd.Env = append(os.Environ(), "APP_MODE=test", "DEMO_DATA=false", "DATABASE_URL="+databaseURL,
			fmt.Sprintf("PORT=%d", port), "LOG_LEVEL=info", "LOG_FORMAT=json")
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		return cmd, fmt.Sprintf("http://127.0.0.1:%d", port)
	}
	waitReady := func(base string) {
		deadline := time.Now().Add(30 * time.Second)
		for {
			resp, err := http.Get(base + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return
				}
			}
			if time.Now().After(deadline) {
				b.Fatal("the app never became ready")
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	// A first start applies the migrations; the measured start is the usual
	// one: cluster running, schema up to date.
	first, base := run()
	waitReady(base)
	stop(first)

	t0 := time.Now()
	cmd, base := run()
	waitReady(base)
	ready := time.Since(t0)
	b.Cleanup(func() { stop(cmd) })
	return base, cmd, ready
}

func stop(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
	}
}

// BenchmarkHTTP measures the home page against /healthz at 64 concurrent
// connections (for visitors without a session, whose public pages are
// rendered once, and for a visitor with a session, rendered each time) and
// the organization page of a collaborator next to them, the memory of the
// process idle and under load, and the time
// from start to ready. Targets: ready < 1 s, idle RSS < 40 MB, home ≥ 5 000
// req/s with p99 < 20 ms on 2 cores.
func BenchmarkHTTP(b *testing.B) {
	url := benchDatabase(b, "bench_http")
	base, cmd, ready := startBinary(b, url)
	d, err := db.Open(context.Background(), url, 2)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	time.Sleep(500 * time.Millisecond)
	idle, _ := ProcessMemory(cmd.Process.Pid)

	const connections, duration = 64, 5 * time.Second
	Load(base+"/", connections, time.Second, nil) // warm-up
	healthz := Load(base+"/healthz", connections, duration, nil)
	home := Load(base+"/", connections, duration, nil)
	// A visitor with a session (a form's CSRF token) gets the page rendered
	// for them: session lookup plus templates, the cost of every private page.
	withSession := Load(base+"/", connections, duration, http.Header{"Cookie": {"session=" + newSession(b, d, "")}})
	// The organization page, the one entrepreneurs use most: a collaborator's
	// session, the organization and its series (2 of 3 performances).
	userID, orgID, systemID := newOrganization(b, d, "bench-http@example.org")
	for i := range 2 {
		if _, err := d.ExecContext(context.Background(), `WITH s AS (INSERT INTO event_series (ticketing_system_id, internal_ticketing_system_id, name)
  VALUES (?, ?, 'Spectacle') RETURNING id)
INSERT INTO events (event_serie_id, internal_ticketing_system_id, start_at, ticketing_revenue_including_taxes, ticketing_revenue_excluding_taxes, paid_tickets)
SELECT s.id, i::text, now() - i * interval '1 day', 105.5, 100, 10 FROM s, generate_series(1, 3) AS i`, systemID, fmt.Sprint("serie-", i)); err != nil {
			b.Fatal(err)
		}
	}
	orgHeader := http.Header{"Cookie": {"session=" + newSession(b, d, userID)}}
	req, _ := http.NewRequest(http.MethodGet, base+"/dashboard/organization/"+orgID, nil)
	req.Header = orgHeader
	timed(b, http.DefaultClient, req, "Spectacle") // the page with its series, not a redirect or an error
	organization := Load(base+"/dashboard/organization/"+orgID, connections, duration, orgHeader)
	_, peak := ProcessMemory(cmd.Process.Pid)

	b.ReportMetric(home.PerSecond(), "home-req/s")
	b.ReportMetric(ms(home.P99), "home-p99-ms")
	b.ReportMetric(organization.PerSecond(), "organization-req/s")
	fmt.Printf("\nHTTP benchmark (%d connections, %s each, load generator in the same machine)\n", connections, duration)
	fmt.Printf("  start to /readyz 200 : %6.0f ms\n", ms(ready))
	fmt.Printf("  RSS idle             : %6.1f MiB\n", idle)
	fmt.Printf("  RSS peak under load  : %6.1f MiB\n", peak)
	fmt.Printf("  /healthz             : %s\n", healthz)
	fmt.Printf("  / (home page)        : %s\n", home)
	fmt.Printf("  / with a session     : %s\n", withSession)
	fmt.Printf("  organization page    : %s\n", organization)
	fmt.Printf("  ratio organization/home with a session: %6.2f (target ≥ 0.5)\n", organization.PerSecond()/withSession.PerSecond())
	fmt.Printf("  ratio home/healthz   : %6.2f (throughput)\n", home.PerSecond()/healthz.PerSecond())
	if home.Errors > 0 || healthz.Errors > 0 || withSession.Errors > 0 || organization.Errors > 0 {
		b.Errorf("errors under load: home %d, healthz %d, home with a session %d, organization page %d",
			home.Errors, healthz.Errors, withSession.Errors, organization.Errors)
	}
}
