package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"assistant-declaration/app"
	"assistant-declaration/app/db"
	"assistant-declaration/app/db/dbtest"
	"assistant-declaration/config"
)

// tcpProxy stands between the app and PostgreSQL so a test can make the
// database disappear (every connection cut, new ones refused) and come back
// on the same address, as a restarted server would.
type tcpProxy struct {
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func (p *tcpProxy) start(t *testing.T) {
	t.Helper()
	addr := p.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
}

func (p *tcpProxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// behindProxy builds the application on a database reached through a
// proxy the test can cut, and serves it over HTTP; logs go to logger.
func behindProxy(t *testing.T, logger *slog.Logger) (base string, proxy *tcpProxy, d *db.DB) {
	t.Helper()
	dbtest.Open(t) // creates and migrates the package database
	u, err := url.Parse(dbtest.URL())
	if err != nil {
		t.Fatal(err)
	}
	proxy = &tcpProxy{target: u.Host}
	proxy.start(t)
	t.Cleanup(proxy.stop)
	u.Host = proxy.addr

	d, err = db.Open(context.Background(), u.String(), 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	cfg, err := config.Parse(func(k string) (string, bool) {
		v, ok := map[string]string{"APP_MODE": "test", "DATABASE_URL": u.String()}[k]
		return v, ok
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(app.Deps{Config: cfg, DB: d, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Error(err)
		}
	})
	return serve(t, a.Fiber), proxy, d
}

func TestReadyzFollowsTheDatabase(t *testing.T) {
	t.Parallel()
	base, proxy, _ := behindProxy(t, slog.New(slog.NewTextHandler(io.Discard, nil)))
	status := func() int {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	waitFor := func(want int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for status() != want {
			if time.Now().After(deadline) {
				t.Fatalf("/readyz never became %d", want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	waitFor(http.StatusOK)
	proxy.stop() // the database goes away
	waitFor(http.StatusServiceUnavailable)
	if resp, err := http.Get(base + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("healthz must not depend on the database: %v %v", resp, err)
	}
	proxy.start(t) // and comes back on the same address
	waitFor(http.StatusOK)
	// Pages that need the database work again without restarting the app
	// (the sign-in form writes a session row for its CSRF token).
	resp, err := http.Get(base + "/auth/sign-in")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("page after recovery: %v %v", resp, err)
	}
}
