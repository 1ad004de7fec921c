package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/public"
)

// A visitor opens the home page, switches to English and back, follows the
// footer links, and every public page passes axe-core.
func TestPublicPagesAsAVisitor(t *testing.T) {
	_, base := apptest.NewServer(t)
	ctx := NewBrowser(t)

	Do(t, ctx, "open home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if got := Text(t, ctx, ".fr-header__service-title"); got != "Assistant déclaration" {
		Errorf(t, ctx, "service title %q", got)
	}
	CheckPage(t, ctx)

	Do(t, ctx, "switch to English", chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] main h1`)))
	if got := Text(t, ctx, ".fr-header__service-tagline"); got != "For live performance entrepreneurs" {
		Errorf(t, ctx, "English tagline %q", got)
	}
	CheckPage(t, ctx)
	Do(t, ctx, "switch back to French", chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="fr"] main h1`)))

	for _, link := range []struct{ id, path string }{
		{"footer-accessibility", "/accessibility"},
		{"footer-legal-notice", "/legal-notice"},
		{"footer-privacy-policy", "/privacy-policy"},
		{"footer-terms-of-use", "/terms-of-use"},
	} {
		Do(t, ctx, "follow "+link.id,
			chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID(link.id)),
			chromedp.Click(chromedp.ID(link.id)), chromedp.WaitVisible(chromedp.CSS("main h1")))
		if loc := Location(t, ctx); !strings.HasSuffix(loc, link.path) {
			t.Errorf("footer link %s led to %s", link.id, loc)
		}
		CheckPage(t, ctx)
	}

	for _, p := range public.Pages {
		Do(t, ctx, "open "+p.Path, chromedp.Navigate(base+p.Path), chromedp.WaitVisible(chromedp.CSS("main h1")))
		CheckPage(t, ctx)
	}
	// The 404 page too.
	Do(t, ctx, "open a missing page", chromedp.Navigate(base+"/missing"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	CheckPage(t, ctx)
}

// The accessibility check itself must be able to fail.
func TestAxeReportsViolations(t *testing.T) {
	ctx := NewBrowser(t)
	Do(t, ctx, "open a broken page", chromedp.Navigate(`data:text/html,<html><body><img src="x.png"><button></button></body></html>`))
	violations, err := SeriousViolations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(violations, "\n")
	if !strings.Contains(joined, "image-alt") || !strings.Contains(joined, "button-name") {
		t.Errorf("axe missed obvious violations: %q", joined)
	}
}

// The phone check itself must be able to fail: a page wider than the phone and
// a delete button showing its icon alone.
func TestPhoneCheckReportsProblems(t *testing.T) {
	ctx := NewBrowser(t)
	Do(t, ctx, "open a broken page", chromedp.Navigate(`data:text/html,<html><body>`+
		`<div id="wide" style="width:800px">x</div>`+
		`<button class="fr-btn fr-icon-delete-line" style="width:20px;overflow:hidden;white-space:nowrap;padding-left:30px">Supprimer</button>`+
		`</body></html>`))
	problems, err := PhoneProblems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(problems, "\n")
	if !strings.Contains(joined, "div#wide") || !strings.Contains(joined, `"Supprimer" shows no words`) {
		t.Errorf("phone check missed obvious problems: %q", joined)
	}
}
