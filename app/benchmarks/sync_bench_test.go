package benchmarks

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/db"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/synchronization"
	"assistant-declaration/app/ticketing"
	"assistant-declaration/app/ticketing/ticketingtest"
	"assistant-declaration/app/users"
	"assistant-declaration/config"
)

// Size of the synchronization benchmark: a Billetweb account of 500 events and 50 000 attendees.
const (
	syncBenchEvents            = 500
	syncBenchAttendeesPerEvent = 100
)

// statementCounter is a query hook counting every statement, and the writing ones apart from
// those on ticketing_systems.
type statementCounter struct{ all, writes, systemWrites atomic.Int64 }

func (*statementCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (c *statementCounter) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	c.all.Add(1)
	q := strings.ToUpper(strings.TrimSpace(e.Query))
	switch {
	case strings.HasPrefix(q, `UPDATE "TICKETING_SYSTEMS"`), strings.HasPrefix(q, "UPDATE TICKETING_SYSTEMS"):
		c.systemWrites.Add(1)
	case strings.HasPrefix(q, "INSERT"), strings.HasPrefix(q, "UPDATE"), strings.HasPrefix(q, "DELETE"):
		c.writes.Add(1)
	}
}

func (c *statementCounter) reset() { c.all.Store(0); c.writes.Store(0); c.systemWrites.Store(0) }

