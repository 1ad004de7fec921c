package attachments_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/attachments"
	"assistant-declaration/app/attachments/clamdtest"
	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
	"assistant-declaration/jobs"
)

// change is one entry of the history.
type change struct {
	serie           uuid.UUID
	actor           string
	field, old, new string
}

// history is a ChangeRecorder keeping the entries in memory.
type history struct {
	mu      sync.Mutex
	changes []change
}

func (h *history) RecordAttachmentChange(_ context.Context, _ bun.IDB, serieID uuid.UUID, actor audit.Actor, field, old, new string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.changes = append(h.changes, change{serieID, actor.Email, field, old, new})
	return nil
}

func (h *history) String() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var b strings.Builder
	for _, c := range h.changes {
		fmt.Fprintf(&b, "%s %s %q→%q\n", c.actor, c.field, c.old, c.new)
	}
	return b.String()
}

// service is the domain over the test database, with its own history.
func service(e *env, scanner attachments.Scanner) (*attachments.Service, *history) {
	hist := &history{}
	svc := &attachments.Service{DB: e.DB, Store: attachments.PGStore{DB: e.DB}, Recorder: hist}
	if scanner != nil {
		svc.Scanner = scanner
	}
	return svc, hist
}

var actor = audit.Actor{Email: "camille@example.org"}

func uploads(files ...file) []attachments.Upload {
	var u []attachments.Upload
	for _, f := range files {
		u = append(u, attachments.Upload{Name: f.name, Content: bytes.NewReader(f.content)})
	}
	return u
}

func refusalKeys(refused []attachments.Refusal) string {
	var keys []string
	for _, r := range refused {
		keys = append(keys, r.Name+":"+r.Key)
	}
	return strings.Join(keys, ",")
}

// Every change of the documents goes to the declaration's history, with who
// made it.
func TestEveryChangeIsRecorded(t *testing.T) {
	t.Parallel()
	e := newEnv(t, apptest.New(t))
	svc, hist := service(e, nil)
	ctx := context.Background()
	added, refused, err := svc.Upload(ctx, e.org, e.serie, uploads(file{"contrat.pdf", pdf(0)}, file{"virus.pdf", executable()}), actor)
	if err != nil || len(added) != 1 || refusalKeys(refused) != "virus.pdf:attachments.error.type" {
		t.Fatal(added, refused, err)
	}
	id := added[0].ID
	if err := svc.ChangeType(ctx, e.org, e.serie, id, attachments.ArtisticContract, actor); err != nil {
		t.Fatal(err)
	}
	// The same type again changes nothing, so records nothing.
	if err := svc.ChangeType(ctx, e.org, e.serie, id, attachments.ArtisticContract, actor); err != nil {
		t.Fatal(err)
	}
	if err := svc.Delete(ctx, e.org, e.serie, id, actor); err != nil {
		t.Fatal(err)
	}
	want := `camille@example.org attachments ""→"contrat.pdf"
camille@example.org attachmentType "contrat.pdf: OTHER"→"contrat.pdf: ARTISTIC_CONTRACT"
camille@example.org attachments "contrat.pdf"→""
`
	if got := hist.String(); got != want {
		t.Errorf("history:\n%s\nwant:\n%s", got, want)
	}
	for _, c := range hist.changes {
		if c.serie != e.serie {
			t.Errorf("change of serie %s", c.serie)
		}
	}
	// Another organization's serie is not found, and records nothing.
	other := newEnv(t, e.Harness)
	if _, _, err := svc.Upload(ctx, other.org, e.serie, uploads(file{"a.pdf", pdf(0)}), actor); !errors.Is(err, derrors.ErrNotFound) {
		t.Errorf("upload to a serie of another organization: %v", err)
	}
	if len(hist.changes) != 3 {
		t.Errorf("%d changes", len(hist.changes))
	}
}

