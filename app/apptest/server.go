package apptest

import (
	"context"
	"net"
	"testing"
	"time"

	"assistant-declaration/app"
	"assistant-declaration/app/mail/mailtest"
	"assistant-declaration/config"
)

// NewServer builds the application and serves it on a loopback port until the
// test ends, for tests that need real HTTP (browser tests, benchmarks). Emails
// written to the outbox are delivered to h.Catcher every 100 ms, as the mail
// job does in production.
func NewServer(t testing.TB, configure ...func(*config.Config)) (*Harness, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	h := New(t, append([]func(*config.Config){func(c *config.Config) { c.BaseURL = base }}, configure...)...)

	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- app.Serve(ctx, h.App.Fiber, ln, 5*time.Second) }()

	sender := mailtest.Sender(t, h.Catcher)
	delivered := make(chan struct{})
	go func() {
		defer close(delivered)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				_, _ = sender.SendDue(ctx, h.DB, 50)
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-delivered
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return h, base
}

// DeliverMails sends every due outbox email to h.Catcher now.
func (h *Harness) DeliverMails() {
	h.T.Helper()
	mailtest.Flush(h.T, h.DB, h.Catcher)
}