// peakHeap samples the heap in use until stopped and returns its maximum.
func peakHeap() func() uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var m runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// BenchmarkSynchronizeBilletweb synchronizes an organization from the Billetweb fake serving 500
// events and 50 000 attendees, pacing disabled. The fake runs in its own process, so the memory
// figures are the synchronization's alone: the peak heap above the heap in use before it, the
// heap it allocated and the heap it retains, besides this process's and the fake's maximum RSS.
// It also reports the time, the SQL statements issued, and the ratio to the time the fake alone
// takes to serve the same requests; then synchronizes again with nothing changed and checks that
// only the system row is written.
func BenchmarkSynchronizeBilletweb(b *testing.B) {
	ctx := context.Background()
	d, err := db.Open(ctx, benchDatabase(b, "bench_sync"), 20)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	if _, err := db.Migrate(ctx, d); err != nil {
		b.Fatal(err)
	}
	fake := startBilletwebFake(b, syncBenchEvents, syncBenchAttendeesPerEvent)
	user := &users.User{ID: uuid.New(), Email: "bench-sync@example.com"}
	cfg := &config.Config{Mode: config.ModeTest, BilletwebAPIBaseURL: fake.BaseURL,
		DisableTicketingMockForUserIDs: []uuid.UUID{user.ID}, SecretsEncryptionKey: []byte("0123456789abcdef0123456789abcdef")}
	counter := &statementCounter{}
	counted := &db.DB{DB: d.DB.WithQueryHook(counter), Pool: d.Pool}
	svc, err := synchronization.NewService(cfg, counted, slog.New(slog.NewTextHandler(io.Discard, nil)), ticketing.Config{
		Pacing: map[ticketing.System]ticketing.Pacing{ticketing.Billetweb: {}},
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := d.NewRaw(`INSERT INTO users (id, email, first_name, last_name, status) VALUES (?, ?, 'Bench', 'Sync', 'confirmed')`, user.ID, user.Email).Exec(ctx); err != nil {
		b.Fatal(err)
	}

	b.StopTimer()
	for i := 0; i < b.N; i++ {
		org := orgtest.Insert(b, d, orgtest.Row{Name: "Bench"}).ID
		if _, errs, err := svc.Connect(ctx, synchronization.ConnectInput{OrganizationID: org, System: ticketing.Billetweb, Actor: user,
			Credentials: ticketing.Credentials{AccessKey: ticketingtest.BilletwebUser, SecretKey: ticketingtest.BilletwebKey}}); err != nil || errs.Any() {
			b.Fatal(errs, err)
		}
		// The generated attendees date from 2025: reach them.
		if _, err := d.NewRaw(`UPDATE ticketing_systems SET force_next_synchronization_from = '2020-01-01' WHERE organization_id = ?`, org).Exec(ctx); err != nil {
			b.Fatal(err)
		}
		requestsBefore := len(fake.Requests(b))
		counter.reset()
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		stopPeak := peakHeap()
		b.StartTimer()
		start := time.Now()
		out, err := svc.SynchronizeOrganization(ctx, org, user.ID, nil)
		elapsed := time.Since(start)
		b.StopTimer()
		peak := stopPeak()
		if err != nil || out[0].Err != nil {
			b.Fatal(err, out)
		}
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		runtime.GC()
		var retained runtime.MemStats
		runtime.ReadMemStats(&retained)
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			b.Fatal(err)
		}
		statements := counter.all.Load()

		fakeAlone := replay(b, fake.Requests(b)[requestsBefore:])

		var events int
		if err := d.NewRaw(`SELECT count(*) FROM events e JOIN event_series es ON es.id = e.event_serie_id JOIN ticketing_systems ts ON ts.id = es.ticketing_system_id WHERE ts.organization_id = ?`, org).Scan(ctx, &events); err != nil || events != syncBenchEvents {
			b.Fatalf("events = %d (%v), want %d", events, err, syncBenchEvents)
		}

		// Second run, nothing changed remotely: only the system row may be written.
		if _, err := d.NewRaw(`UPDATE ticketing_systems SET force_next_synchronization_from = '2020-01-01' WHERE organization_id = ?`, org).Exec(ctx); err != nil {
			b.Fatal(err)
		}
		counter.reset()
		start = time.Now()
		if out, err := svc.SynchronizeOrganization(ctx, org, user.ID, nil); err != nil || out[0].Err != nil {
			b.Fatal(err, out)
		}
		second := time.Since(start)
		if counter.writes.Load() != 0 || counter.systemWrites.Load() != 1 {
			b.Fatalf("second run wrote %d statements besides %d on the system row; want 0 and 1", counter.writes.Load(), counter.systemWrites.Load())
		}

		mib := func(bytes int64) float64 { return float64(bytes) / (1 << 20) }
		peakAbove := mib(int64(peak) - int64(before.HeapInuse))
		allocated := mib(int64(after.TotalAlloc - before.TotalAlloc))
		kept := mib(int64(retained.HeapAlloc) - int64(before.HeapAlloc))
		b.ReportMetric(float64(elapsed.Milliseconds()), "ms/sync")
		b.ReportMetric(peakAbove, "sync-peak-heap-MiB")
		b.ReportMetric(allocated, "sync-alloc-MiB")
		b.ReportMetric(float64(statements), "sql/sync")
		b.ReportMetric(elapsed.Seconds()/fakeAlone.Seconds(), "x-fake-alone")
		b.Logf("first sync %v (fake alone %v, ratio %.2f), %d SQL statements; heap of the sync: peak %.1f MiB above the %.1f MiB in use before, %.1f MiB allocated, %.1f MiB retained after GC; max RSS %.1f MiB (the fake, in its own process: %.1f MiB); second sync %v, %d statements",
			elapsed, fakeAlone, elapsed.Seconds()/fakeAlone.Seconds(), statements, peakAbove, mib(int64(before.HeapInuse)),
			allocated, kept, float64(ru.Maxrss)/1024, fake.peakRSS(b), second, counter.all.Load())
	}
}

// replay requests the same URLs from the fake with a bare client, reading the bodies: the time
// the fake alone takes to serve what a synchronization fetches.
func replay(b *testing.B, requests []ticketingtest.Request) time.Duration {
	b.Helper()
	start := time.Now()
	for _, r := range requests {
		resp, err := http.Get("http://" + r.Host + r.Path + "?" + r.RawQuery)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	return time.Since(start)
}