// The limit of 100 counts the resulting set (decision D6, docs/decisions.md): a serie with 98
// documents takes 2 more of 3, and after deleting one takes one again.
func TestAtMostAHundredDocumentsPerSerie(t *testing.T) {
	t.Parallel()
	e := newEnv(t, apptest.New(t))
	svc, _ := service(e, nil)
	ctx := context.Background()
	_, err := e.DB.NewRaw(`INSERT INTO attachments (event_serie_id, name, content_type, size)
		SELECT ?, 'existant-' || n || '.pdf', 'application/pdf', 10 FROM generate_series(1, 98) AS n`, e.serie).Exec(ctx)
	if err != nil {
		t.Fatal(err)
	}
	added, refused, err := svc.Upload(ctx, e.org, e.serie, uploads(file{"a.pdf", pdf(0)}, file{"b.pdf", pdf(0)}, file{"c.pdf", pdf(0)}), actor)
	if err != nil || len(added) != 2 || refusalKeys(refused) != "c.pdf:attachments.error.tooMany" {
		t.Fatal(added, refused, err)
	}
	if n := e.count(t, `SELECT count(*) FROM attachments WHERE event_serie_id = ?`, e.serie); n != 100 {
		t.Errorf("%d documents", n)
	}
	_, refused, err = svc.Upload(ctx, e.org, e.serie, uploads(file{"d.pdf", pdf(0)}), actor)
	if err != nil || refusalKeys(refused) != "d.pdf:attachments.error.tooMany" {
		t.Fatal(refused, err)
	}
	if err := svc.Delete(ctx, e.org, e.serie, added[0].ID, actor); err != nil {
		t.Fatal(err)
	}
	added, refused, err = svc.Upload(ctx, e.org, e.serie, uploads(file{"e.pdf", pdf(0)}), actor)
	if err != nil || len(added) != 1 || len(refused) != 0 {
		t.Fatal(added, refused, err)
	}
	// Concurrent uploads cannot pass the limit together.
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := svc.Upload(ctx, e.org, e.serie, uploads(file{fmt.Sprintf("f%d.pdf", i), pdf(0)}), actor); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := e.count(t, `SELECT count(*) FROM attachments WHERE event_serie_id = ?`, e.serie); n != 100 {
		t.Errorf("%d documents after concurrent uploads", n)
	}
	if n := e.count(t, `SELECT count(*) FROM attachments WHERE event_serie_id IS NULL AND name LIKE 'f_.pdf'`); n != 0 {
		t.Errorf("%d refused uploads left unlinked", n)
	}
}

// The antivirus: a clean file is added, an infected one refused, and nothing
// is stored while clamd cannot be reached.
func TestClamdScansEveryUpload(t *testing.T) {
	t.Parallel()
	e := newEnv(t, apptest.New(t))
	clamd := clamdtest.Start(t)
	svc, _ := service(e, &attachments.Clamd{Address: clamd.Addr})
	ctx := context.Background()
	infected := append(pdf(0), clamdtest.EICAR...)
	added, refused, err := svc.Upload(ctx, e.org, e.serie, uploads(file{"propre.pdf", pdf(0)}, file{"infecte.pdf", infected}), actor)
	if err != nil || len(added) != 1 || added[0].Name != "propre.pdf" || refusalKeys(refused) != "infecte.pdf:attachments.error.infected" {
		t.Fatal(added, refused, err)
	}
	if got := len(clamd.Streams()); got != 2 {
		t.Errorf("%d files scanned", got)
	}

	down, _ := service(e, &attachments.Clamd{Address: clamdtest.Unreachable(t), Timeout: 2 * time.Second})
	added, refused, err = down.Upload(ctx, e.org, e.serie, uploads(file{"programme-sans-antivirus.pdf", pdf(0)}), actor)
	if err != nil || len(added) != 0 || refusalKeys(refused) != "programme-sans-antivirus.pdf:attachments.error.scanUnavailable" {
		t.Fatal(added, refused, err)
	}
	if n := e.count(t, `SELECT count(*) FROM attachments WHERE (event_serie_id = ? OR event_serie_id IS NULL)
		AND name IN ('programme-sans-antivirus.pdf', 'infecte.pdf')`, e.serie); n != 0 {
		t.Errorf("%d refused files stored", n)
	}
}

