// Package app assembles the application: it builds the Fiber app from the
// domain handlers and holds the one route table (routes.go).
package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/accounts"
	"assistant-declaration/app/admin"
	"assistant-declaration/app/agencies"
	"assistant-declaration/app/attachments"
	"assistant-declaration/app/audit"
	"assistant-declaration/app/db"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/public"
	"assistant-declaration/app/sacd"
	"assistant-declaration/app/series"
	"assistant-declaration/app/statistics"
	"assistant-declaration/app/synchronization"
	"assistant-declaration/app/ticketing"
	"assistant-declaration/app/transmissions"
	"assistant-declaration/app/web"
	"assistant-declaration/config"
	"assistant-declaration/jobs"
	"assistant-declaration/static"
)

// App is the HTTP application and what its handlers share.
type App struct {
	Fiber *fiber.App

	cfg          *config.Config
	db           *db.DB
	logger       *slog.Logger
	middleware   *web.Middleware
	assets       *web.Assets
	catcher      *mail.Catcher
	pollInterval time.Duration

	public        *public.Handlers
	organizations *organizations.Handlers
	accounts      *accounts.Handlers
	admin         *admin.Handlers
	series        *series.Handlers
	agencies      *agencies.Handlers

	// Ticketing systems and their synchronization.
	sync                 *synchronization.Service
	synchronization      *synchronization.Handlers
	adminSynchronization *synchronization.AdminHandlers
	attachments          *attachments.Handlers
	attachStore          attachments.Store
	declarations         *declarations.Handlers
	transmit             *transmissions.Service
	transmissions        *transmissions.Handlers
	statistics           *statistics.Handlers

	// scheduler has every job registered; StartJobs starts it and its stop
	// function stops it, as Close does (gocron runs a goroutine from the
	// moment it is built, started or not).
	scheduler *jobs.Scheduler
	runner    *synchronization.Runner
}

// Transmissions is the service sending the declarations (tests drive its
// worker and point its SACD client at a fake).
func (a *App) Transmissions() *transmissions.Service { return a.transmit }

// Deps are the services the application is built on.
type Deps struct {
	Config  *config.Config
	DB      *db.DB
	Logger  *slog.Logger
	Catcher *mail.Catcher // nil in production
	// PollInterval overrides the pollers' intervals (outbox, synchronization
	// queue); zero keeps the production ones.
	PollInterval time.Duration
}

