package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/uuid"

	"assistant-declaration/app/apptest"
)

// byLabel returns the CSS selector of the field whose label starts with label
// (the first one: the serie's before the performances').
func (j *journey) byLabel(label string) string {
	j.t.Helper()
	id, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`(() => {
		const l = [...document.querySelectorAll('label')].find(l => l.textContent.trim().startsWith(`+"`"+label+"`"+`));
		return l ? l.htmlFor : '';
	})()`))
	if err != nil || id == "" {
		j.t.Fatalf("no field labelled %q (%v)", label, err)
	}
	return "#" + id
}

// typeIn replaces the value of the field labelled label and leaves it, as a
// user does (the change event saves it).
func (j *journey) typeIn(label, value string) string {
	j.t.Helper()
	sel := j.byLabel(label)
	Do(j.t, j.ctx, "type "+value+" in "+label, chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), value+"\t"))
	return sel
}

// tabTo presses Tab until the focused element matches the CSS selector sel,
// as a keyboard user reaches it, and fails after max presses.
func (j *journey) tabTo(sel string, max int) {
	j.t.Helper()
	for range max {
		Do(j.t, j.ctx, "press Tab", chromedp.KeyEvent(kb.Tab))
		if ok, _ := chromedp.Run(j.ctx, chromedp.Evaluate[bool](`!!document.activeElement && document.activeElement.matches(`+"`"+sel+"`"+`)`)); ok {
			return
		}
	}
	j.t.Fatalf("%s not reached with %d presses of Tab", sel, max)
}

// press sends key to the focused element and waits until the script cond is true.
func (j *journey) press(key, cond string) {
	j.t.Helper()
	Do(j.t, j.ctx, "press "+key+" until "+cond, chromedp.KeyEvent(key),
		chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(5*time.Second)))
}

