package app_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/public"
)

func TestPublicPagesRenderOnBothPaths(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	cl := h.Client()
	for _, p := range public.Pages {
		for _, path := range []string{p.Path, p.Alias} {
			r := cl.Get(path)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d", path, r.StatusCode)
			}
			title := r.Text("title")
			if !strings.HasSuffix(title, " - Assistant déclaration") || len(title) <= len(" - Assistant déclaration") {
				t.Errorf("GET %s: title %q", path, title)
			}
			if r.Doc.Find("main h1").Length() != 1 {
				t.Errorf("GET %s: want exactly one h1 in main, got %d", path, r.Doc.Find("main h1").Length())
			}
			if got := r.Text(".fr-header__service-title"); got != "Assistant déclaration" {
				t.Errorf("GET %s: service title %q", path, got)
			}
			if got := r.Text(".fr-header__service-tagline"); got != "Pour les entrepreneurs du spectacle vivant" {
				t.Errorf("GET %s: tagline %q", path, got)
			}
			for _, id := range []string{"#footer-accessibility", "#footer-legal-notice", "#footer-privacy-policy", "#footer-terms-of-use"} {
				if r.Doc.Find(id).Length() != 1 {
					t.Errorf("GET %s: footer link %s missing", path, id)
				}
			}
		}
	}
	home := cl.Get("/")
	if home.StatusCode != http.StatusOK || home.Text("html") == "" {
		t.Fatalf("home = %d", home.StatusCode)
	}
	if lang, _ := home.Doc.Find("html").Attr("lang"); lang != "fr" {
		t.Errorf("home lang = %q", lang)
	}
	// A visitor who only reads pages gets no session and no cookie.
	if len(home.Cookies()) != 0 {
		t.Errorf("anonymous page view set cookies: %v", home.Cookies())
	}
}

func TestLanguageSwitch(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	cl := h.Client()

	r := cl.Get("/lang/en?next=" + url.QueryEscape("/frequently-asked-questions"))
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/frequently-asked-questions" {
		t.Fatalf("switch = %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	faq := cl.Get("/frequently-asked-questions")
	if lang, _ := faq.Doc.Find("html").Attr("lang"); lang != "en" {
		t.Errorf("lang after switch = %q", lang)
	}
	if got := faq.Text(".fr-header__service-tagline"); got != "For live performance entrepreneurs" {
		t.Errorf("English tagline = %q", got)
	}
	if !strings.HasPrefix(faq.Text("title"), "Frequently asked questions") {
		t.Errorf("English title = %q", faq.Text("title"))
	}
	// The footer is rendered once per language (web.staticPartials).
	if got := faq.Text("#footer-legal-notice"); got != "Legal notice" {
		t.Errorf("English footer = %q", got)
	}

	// Back to French; an open redirect is refused.
	r = cl.Get("/lang/fr?next=" + url.QueryEscape("//evil.example/x"))
	if r.Header.Get("Location") != "/" {
		t.Errorf("open redirect: Location = %q", r.Header.Get("Location"))
	}
	home := cl.Get("/")
	if lang, _ := home.Doc.Find("html").Attr("lang"); lang != "fr" {
		t.Errorf("lang after switching back = %q", lang)
	}
	if got := home.Text("#footer-legal-notice"); got != "Mentions légales" {
		t.Errorf("French footer after the English one = %q", got)
	}

	// Accept-Language decides when there is no cookie; garbage falls back to French.
	for accept, want := range map[string]string{"en-GB,en;q=0.9": "en", "de-DE": "fr", "%%%;q=zz": "fr"} {
		r := h.Client().Get("/", "Accept-Language", accept)
		if lang, _ := r.Doc.Find("html").Attr("lang"); lang != want {
			t.Errorf("Accept-Language %q: lang = %q, want %q", accept, lang, want)
		}
	}
	// An unsupported language code chosen by hand falls back to French.
	bad := h.Client()
	bad.Get("/lang/xx")
	if lang, _ := bad.Get("/").Doc.Find("html").Attr("lang"); lang != "fr" {
		t.Errorf("unsupported language: lang = %q", lang)
	}
}

func TestUnknownRouteIsDSFR404(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	r := h.Client().Get("/this/does/not/exist")
	if r.StatusCode != http.StatusNotFound {
		t.Fatalf("status = %d", r.StatusCode)
	}
	if r.Text("main h1") != "Page non trouvée" || !strings.Contains(r.Text("#error-message"), "introuvable") {
		t.Errorf("404 page: h1 %q, message %q", r.Text("main h1"), r.Text("#error-message"))
	}
	if r.Doc.Find("footer.fr-footer").Length() != 1 {
		t.Error("404 page must use the DSFR layout")
	}
	// htmx gets the fragment only.
	frag := h.Client().Get("/nope", "HX-Request", "true")
	if frag.StatusCode != http.StatusNotFound || frag.Doc.Find("header").Length() != 0 || frag.Doc.Find(".fr-alert--error").Length() != 1 {
		t.Errorf("htmx 404: status %d, body %q", frag.StatusCode, frag.Body)
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	r := h.Client().Get("/")
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "script-src-attr 'none'", "object-src 'none'", "frame-ancestors 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows inline or eval: %q", csp)
	}
	if got := r.Header.Get("Referrer-Policy"); got != "same-origin" {
		t.Errorf("Referrer-Policy = %q", got)
	}
	if r.Header.Get("X-Request-Id") == "" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("missing X-Request-Id or nosniff")
	}
	if !strings.Contains(r.Header.Get("Vary"), "HX-Request") {
		t.Errorf("Vary = %q", r.Header.Get("Vary"))
	}
	// No inline script or inline event handler anywhere in the page.
	r.Doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if src, _ := s.Attr("src"); src == "" {
			t.Errorf("inline script: %q", s.Text())
		}
	})
	if strings.Contains(strings.ToLower(r.Body), " onclick=") || strings.Contains(r.Body, " style=") {
		t.Error("inline handler or style attribute in page")
	}
}

