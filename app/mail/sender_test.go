package mail_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/uptrace/bun"

	"assistant-declaration/app/db"
	"assistant-declaration/app/db/dbtest"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/mail/mailtest"
)

// The tests below share the package's database and each empties the outbox
// first, so they do not run in parallel with each other.

type outboxState struct {
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	SentAt        *time.Time
	SentVia       string
	Caught        bool
	DueInSeconds  float64
}

func openOutbox(t *testing.T) *db.DB {
	t.Helper()
	d := dbtest.Open(t)
	if _, err := d.NewDelete().TableExpr("email_outbox").Where("true").Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d
}

func state(t *testing.T, idb bun.IDB, to string) outboxState {
	t.Helper()
	var s outboxState
	err := idb.NewRaw(`SELECT attempts, next_attempt_at, coalesce(last_error, '') AS last_error, sent_at,
		coalesce(sent_via, '') AS sent_via, caught, extract(epoch FROM next_attempt_at - now())::float8 AS due_in_seconds
		FROM email_outbox WHERE ? = ANY (to_addresses)`, to).Scan(context.Background(), &s)
	if err != nil {
		t.Fatalf("outbox row for %s: %v", to, err)
	}
	return s
}

func countOutbox(t *testing.T, idb bun.IDB, to string) int {
	t.Helper()
	n, err := idb.NewSelect().TableExpr("email_outbox").Where("? = ANY (to_addresses)", to).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func enqueue(t *testing.T, idb bun.IDB, to string) {
	t.Helper()
	if err := mail.Enqueue(context.Background(), idb, to, mail.PasswordChanged{FirstName: "Camille"}); err != nil {
		t.Fatal(err)
	}
}

func serverOf(t *testing.T, addr string) mail.SMTP {
	t.Helper()
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return mail.SMTP{Host: host, Port: port, Username: "random", Password: "s3cr3t-pa55word", Timeout: 2 * time.Second}
}

// closedPort is an address where nothing listens: connections are refused.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// flakyServer is an SMTP server that refuses every message while down is set
// and otherwise counts deliveries per recipient.
type flakyServer struct {
	down      atomic.Bool
	mu        sync.Mutex
	delivered map[string]int
	addr      string
}

func startFlaky(t *testing.T, down bool) *flakyServer {
	t.Helper()
	f := &flakyServer{delivered: map[string]int{}}
	f.down.Store(down)
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &flakySession{f: f}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return f
}

func (f *flakyServer) count(to string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.delivered[to]
}

type flakySession struct {
	f  *flakyServer
	to []string
}

func (s *flakySession) Mail(string, *smtp.MailOptions) error {
	if s.f.down.Load() {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	return nil
}
func (s *flakySession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *flakySession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	for _, to := range s.to {
		s.f.delivered[to]++
	}
	return nil
}
func (s *flakySession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *flakySession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "random" || pass != "s3cr3t-pa55word" {
			return smtp.ErrAuthFailed
		}
		return nil
	}), nil
}
func (s *flakySession) Reset()        { s.to = nil }
func (s *flakySession) Logout() error { return nil }

