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
// test ends, for tests that need real HTTP (browser tests, benchmarks). The
// jobs run as in production, their pollers every 100 ms: emails reach
// h.Catcher and synchronization runs execute within moments. Servers of one
// package share its database, so such tests must not run in parallel.
func NewServer(t testing.TB, configure ...func(*config.Config)) (*Harness, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	h := build(t, 100*time.Millisecond, append([]func(*config.Config){func(c *config.Config) {
		c.BaseURL = base
		c.InstanceID = t.Name()
	}}, configure...))
	smtp := h.Catcher.SMTP()
	h.Config.SMTP = config.SMTP{Host: smtp.Host, Port: smtp.Port, TLS: smtp.TLS}

	ctx, cancel := context.WithCancel(context.Background())
	stopJobs, err := h.App.StartJobs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- app.Serve(ctx, h.App.Fiber, ln, 5*time.Second) }()
	t.Cleanup(func() {
		cancel()
		stopJobs()
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
