package mail

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/uptrace/bun"
	gomail "github.com/wneessen/go-mail"

	"assistant-declaration/app/derrors"
)

// TLS modes of an SMTP server.
const (
	// TLSOpportunistic upgrades with STARTTLS when the server offers it (the
	// behaviour of the original's nodemailer), and is the mode of an empty TLS.
	TLSOpportunistic = "opportunistic"
	// TLSNone never encrypts: only for a local catcher.
	TLSNone = "none"
	// TLSStartTLS requires STARTTLS.
	TLSStartTLS = "starttls"
	// TLSImplicit connects with TLS from the start (port 465).
	TLSImplicit = "tls"
)

// SMTP describes one SMTP server.
type SMTP struct {
	Host string
	// Port 0 means 465 for TLSImplicit, 587 otherwise.
	Port     int
	Username string
	Password string
	// TLS is one of the TLS* modes; empty means TLSOpportunistic.
	TLS string
	// Timeout bounds the connection and each command; 0 means 15 seconds.
	Timeout time.Duration
}

// Config is the mailer's configuration (MAILER_* variables).
type Config struct {
	// DefaultFrom is the sender of every message without its own From, such as
	// "Assistant déclaration <noreply@assistant-declaration.beta.gouv.fr>".
	DefaultFrom string
	// DomainsToCatch lists recipient domains that never receive mail
	// (MAILER_DOMAINS_TO_CATCH): demo accounts and real organisms outside
	// production. Matching is exact on the part after the last "@", ignoring case.
	DomainsToCatch []string
	Primary        SMTP
	// Fallback is tried when the primary fails; nil when not configured.
	Fallback *SMTP
	// Logger receives one line per delivery or failure; nil means slog.Default().
	Logger *slog.Logger
}

// Retry schedule: 30 s after the first failure, doubling up to 30 min, forever,
// so an SMTP outage of any length loses nothing.
const (
	firstRetryDelay = 30 * time.Second
	maxRetryDelay   = 30 * time.Minute
)

// Sender delivers the outbox. It is safe for concurrent use, also from several
// instances of the application: each row is locked while it is being sent.
type Sender struct {
	cfg    Config
	catch  map[string]bool
	logger *slog.Logger
}

