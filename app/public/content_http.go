package public

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/web"
)

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
	// The maintenance banner is part of the page: each banner has its pages.
	if b := web.CurrentBanner(c); b != nil {
		key += " " + b.Message + " " + b.EndsAt.String()
	}
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
