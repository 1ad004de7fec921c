package transmissions_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"assistant-declaration/app/mail/mailtest"
	"assistant-declaration/app/sacd/sacdtest"
	"assistant-declaration/app/transmissions"
)

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