// NewSender checks cfg and returns a Sender.
func NewSender(cfg Config) (*Sender, error) {
	if _, err := netmail.ParseAddress(cfg.DefaultFrom); err != nil {
		return nil, fmt.Errorf("mail: invalid default sender %q: %w", cfg.DefaultFrom, err)
	}
	servers := []*SMTP{&cfg.Primary}
	if cfg.Fallback != nil {
		servers = append(servers, cfg.Fallback)
	}
	for _, s := range servers {
		if s.Host == "" {
			return nil, errors.New("mail: an SMTP server needs a host")
		}
		switch s.TLS {
		case "", TLSOpportunistic, TLSNone, TLSStartTLS, TLSImplicit:
		default:
			return nil, fmt.Errorf("mail: unknown SMTP TLS mode %q", s.TLS)
		}
	}
	catch := map[string]bool{}
	for _, d := range cfg.DomainsToCatch {
		if d = strings.ToLower(strings.TrimSpace(d)); d != "" {
			catch[d] = true
		}
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	return &Sender{cfg: cfg, catch: catch, logger: logger}, nil
}

// SendDue delivers up to limit outbox rows whose time has come, oldest first,
// and returns how many it handled (delivered or caught). The mail job calls it
// every few seconds; any number of concurrent calls, in one process or many,
// never send the same row twice, because each row is sent inside its own
// transaction holding a FOR UPDATE SKIP LOCKED lock on it.
//
// A failed row gets attempts+1, last_error and a later next_attempt_at; rows are
// never deleted. The run stops at the first row no server accepted, since the
// next ones would most likely wait for the same timeouts; that error is returned.
func (s *Sender) SendDue(ctx context.Context, db bun.IDB, limit int) (sent int, err error) {
	defer derrors.Wrap(&err, "mail: send due emails")
	for sent < limit {
		found, err := s.sendOne(ctx, db)
		if err != nil || !found {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// sendOne locks and handles the next due row; found is false when none is due.
func (s *Sender) sendOne(ctx context.Context, db bun.IDB) (found bool, err error) {
	defer derrors.Wrap(&err, "mail: send the next due email")
	var sendErr error
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var row outboxRow
		err := tx.NewSelect().Model(&row).
			Where("sent_at IS NULL").
			Where("next_attempt_at <= now()").
			OrderExpr("next_attempt_at, created_at").
			Limit(1).
			For("UPDATE SKIP LOCKED").
			Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("mail: claim outbox row: %w", err)
		}
		found = true

		recipients := s.keep(row.ToAddresses)
		if len(recipients) == 0 {
			s.logger.Info("mail: all recipients caught, not sent", "email_id", row.ID, "template", row.Template)
			_, err := tx.NewUpdate().Model(&row).
				Set("sent_at = now(), caught = true, last_error = NULL").
				WherePK().Exec(ctx)
			return err
		}

		var attachments []attachmentRow
		if err := tx.NewSelect().Model(&attachments).Where("email_id = ?", row.ID).Order("position").Scan(ctx); err != nil {
			return fmt.Errorf("mail: load attachments: %w", err)
		}
		via, deliverErr := s.deliver(ctx, row, recipients, attachments)
		if deliverErr != nil {
			sendErr = fmt.Errorf("mail: email %s not sent: %w", row.ID, deliverErr)
			delay := retryDelay(row.Attempts + 1)
			s.logger.Warn("mail: delivery failed, will retry", "email_id", row.ID, "attempts", row.Attempts+1,
				"retry_in", delay, "error", deliverErr)
			_, err := tx.NewUpdate().Model(&row).
				Set("attempts = attempts + 1").
				Set("next_attempt_at = now() + ? * interval '1 second'", int(delay/time.Second)).
				Set("last_error = ?", truncate(deliverErr.Error(), 1000)).
				WherePK().Exec(ctx)
			return err
		}
		s.logger.Info("mail: sent", "email_id", row.ID, "template", row.Template, "via", via)
		_, err = tx.NewUpdate().Model(&row).
			Set("sent_at = now(), sent_via = ?, last_error = NULL", via).
			WherePK().Exec(ctx)
		return err
	})
	if err != nil {
		return found, err
	}
	return found, sendErr
}

// keep drops the recipients on caught domains.
func (s *Sender) keep(to []string) []string {
	var kept []string
	for _, addr := range to {
		bare := addr
		if parsed, err := netmail.ParseAddress(addr); err == nil {
			bare = parsed.Address
		}
		domain := strings.ToLower(bare[strings.LastIndex(bare, "@")+1:])
		if s.catch[domain] {
			s.logger.Info("mail: recipient skipped voluntarily (MAILER_DOMAINS_TO_CATCH)", "domain", domain)
			continue
		}
		kept = append(kept, addr)
	}
	return kept
}

// deliver tries the primary server, then the fallback, and says which one
// accepted the message.
func (s *Sender) deliver(ctx context.Context, row outboxRow, to []string, attachments []attachmentRow) (via string, err error) {
	defer derrors.Wrap(&err, "mail: deliver email %s", row.ID)
	msg, err := s.buildMessage(row, to, attachments)
	if err != nil {
		return "", err
	}
	primaryErr := send(ctx, s.cfg.Primary, msg)
	if primaryErr == nil {
		return "primary", nil
	}
	if s.cfg.Fallback == nil {
		return "", fmt.Errorf("primary: %w", primaryErr)
	}
	s.logger.Warn("mail: primary SMTP failed, trying the fallback", "email_id", row.ID, "error", primaryErr)
	if err := send(ctx, *s.cfg.Fallback, msg); err != nil {
		return "", fmt.Errorf("primary: %w; fallback: %w", primaryErr, err)
	}
	return "fallback", nil
}

func (s *Sender) buildMessage(row outboxRow, to []string, attachments []attachmentRow) (_ *gomail.Msg, err error) {
	defer derrors.Wrap(&err, "mail: build email %s", row.ID)
	msg := gomail.NewMsg()
	from := row.FromAddress
	if from == "" {
		from = s.cfg.DefaultFrom
	}
	if err := msg.From(from); err != nil {
		return nil, err
	}
	if err := msg.To(to...); err != nil {
		return nil, err
	}
	if row.ReplyTo != "" {
		if err := msg.ReplyTo(row.ReplyTo); err != nil {
			return nil, err
		}
	}
	msg.Subject(row.Subject)
	msg.SetDate()
	msg.SetMessageID()
	switch {
	case row.HTMLBody == "":
		msg.SetBodyString(gomail.TypeTextPlain, row.TextBody)
	case row.TextBody == "":
		msg.SetBodyString(gomail.TypeTextHTML, row.HTMLBody)
	default:
		msg.SetBodyString(gomail.TypeTextPlain, row.TextBody)
		msg.AddAlternativeString(gomail.TypeTextHTML, row.HTMLBody)
	}
	for _, a := range attachments {
		if err := msg.AttachReader(a.Filename, bytes.NewReader(a.Content),
			gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return nil, err
		}
	}
	return msg, nil
}

// send delivers msg through one server with a fresh connection, so a broken
// connection never outlives one attempt.
func send(ctx context.Context, server SMTP, msg *gomail.Msg) (err error) {
	defer derrors.Wrap(&err, "mail: send through %s", server.Host)
	timeout := server.Timeout
	if timeout <= 0 {
		timeout = gomail.DefaultTimeout
	}
	opts := []gomail.Option{gomail.WithTimeout(timeout)}
	port := server.Port
	switch server.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
		if port == 0 {
			port = gomail.DefaultPortSSL
		}
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if port == 0 {
		port = gomail.DefaultPortTLS
	}
	opts = append(opts, gomail.WithPort(port))
	if server.Username != "" {
		// PLAIN refuses to send the password over an unencrypted connection to
		// another host than localhost, unless the operator chose "none".
		auth := gomail.SMTPAuthPlain
		if server.TLS == TLSNone {
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(server.Username), gomail.WithPassword(server.Password))
	}
	client, err := gomail.NewClient(server.Host, opts...)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*timeout)
	defer cancel()
	return client.DialAndSendWithContext(ctx, msg)
}

// retryDelay is the wait after the n-th failed attempt (n ≥ 1).
func retryDelay(n int) time.Duration {
	d := firstRetryDelay
	for i := 1; i < n && d < maxRetryDelay; i++ {
		d *= 2
	}
	return min(d, maxRetryDelay)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
