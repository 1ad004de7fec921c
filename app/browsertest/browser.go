// Package browsertest drives the running application in headless Chromium
// (chromedp) the way a new user would, and checks each page with axe-core.
package browsertest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

//go:embed testdata/axe.min.js
var axeSource string

// chromiumPath finds the browser: CHROMIUM_PATH, then the usual names.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// NewBrowser starts a headless Chromium for the test and returns a tab
// context. Without a browser the test fails (`make test` installs one) unless
// SKIP_BROWSER_TESTS=1 asks to skip the browser tests on purpose.
func NewBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if os.Getenv("SKIP_BROWSER_TESTS") == "1" {
		t.Skip("SKIP_BROWSER_TESTS=1: browser test skipped")
	}
	if path == "" {
		t.Fatal("chromium not found: run the tests with `make test` (it installs one), or set CHROMIUM_PATH, or SKIP_BROWSER_TESTS=1 to skip the browser tests")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// A French user's browser, as most of ours are.
		chromedp.Flag("lang", "fr-FR"),
		chromedp.Flag("accept-lang", "fr-FR,fr"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(desktopWidth, desktopHeight),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelTab(); cancelAlloc() })
	// Let the test inject axe-core despite the page's strict CSP.
	bypass := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
		return err
	})
	if err := chromedp.Do(ctx, bypass); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// axeViolation is the part of axe-core's result the tests report.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []string `json:"target"`
	} `json:"nodes"`
}

// SeriousViolations runs axe-core (WCAG 2.x A/AA rules) on the current page
// and returns its serious and critical violations as readable lines.
func SeriousViolations(ctx context.Context) ([]string, error) {
	script := axeSource + `;
		axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
		   .then(r => JSON.stringify(r.violations))`
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe: %w", err)
	}
	var violations []axeViolation
	if err := json.Unmarshal([]byte(raw), &violations); err != nil {
		return nil, fmt.Errorf("axe result: %w", err)
	}
	var out []string
	for _, v := range violations {
		if v.Impact == "serious" || v.Impact == "critical" {
			var targets []string
			for _, n := range v.Nodes {
				targets = append(targets, strings.Join(n.Target, " "))
			}
			out = append(out, fmt.Sprintf("axe %s: %s (%s) at %s", v.Impact, v.ID, v.Help, strings.Join(targets, ", ")))
		}
	}
	return out, nil
}

// CheckAccessibility fails the test for every serious or critical axe-core
// violation of the current page.
func CheckAccessibility(t *testing.T, ctx context.Context) {
	t.Helper()
	violations, err := SeriousViolations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range violations {
		Errorf(t, ctx, "%s", v)
	}
}

// Text returns the trimmed text of the first element matching a CSS selector.
func Text(t *testing.T, ctx context.Context, selector string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		t.Fatalf("text of %s: %v", selector, err)
	}
	return strings.TrimSpace(s)
}

// Do runs chromedp actions and fails the test with what was being done.
func Do(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// Location returns the current URL.
func Location(t *testing.T, ctx context.Context) string {
	t.Helper()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("location: %v", err)
	}
	return u
}

// Errorf reports a failure with the page it happened on.
func Errorf(t *testing.T, ctx context.Context, format string, args ...any) {
	t.Helper()
	t.Errorf("%s: %s", Location(t, ctx), fmt.Sprintf(format, args...))
}

// The desktop window the journeys run in.
const desktopWidth, desktopHeight = 1280, 900

// Phone is the viewport width the phone-sized checks use (issue 12: 375 px).
const Phone = 375

