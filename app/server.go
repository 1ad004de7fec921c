package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"time"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/paths"
	"assistant-declaration/config"
)

// Run starts everything `serve` needs and blocks until ctx is cancelled, then
// shuts down in order: stop accepting and finish in-flight requests (bounded),
// stop the scheduler, close the pool. ready, when not nil, receives the
// listening address once the app serves.
func Run(ctx context.Context, cfg *config.Config, logger *slog.Logger, ready func(addr string)) (err error) {
	defer derrors.Wrap(&err, "app: run")
	d, err := db.Open(ctx, cfg.DatabaseURL, cfg.DatabaseMaxConns)
	if err != nil {
		return fmt.Errorf("open the database: %w", err)
	}
	defer d.Close()
	applied, err := db.Migrate(ctx, d)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if len(applied) > 0 {
		logger.Info("migrations applied", "migrations", applied)
	}

	var catcher *mail.Catcher
	if !cfg.IsProd() && cfg.SMTP.Host == "" {
		// No SMTP configured outside production: every email goes to the
		// in-process catcher, listed at /dev/mails.
		if catcher, err = mail.NewCatcher(cfg.MailCatcherAddr); err != nil {
			return fmt.Errorf("mail catcher: %w", err)
		}
		defer catcher.Close()
		smtp := catcher.SMTP()
		cfg.SMTP = config.SMTP{Host: smtp.Host, Port: smtp.Port, TLS: smtp.TLS}
		logger.Info("mail catcher listening", "smtp", catcher.Addr(), "inbox", cfg.BaseURL+paths.To.DevMails())
	}

	a, err := New(Deps{Config: cfg, DB: d, Logger: logger, Catcher: catcher})
	if err != nil {
		return fmt.Errorf("build the app: %w", err)
	}
	defer func() { err = errors.Join(err, a.Close()) }()
	if cfg.DemoData {
		if err := a.seedDemo(ctx); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	stopJobs, err := a.StartJobs(ctx)
	if err != nil {
		return fmt.Errorf("start the jobs: %w", err)
	}
	defer stopJobs()

	// Parsing templates, hashing assets and migrating leave garbage behind:
	// hand it back to the OS now rather than carry it while idle.
	debug.FreeOSMemory()

	ln, err := net.Listen("tcp", fmt.Sprintf(":%d", cfg.Port))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	logger.Info("serving", "addr", ln.Addr().String(), "url", cfg.BaseURL, "mode", cfg.Mode)
	if ready != nil {
		ready(ln.Addr().String())
	}
	return Serve(ctx, a.Fiber, ln, cfg.ShutdownTimeout)
}

// Serve serves f on ln until ctx is cancelled, then stops accepting
// connections and waits up to timeout for in-flight requests to finish.
func Serve(ctx context.Context, f *fiber.App, ln net.Listener, timeout time.Duration) (err error) {
	defer derrors.Wrap(&err, "app: serve")
	errc := make(chan error, 1)
	go func() { errc <- f.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	if err := f.ShutdownWithTimeout(timeout); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return <-errc
}
