// Package apptest builds the whole application against the package's test
// database for handler tests: real Fiber app, real PostgreSQL, real SMTP
// catcher, driven through app.Test with a cookie jar, and HTML assertions with
// CSS selectors (goquery).
package apptest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/uuid"

	"assistant-declaration/app"
	"assistant-declaration/app/db"
	"assistant-declaration/app/db/dbtest"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/users"
	"assistant-declaration/app/web"
	"assistant-declaration/config"
)

var (
	catcherOnce sync.Once
	catcher     *mail.Catcher
	catcherErr  error
)

// sharedCatcher is the one mail catcher of the test process. The harnesses of
// a package share its database, so one test's delivery may send another
// test's email: with one catcher, it still lands where that test looks for
// it (tests find their emails by recipient, and recipients are unique).
func sharedCatcher(t testing.TB) *mail.Catcher {
	catcherOnce.Do(func() { catcher, catcherErr = mail.NewCatcher("127.0.0.1:0") })
	if catcherErr != nil {
		t.Fatal(catcherErr)
	}
	return catcher
}

// Harness is one application instance under test.
type Harness struct {
	T       testing.TB
	App     *app.App
	DB      *db.DB
	Config  *config.Config
	Catcher *mail.Catcher
}

// New builds the application in test mode. configure may adjust settings
// (base URLs of fakes, for instance) before the app is built.
func New(t testing.TB, configure ...func(*config.Config)) *Harness {
	t.Helper()
	return build(t, 0, configure)
}

func build(t testing.TB, pollInterval time.Duration, configure []func(*config.Config)) *Harness {
	t.Helper()
	d := dbtest.Open(t)
	env := map[string]string{"APP_MODE": "test", "DATABASE_URL": dbtest.URL(), "LOG_LEVEL": "error"}
	cfg, err := config.Parse(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	catcher := sharedCatcher(t)
	for _, f := range configure {
		f(cfg)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	a, err := app.New(app.Deps{Config: cfg, DB: d, Logger: logger, Catcher: catcher, PollInterval: pollInterval})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Error(err)
		}
	})
	return &Harness{T: t, App: a, DB: d, Config: cfg, Catcher: catcher}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// Client is a browser-like client: it keeps cookies between requests.
type Client struct {
	h   *Harness
	jar *cookiejar.Jar
	// CSRF is the token of the client's session once it has one.
	CSRF string
	// Header is sent with every request (X-Forwarded-For to act from one IP).
	Header http.Header
}

// Client returns a new anonymous client.
func (h *Harness) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{h: h, jar: jar, Header: http.Header{}}
}

var base, _ = url.Parse("http://localhost")

// Response is a finished response with its body read and parsed.
type Response struct {
	*http.Response
	Body string
	Doc  *goquery.Document
}

// Text returns the trimmed text of the first element matching selector.
func (r *Response) Text(selector string) string {
	return strings.TrimSpace(r.Doc.Find(selector).First().Text())
}

// Do sends req with the client's cookies and records the ones set.
func (c *Client) Do(req *http.Request) *Response {
	c.h.T.Helper()
	for _, ck := range c.jar.Cookies(base) {
		req.AddCookie(ck)
	}
	for k, v := range c.Header {
		if req.Header.Get(k) == "" {
			req.Header[k] = v
		}
	}
	resp, err := c.h.App.Fiber.Test(req, -1)
	if err != nil {
		c.h.T.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	c.jar.SetCookies(base, resp.Cookies())
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close() // the body was read whole: closing it cannot lose anything
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	r := &Response{Response: resp, Body: string(b), Doc: doc}
	if tok, ok := doc.Find(`input[name="_csrf"]`).First().Attr("value"); ok && tok != "" {
		c.CSRF = tok
	}
	return r
}

// Get requests path; headers come in name/value pairs.
func (c *Client) Get(path string, headers ...string) *Response {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.Do(req)
}

// PostForm posts form values, adding the client's CSRF token unless the
// values already hold a _csrf field.
func (c *Client) PostForm(path string, values url.Values, headers ...string) *Response {
	if values == nil {
		values = url.Values{}
	}
	if _, set := values["_csrf"]; !set && c.CSRF != "" {
		values.Set("_csrf", c.CSRF)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.Do(req)
}

// Cookie returns the value of a cookie the client holds.
func (c *Client) Cookie(name string) string {
	for _, ck := range c.jar.Cookies(base) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// StartSession gives the client a session row (with a CSRF token) signed in
// as userID, or anonymous when userID is uuid.Nil — a fixture for handler
// tests that are not about signing in.
func (c *Client) StartSession(userID uuid.UUID, ttl time.Duration) {
	c.h.T.Helper()
	token, csrf := random(), random()
	var uid *uuid.UUID
	if userID != uuid.Nil {
		uid = &userID
	}
	if err := web.CreateSession(context.Background(), c.h.DB, token, uid, csrf, time.Now().Add(ttl)); err != nil {
		c.h.T.Fatal(err)
	}
	c.jar.SetCookies(base, []*http.Cookie{{Name: "session", Value: token, Path: "/"}})
	c.CSRF = csrf
}

func random() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (it crashes the program instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CreateUser inserts a confirmed user directly (password-less) and returns its id.
func (h *Harness) CreateUser(email string, admin bool) uuid.UUID {
	h.T.Helper()
	id, err := users.CreateConfirmed(context.Background(), h.DB, email, "Camille", "Martin", "", admin)
	if err != nil {
		h.T.Fatal(err)
	}
	return id
}

// UniqueEmail returns an email no other test uses.
func UniqueEmail(prefix string) string {
	return prefix + "-" + strings.ToLower(random()[:10]) + "@example.org"
}