// phoneProblems lists what is wrong with the current page at the current
// width: a page wider than the viewport (with the elements sticking out), and
// destructive buttons whose words are clipped (an icon alone).
const phoneProblems = `(() => {
	const problems = [];
	const width = document.documentElement.scrollWidth, viewport = window.innerWidth;
	if (width > viewport) {
		// The elements sticking out that no scrolling region of their own clips
		// (an absolutely positioned one may escape it: it is reported).
		const clipped = e => getComputedStyle(e).position !== 'absolute' &&
			[...function* () { for (let a = e.parentElement; a; a = a.parentElement) { yield a; } }()].some(a => getComputedStyle(a).overflowX !== 'visible');
		const out = [...document.querySelectorAll('body *')]
			.filter(e => e.getBoundingClientRect().right > viewport + 1 && !clipped(e) && ![...e.children].some(c => c.getBoundingClientRect().right > viewport + 1 && !clipped(c)))
			.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + e.className.trim().split(/\s+/).join('.') : ''));
		problems.push('page ' + width + ' px wide in a ' + viewport + ' px viewport: ' + out.join(', '));
	}
	for (const b of document.querySelectorAll('.fr-btn[class*="fr-icon-delete"]')) {
		const box = b.getBoundingClientRect();
		if (!box.width) { continue; }
		const range = document.createRange();
		range.selectNodeContents(b);
		const text = range.getBoundingClientRect();
		if (!b.textContent.trim() || text.right > box.right + 1 || text.left < box.left - 1) {
			problems.push('destructive button "' + b.textContent.trim() + '" shows no words');
		}
	}
	return problems;
})()`

// PhoneProblems resizes the viewport to a phone's width, returns the problems
// of the page at that width (see phoneProblems) and goes back to the desktop
// size. Resizing keeps the page and its state as they are.
func PhoneProblems(ctx context.Context) ([]string, error) {
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(Phone, 800),
		chromedp.Evaluate[chromedp.Void](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))`, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("resize to %d px: %w", Phone, err)
	}
	problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](phoneProblems))
	if err != nil {
		return nil, fmt.Errorf("phone check: %w", err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(desktopWidth, desktopHeight)); err != nil {
		return nil, fmt.Errorf("back to the desktop size: %w", err)
	}
	return problems, nil
}

// CheckPhone fails the test for every problem of the current page at a
// phone's width.
func CheckPhone(t *testing.T, ctx context.Context) {
	t.Helper()
	problems, err := PhoneProblems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		Errorf(t, ctx, "at %d px: %s", Phone, p)
	}
}

// CheckPage checks the current page with axe-core at the desktop size, then
// at a phone's width (CheckPhone).
func CheckPage(t *testing.T, ctx context.Context) {
	t.Helper()
	CheckAccessibility(t, ctx)
	CheckPhone(t, ctx)
}

// Focused returns the id of the element that has the focus once it is want,
// or whatever has it after a second: htmx focuses a swapped summary only once
// the swap has settled.
func Focused(t *testing.T, ctx context.Context, want string) string {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for {
		id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ''`))
		if err != nil {
			t.Fatalf("focused element: %v", err)
		}
		if id == want || time.Now().After(deadline) {
			return id
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// CheckErrorSummary checks that a form's error summary #summary has the
// focus, then that its link to #field moves the focus to that field.
func CheckErrorSummary(t *testing.T, ctx context.Context, summary, field string) {
	t.Helper()
	if got := Focused(t, ctx, summary); got != summary {
		Errorf(t, ctx, "focus on %q, want the error summary #%s", got, summary)
	}
	Do(t, ctx, "follow the summary's link to #"+field, chromedp.Click(chromedp.CSS(`#`+summary+` a[href="#`+field+`"]`)))
	if got := Focused(t, ctx, field); got != field {
		Errorf(t, ctx, "focus on %q after the summary's link, want #%s", got, field)
	}
}

// CheckBreadcrumb checks the page's DSFR breadcrumb: its steps are want, each
// a link but the last, the current page (aria-current, no link).
func CheckBreadcrumb(t *testing.T, ctx context.Context, want ...string) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('nav.fr-breadcrumb .fr-breadcrumb__list li a')].map(a =>
		a.textContent.trim() + (a.getAttribute('aria-current') === 'page' ? ' [current]' : '') + (a.getAttribute('href') ? '' : ' [unlinked]'))`))
	if err != nil {
		t.Fatalf("breadcrumb: %v", err)
	}
	steps := append([]string(nil), want...)
	if len(steps) > 0 {
		steps[len(steps)-1] += " [current] [unlinked]"
	}
	if strings.Join(got, " > ") != strings.Join(steps, " > ") {
		Errorf(t, ctx, "breadcrumb %q, want %q", got, steps)
	}
}
