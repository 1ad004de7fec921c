package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"assistant-declaration/app"
	"assistant-declaration/app/apptest"
	"assistant-declaration/app/audit"
	"assistant-declaration/app/db"
	"assistant-declaration/app/series"
	"assistant-declaration/app/users"
)

// statementCounter is a pgx tracer counting the statements of a pool:
// Bun's, and those sent through pgx directly (the session look-up).
type statementCounter struct {
	n       atomic.Int64
	mu      sync.Mutex
	queries []string
}

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	if strings.Contains(data.SQL, `"maintenance_banner"`) {
		// Read once per instance every few seconds (web.Middleware's banner
		// cache), whichever page comes then: not a cost of the page.
		return ctx
	}
	c.n.Add(1)
	c.mu.Lock()
	c.queries = append(c.queries, data.SQL)
	c.mu.Unlock()
	return ctx
}

func (*statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (c *statementCounter) reset() {
	c.n.Store(0)
	c.mu.Lock()
	c.queries = nil
	c.mu.Unlock()
}

// maxSignedInStatements is what a signed-in page may cost, the session
// look-up included (issue 12, "Faster signed-in pages").
const maxSignedInStatements = 3

// Every page a signed-in user reaches costs at most maxSignedInStatements SQL
// statements, the session look-up included, and as many with more data: each
// page of the authorization table that answers 200 to a collaborator (or, for
// the back office, to an admin), requested again once the organization has
// more series, runs and collaborators.
func TestStatementsOfSignedInPages(t *testing.T) {
	h := apptest.New(t)
	counter := &statementCounter{}
	traced, err := db.OpenTraced(context.Background(), h.Config.DatabaseURL, 4, counter)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(traced.Close)
	counted, err := app.New(app.Deps{Config: h.Config, DB: traced, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Catcher: h.Catcher})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := counted.Close(); err != nil {
			t.Error(err)
		}
	})
	ch := &apptest.Harness{T: t, App: counted, DB: h.DB, Config: h.Config, Catcher: h.Catcher}
	f := newAuthzFixture(t, h)
	client := func(u *users.User) *apptest.Client {
		c := ch.Client()
		c.StartSession(u.ID, time.Hour)
		return c
	}
	collaborator, admin := client(f.userA), client(f.admin)
	count := func() map[string]int64 {
		counts := map[string]int64{}
		for _, row := range authzTable {
			if row.method != http.MethodGet || strings.HasPrefix(row.route, "/dev/") {
				continue
			}
			c := collaborator
			switch {
			case strings.HasPrefix(row.route, "/admin") && row.admin == ok:
				c = admin
			case row.a != ok || row.anon == ok:
				continue // not a signed-in page
			}
			// The back office names the organization and the serie otherwise.
			route := strings.NewReplacer("/:id/", "/"+f.orgA.ID.String()+"/", "/:id", "/"+f.orgA.ID.String(), ":serieId", f.serieA.String()).Replace(row.route)
			path := f.concretePath(t, route)
			if row.path != nil {
				path = row.path(f)
			}
			counter.reset()
			r := c.Get(path)
			if r.StatusCode != http.StatusOK {
				t.Errorf("GET %s = %d, want 200", path, r.StatusCode)
				continue
			}
			n := counter.n.Load()
			counts[row.route] = n
			if n > maxSignedInStatements {
				t.Errorf("GET %s costs %d statements, want at most %d:\n%s", row.route, n, maxSignedInStatements, strings.Join(counter.queries, "\n"))
			}
		}
		return counts
	}
	before := count()

	ctx := context.Background()
	for i := range 2 {
		serie := series.ManualSerie{Name: fmt.Sprint("Spectacle ", i), Events: []series.ManualEvent{{StartAt: time.Now()}, {StartAt: time.Now().Add(time.Hour)}}}
		if _, err := series.CreateManual(ctx, h.DB, f.orgA.ID, serie, audit.Actor{}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.DB.NewRaw(`INSERT INTO synchronization_runs (organization_id, status) VALUES (?, 'succeeded')`, f.orgA.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := h.DB.NewRaw(`INSERT INTO collaborators (user_id, organization_id) VALUES (?, ?)`, h.CreateUser(apptest.UniqueEmail("statements"), false), f.orgA.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	after := count()
	var report []string
	for route, n := range before {
		report = append(report, fmt.Sprintf("%s: %d", route, n))
		if after[route] != n {
			t.Errorf("GET %s costs %d statements with more data, %d before", route, after[route], n)
		}
	}
	sort.Strings(report)
	t.Logf("statements per signed-in page, the session look-up included:\n%s", strings.Join(report, "\n"))
}
