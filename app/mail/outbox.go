// Package mail renders the platform's emails from views/emails, stores them in
// the email_outbox table inside the caller's transaction, sends them with the
// primary SMTP server then the fallback (retrying with backoff, never losing
// one), and provides the in-process mail catcher used in development and tests.
//
// Sending an email from a domain action:
//
//	err := db.RunInTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
//		// … the action's own writes …
//		return mail.Enqueue(ctx, tx, user.Email, mail.SignUpConfirmation{FirstName: user.FirstName, ConfirmURL: url})
//	})
//
// The email exists if and only if the transaction commits; the mail job
// (Sender.SendDue) delivers it a few seconds later.
package mail

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"assistant-declaration/app/derrors"
	"assistant-declaration/jobs"
)

// Message is a rendered email, ready for the outbox.
type Message struct {
	// Template names the views/emails template it came from (empty for
	// hand-built messages); kept for the admin and for debugging.
	Template string
	// From overrides the configured default sender when not empty.
	From        string
	To          []string
	ReplyTo     string
	Subject     string
	Text        string
	HTML        string
	Attachments []Attachment
}

// Attachment is a file sent with a Message, such as a declaration PDF.
type Attachment struct {
	Filename    string
	ContentType string
	Content     []byte
}

// outboxRow maps email_outbox.
type outboxRow struct {
	bun.BaseModel `bun:"table:email_outbox"`

	ID            uuid.UUID `bun:"id,pk,type:uuid"`
	Template      string    `bun:"template,notnull"`
	FromAddress   string    `bun:"from_address,nullzero"`
	ToAddresses   []string  `bun:"to_addresses,array"`
	ReplyTo       string    `bun:"reply_to,nullzero"`
	Subject       string    `bun:"subject,notnull"`
	TextBody      string    `bun:"text_body,notnull"`
	HTMLBody      string    `bun:"html_body,notnull"`
	CreatedAt     time.Time `bun:"created_at,nullzero,notnull,default:now()"`
	Attempts      int       `bun:"attempts,notnull"`
	NextAttemptAt time.Time `bun:"next_attempt_at,nullzero,notnull,default:now()"`
	LastError     string    `bun:"last_error,nullzero"`
	SentAt        time.Time `bun:"sent_at,nullzero"`
	SentVia       string    `bun:"sent_via,nullzero"`
	Caught        bool      `bun:"caught,notnull"`
}

// attachmentRow maps email_outbox_attachments.
type attachmentRow struct {
	bun.BaseModel `bun:"table:email_outbox_attachments"`

	ID          uuid.UUID `bun:"id,pk,type:uuid"`
	EmailID     uuid.UUID `bun:"email_id,type:uuid"`
	Position    int       `bun:"position,notnull"`
	Filename    string    `bun:"filename,notnull"`
	ContentType string    `bun:"content_type,notnull"`
	Content     []byte    `bun:"content,type:bytea,notnull"`
}

// Enqueue renders t for one recipient and writes it to the outbox with idb,
// which should be the transaction of the action causing the email.
func Enqueue(ctx context.Context, idb bun.IDB, to string, t Template) (err error) {
	defer derrors.Wrap(&err, "mail: enqueue %T", t)
	msg, err := Compose(to, t)
	if err != nil {
		return err
	}
	return EnqueueMessage(ctx, idb, msg)
}

// EnqueueMessage checks msg and writes it, with its attachments, to the outbox
// with idb. Addresses are checked here so a typo fails the action at once
// instead of being retried forever by the sender.
func EnqueueMessage(ctx context.Context, idb bun.IDB, msg Message) error {
	_, err := EnqueueMessageID(ctx, idb, msg)
	return err
}

// EnqueueMessageID is EnqueueMessage returning the outbox id of the message,
// for a caller that follows its delivery (Deliveries).
func EnqueueMessageID(ctx context.Context, idb bun.IDB, msg Message) (_ uuid.UUID, err error) {
	defer derrors.Wrap(&err, "mail: enqueue %q", msg.Subject)
	if err := msg.check(); err != nil {
		return uuid.Nil, err
	}
	row := outboxRow{
		ID:          uuid.New(),
		Template:    msg.Template,
		FromAddress: msg.From,
		ToAddresses: msg.To,
		ReplyTo:     msg.ReplyTo,
		Subject:     msg.Subject,
		TextBody:    msg.Text,
		HTMLBody:    msg.HTML,
	}
	if _, err := idb.NewInsert().Model(&row).Exec(ctx); err != nil {
		return uuid.Nil, err
	}
	if len(msg.Attachments) == 0 {
		return row.ID, nil
	}
	rows := make([]attachmentRow, len(msg.Attachments))
	for i, a := range msg.Attachments {
		rows[i] = attachmentRow{ID: uuid.New(), EmailID: row.ID, Position: i, Filename: a.Filename,
			ContentType: a.ContentType, Content: a.Content}
	}
	if _, err := idb.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return uuid.Nil, fmt.Errorf("attachments: %w", err)
	}
	return row.ID, nil
}

