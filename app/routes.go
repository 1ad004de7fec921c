package app

import (
	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/public"
	"assistant-declaration/app/web"
)

// routes is the one route table of the application: every method and path,
// grouped by domain. French aliases sit next to their English path. The
// authorization test walks this table, so a new route must be added there too.
func (a *App) routes(f *fiber.App) {
	mw := a.middleware

	// Probes and files: no session, no database beyond what they need.
	f.Get("/healthz", public.Healthz)
	f.Get("/readyz", public.Readyz(a.db))
	f.Get("/robots.txt", public.Robots(a.cfg.IsProd()))
	f.Get("/.well-known/security.txt", public.SecurityTxt(a.cfg.SecurityContact))
	a.assets.Install(f)

	mw.InstallSession(f)

	// Public pages.
	f.Get("/", a.public.Home)
	for _, p := range public.Pages {
		f.Get(p.Path, a.public.Content(p))
		f.Get(p.Alias, a.public.Content(p))
	}
	f.Get("/lang/:lang", mw.SwitchLanguage)

	// Development tools (dev and test modes only).
	if a.catcher != nil {
		f.Get("/dev/mails", a.showCaughtMails)
		f.Get("/dev/mails.json", a.catcher.HandleJSON)
	}

	f.Use(public.NotFound)
}

// showCaughtMails lists the emails the development mail catcher received.
func (a *App) showCaughtMails(c *fiber.Ctx) error {
	return web.Render(c, 0, "pages/dev/mails", "", fiber.Map{"Title": "Mails", "Mails": a.catcher.Messages()})
}
