// Command assistant-declaration serves Assistant déclaration and runs its
// maintenance commands.
//
//	assistant-declaration serve                      (default) migrate, then serve HTTP and run jobs
//	assistant-declaration migrate                    apply pending migrations and exit
//	assistant-declaration admin create --email X [--first-name F --last-name L]  create or promote a confirmed admin
//	assistant-declaration demo seed --organizations N  ensure N demo organizations (3 users each) exist
//	assistant-declaration agencies import sacem|sacd FILE  replace an organism's agencies by those of its CSV file
//	assistant-declaration jobs list                  list the jobs and their schedules
//	assistant-declaration jobs run NAME              run a scheduled job now, recorded in job_runs
//	assistant-declaration sync ORGANIZATION_ID       synchronize an organization's ticketing systems now
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"assistant-declaration/app"
	"assistant-declaration/app/accounts"
	"assistant-declaration/app/admin"
	"assistant-declaration/app/agencies"
	"assistant-declaration/app/db"
	"assistant-declaration/config"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(args []string) error {
	cfg, err := config.Load(".env")
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	logger := newLogger(cfg)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	switch cmd {
	case "serve":
		return app.Run(ctx, cfg, logger, nil)
	case "migrate", "demo", "admin", "agencies", "jobs", "sync":
	default:
		return fmt.Errorf("unknown command %q (commands: serve, migrate, admin create, demo seed, agencies import, jobs list|run, sync)", cmd)
	}
	// Every other command works on an up-to-date schema.
	// Jobs and synchronizations pin a connection for their lock besides their work.
	conns := int32(2)
	if cmd == "jobs" || cmd == "sync" {
		conns = 4
	}
	d, err := db.Open(ctx, cfg.DatabaseURL, conns)
	if err != nil {
		return fmt.Errorf("open the database: %w", err)
	}
	defer d.Close()
	applied, err := db.Migrate(ctx, d)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	switch cmd {
	case "migrate":
		logger.Info("migrations applied", "count", len(applied), "migrations", applied)
		return nil
	case "demo":
		return admin.SeedCommand(ctx, d, logger, args[1:])
	case "agencies":
		return agencies.Command(ctx, d, args[1:], os.Stdout)
	case "jobs", "sync":
		return app.Command(ctx, cfg, logger, d, args, os.Stdout)
	default: // admin
		return accounts.AdminCommand(ctx, d, args[1:], os.Stdout)
	}
}

func newLogger(cfg *config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel)) // config.Parse accepts only valid levels
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stdout, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stdout, opts))
}