func TestStaticAssetsAreCachedByHash(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	cl := h.Client()
	page := cl.Get("/")
	href, ok := page.Doc.Find(`link[rel="stylesheet"]`).First().Attr("href")
	if !ok || !strings.HasPrefix(href, "/static/") || !strings.HasSuffix(href, "/dsfr/dsfr.min.css") {
		t.Fatalf("stylesheet href = %q", href)
	}
	r := cl.Get(href)
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") {
		t.Fatalf("GET %s = %d %s", href, r.StatusCode, r.Header.Get("Content-Type"))
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
		t.Errorf("Cache-Control = %q", cc)
	}
	// Fonts referenced relatively by the CSS resolve under the same prefix.
	font := strings.TrimSuffix(href, "dsfr.min.css") + "fonts/Marianne-Regular.woff2"
	if r := cl.Get(font); r.StatusCode != http.StatusOK {
		t.Errorf("GET %s = %d", font, r.StatusCode)
	}
	if r := cl.Get("/static/whatever/nope.css"); r.StatusCode != http.StatusNotFound {
		t.Errorf("missing asset = %d", r.StatusCode)
	}
}

func TestProbesAndWellKnownFiles(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	cl := h.Client()
	if r := cl.Get("/healthz"); r.StatusCode != http.StatusOK {
		t.Errorf("healthz = %d", r.StatusCode)
	}
	if r := cl.Get("/readyz"); r.StatusCode != http.StatusOK || r.Body != "ready" {
		t.Errorf("readyz = %d %q", r.StatusCode, r.Body)
	}
	robots := cl.Get("/robots.txt")
	if robots.Body != "User-agent: *\nDisallow: /\nAllow: /.well-known/\n" {
		t.Errorf("robots.txt outside production = %q", robots.Body)
	}
	sec := cl.Get("/.well-known/security.txt").Body
	if !strings.Contains(sec, "Contact: ") || !strings.Contains(sec, "Expires: ") || !strings.Contains(sec, "Preferred-Languages: fr, en") {
		t.Errorf("security.txt = %q", sec)
	}
}

func TestCSRFIsRequiredOnStateChanges(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	cl := h.Client()
	r := cl.PostForm("/about", url.Values{"x": {"1"}})
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("POST without token = %d", r.StatusCode)
	}
	if !strings.Contains(r.Text("#error-message"), "formulaire n’est plus valide") {
		t.Errorf("CSRF page message = %q", r.Text("#error-message"))
	}
	cl.StartSession([16]byte{}, 3600e9)
	wrong := cl.PostForm("/about", url.Values{"_csrf": {"forged"}})
	if wrong.StatusCode != http.StatusForbidden {
		t.Errorf("POST with a forged token = %d", wrong.StatusCode)
	}
	// With the session's token the request gets through CSRF (and finds no route).
	ok := cl.PostForm("/about", nil)
	if ok.StatusCode != http.StatusNotFound {
		t.Errorf("POST with the right token = %d", ok.StatusCode)
	}
	viaHeader := httptest.NewRequest(http.MethodPost, "/about", nil)
	viaHeader.Header.Set("X-Csrf-Token", cl.CSRF)
	viaHeader.Header.Set("HX-Request", "true")
	if r := cl.Do(viaHeader); r.StatusCode != http.StatusNotFound {
		t.Errorf("htmx POST with header token = %d", r.StatusCode)
	}
}

// Public pages are rendered once per language for visitors without a
// session; a signed-in user still gets their own header.
func TestPublicPagesCacheOnlyForVisitorsWithoutSession(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	first, second := h.Client().Get("/faq-does-not-exist"), h.Client().Get("/frequently-asked-questions")
	if first.StatusCode != http.StatusNotFound || second.StatusCode != http.StatusOK {
		t.Fatalf("statuses %d %d", first.StatusCode, second.StatusCode)
	}
	english := h.Client().Get("/frequently-asked-questions", "Accept-Language", "en")
	if lang, _ := english.Doc.Find("html").Attr("lang"); lang != "en" {
		t.Errorf("English visitor got lang %q", lang)
	}
	user := h.Client()
	user.StartSession(h.CreateUser(apptest.UniqueEmail("reader"), false), 3600e9)
	signedIn := user.Get("/frequently-asked-questions")
	if !strings.Contains(signedIn.Text(".fr-header__tools"), "Camille Martin") {
		t.Errorf("signed-in header = %q", signedIn.Text(".fr-header__tools"))
	}
	if after := h.Client().Get("/frequently-asked-questions"); strings.Contains(after.Body, "Camille Martin") {
		t.Error("a signed-in page leaked into the anonymous cache")
	}
}
