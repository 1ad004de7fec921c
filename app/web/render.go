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
	"assistant-declaration/app/paths"
	"assistant-declaration/app/users"
	"assistant-declaration/views"
)

// NewEngine parses every embedded template. Templates are named by their path
// without extension ("pages/public/home"); data reaches them through a view
// struct embedding Layout only, translations through {{t .L "key"}}: the engine's function map is
// shared by all requests, so nothing request-specific may live in it.
func NewEngine(assets *Assets) *html.Engine {
	sub, err := fs.Sub(views.FS, ".")
	if err != nil {
		panic(err)
	}
	engine := html.NewFileSystem(http.FS(sub), ".html")
	static := &staticPartials{engine: engine}
	engine.AddFuncMap(FuncMap(assets, static))
	// Parse now: a broken template stops start-up instead of a first request.
	if err := engine.Load(); err != nil {
		panic(fmt.Sprintf("views: %v", err))
	}
	return engine
}

// FuncMap is the set of template functions of the pages; static renders the
// partials that depend on the language only.
func FuncMap(assets *Assets, static *staticPartials) template.FuncMap {
	return template.FuncMap{
		"static":    static.render,
		"adminNav":  AdminNav,
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
				key, ok := kv[i].(string)
				if !ok {
					key = fmt.Sprint(kv[i])
				}
				m[key] = kv[i+1]
			}
			return m, nil
		},
		"add":          func(a, b int) int { return a + b },
		"errorSummary": ErrorSummary,
		"path":         func() paths.Paths { return paths.To },
		"year":         func() int { return time.Now().In(locale.Paris).Year() },
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

// InDashboard tells whether the page is below the dashboard, which the
// header's dashboard link (Layout.HeaderHTML) then marks as current.
func (p PageContext) InDashboard() bool { return strings.HasPrefix(p.c.Path(), paths.DashboardRoute) }

// RequestID identifies the request on error pages.
func (p PageContext) RequestID() string { return RequestID(p.c) }

// Layout is what the layout and every partial may read: the localizer,
// language, signed-in identity, flash messages and the page context. Each page
// and fragment has a view struct that embeds Layout, so a template naming a
// field that does not exist fails (in tests) instead of rendering nothing.
// Handlers set Title and, below the dashboard, Breadcrumb; Render fills in
// the rest.
type Layout struct {
	Title      string
	Breadcrumb Breadcrumb
	L          *locale.Localizer
	Lang       string
	Page       PageContext
	Identity   *Identity
	User       *users.User
	Flashes    []Flash
	Switcher   *Switcher
}

func (l *Layout) layout() *Layout { return l }

// Viewer is a page or fragment view: a struct embedding Layout.
type Viewer interface{ layout() *Layout }

// NewLayout returns the layout data of the request, titled title.
func NewLayout(c *fiber.Ctx, title string) Layout {
	l := Localizer(c)
	return Layout{
		Title:    title,
		L:        l,
		Lang:     l.Lang,
		Page:     PageContext{c: c},
		Identity: CurrentIdentity(c),
		User:     CurrentUser(c),
		Flashes:  TakeFlashes(c),
		Switcher: currentSwitcher(c),
	}
}

// Render writes a full page, or only its partial when htmx asks for a
// fragment; status 0 means 200. view is a struct embedding Layout: Render
// fills the layout in, keeping its Title and Breadcrumb.
func Render(c *fiber.Ctx, status int, page, partial string, view Viewer) error {
	c.Vary("HX-Request")
	if status != 0 {
		c.Status(status)
	}
	l := view.layout()
	trail := l.Breadcrumb
	*l = NewLayout(c, l.Title)
	l.Breadcrumb = trail
	if partial != "" && IsFragmentRequest(c) {
		return RenderPartial(c, partial, view)
	}
	return RenderPage(c, page, view)
}

// RenderPartial writes one partial alone, for htmx. It calls the engine
// directly instead of fiber's Ctx.Render, whose first calls on a new app
// lazily build a shared list without a lock (a data race under concurrent
// first requests) and which would add nothing here.
func RenderPartial(c *fiber.Ctx, partial string, data any) error {
	views := c.App().Config().Views
	if views == nil {
		// An app without the engine (a test of the plumbing alone): fiber's
		// fallback renders the name as a template.
		return c.Render(partial, data, "")
	}
	c.Type("html", "utf-8")
	if err := views.Render(c.Response().BodyWriter(), partial, data); err != nil {
		return fmt.Errorf("web: render partial %s: %w", partial, err)
	}
	return nil
}

// layoutView is what layouts/main reads: the page's layout data and the page
// already rendered.
type layoutView struct {
	*Layout
	Content template.HTML
}

// RenderPage renders page inside the layout. The page is rendered first into a
// buffer and handed to the layout as .Content: the engine's own layout
// mechanism swaps a function shared by every template under a process-wide
// lock, which serializes every page of every request.
func RenderPage(c *fiber.Ctx, page string, view Viewer) error {
	buf := bufferPool.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); bufferPool.Put(buf) }()
	views := c.App().Config().Views
	if err := views.Render(buf, page, view); err != nil {
		return fmt.Errorf("web: render page %s: %w", page, err)
	}
	content := template.HTML(buf.String()) //nolint:gosec // our own rendered template
	c.Type("html", "utf-8")
	if err := views.Render(c.Response().BodyWriter(), "layouts/main", layoutView{Layout: view.layout(), Content: content}); err != nil {
		return fmt.Errorf("web: render layout of %s: %w", page, err)
	}
	return nil
}

var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}
