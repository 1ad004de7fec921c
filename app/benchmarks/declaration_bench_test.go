package benchmarks

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"assistant-declaration/app/db"
)

// Figures of the declaration form benchmark.
const (
	declBenchRuns = 200
	declBenchPool = 6
)

// BenchmarkDeclarationForm measures the declaration page of a serie of 1, 10
// and 100 performances on one keep-alive connection: the page's render and a
// field's save (htmx), p50 and p99 over sequential requests, and the SQL
// statements each needs (Bun's and those sent through pgx directly, but the
// session look-up), which must not grow with the performances.
func BenchmarkDeclarationForm(b *testing.B) {
	ctx := context.Background()
	counter := &poolCounter{}
	d := tracedDatabase(b, "bench_declaration", declBenchPool, counter)
	base := serveApp(b, d)

	userID, orgID, systemID := newOrganization(b, d, "bench-decl@example.org")
	header := http.Header{"Cookie": {"session=" + newSession(b, d, userID)}}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1}}

	b.ResetTimer()
	for _, n := range []int{1, 10, 100} {
		serie := uuid.NewString()
		if _, err := d.ExecContext(ctx, `INSERT INTO event_series (id, ticketing_system_id, internal_ticketing_system_id, name, expected_declaration_types,
  expenses_excluding_taxes, expenses_including_taxes) VALUES (?, ?, ?, 'Bench', '{SACEM,SACD}', 2500, 3000)`, serie, systemID, serie); err != nil {
			b.Fatal(err)
		}
		if _, err := d.ExecContext(ctx, `INSERT INTO events (event_serie_id, internal_ticketing_system_id, start_at, ticketing_revenue_including_taxes, ticketing_revenue_excluding_taxes, paid_tickets)
SELECT ?, i::text, now() - i * interval '1 hour', 105.5, 100, 10 FROM generate_series(1, ?) AS i`, serie, n); err != nil {
			b.Fatal(err)
		}
		page := base + "/dashboard/organization/" + orgID + "/serie/" + serie + "/declaration"
		var pageSize int
		get := func() (time.Duration, int64) {
			counter.reset()
			req, _ := http.NewRequest(http.MethodGet, page, nil)
			req.Header = header.Clone()
			var elapsed time.Duration
			elapsed, pageSize = timed(b, client, req, "performance-")
			return elapsed, counter.all.Load()
		}
		i := 0
		save := func() (time.Duration, int64) {
			i++
			counter.reset()
			form := url.Values{"_group": {"expenses"}, "expensesExcludingTaxes": {fmt.Sprint(2000 + i%500)}}
			req, _ := http.NewRequest(http.MethodPost, page+"/fields", strings.NewReader(form.Encode()))
			req.Header = header.Clone()
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("HX-Request", "true")
			req.Header.Set("X-Csrf-Token", "x")
			elapsed, _ := timed(b, client, req, "Enregistré")
			return elapsed, counter.all.Load()
		}
		get()
		save() // warm-up
		pageP50, pageP99, pageSQL := measure(get)
		saveP50, saveP99, saveSQL := measure(save)
		b.Logf("%3d performances: page p50 %.2f ms p99 %.2f ms, %d statements, %d KiB; field save p50 %.2f ms p99 %.2f ms, %d statements",
			n, ms(pageP50), ms(pageP99), pageSQL, pageSize>>10, ms(saveP50), ms(saveP99), saveSQL)
		if n == 100 {
			b.ReportMetric(ms(pageP99), "page-p99-ms")
			b.ReportMetric(ms(saveP99), "save-p99-ms")
		}
	}
}

// newOrganization inserts a confirmed user (email), an organization of
// theirs and a ticketing system of it.
func newOrganization(b *testing.B, d *db.DB, email string) (userID, orgID, systemID string) {
	b.Helper()
	ctx := context.Background()
	if err := d.QueryRowContext(ctx, `INSERT INTO users (email, first_name, last_name, status) VALUES (?, 'Bench', 'Decl', 'confirmed') RETURNING id`, email).Scan(&userID); err != nil {
		b.Fatal(err)
	}
	if err := d.QueryRowContext(ctx, `WITH a AS (INSERT INTO addresses (street, city, postal_code) VALUES ('1 rue', 'Paris', '75001') RETURNING id)
INSERT INTO organizations (name, official_id, official_headquarters_id, headquarters_address_id) SELECT 'Bench', '123456789', '12345678900012', id FROM a RETURNING id`).Scan(&orgID); err != nil {
		b.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, `INSERT INTO collaborators (user_id, organization_id) VALUES (?, ?)`, userID, orgID); err != nil {
		b.Fatal(err)
	}
	if err := d.QueryRowContext(ctx, `INSERT INTO ticketing_systems (organization_id, name, credentials) VALUES (?, 'BILLETWEB', '\x00') RETURNING id`, orgID).Scan(&systemID); err != nil {
		b.Fatal(err)
	}
	return userID, orgID, systemID
}

// timed sends req and fails unless the answer is a 200 containing want; it
// returns the time and the size of the body.
func timed(b *testing.B, client *http.Client, req *http.Request, want string) (time.Duration, int) {
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	elapsed := time.Since(t0)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
		b.Fatalf("%s %s = %d, without %q", req.Method, req.URL, resp.StatusCode, want)
	}
	return elapsed, len(body)
}

// measure runs f declBenchRuns times: p50, p99 and the statements of the
// last run.
func measure(f func() (time.Duration, int64)) (p50, p99 time.Duration, statements int64) {
	times := make([]time.Duration, declBenchRuns)
	for i := range times {
		times[i], statements = f()
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return times[len(times)*50/100], times[len(times)*99/100], statements
}

// poolCounter counts the statements of a pool, Bun's and those sent through
// pgx directly (the declaration page's prepared one), but the session
// look-up every request makes and the maintenance banner's, read once every
// few seconds whichever page comes then.
type poolCounter struct{ all atomic.Int64 }

func (c *poolCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	if !strings.Contains(data.SQL, "FROM sessions s") && !strings.Contains(data.SQL, `"maintenance_banner"`) {
		c.all.Add(1)
	}
	return ctx
}

func (*poolCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (c *poolCounter) reset() { c.all.Store(0) }

// migratedDatabase is a new migrated database name with a pool of pool
// connections, closed when the benchmark ends.
func migratedDatabase(b *testing.B, name string, pool int32) *db.DB {
	return tracedDatabase(b, name, pool, nil)
}

// tracedDatabase is migratedDatabase with tracer seeing every statement.
func tracedDatabase(b *testing.B, name string, pool int32, tracer pgx.QueryTracer) *db.DB {
	b.Helper()
	ctx := context.Background()
	d, err := db.OpenTraced(ctx, benchDatabase(b, name), pool, tracer)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(d.Close)
	if _, err := db.Migrate(ctx, d); err != nil {
		b.Fatal(err)
	}
	return d
}
