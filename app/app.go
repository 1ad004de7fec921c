// Package app assembles the application: it builds the Fiber app from the
// domain handlers and holds the one route table (routes.go).
package app

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/accounts"
	"assistant-declaration/app/admin"
	"assistant-declaration/app/db"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/public"
	"assistant-declaration/app/series"
	"assistant-declaration/app/synchronization"
	"assistant-declaration/app/ticketing"
	"assistant-declaration/app/web"
	"assistant-declaration/config"
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
	declarations  *declarations.Handlers
	sync          *synchronization.Service
	ticketing     *synchronization.Handlers
	adminSync     *synchronization.AdminHandlers
}

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
		return nil, err
	}
	engine := web.NewEngine(assets)
	publicHandlers, err := public.NewHandlers(engine)
	if err != nil {
		return nil, err
	}
	a := &App{
		cfg: d.Config, db: d.DB, logger: d.Logger, catcher: d.Catcher, assets: assets,
		public: publicHandlers, pollInterval: d.PollInterval,
	}
	a.organizations = organizations.NewHandlers(d.Config, d.DB)
	a.series = series.NewHandlers(d.DB)
	a.declarations = declarations.NewHandlers(d.Config, d.DB)
	a.admin = admin.NewHandlers(d.DB, d.Logger)
	if a.sync, err = synchronization.NewService(d.Config, d.DB, d.Logger, ticketing.Config{}); err != nil {
		return nil, err
	}
	a.ticketing = synchronization.NewHandlers(a.sync)
	// The organization page shows its series and the synchronization panel;
	// organizations cannot import either package (both import it).
	a.organizations.Slot = func(c *fiber.Ctx) (fiber.Map, error) {
		data, err := a.series.Slot(c)
		if err != nil {
			return nil, err
		}
		panel, err := a.ticketing.Panel(c)
		for k, v := range panel {
			data[k] = v
		}
		return data, err
	}
	a.adminSync = synchronization.NewAdminHandlers(a.sync)
	a.middleware = web.NewMiddleware(d.DB, d.Logger, web.SessionConfig{
		Secure:      d.Config.IsProd(),
		IdleTimeout: d.Config.SessionIdleTimeout,
		AdminMaxAge: d.Config.AdminSessionMaxAge,
	}, d.Config.RequestTimeout)
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
	a.Fiber = f
	a.middleware.InstallBase(f)
	a.routes(f)
	return a, nil
}