// Delivery is where a set of outbox messages stands.
type Delivery struct {
	// Sent counts the messages an SMTP server accepted (or that were caught);
	// a message purged from the outbox was sent.
	Sent, Total int
	// Retrying: a message not sent yet failed at least once (SMTP down); the
	// outbox keeps retrying it.
	Retrying bool
	// LastSentAt is when the last of the sent messages was accepted.
	LastSentAt time.Time
}

// AllSent reports whether every message was accepted.
func (d Delivery) AllSent() bool { return d.Sent == d.Total }

// DeliveriesOf tells where each set of outbox messages stands, in one
// statement for them all: the i-th Delivery is that of sets[i].
func DeliveriesOf(ctx context.Context, idb bun.IDB, sets [][]uuid.UUID) (_ []Delivery, err error) {
	defer derrors.Wrap(&err, "mail: deliveries of %d sets of emails", len(sets))
	out := make([]Delivery, len(sets))
	var ids []uuid.UUID
	for i, set := range sets {
		out[i] = Delivery{Sent: len(set), Total: len(set)}
		ids = append(ids, set...)
	}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []outboxRow
	if err := idb.NewSelect().Model(&rows).Column("id", "attempts", "sent_at").Where("id = ANY(?)", pgdialect.Array(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	byID := make(map[uuid.UUID]outboxRow, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	for i, set := range sets {
		d := &out[i]
		for _, id := range set {
			r, ok := byID[id]
			switch {
			case !ok: // purged from the outbox: sent
			case !r.SentAt.IsZero():
				if r.SentAt.After(d.LastSentAt) {
					d.LastSentAt = r.SentAt
				}
			default:
				d.Sent--
				d.Retrying = d.Retrying || r.Attempts > 0
			}
		}
	}
	return out, nil
}

func (m Message) check() error {
	if len(m.To) == 0 {
		return errors.New("mail: a message needs a recipient")
	}
	for _, addr := range append(append([]string{}, m.To...), m.ReplyTo, m.From) {
		if addr == "" {
			continue
		}
		if _, err := netmail.ParseAddress(addr); err != nil {
			return fmt.Errorf("mail: invalid address %q: %w", addr, err)
		}
	}
	if strings.TrimSpace(m.Subject) == "" || strings.ContainsAny(m.Subject, "\r\n") {
		return errors.New("mail: a message needs a one-line subject")
	}
	if m.Text == "" && m.HTML == "" {
		return errors.New("mail: a message needs a body")
	}
	for _, a := range m.Attachments {
		if a.Filename == "" || a.ContentType == "" {
			return errors.New("mail: an attachment needs a file name and a content type")
		}
	}
	return nil
}

// SentEmailRetention is how long sent emails stay in the outbox, for support.
// Their bodies hold confirmation, reset and invitation links, whose tokens are
// otherwise stored hashed only.
const SentEmailRetention = 7 * 24 * time.Hour

// PurgeJobs are the purges of this package's tables: purge-sent-emails, daily
// at 03:45 Paris (clear of the hour daylight saving time skips or repeats),
// deletes the emails sent before SentEmailRetention.
func PurgeJobs() []jobs.Purge {
	return []jobs.Purge{{Name: "purge-sent-emails", Cron: "45 3 * * *", Delete: func(ctx context.Context, idb bun.IDB) (int64, error) {
		return PurgeSentEmails(ctx, idb, time.Now().Add(-SentEmailRetention))
	}}}
}

// PurgeSentEmails deletes the outbox emails sent (or caught) before before,
// their attachments with them (cascade). Unsent emails stay whatever their age.
func PurgeSentEmails(ctx context.Context, idb bun.IDB, before time.Time) (_ int64, err error) {
	defer derrors.Wrap(&err, "mail: purge emails sent before %s", before)
	res, err := idb.NewRaw(`DELETE FROM email_outbox WHERE sent_at < ?`, before).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
