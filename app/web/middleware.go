package web

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"assistant-declaration/app/db"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/paths"
)

// Middleware holds what the shared middlewares need.
type Middleware struct {
	db             *db.DB
	logger         *slog.Logger
	sessions       SessionConfig
	requestTimeout time.Duration
	// banner is the maintenance banner of every page (SetBannerSource).
	banner *bannerCache
}

// NewMiddleware builds the shared middlewares.
func NewMiddleware(d *db.DB, logger *slog.Logger, sessions SessionConfig, requestTimeout time.Duration) *Middleware {
	return &Middleware{db: d, logger: logger, sessions: sessions, requestTimeout: requestTimeout}
}

// InstallBase adds the middlewares every request goes through, static files
// and probes included: recover, request id, access log, security headers and a
// request context with a deadline.
func (m *Middleware) InstallBase(app *fiber.App) {
	app.Use(recover.New(recover.Config{EnableStackTrace: true}))
	app.Use(requestid.New())
	app.Use(m.accessLog)
	app.Use(helmet.New(helmet.Config{
		ContentSecurityPolicy:     m.contentSecurityPolicy(),
		ReferrerPolicy:            "same-origin", // no-referrer would break CSRF origin checks
		CrossOriginEmbedderPolicy: "unsafe-none",
		HSTSMaxAge:                15552000,
		HSTSExcludeSubdomains:     false,
		PermissionPolicy:          "camera=(), microphone=(), geolocation=(), payment=()",
	}))
	app.Use(m.requestContext)
}

// InstallSession adds what pages need: the session, who is signed in, the
// language, no caching of signed-in users' pages, refusal of invalid text, CSRF verification and the impersonation audit.
func (m *Middleware) InstallSession(app *fiber.App) {
	app.Use(m.session)
	app.Use(m.bannerLocals)
	app.Use(noStoreForUsers)
	app.Use(rejectInvalidText)
	app.Use(m.csrf)
}

func (m *Middleware) contentSecurityPolicy() string {
	csp := "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'; object-src 'none'; " +
		"script-src 'self'; script-src-attr 'none'; style-src 'self'; style-src-attr 'none'; img-src 'self' data:; " +
		"font-src 'self' data:; connect-src 'self'"
	// Served over HTTPS (production): never let a page load anything over HTTP.
	if m.sessions.Secure {
		csp += "; upgrade-insecure-requests"
	}
	return csp
}

// RequestID returns the id of the request (also in the X-Request-ID header).
func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals(requestid.ConfigDefault.ContextKey).(string)
	return id
}

func (m *Middleware) requestContext(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(context.Background(), m.requestTimeout)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}

// accessLog writes one line per request. Only the path is logged, its token
// segments redacted, never the query string (reset tokens travel there) nor bodies.
func (m *Middleware) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		status = asError(err).Status
	}
	m.logger.LogAttrs(c.UserContext(), slog.LevelInfo, "request",
		slog.String("request_id", RequestID(c)),
		slog.String("method", c.Method()),
		slog.String("path", redactSecrets(c, c.Path())),
		slog.Int("status", status),
		slog.Duration("latency", time.Since(start)))
	return err
}

// session loads the session and identity, runs the handler, then writes the
// session back if it changed and audits impersonated mutations.
func (m *Middleware) session(c *fiber.Ctx) error {
	if token := c.Cookies(m.sessions.CookieName()); token != "" {
		s, err := loadSession(c.UserContext(), m.db.Pool, token)
		if err != nil {
			return err
		}
		if s != nil {
			c.Locals(sessionLocal, s)
			if err := m.loadIdentity(c, s); err != nil {
				return err
			}
		}
	}
	c.Locals(langLocal, locale.Match(c.Cookies(langCookie), c.Get(fiber.HeaderAcceptLanguage)))
	err := c.Next()
	if err != nil {
		// Render the error now so a flash taken by the error page is saved too.
		if herr := c.App().Config().ErrorHandler(c, err); herr != nil {
			return herr
		}
	}
	m.auditImpersonatedRequest(c, err)
	return m.saveSession(c)
}

// csrf refuses state-changing requests whose token (X-Csrf-Token header for
// htmx, _csrf form field otherwise) does not match the session's.
func (m *Middleware) csrf(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	sent := c.Get("X-Csrf-Token")
	if sent == "" {
		sent = BodyValue(c, "_csrf")
	}
	s := existingSession(c)
	if s == nil || s.Data.CSRF == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(s.Data.CSRF)) != 1 {
		return NewError(fiber.StatusForbidden, "errors.csrf")
	}
	return c.Next()
}

const (
	langLocal  = "web.lang"
	langCookie = "lang"
)

// Lang is the request's language.
func Lang(c *fiber.Ctx) string {
	if l, ok := c.Locals(langLocal).(string); ok {
		return l
	}
	return locale.Match(c.Cookies(langCookie), c.Get(fiber.HeaderAcceptLanguage))
}

// Localizer translates into the request's language.
func Localizer(c *fiber.Ctx) *locale.Localizer { return locale.For(Lang(c)) }

// SwitchLanguage remembers the chosen language in a cookie and goes back to
// the page the visitor was on (a same-origin path only).
func (m *Middleware) SwitchLanguage(c *fiber.Ctx) error {
	lang := locale.Match(c.Params("lang"), "")
	c.Cookie(&fiber.Cookie{Name: langCookie, Value: lang, Path: "/", Secure: m.sessions.Secure, HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, MaxAge: 365 * 24 * 3600})
	return c.Redirect(SafeRedirectPath(c.Query("next"), paths.To.Home()), fiber.StatusSeeOther)
}

// SafeRedirectPath returns target when it is a path of this site, fallback
// otherwise: no scheme, no host, no protocol-relative "//evil" or "/\evil".
func SafeRedirectPath(target, fallback string) string {
	if target == "" || !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") || strings.HasPrefix(target, "/\\") {
		return fallback
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return fallback
	}
	return target
}
