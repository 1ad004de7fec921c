// Package mailtest helps tests of other packages check the emails they cause:
// start a catcher, deliver the outbox to it, wait for a message.
//
//	catcher := mailtest.Start(t)
//	// … call the code that enqueues an email in its transaction …
//	mailtest.Flush(t, db, catcher)
//	m := mailtest.WaitFor(t, catcher, mailtest.To(email), 5*time.Second)
//	confirmURL := m.Links[0]
package mailtest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"assistant-declaration/app/mail"
)

// Start runs a mail catcher on a free local port for the duration of the test.
func Start(tb testing.TB) *mail.Catcher {
	tb.Helper()
	c, err := mail.NewCatcher("127.0.0.1:0")
	if err != nil {
		tb.Fatalf("mail catcher: %v", err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

// Sender returns a Sender whose primary server is c.
func Sender(tb testing.TB, c *mail.Catcher) *mail.Sender {
	tb.Helper()
	s, err := mail.NewSender(mail.Config{
		DefaultFrom: "Assistant déclaration <noreply@assistant-declaration.test>",
		Primary:     c.SMTP(),
	})
	if err != nil {
		tb.Fatalf("mail sender: %v", err)
	}
	return s
}

// Flush delivers every due outbox row to c, as the mail job would.
func Flush(tb testing.TB, idb bun.IDB, c *mail.Catcher) {
	tb.Helper()
	s := Sender(tb, c)
	for {
		n, err := s.SendDue(context.Background(), idb, 100)
		if err != nil {
			tb.Fatalf("deliver outbox: %v", err)
		}
		if n == 0 {
			return
		}
	}
}

// WaitFor returns the newest message caught by c that satisfies match, waiting
// up to timeout for it, and fails the test otherwise.
func WaitFor(tb testing.TB, c *mail.Catcher, match func(mail.CaughtMail) bool, timeout time.Duration) mail.CaughtMail {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		for _, m := range c.Messages() {
			if match(m) {
				return m
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("no matching email caught within %s (%d caught)", timeout, len(c.Messages()))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// To matches messages delivered to addr (case-insensitively).
func To(addr string) func(mail.CaughtMail) bool {
	return func(m mail.CaughtMail) bool {
		return slices.ContainsFunc(m.To, func(to string) bool { return strings.EqualFold(to, addr) })
	}
}
