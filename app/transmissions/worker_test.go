package transmissions_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/mail/mailtest"
	"assistant-declaration/app/sacd"
	"assistant-declaration/app/sacd/sacdtest"
	"assistant-declaration/app/transmissions"
)

// waitFor polls cond until it holds, failing the test after 10 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s", what)
		}
	}
}

func (e *env) status(t *testing.T, tr *transmissions.Transmission) string {
	t.Helper()
	var status string
	if err := e.DB.NewRaw(`SELECT status FROM transmissions WHERE id = ?`, tr.ID).Scan(context.Background(), &status); err != nil {
		t.Fatal(err)
	}
	return status
}

func TestAShutdownDuringSacdsCallQueuesTheTransmissionAgain(t *testing.T) {
	e := newEnv(t, setup{organisms: "SACEM,SACD", postalCode: "35000", documents: []doc{{"ARTISTIC_CONTRACT", 100}}})
	cfg := e.fake.Config()
	cfg.Timeout = time.Minute // SACD holds the call until the shutdown, whenever it comes
	e.svc.Sacd = func(uuid.UUID) sacd.Client { return sacd.NewHTTPClient(cfg) }
	e.fake.Fail(sacdtest.Hang)
	tr := e.transmit(t)
	ctx, shutdown := context.WithCancel(context.Background())
	ticked := make(chan error, 1)
	go func() { ticked <- e.svc.Tick(ctx) }()
	waitFor(t, "SACD to hold the declaration", func() bool { return len(e.fake.Declarations()) == 1 })
	shutdown()
	if err := <-ticked; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("tick: %v", err)
	}

	if got := e.status(t, tr); got != string(transmissions.StatusPending) {
		t.Errorf("transmission %s after the shutdown, want queued again", got)
	}
	if n := e.count(t, `SELECT count(*) FROM transmission_attempts WHERE transmission_id = ? AND (outcome <> 'failed' OR error_code <> ?)`,
		tr.ID, transmissions.CodeInterrupted); n != 0 {
		t.Errorf("%d attempts other than the interrupted one", n)
	}
	if status, code := e.row(t, "SACD"); status != "" || code != "" {
		t.Errorf("SACD row %q %q: the shutdown was recorded as a failure", status, code)
	}
	if n := e.count(t, `SELECT count(*) FROM declaration_changes WHERE event_serie_id = ? AND new_value LIKE '%échec%'`, e.serie); n != 0 {
		t.Errorf("%d failures in the history", n)
	}
	if ov := e.organism(t, "SACD"); ov.State != transmissions.StateQueued || e.panel(t).Failed() {
		t.Errorf("panel after the shutdown: SACD %s, failed %v", ov.State, e.panel(t).Failed())
	}

	// The next worker (another instance, or this one restarted) resumes it.
	e.fake.Fail(sacdtest.Succeed)
	e.work(t)
	for _, o := range []string{"SACD", "SACEM"} {
		if status, code := e.row(t, o); status != "PROCESSED" || code != "" {
			t.Errorf("%s row %q %q after the restart", o, status, code)
		}
	}
	if got := e.status(t, tr); got != string(transmissions.StatusFinished) {
		t.Errorf("transmission %s", got)
	}
	// The declaration cut short had no answer: it is sent once more, and
	// SACD answered (and accepted) exactly one.
	if n := len(e.fake.Declarations()); n != 2 {
		t.Errorf("SACD received %d declarations, want the one cut short and the accepted one", n)
	}
	if n := e.count(t, `SELECT count(*) FROM transmission_attempts WHERE event_serie_id = ? AND step = 'declare' AND answer <> ''`, e.serie); n != 1 {
		t.Errorf("%d SACD answers recorded", n)
	}
	e.wantMails(t, "ouest@sacd.test", 1)
	e.wantMails(t, "agence-rennes@sacem.test", 1)
}

func TestATransmissionClaimedAsTheInstanceStopsIsQueuedAgain(t *testing.T) {
	e := newEnv(t, setup{organisms: "SACEM", postalCode: "35000"})
	tr := e.transmit(t)
	e.exec(t, `UPDATE transmissions SET status = 'running', started_at = now() WHERE id = ?`, tr.ID) // claimed
	ctx, shutdown := context.WithCancel(context.Background())
	shutdown()
	if err := e.svc.Send(ctx, tr); err != nil {
		t.Errorf("send: %v", err)
	}
	if got := e.status(t, tr); got != string(transmissions.StatusPending) {
		t.Fatalf("transmission %s, want queued again", got)
	}
	e.work(t)
	if status, _ := e.row(t, "SACEM"); status != "PROCESSED" {
		t.Errorf("SACEM row %q after the restart", status)
	}
	e.wantMails(t, "agence-rennes@sacem.test", 1)
}

func TestADocumentIsReadOnlyForAnEmailAboutToBeQueued(t *testing.T) {
	// The revenue statement goes to SACEM only.
	e := newEnv(t, setup{organisms: "SACEM,SACD", postalCode: "35000", documents: []doc{{"REVENUE_STATEMENT", 100}}})
	e.fake.Fail(sacdtest.ServerError)
	e.transmit(t)
	e.work(t)
	if status, _ := e.row(t, "SACEM"); status != "PROCESSED" {
		t.Fatalf("SACEM row %q", status)
	}
	// Its bytes are gone once e-mailed: the retry, SACD's declaration alone,
	// never needs them.
	e.exec(t, `DELETE FROM attachment_contents WHERE attachment_id IN (SELECT id FROM attachments WHERE event_serie_id = ?)`, e.serie)
	e.fake.Fail(sacdtest.Succeed)
	e.transmit(t)
	e.work(t)
	if status, code := e.row(t, "SACD"); status != "PROCESSED" || code != "" {
		t.Errorf("SACD row %q %q after the retry", status, code)
	}
	e.wantMails(t, "agence-rennes@sacem.test", 1)
	e.wantMails(t, "ouest@sacd.test", 0)
}

// outboxReads counts the statements reading the outbox.
type outboxReads struct{ n atomic.Int64 }

func (*outboxReads) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (c *outboxReads) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	if q := strings.TrimSpace(e.Query); strings.HasPrefix(q, "SELECT") && strings.Contains(q, "email_outbox") {
		c.n.Add(1)
	}
}

func TestTheWaitingTransmissionsAreSettledWithOneOutboxStatement(t *testing.T) {
	envs := make([]*env, 3)
	for i := range envs {
		envs[i] = newEnv(t, setup{organisms: "SACEM", postalCode: "35000"})
		envs[i].transmit(t)
	}
	e, ctx := envs[0], context.Background()
	if err := e.svc.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	for _, x := range envs {
		if got := x.organism(t, "SACEM").State; got != transmissions.StateSending {
			t.Fatalf("SACEM %s before SMTP", got)
		}
	}
	mailtest.Flush(t, e.DB, e.Catcher)
	reads := &outboxReads{}
	counted := *e.svc
	counted.DB = e.DB.DB.WithQueryHook(reads)
	if err := counted.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if n := reads.n.Load(); n != 1 {
		t.Errorf("%d statements read the outbox for %d waiting transmissions, want 1", n, len(envs))
	}
	mailtest.Flush(t, e.DB, e.Catcher)
	for _, x := range envs {
		if status, _ := x.row(t, "SACEM"); status != "PROCESSED" {
			t.Errorf("SACEM row %q", status)
		}
		x.wantMails(t, x.email, 1)
	}
}