// A new user declares a synchronized show with the keyboard and the mouse:
// they choose SACEM and SACD with the keyboard, fill fields by their label,
// type an HT amount above its TTC and see the message next to it, correct it,
// see the totals change, open and close the accordions with the keyboard,
// upload a PDF and change its type, reload and find everything kept. Every
// state passes axe-core.
func TestDeclarationJourney(t *testing.T) {
	h, base := apptest.NewServer(t)
	j := &journey{t: t, ctx: NewBrowser(t), h: h, base: base}
	email, orgPath := entrepreneur(t, h, "declarant", "Compagnie du Feu")
	serie := seedSynchronizedSerie(t, h, strings.TrimPrefix(orgPath, "/dashboard/organization/"))
	page := orgPath + "/serie/" + serie + "/declaration"

	j.open("/auth/sign-in")
	j.signIn(email, password)
	j.open(page)
	if got := Text(t, j.ctx, "#organisms-legend"); got != "Auprès de quels organismes devez-vous déclarer ?" {
		Errorf(t, j.ctx, "organisms legend %q", got)
	}
	// Keyboard only: Tab to each organism, Space checks it, Enter on the button sends.
	j.tabTo("#organism-SACEM", 60)
	j.press(" ", `document.getElementById('organism-SACEM').checked`)
	j.tabTo("#organism-SACD", 1)
	j.press(" ", `document.getElementById('organism-SACD').checked`)
	CheckPage(t, j.ctx)
	j.tabTo(`main form button[type="submit"]`, 1)
	Do(t, j.ctx, "send the organisms", chromedp.KeyEvent(kb.Enter))
	j.loaded(page, "#declaration-form")
	for _, o := range []string{"SACEM", "SACD"} {
		if ok, _ := chromedp.Run(j.ctx, chromedp.Evaluate[bool](`document.getElementById('organism-`+o+`').checked`)); !ok {
			Errorf(t, j.ctx, "%s not chosen", o)
		}
	}

	j.typeIn("Identifiant SACEM", "1234567")
	Do(t, j.ctx, "wait for the id to be saved", chromedp.WaitVisible(chromedp.CSS(`#group-identifiers .fr-message--valid`)))
	incl := j.byLabel("Dépenses totales TTC")
	j.typeIn("Dépenses totales HT", "3 500")
	Do(t, j.ctx, "wait for the message next to the TTC", chromedp.WaitVisible(chromedp.CSS(incl+"-error")))
	CheckPage(t, j.ctx)
	if got := Text(t, j.ctx, incl+"-error"); got != "Le montant TTC ne peut être inférieur au montant HT" {
		Errorf(t, j.ctx, "message %q", got)
	}
	// The focus stays where the user went (the next field), the typed value too.
	if focused, _ := chromedp.Run(j.ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ''`)); focused == "" || focused == "f-expensesExcludingTaxes" {
		Errorf(t, j.ctx, "focus lost: %q", focused)
	}
	if v, _ := chromedp.Run(j.ctx, chromedp.Value(chromedp.CSS("#f-expensesExcludingTaxes"))); v != "3 500" {
		Errorf(t, j.ctx, "typed value lost: %q", v)
	}
	j.typeIn("Dépenses totales TTC", "4 000")
	Do(t, j.ctx, "wait for the correction to be saved", chromedp.WaitVisible(chromedp.CSS(`#group-expenses .fr-message--valid`)))
	if n, _ := chromedp.Run(j.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#group-expenses .fr-message--error').length`)); n != 0 {
		Errorf(t, j.ctx, "%d errors left after the correction", n)
	}

	// A revenue outside ticketing: the SACEM totals follow.
	j.typeIn("Consommation TTC", "120")
	Do(t, j.ctx, "wait for the totals", chromedp.Poll[chromedp.Void](`document.querySelector('[data-total="non-ticketing-incl"]').textContent.trim() === "852\u00a0€"`, chromedp.WithPollingTimeout(5*time.Second)))
	CheckPage(t, j.ctx)

	// Keyboard only: from the field just left, Tab reaches the performance's
	// "Données pré-remplies"; Enter opens it, Space closes it.
	prefilled := `.app-performance .fr-accordion__btn`
	j.tabTo(prefilled, 30)
	j.press(kb.Enter, `document.activeElement.getAttribute('aria-expanded') === 'true' && document.getElementById(document.activeElement.getAttribute('aria-controls')).classList.contains('fr-collapse--expanded')`)
	CheckPage(t, j.ctx)
	j.press(" ", `document.activeElement.getAttribute('aria-expanded') === 'false'`)
	// "Historique des modifications" (as the page was loaded: the choice of
	// the organisms) shows once opened.
	j.tabTo(`#declaration-history .fr-accordion__btn`, 300)
	j.press(" ", `document.activeElement.getAttribute('aria-expanded') === 'true' && document.getElementById('history-content').classList.contains('fr-collapse--expanded')`)
	if n, _ := chromedp.Run(j.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#history-content tbody tr').length`)); n != 1 {
		Errorf(t, j.ctx, "history shows %d changes, want 1", n)
	}
	CheckPage(t, j.ctx)
	j.press(kb.Enter, `document.activeElement.getAttribute('aria-expanded') === 'false'`)

	// A PDF through the attachments panel, then its type.
	pdf := filepath.Join(t.TempDir(), "contrat.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	Do(t, j.ctx, "upload the PDF",
		chromedp.SetUploadFiles(chromedp.CSS("#attachments-files"), []string{pdf}),
		chromedp.Click(chromedp.CSS(`#attachments-upload button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#attachments-list [data-attachment-id]`)))
	if got := Text(t, j.ctx, `#attachments-list a`); !strings.HasPrefix(got, "contrat.pdf") {
		Errorf(t, j.ctx, "uploaded file shown as %q", got)
	}
	CheckPage(t, j.ctx)
	Do(t, j.ctx, "change the type",
		chromedp.Evaluate[chromedp.Void](`(() => {
			document.getElementById('attachments-panel').dataset.stale = '1';
			const s = document.querySelector('#attachments-list select');
			s.value = 'REVENUE_STATEMENT';
			s.dispatchEvent(new Event('change', {bubbles: true}));
		})()`),
		chromedp.Poll[chromedp.Void](`(() => { const p = document.getElementById('attachments-panel'); return p && !p.dataset.stale; })()`, chromedp.WithPollingTimeout(5*time.Second)))

	// Reload: everything is kept.
	j.open(page)
	if v, _ := chromedp.Run(j.ctx, chromedp.Value(chromedp.CSS(`#attachments-list select`))); v != "REVENUE_STATEMENT" {
		Errorf(t, j.ctx, "type after reload = %q", v)
	}
	if got := Text(t, j.ctx, `#attachments-list a`); !strings.HasPrefix(got, "contrat.pdf") {
		Errorf(t, j.ctx, "file after reload %q", got)
	}
	// The history has every change: organisms, id, two expenses, a revenue,
	// the file and its type.
	if n, _ := chromedp.Run(j.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#history-content tbody tr').length`)); n != 7 {
		Errorf(t, j.ctx, "history shows %d changes after reload, want 7", n)
	}
	for sel, want := range map[string]string{"#f-sacemId": "1234567", "#f-expensesExcludingTaxes": "3\u202f500", "#f-expensesIncludingTaxes": "4\u202f000"} {
		if v, _ := chromedp.Run(j.ctx, chromedp.Value(chromedp.CSS(sel))); v != want {
			Errorf(t, j.ctx, "%s after reload = %q, want %q", sel, v, want)
		}
	}
	if got := Text(t, j.ctx, `[data-total="non-ticketing-incl"]`); got != "852\u00a0€" {
		Errorf(t, j.ctx, "total after reload %q", got)
	}
}

// seedSynchronizedSerie inserts the worked example as the synchronization
// would, with its three performances in the past.
func seedSynchronizedSerie(t *testing.T, h *apptest.Harness, orgID string) string {
	t.Helper()
	ctx := context.Background()
	var system, serie uuid.UUID
	if err := h.DB.NewRaw(`INSERT INTO ticketing_systems (organization_id, name, credentials) VALUES (?, 'BILLETWEB', '\x00') RETURNING id`, orgID).Scan(ctx, &system); err != nil {
		t.Fatal(err)
	}
	if err := h.DB.NewRaw(`INSERT INTO event_series (ticketing_system_id, internal_ticketing_system_id, name, expenses_excluding_taxes, expenses_including_taxes,
  introduction_fees_expenses_excluding_taxes, introduction_fees_expenses_including_taxes) VALUES (?, '42', 'Le cracheur de feu', 2500, 3000, 400, 480) RETURNING id`,
		system).Scan(ctx, &serie); err != nil {
		t.Fatal(err)
	}
	for i, amounts := range [][2]string{{"105.5", "100"}, {"263.75", "250"}, {"1021", "1000"}} {
		nonTicketing := i < 2
		if _, err := h.DB.ExecContext(ctx, `INSERT INTO events (event_serie_id, internal_ticketing_system_id, start_at, ticketing_revenue_including_taxes, ticketing_revenue_excluding_taxes,
  consumptions_revenue_including_taxes, consumptions_revenue_excluding_taxes, catering_revenue_including_taxes, catering_revenue_excluding_taxes,
  program_sales_revenue_including_taxes, program_sales_revenue_excluding_taxes, other_revenue_including_taxes, other_revenue_excluding_taxes)
VALUES (?, ?, now() - ? * interval '1 day', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, serie, i, 10-i, amounts[0], amounts[1],
			pick(nonTicketing, "60"), pick(nonTicketing, "50"), pick(nonTicketing, "110.4"), pick(nonTicketing, "92"),
			pick(nonTicketing, "63.6"), pick(nonTicketing, "53"), pick(nonTicketing, "162"), pick(nonTicketing, "135")); err != nil {
			t.Fatal(err)
		}
	}
	return serie.String()
}

func pick(ok bool, amount string) string {
	if ok {
		return amount
	}
	return "0"
}