// New builds the application and its routes.
func New(d Deps) (*App, error) {
	assets, err := web.NewAssets(static.FS)
	if err != nil {
		return nil, fmt.Errorf("app: assets: %w", err)
	}
	engine := web.NewEngine(assets)
	publicHandlers, err := public.NewHandlers(engine)
	if err != nil {
		return nil, fmt.Errorf("app: public pages: %w", err)
	}
	a := &App{
		cfg: d.Config, db: d.DB, logger: d.Logger, catcher: d.Catcher, assets: assets,
		public: publicHandlers, pollInterval: d.PollInterval,
	}
	a.organizations = organizations.NewHandlers(d.Config, d.DB)
	a.series = series.NewHandlers(d.DB)
	a.declarations = declarations.NewHandlers(d.Config, d.DB)
	a.admin = admin.NewHandlers(d.DB, d.Logger)
	a.agencies = agencies.NewHandlers(d.DB)
	a.statistics = statistics.NewHandlers(d.DB)
	if a.sync, err = synchronization.NewService(d.Config, d.DB, d.Logger, ticketing.Config{}); err != nil {
		return nil, fmt.Errorf("app: synchronization service: %w", err)
	}
	a.synchronization = synchronization.NewHandlers(a.sync)
	// The organization page shows its series and the synchronization panel;
	// organizations cannot import either package (both import it).
	a.organizations.Panels = func(c *fiber.Ctx) (organizations.Panels, error) {
		list, err := a.series.Panel(c)
		if err != nil {
			return organizations.Panels{}, err
		}
		return organizations.Panels{Series: list, Synchronization: a.synchronization.Panel(c, list.LatestRun)}, nil
	}
	a.adminSynchronization = synchronization.NewAdminHandlers(a.sync)
	a.attachments, a.attachStore = newAttachments(d)
	a.declarations.Attachments = declarations.Panel{JSON: attachments.ListJSON, View: attachmentsPanel}
	a.transmit = &transmissions.Service{DB: d.DB, Store: a.attachStore, Sacd: sacd.NewFactory(d.Config, sacd.Config{}),
		MaxMessageSize: d.Config.MailerMaxMessageSize, BaseURL: d.Config.BaseURL, Logger: d.Logger}
	a.transmissions = transmissions.NewHandlers(a.transmit, a.declarations)
	a.declarations.Transmission = transmissions.DeclarationPanel
	if a.scheduler, a.runner, err = a.newScheduler(); err != nil {
		return nil, err
	}
	a.admin.JobCatalog = a.scheduler
	a.middleware = web.NewMiddleware(d.DB, d.Logger, web.SessionConfig{
		Secure:      d.Config.IsProd(),
		IdleTimeout: d.Config.SessionIdleTimeout,
		AdminMaxAge: d.Config.AdminSessionMaxAge,
	}, d.Config.RequestTimeout)
	a.middleware.SetBannerSource(func(ctx context.Context) (*web.Banner, error) { return admin.CurrentBanner(ctx, d.DB) })
	a.admin.BannerChanged = a.middleware.RefreshBanner
	a.accounts = accounts.NewHandlers(d.DB, a.middleware, d.Config.BaseURL, accounts.NewProConnect(d.Config, d.Logger))

	fcfg := fiber.Config{
		AppName:               "assistant-declaration",
		Immutable:             true,
		Views:                 engine,
		ErrorHandler:          web.ErrorHandler(d.Logger),
		BodyLimit:             8 << 20,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
	}
	if len(d.Config.TrustedProxies) > 0 {
		fcfg.ProxyHeader = fiber.HeaderXForwardedFor
		fcfg.EnableTrustedProxyCheck = true
		fcfg.TrustedProxies = d.Config.TrustedProxies
	}
	f := fiber.New(fcfg)
	// Uploads of documents carry several files of up to 5 MiB: their route
	// alone gets a larger body limit and read timeout (see attachments.UploadLimits).
	f.Server().HeaderReceived = attachments.UploadLimits
	a.Fiber = f
	a.middleware.InstallBase(f)
	a.routes(f)
	return a, nil
}

// Close stops the scheduler New built, whose goroutine runs even when
// StartJobs never started it (command line, tests); after StartJobs' stop
// function, it returns at once (jobs.Scheduler.Shutdown runs once).
func (a *App) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	if err := a.scheduler.Shutdown(ctx); err != nil {
		return fmt.Errorf("app: close: %w", err)
	}
	return nil
}

// newAttachments builds the documents of the declarations on the PostgreSQL
// store, scanned by clamd when CLAMAV_ADDRESS is set.
func newAttachments(d Deps) (*attachments.Handlers, attachments.Store) {
	svc := &attachments.Service{DB: d.DB, Store: attachments.PGStore{DB: d.DB}, Recorder: declarationHistory{}, Logger: d.Logger}
	if d.Config.ClamAVAddress != "" {
		svc.Scanner = &attachments.Clamd{Address: d.Config.ClamAVAddress}
	}
	return attachments.NewHandlers(svc), svc.Store
}

// declarationHistory writes the attachments' changes into the history of
// their declaration (decision D11 in docs/decisions.md).
type declarationHistory struct{}

func (declarationHistory) RecordAttachmentChange(ctx context.Context, idb bun.IDB, serieID uuid.UUID, actor audit.Actor, field, old, new string) (err error) {
	defer derrors.Wrap(&err, "app: record the %s change of serie %s", field, serieID)
	return declarations.RecordChange(ctx, idb, serieID, actor, field, old, new)
}

// attachmentsPanel is the attachments panel of declaration d, list its
// documents as attachments.ListJSON wrote them; admin is the back office's
// read-only view.
func attachmentsPanel(c *fiber.Ctx, d *declarations.Declaration, list []byte, readOnly, admin bool) (any, error) {
	docs, err := attachments.DecodeList(list)
	if err != nil {
		return nil, err
	}
	if admin {
		return attachments.AdminPanelOf(web.Localizer(c), d.Organization.ID, d.Serie.ID, docs), nil
	}
	return attachments.PanelOf(web.Localizer(c), web.CSRFToken(c), d.Organization.ID, d.Serie.ID, !readOnly, docs), nil
}
