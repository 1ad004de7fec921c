package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"assistant-declaration/app/agencies"
	"assistant-declaration/app/apptest"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/mail/mailtest"
)

// A new user completes a synchronized show for SACEM, presses "Déclarer",
// follows the progress until the success message, finds the show under
// "Déclarés", downloads the SACEM PDF and receives the receipt. Every state
// passes axe-core.
func TestTransmissionJourney(t *testing.T) {
	h, base := apptest.NewServer(t)
	if err := agencies.SeedDemo(context.Background(), h.DB); err != nil {
		t.Fatal(err)
	}
	j := &journey{t: t, ctx: NewBrowser(t), h: h, base: base}
	email, orgPath := entrepreneur(t, h, "transmet", "Compagnie du Feu")
	orgID := strings.TrimPrefix(orgPath, "/dashboard/organization/")
	serie := seedPlacedSerie(t, h, orgID)
	page := orgPath + "/serie/" + serie + "/declaration"

	j.open("/auth/sign-in")
	j.signIn(email, password)
	j.open(page)
	Do(t, j.ctx, "choose SACEM", chromedp.Click(chromedp.CSS("#organism-SACEM")), chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	j.loaded(page, "#declaration-form")

	// "Déclarer" before the SACEM id and the capacity: both are pointed at.
	Do(t, j.ctx, "press Déclarer", chromedp.Click(chromedp.CSS("#transmit-button")))
	j.loaded(page+"/transmit", "#declaration-errors")
	if got := Text(t, j.ctx, "#declaration-errors h2"); !strings.HasPrefix(got, "Certains champs sont invalides") {
		Errorf(t, j.ctx, "summary %q", got)
	}
	if got := Text(t, j.ctx, "#f-sacemId-error"); got == "" {
		Errorf(t, j.ctx, "no message next to the SACEM id")
	}
	CheckErrorSummary(t, j.ctx, "declaration-errors", "f-sacemId")

	j.open(page)
	j.typeIn("Identifiant SACEM", "7654321")
	Do(t, j.ctx, "wait for the id to be saved", chromedp.WaitVisible(chromedp.CSS(`#group-identifiers .fr-message--valid`)))
	j.typeIn("Jauge", "200")
	Do(t, j.ctx, "wait for the capacity to be saved", chromedp.WaitVisible(chromedp.CSS(`#group-defaults .fr-message--valid`)))
	j.open(page)
	Do(t, j.ctx, "press Déclarer", chromedp.Click(chromedp.CSS("#transmit-button")))
	j.loaded(page+"/transmission", "#transmission-panel")
	Do(t, j.ctx, "follow the progress", chromedp.WaitVisible(chromedp.CSS("#transmission-success")))
	// The panel reloads the page once the transmission is over: the checks
	// run on a page loaded afresh, not on one about to be replaced.
	j.open(page + "/transmission")
	Do(t, j.ctx, "see the success", chromedp.WaitVisible(chromedp.CSS("#transmission-success")))
	CheckAccessibility(t, j.ctx)
	if got := Text(t, j.ctx, "#transmission-success p"); !strings.HasPrefix(got, "Votre déclaration a bien été envoyée à l’organisme !") {
		Errorf(t, j.ctx, "success %q", got)
	}
	if got := Text(t, j.ctx, `[data-organism="SACEM"] .fr-badge`); !strings.EqualFold(got, "Acceptée") { // the badge is in capitals
		Errorf(t, j.ctx, "SACEM %q", got)
	}

	// The PDF, as the link downloads it.
	pdf, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`fetch(document.getElementById('sacem-pdf').href).then(r => r.headers.get('content-type') + ' ' + r.status)`,
		chromedp.EvalAsValue, chromedp.EvalAwaitPromise))
	if err != nil || pdf != "application/pdf 200" {
		Errorf(t, j.ctx, "PDF download: %q (%v)", pdf, err)
	}

	j.open(orgPath + "?filter=declared")
	if got := Text(t, j.ctx, "main"); !strings.Contains(got, "Le cracheur de feu") {
		Errorf(t, j.ctx, "the show is not under Déclarés")
	}

	receipt := mailtest.WaitFor(t, h.Catcher, func(m mail.CaughtMail) bool {
		return mailtest.To(email)(m) && m.Subject == "Votre déclaration a été transmise"
	}, 10*time.Second)
	if !strings.Contains(receipt.Text, "SACEM") || len(receipt.Attachments) != 1 || receipt.Attachments[0].ContentType != "application/pdf" {
		Errorf(t, j.ctx, "receipt %+v", receipt)
	}
}

// seedPlacedSerie is seedSynchronizedSerie with what the declaration journey
// already types: the kind of show and its venue in Rennes (the address
// look-up is another test's subject).
func seedPlacedSerie(t *testing.T, h *apptest.Harness, orgID string) string {
	t.Helper()
	serie := seedSynchronizedSerie(t, h, orgID)
	if _, err := h.DB.ExecContext(context.Background(), `WITH a AS (INSERT INTO addresses (street, city, postal_code, country_code) VALUES ('3 rue du Théâtre', 'Rennes', '35000', 'FR') RETURNING id),
p AS (INSERT INTO places (organization_id, name, address_id) SELECT ?, 'Salle de la Cité', a.id FROM a RETURNING id)
UPDATE event_series SET performance_type = 'DANCE', place_id = (SELECT id FROM p) WHERE id = ?`, orgID, serie); err != nil {
		t.Fatal(err)
	}
	return serie
}
