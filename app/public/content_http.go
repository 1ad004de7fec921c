// Package public serves the pages anyone can read (home, FAQ, legal pages,
// connection guides), robots.txt, security.txt and the health probes.
package public

import (
	"bytes"
	"fmt"
	"html/template"
	"sync"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/locale"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// ContentPage is a page whose body is a long text written per language in
// views/content/<lang>/<File>.html. That file is a template, so the guides
// can share the parts they have in common (views/content/<lang>/partials/);
// it depends on no request and gets no data.
type ContentPage struct {
	Path     string // English path, the canonical one
	Alias    string // French path
	File     string
	TitleKey string
	Docs     bool // part of the documentation, shown with its side menu
}

// Pages lists every content page; routes.go mounts each on both paths.
var Pages = []ContentPage{
	{Path: paths.AboutRoute, Alias: paths.AboutFrenchRoute, File: "about", TitleKey: "public.aboutTitle"},
	{Path: paths.FAQRoute, Alias: paths.FAQFrenchRoute, File: "faq", TitleKey: "public.faqTitle"},
	{Path: paths.AccessibilityRoute, Alias: paths.AccessibilityFrenchRoute, File: "accessibility", TitleKey: "public.accessibilityTitle"},
	{Path: paths.LegalNoticeRoute, Alias: paths.LegalNoticeFrenchRoute, File: "legal-notice", TitleKey: "public.legalNoticeTitle"},
	{Path: paths.PrivacyPolicyRoute, Alias: paths.PrivacyPolicyFrenchRoute, File: "privacy-policy", TitleKey: "public.privacyPolicyTitle"},
	{Path: paths.TermsOfUseRoute, Alias: paths.TermsOfUseFrenchRoute, File: "terms-of-use", TitleKey: "public.termsOfUseTitle"},
	{Path: paths.DocsBilletwebRoute, Alias: paths.DocsBilletwebFrenchRoute, File: "docs-billetweb", TitleKey: "docs.billetweb", Docs: true},
	{Path: paths.DocsHelloassoRoute, Alias: paths.DocsHelloassoFrenchRoute, File: "docs-helloasso", TitleKey: "docs.helloasso", Docs: true},
	{Path: paths.DocsMapadoRoute, Alias: paths.DocsMapadoFrenchRoute, File: "docs-mapado", TitleKey: "docs.mapado", Docs: true},
	{Path: paths.DocsShotgunRoute, Alias: paths.DocsShotgunFrenchRoute, File: "docs-shotgun", TitleKey: "docs.shotgun", Docs: true},
	{Path: paths.DocsSoticketRoute, Alias: paths.DocsSoticketFrenchRoute, File: "docs-soticket", TitleKey: "docs.soticket", Docs: true},
	{Path: paths.DocsSupersoniksRoute, Alias: paths.DocsSupersoniksFrenchRoute, File: "docs-supersoniks", TitleKey: "docs.supersoniks", Docs: true},
	{Path: paths.DocsTicketingAPIUsageRoute, Alias: paths.DocsTicketingAPIUsageFrenchRoute, File: "docs-ticketing-api-usage", TitleKey: "docs.ticketingApiUsage", Docs: true},
}

// Handlers serves the public pages.
type Handlers struct {
	content map[string]template.HTML // "<lang>/<file>" → body
	docs    []ContentPage
	// rendered keeps each page as a visitor without a session sees it, per
	// language and path: it depends on nothing else, and these are the most
	// requested pages of the site.
	rendered sync.Map // "<lang> <path>" → []byte
}

// NewHandlers renders every content file once with the app's engine (content
// files are templates sharing partials, and depend on no request); a missing
// translation or a failing content template stops start-up rather than
// showing an empty page.
func NewHandlers(engine fiber.Views) (*Handlers, error) {
	h := &Handlers{content: map[string]template.HTML{}}
	for _, p := range Pages {
		if p.Docs {
			h.docs = append(h.docs, p)
		}
		for _, lang := range locale.Supported {
			var buf bytes.Buffer
			if err := engine.Render(&buf, fmt.Sprintf("content/%s/%s", lang, p.File), nil); err != nil {
				return nil, fmt.Errorf("public: content %s/%s: %w", lang, p.File, err)
			}
			// Our own files, reviewed like code: trusted HTML.
			h.content[lang+"/"+p.File] = template.HTML(buf.String()) //nolint:gosec
		}
	}
	return h, nil
}

// contentView is a content page: its body, and the side menu of the
// documentation for its pages.
type contentView struct {
	web.Layout
	Content  template.HTML
	DocsMenu []ContentPage
}

// Content returns the handler of one content page.
func (h *Handlers) Content(p ContentPage) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return h.render(c, func() error {
			v := &contentView{Layout: web.Layout{Title: web.Localizer(c).T(p.TitleKey)}, Content: h.content[web.Lang(c)+"/"+p.File]}
			if p.Docs {
				v.DocsMenu = h.docs
			}
			return web.Render(c, 0, "pages/public/content", "", v)
		})
	}
}

// Home is the landing page: the "À propos" text.
func (h *Handlers) Home(c *fiber.Ctx) error {
	return h.render(c, func() error {
		return web.Render(c, 0, "pages/public/content", "", &contentView{
			Layout:  web.Layout{Title: web.Localizer(c).T("public.homeTitle")},
			Content: h.content[web.Lang(c)+"/about"],
		})
	})
}

// render serves a visitor without a session the page rendered for the first
// such visitor of the same language and path; anybody else (signed in, or
// with a session holding a CSRF token or a flash) gets it rendered anew.
func (h *Handlers) render(c *fiber.Ctx, renderPage func() error) error {
	if web.HasSession(c) {
		return renderPage()
	}
	key := web.Lang(c) + " " + c.Path()
	if body, ok := h.rendered.Load(key); ok {
		c.Vary("HX-Request")
		c.Type("html", "utf-8")
		return c.Send(body.([]byte))
	}
	if err := renderPage(); err != nil {
		return err
	}
	if c.Response().StatusCode() == fiber.StatusOK {
		h.rendered.Store(key, append([]byte(nil), c.Response().Body()...))
	}
	return nil
}

// NotFound answers every unknown route with the DSFR 404 page.
func NotFound(*fiber.Ctx) error { return web.ErrNotFound }
