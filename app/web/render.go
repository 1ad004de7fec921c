package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"
	"github.com/shopspring/decimal"

	"assistant-declaration/app/locale"
	"assistant-declaration/views"
)

// NewEngine parses every embedded template. Templates are named by their path
// without extension ("pages/public/home"); data reaches them through fiber.Map
// only, translations through {{t .L "key"}}: the engine's function map is
// shared by all requests, so nothing request-specific may live in it.
func NewEngine(assets *Assets) *html.Engine {
	sub, err := fs.Sub(views.FS, ".")
	if err != nil {
		panic(err)
	}
	engine := html.NewFileSystem(http.FS(sub), ".html")
	engine.AddFuncMap(FuncMap(assets))
	// Parse now: a broken template stops start-up instead of a first request.
	if err := engine.Load(); err != nil {
		panic(fmt.Sprintf("views: %v", err))
	}
	return engine
}

// FuncMap is the set of template functions of the pages.
func FuncMap(assets *Assets) template.FuncMap {
	return template.FuncMap{
		"t":         func(l *locale.Localizer, id string, args ...any) string { return l.T(id, args...) },
		"money":     func(d decimal.Decimal) string { return locale.Money(d) },
		"date":      locale.Date,
		"datetime":  locale.DateTime,
		"time":      locale.Time,
		"asset":     assets.URL,
		"hasPrefix": strings.HasPrefix,
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m, nil
		},
		"add":  func(a, b int) int { return a + b },
		"year": func() int { return time.Now().In(locale.Paris).Year() },
	}
}

// PageContext gives templates lazy access to per-request values. CSRF is a
// method so the session (and its token) is created only by pages that render
// a form.
type PageContext struct {
	c *fiber.Ctx
}

// CSRF returns the request's anti-CSRF token, creating it when needed.
func (p PageContext) CSRF() string { return CSRFToken(p.c) }

// ExistingCSRF returns the token only when the visitor already has one; the
// layout uses it for htmx's header without creating sessions for every visitor.
func (p PageContext) ExistingCSRF() string {
	if s := existingSession(p.c); s != nil {
		return s.Data.CSRF
	}
	return ""
}

// Path is the current path, for active navigation links.
func (p PageContext) Path() string { return p.c.Path() }

// RequestID identifies the request on error pages.
func (p PageContext) RequestID() string { return RequestID(p.c) }

// View returns the data every template may use: the localizer, language,
// signed-in identity, flash messages and the page context.
func View(c *fiber.Ctx) fiber.Map {
	l := Localizer(c)
	return fiber.Map{
		"L":        l,
		"Lang":     l.Lang,
		"Page":     PageContext{c: c},
		"Identity": CurrentIdentity(c),
		"User":     CurrentUser(c),
		"Flashes":  TakeFlashes(c),
	}
}

// Render writes a full page, or only its partial when htmx asks for a
// fragment. data is merged over View(c); status 0 means 200.
func Render(c *fiber.Ctx, status int, page, partial string, data fiber.Map) error {
	view := View(c)
	for k, v := range data {
		view[k] = v
	}
	c.Vary("HX-Request")
	if status != 0 {
		c.Status(status)
	}
	if partial != "" && IsFragmentRequest(c) {
		return c.Render(partial, view, "")
	}
	return RenderPage(c, page, view)
}

// RenderPage renders page inside the layout. The page is rendered first into a
// buffer and handed to the layout as .Content: the engine's own layout
// mechanism swaps a function shared by every template under a process-wide
// lock, which serializes every page of every request.
func RenderPage(c *fiber.Ctx, page string, view fiber.Map) error {
	buf := bufferPool.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); bufferPool.Put(buf) }()
	views := c.App().Config().Views
	if err := views.Render(buf, page, view); err != nil {
		return err
	}
	view["Content"] = template.HTML(buf.String()) //nolint:gosec // our own rendered template
	c.Type("html", "utf-8")
	return views.Render(c.Response().BodyWriter(), "layouts/main", view)
}

var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}