func newSender(t *testing.T, primary mail.SMTP, fallback *mail.SMTP, catch ...string) *mail.Sender {
	t.Helper()
	s, err := mail.NewSender(mail.Config{
		DefaultFrom:    "Assistant déclaration <noreply@assistant-declaration.test>",
		DomainsToCatch: catch,
		Primary:        primary,
		Fallback:       fallback,
		Logger:         slog.New(slog.NewTextHandler(t.Output(), nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestEnqueueBelongsToTheCallersTransaction(t *testing.T) {
	d := openOutbox(t)
	ctx := context.Background()
	rollback := errors.New("the action failed")
	err := db.RunInTx(ctx, d, func(ctx context.Context, tx bun.Tx) error {
		enqueue(t, tx, "rolled-back@example.fr")
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatalf("err = %v", err)
	}
	if n := countOutbox(t, d, "rolled-back@example.fr"); n != 0 {
		t.Errorf("a rolled-back action left %d email(s)", n)
	}
	err = db.RunInTx(ctx, d, func(ctx context.Context, tx bun.Tx) error {
		enqueue(t, tx, "committed@example.fr")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := countOutbox(t, d, "committed@example.fr"); n != 1 {
		t.Errorf("a committed action left %d email(s), want 1", n)
	}
}

func TestEnqueueMessageRejectsBadMessages(t *testing.T) {
	d := openOutbox(t)
	valid := mail.Message{To: []string{"a@example.fr"}, Subject: "S", Text: "T"}
	tests := []struct {
		name   string
		modify func(*mail.Message)
	}{
		{"no recipient", func(m *mail.Message) { m.To = nil }},
		{"invalid recipient", func(m *mail.Message) { m.To = []string{"not an address"} }},
		{"invalid reply-to", func(m *mail.Message) { m.ReplyTo = "nope" }},
		{"empty subject", func(m *mail.Message) { m.Subject = " " }},
		{"two-line subject", func(m *mail.Message) { m.Subject = "a\r\nBcc: b@example.fr" }},
		{"no body", func(m *mail.Message) { m.Text = "" }},
		{"attachment without type", func(m *mail.Message) {
			m.Attachments = []mail.Attachment{{Filename: "a.pdf", Content: []byte("x")}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valid
			tt.modify(&m)
			if err := mail.EnqueueMessage(context.Background(), d, m); err == nil {
				t.Error("accepted a bad message")
			}
		})
	}
	if err := mail.EnqueueMessage(context.Background(), d, valid); err != nil {
		t.Errorf("refused a valid message: %v", err)
	}
}

func TestSendDueDeliversThroughSMTP(t *testing.T) {
	d := openOutbox(t)
	ctx := context.Background()
	catcher := mailtest.Start(t)
	msg, err := mail.Compose("camille@example.fr", mail.SignUpConfirmation{FirstName: "Camille",
		ConfirmURL: "https://ad.test/auth/sign-in?token=abc&x=1"})
	if err != nil {
		t.Fatal(err)
	}
	msg.ReplyTo = "declarant@example.fr"
	pdf := []byte("%PDF-1.7 déclaration\x00\x01\x02")
	msg.Attachments = []mail.Attachment{{Filename: "Déclaration SACEM - spectacle.pdf", ContentType: "application/pdf", Content: pdf}}
	if err := mail.EnqueueMessage(ctx, d, msg); err != nil {
		t.Fatal(err)
	}

	sent, err := newSender(t, serverOf(t, catcher.Addr()), nil).SendDue(ctx, d, 10)
	if err != nil || sent != 1 {
		t.Fatalf("SendDue = %d, %v; want 1, nil", sent, err)
	}
	got := mailtest.WaitFor(t, catcher, mailtest.To("camille@example.fr"), 2*time.Second)
	if got.Subject != "Inscription en attente de confirmation" {
		t.Errorf("subject = %q", got.Subject)
	}
	if !strings.Contains(got.From, "noreply@assistant-declaration.test") {
		t.Errorf("from = %q", got.From)
	}
	if got.Text != msg.Text || got.HTML != msg.HTML {
		t.Errorf("bodies changed in transit:\ntext %q\nhtml %q", got.Text, got.HTML)
	}
	if len(got.Links) != 1 || got.Links[0] != "https://ad.test/auth/sign-in?token=abc&x=1" {
		t.Errorf("links = %q", got.Links)
	}
	if len(got.Attachments) != 1 || got.Attachments[0].Filename != msg.Attachments[0].Filename ||
		got.Attachments[0].ContentType != "application/pdf" || string(got.Attachments[0].Content) != string(pdf) {
		t.Errorf("attachments = %+v", got.Attachments)
	}
	s := state(t, d, "camille@example.fr")
	if s.SentAt == nil || s.SentVia != "primary" || s.Caught || s.Attempts != 0 {
		t.Errorf("row after delivery = %+v", s)
	}
	if sent, err := newSender(t, serverOf(t, catcher.Addr()), nil).SendDue(ctx, d, 10); sent != 0 || err != nil {
		t.Errorf("second SendDue = %d, %v; a sent email went again", sent, err)
	}
}

func TestSendDueDropsCaughtDomains(t *testing.T) {
	d := openOutbox(t)
	ctx := context.Background()
	catcher := mailtest.Start(t)
	tests := []struct {
		to         []string
		delivered  []string // recipients the SMTP server must see
		wantCaught bool
	}{
		{to: []string{"demo@domain.demo"}, wantCaught: true},
		{to: []string{"Agency <AGENCY@Sacem.FR>"}, wantCaught: true},
		{to: []string{"demo2@domain.demo", "real@example.fr"}, delivered: []string{"real@example.fr"}},
		{to: []string{"x@sub.domain.demo"}, delivered: []string{"x@sub.domain.demo"}},
		{to: []string{"y@domain.demo.fr"}, delivered: []string{"y@domain.demo.fr"}},
	}
	for _, tt := range tests {
		err := mail.EnqueueMessage(ctx, d, mail.Message{To: tt.to, Subject: "Test", Text: "Bonjour"})
		if err != nil {
			t.Fatal(err)
		}
	}
	sender := newSender(t, serverOf(t, catcher.Addr()), nil, "domain.demo", " sacem.fr ", "sacd.fr")
	if sent, err := sender.SendDue(ctx, d, 10); sent != len(tests) || err != nil {
		t.Fatalf("SendDue = %d, %v; want %d, nil", sent, err, len(tests))
	}
	for _, tt := range tests {
		s := state(t, d, tt.to[0])
		if s.SentAt == nil || s.Caught != tt.wantCaught {
			t.Errorf("%v: sent_at %v, caught %v; want caught %v", tt.to, s.SentAt, s.Caught, tt.wantCaught)
		}
	}
	var delivered []string
	for _, m := range catcher.Messages() {
		delivered = append(delivered, m.To...)
	}
	for _, tt := range tests {
		for _, to := range tt.delivered {
			if !strings.Contains(strings.Join(delivered, ","), to) {
				t.Errorf("%s was not delivered", to)
			}
		}
	}
	if len(delivered) != 3 {
		t.Errorf("delivered to %q, want only the 3 uncaught recipients", delivered)
	}
}

func TestSendDueFallsBackWhenPrimaryFails(t *testing.T) {
	tests := []struct {
		name    string
		primary func(t *testing.T) string
	}{
		{"primary refuses the message", func(t *testing.T) string { return startFlaky(t, true).addr }},
		{"primary unreachable", closedPort},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := openOutbox(t)
			ctx := context.Background()
			fallback := mailtest.Start(t)
			to := fmt.Sprintf("fallback%d@example.fr", i)
			enqueue(t, d, to)
			fb := serverOf(t, fallback.Addr())
			sent, err := newSender(t, serverOf(t, tt.primary(t)), &fb).SendDue(ctx, d, 10)
			if err != nil || sent != 1 {
				t.Fatalf("SendDue = %d, %v; want 1, nil", sent, err)
			}
			mailtest.WaitFor(t, fallback, mailtest.To(to), 2*time.Second)
			if s := state(t, d, to); s.SentVia != "fallback" || s.SentAt == nil {
				t.Errorf("row = %+v, want sent via the fallback", s)
			}
		})
	}
}

func TestSendDueRetriesWithBackoffUntilDelivered(t *testing.T) {
	d := openOutbox(t)
	ctx := context.Background()
	primary := serverOf(t, closedPort(t))
	flaky := startFlaky(t, true)
	fallback := serverOf(t, flaky.addr)
	sender := newSender(t, primary, &fallback)
	const to = "patient@example.fr"
	enqueue(t, d, to)

	for attempt, wantDelay := range []float64{30, 60, 120} {
		sent, err := sender.SendDue(ctx, d, 10)
		if err == nil || sent != 0 {
			t.Fatalf("attempt %d: SendDue = %d, %v; want 0 and an error", attempt+1, sent, err)
		}
		s := state(t, d, to)
		if s.Attempts != attempt+1 || s.SentAt != nil || s.LastError == "" {
			t.Fatalf("attempt %d: row = %+v", attempt+1, s)
		}
		if s.DueInSeconds < wantDelay-5 || s.DueInSeconds > wantDelay+1 {
			t.Errorf("attempt %d: retry in %.0fs, want %.0fs", attempt+1, s.DueInSeconds, wantDelay)
		}
		if strings.Contains(s.LastError, primary.Password) {
			t.Errorf("last_error leaks the SMTP password: %s", s.LastError)
		}
		if !strings.Contains(s.LastError, "primary") || !strings.Contains(s.LastError, "fallback") {
			t.Errorf("last_error does not tell both failures: %s", s.LastError)
		}
		// Not due yet: nothing is tried before next_attempt_at.
		if sent, err := sender.SendDue(ctx, d, 10); sent != 0 || err != nil {
			t.Fatalf("SendDue before the retry time = %d, %v", sent, err)
		}
		// Time passes.
		if _, err := d.NewUpdate().TableExpr("email_outbox").Set("next_attempt_at = now() - interval '1 second'").
			Where("? = ANY (to_addresses)", to).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}

	flaky.down.Store(false)
	if sent, err := sender.SendDue(ctx, d, 10); sent != 1 || err != nil {
		t.Fatalf("SendDue once the fallback is back = %d, %v; want 1, nil", sent, err)
	}
	if sent, err := sender.SendDue(ctx, d, 10); sent != 0 || err != nil {
		t.Fatalf("SendDue after delivery = %d, %v; want 0, nil", sent, err)
	}
	if n := flaky.count(to); n != 1 {
		t.Errorf("delivered %d times, want exactly once", n)
	}
	if s := state(t, d, to); s.SentVia != "fallback" || s.Attempts != 3 || s.LastError != "" {
		t.Errorf("row after delivery = %+v", s)
	}
}

func TestConcurrentSendDueSendsEachRowOnce(t *testing.T) {
	d := openOutbox(t)
	ctx := context.Background()
	flaky := startFlaky(t, false)
	const rows, workers = 40, 4
	for i := range rows {
		enqueue(t, d, fmt.Sprintf("c%d@example.fr", i))
	}
	var total atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		sender := newSender(t, serverOf(t, flaky.addr), nil)
		wg.Go(func() {
			for {
				n, err := sender.SendDue(ctx, d, 3)
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					return
				}
				total.Add(int64(n))
			}
		})
	}
	wg.Wait()
	if total.Load() != rows {
		t.Errorf("the senders report %d deliveries, want %d", total.Load(), rows)
	}
	for i := range rows {
		to := fmt.Sprintf("c%d@example.fr", i)
		if n := flaky.count(to); n != 1 {
			t.Errorf("%s received %d copies", to, n)
		}
	}
}

func TestNewSenderValidatesConfig(t *testing.T) {
	ok := mail.SMTP{Host: "smtp.example.fr"}
	tests := []struct {
		name string
		cfg  mail.Config
	}{
		{"bad sender", mail.Config{DefaultFrom: "nope", Primary: ok}},
		{"no primary host", mail.Config{DefaultFrom: "a@example.fr"}},
		{"fallback without host", mail.Config{DefaultFrom: "a@example.fr", Primary: ok, Fallback: &mail.SMTP{}}},
		{"unknown TLS mode", mail.Config{DefaultFrom: "a@example.fr", Primary: mail.SMTP{Host: "h", TLS: "ssl"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := mail.NewSender(tt.cfg); err == nil {
				t.Error("accepted an invalid configuration")
			}
		})
	}
	if _, err := mail.NewSender(mail.Config{DefaultFrom: "Assistant déclaration <noreply@example.fr>", Primary: ok}); err != nil {
		t.Errorf("refused a valid configuration: %v", err)
	}
}
