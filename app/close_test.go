package app_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"assistant-declaration/app"
	"assistant-declaration/app/apptest"
	"assistant-declaration/config"
)

// An application built and closed without serving (command line, tests)
// leaves no goroutine behind: Close stops the scheduler New built.
func TestCloseLeavesNoGoroutine(t *testing.T) {
	h := apptest.New(t)
	before := runtime.NumGoroutine()
	a, err := app.New(app.Deps{Config: h.Config, DB: h.DB, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	// The scheduler's goroutine returns shortly after Close.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			_ = pprof.Lookup("goroutine").WriteTo(os.Stderr, 1) // diagnostics of a failing test: a write error changes nothing
			t.Fatalf("%d goroutines after Close, %d before New", runtime.NumGoroutine(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Once StartJobs ran, its stop function stops the scheduler and Close has
// nothing left to wait for.
func TestCloseAfterTheJobsStopped(t *testing.T) {
	h := apptest.New(t)
	smtp := h.Catcher.SMTP()
	h.Config.SMTP = config.SMTP{Host: smtp.Host, Port: smtp.Port, TLS: smtp.TLS}
	stopJobs, err := h.App.StartJobs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	stopJobs()
	start := time.Now()
	if err := h.App.Close(); err != nil || time.Since(start) > time.Second {
		t.Errorf("Close after the jobs stopped: %v in %s", err, time.Since(start))
	}
}