// The file goes to clamd in chunks, each with its length, then a zero length.
func TestClamdStreamsInChunks(t *testing.T) {
	t.Parallel()
	clamd := clamdtest.Start(t)
	scanner := &attachments.Clamd{Address: clamd.Addr, ChunkSize: 1000}
	if err := scanner.Scan(context.Background(), bytes.Repeat([]byte("a"), 2500)); err != nil {
		t.Fatal(err)
	}
	// The signature split across two chunks is still found.
	content := append(bytes.Repeat([]byte("b"), 990), clamdtest.EICAR...)
	err := scanner.Scan(context.Background(), content)
	var infected *attachments.InfectedError
	if !errors.As(err, &infected) || infected.Signature != clamdtest.Signature {
		t.Errorf("infected: %v", err)
	}
	if got := fmt.Sprint(clamd.Streams()); got != "[[1000 1000 500] [1000 58]]" {
		t.Errorf("chunks %s", got)
	}
	err = (&attachments.Clamd{Address: clamdtest.Unreachable(t)}).Scan(context.Background(), []byte("a"))
	if !errors.Is(err, derrors.ErrUnavailable) {
		t.Errorf("unreachable: %v", err)
	}
}

// The purge deletes the uploads linked to no serie for 7 days, bytes included.
func TestPurgeUnlinked(t *testing.T) {
	t.Parallel()
	e := newEnv(t, apptest.New(t))
	ctx := context.Background()
	store := attachments.PGStore{DB: e.DB}
	tag := uuid.NewString()
	insert := func(name string, serie any, age time.Duration) uuid.UUID {
		t.Helper()
		var id uuid.UUID
		err := e.DB.NewRaw(`INSERT INTO attachments (event_serie_id, name, content_type, size, created_at)
			VALUES (?, ?, 'application/pdf', 3, ?) RETURNING id`, serie, tag+"-"+name, time.Now().Add(-age)).Scan(ctx, &id)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.Put(ctx, id, []byte("pdf")); err != nil {
			t.Fatal(err)
		}
		return id
	}
	old := insert("old", nil, 8*24*time.Hour)
	insert("recent", nil, 6*24*time.Hour)
	insert("linked", e.serie, 30*24*time.Hour)
	n, err := attachments.PurgeUnlinked(ctx, e.DB, store, time.Now().Add(-attachments.UnlinkedRetention))
	if err != nil || n < 1 {
		t.Fatalf("PurgeUnlinked = %d, %v", n, err)
	}
	var left []string
	if err := e.DB.NewRaw(`SELECT name FROM attachments WHERE name LIKE ? ORDER BY name`, tag+"%").Scan(ctx, &left); err != nil {
		t.Fatal(err)
	}
	if want := tag + "-linked," + tag + "-recent"; strings.Join(left, ",") != want {
		t.Errorf("left %v", left)
	}
	if _, err := store.Get(ctx, old); !errors.Is(err, derrors.ErrNotFound) {
		t.Errorf("bytes of the purged upload: %v", err)
	}
}

// The job runs the purge on the scheduler, as production does.
func TestPurgeJob(t *testing.T) {
	t.Parallel()
	e := newEnv(t, apptest.New(t))
	ctx := context.Background()
	name := "purge-job-" + uuid.NewString()
	if _, err := e.DB.NewRaw(`INSERT INTO attachments (name, content_type, size, created_at)
		VALUES (?, 'application/pdf', 3, now() - interval '8 days')`, name).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := jobs.New(e.DB, "attachments-test", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := attachments.RegisterJobs(s, e.DB, attachments.PGStore{DB: e.DB}, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	s.Start()
	defer func() {
		if err := s.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	}()
	if err := s.RunNow("purge-unlinked-attachments"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for e.count(t, `SELECT count(*) FROM job_runs WHERE job_name = 'purge-unlinked-attachments' AND status = 'success'`) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the job did not run")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := e.count(t, `SELECT count(*) FROM attachments WHERE name = ?`, name); n != 0 {
		t.Error("old unlinked upload not purged")
	}
}
