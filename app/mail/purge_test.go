package mail_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"assistant-declaration/app/db/dbtest"
	"assistant-declaration/app/mail"
)

func TestPurgeSentEmailsKeepsRecentAndUnsentEmails(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	ctx := context.Background()
	tag := fmt.Sprintf("purge-%d", rand.Int64())
	_, err := d.NewRaw(`INSERT INTO email_outbox (to_addresses, subject, text_body, html_body, created_at, sent_at) VALUES
		('{a@example.org}', ?0 || '-old', 'x', '', now() - interval '8 days', now() - interval '8 days'),
		('{a@example.org}', ?0 || '-recent', 'x', '', now() - interval '8 days', now() - interval '6 days'),
		('{a@example.org}', ?0 || '-unsent', 'x', '', now() - interval '30 days', NULL)`, tag).Exec(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := mail.PurgeSentEmails(ctx, d, time.Now().Add(-mail.SentEmailRetention)); err != nil || n < 1 {
		t.Fatalf("PurgeSentEmails = %d, %v; want at least 1", n, err)
	}
	var left []string
	if err := d.NewRaw(`SELECT subject FROM email_outbox WHERE subject LIKE ? ORDER BY 1`, tag+"%").Scan(ctx, &left); err != nil {
		t.Fatal(err)
	}
	if want := []string{tag + "-recent", tag + "-unsent"}; fmt.Sprint(left) != fmt.Sprint(want) {
		t.Fatalf("emails left = %v, want %v", left, want)
	}
}
