package transmissions_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/mail/mailtest"
	"assistant-declaration/app/paths"
)

func post(cl *apptest.Client, path string) *apptest.Response {
	return cl.PostForm(path, url.Values{"_csrf": {cl.CSRF}})
}

func TestDeclarerRefusesMissingFieldsNextToThemAndQueuesNothing(t *testing.T) {
	e := newEnv(t, setup{organisms: "SACEM", postalCode: "35000"})
	e.exec(t, `UPDATE organizations SET sacem_id = NULL WHERE id = ?`, e.org)
	cl := e.Client()
	cl.StartSession(e.user, time.Hour)
	r := post(cl, paths.To.Transmit(e.org, e.serie))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d: %.500s", r.StatusCode, r.Body)
	}
	if got := r.Text("#declaration-errors h2"); !strings.HasPrefix(got, "Certains champs sont invalides pour être transmis") {
		t.Errorf("summary %q", got)
	}
	if got := r.Text("#f-sacemId-error"); got != "L’identifiant SACEM est requis pour déclarer à la SACEM" {
		t.Errorf("SACEM id message %q", got)
	}
	if n := e.count(t, `SELECT count(*) FROM transmissions WHERE event_serie_id = ?`, e.serie); n != 0 {
		t.Errorf("%d transmissions queued", n)
	}
}

func TestDeclarerIsRefusedWhileImpersonating(t *testing.T) {
	e := newEnv(t, setup{organisms: "SACEM", postalCode: "35000"})
	cl := e.Client()
	admin := e.CreateUser(apptest.UniqueEmail("admin"), true)
	cl.StartSession(admin, time.Hour)
	e.exec(t, `UPDATE sessions SET impersonated_user_id = ?, impersonation_reason = 'support', impersonation_expires_at = ? WHERE user_id = ?`,
		e.user, time.Now().Add(time.Hour), admin)
	if r := post(cl, paths.To.Transmit(e.org, e.serie)); r.StatusCode != http.StatusForbidden {
		t.Errorf("status %d", r.StatusCode)
	}
	if n := e.count(t, `SELECT count(*) FROM transmissions WHERE event_serie_id = ?`, e.serie); n != 0 {
		t.Errorf("%d transmissions queued", n)
	}
}

func TestDeclarerFollowsTheProgressUntilTheSuccess(t *testing.T) {
	e := newEnv(t, setup{organisms: "SACEM", postalCode: "35000"})
	cl := e.Client()
	cl.StartSession(e.user, time.Hour)
	page := cl.Get(paths.To.Declaration(e.org, e.serie))
	if page.Doc.Find("#transmit-button").Length() != 1 || page.Doc.Find("#sacem-pdf").Length() != 1 {
		t.Fatalf("no Déclarer button or PDF link on the page")
	}
	// A double click: two posts, one transmission.
	for range 2 {
		r := post(cl, paths.To.Transmit(e.org, e.serie))
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != paths.To.Transmission(e.org, e.serie) {
			t.Fatalf("status %d, location %q: %.300s", r.StatusCode, r.Header.Get("Location"), r.Body)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM transmissions WHERE event_serie_id = ?`, e.serie); n != 1 {
		t.Errorf("%d transmissions queued", n)
	}
	progress := cl.Get(paths.To.Transmission(e.org, e.serie))
	if progress.StatusCode != http.StatusOK || progress.Text("#transmission-running") == "" ||
		!strings.Contains(progress.Body, `http-equiv="refresh"`) {
		t.Fatalf("progress page %d: %.500s", progress.StatusCode, progress.Body)
	}
	if polled := progress.Doc.Find("#transmission-panel[hx-get]").Length(); polled != 1 {
		t.Errorf("the panel does not poll")
	}
	e.work(t)
	fragment := cl.Get(paths.To.Transmission(e.org, e.serie), "HX-Request", "true")
	if fragment.Header.Get("HX-Refresh") != "true" || fragment.Text("#transmission-success") == "" {
		t.Errorf("finished fragment: refresh %q, %.500s", fragment.Header.Get("HX-Refresh"), fragment.Body)
	}
	page = cl.Get(paths.To.Declaration(e.org, e.serie))
	if got := page.Text("#transmission-success p"); got != "Votre déclaration a bien été envoyée à l’organisme ! Si des précisions sont nécessaires, l’organisme vous contactera par courriel." {
		t.Errorf("success message %q", got)
	}
	if page.Doc.Find("#transmit-button, #retry-button").Length() != 0 {
		t.Errorf("a button is still offered after the success")
	}
	if got := page.Text(`[data-organism="SACEM"] .fr-badge`); got != "Acceptée" {
		t.Errorf("SACEM state %q", got)
	}
	if !strings.Contains(page.Text("#declaration-history"), "SACEM : acceptée") {
		t.Errorf("history without the outcome")
	}
	pdf := cl.Get(paths.To.DeclarationSacemPDF(e.org, e.serie))
	if pdf.StatusCode != http.StatusOK || pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF") {
		t.Errorf("PDF %d %q", pdf.StatusCode, pdf.Header.Get("Content-Type"))
	}
	// The copy is the PDF SACEM received.
	m := mailtest.WaitFor(t, e.Catcher, mailtest.To("agence-rennes@sacem.test"), time.Second)
	if string(m.Attachments[0].Content) != pdf.Body {
		t.Errorf("the PDF served is not the one sent")
	}
	var n int
	if err := e.DB.NewRaw(`SELECT count(*) FROM event_serie_declarations WHERE event_serie_id = ? AND status = 'PROCESSED'`, e.serie).Scan(context.Background(), &n); err != nil || n != 1 {
		t.Errorf("%d accepted rows (%v)", n, err)
	}
}

func TestAFailureOffersRetry(t *testing.T) {
	e := newEnv(t, setup{organisms: "SACEM", postalCode: "99999"})
	cl := e.Client()
	cl.StartSession(e.user, time.Hour)
	post(cl, paths.To.Transmit(e.org, e.serie))
	e.work(t)
	page := cl.Get(paths.To.Declaration(e.org, e.serie))
	if page.Doc.Find("#retry-button").Length() != 1 || page.Doc.Find("#transmit-button").Length() != 0 {
		t.Errorf("no Réessayer button")
	}
	if got := page.Text(`[data-organism="SACEM"] .fr-alert`); !strings.Contains(got, "Le code postal spécifié pour le lieu ne nous permet pas de savoir à quelle agence SACEM") ||
		!strings.Contains(got, "Corrigez le code postal") {
		t.Errorf("failure shown as %q", got)
	}
	if list := cl.Get(paths.To.Organization(e.org) + "?filter=alert"); !strings.Contains(list.Text("main"), e.name) {
		t.Errorf("the show is not under En alerte")
	}
	if list := cl.Get(paths.To.Organization(e.org) + "?filter=declared"); strings.Contains(list.Text("main"), e.name) {
		t.Errorf("the failed show is under Déclarés")
	}
	// The form stays editable (decision D1).
	if page.Doc.Find(`#declaration-form input[name="_csrf"]`).Length() != 1 {
		t.Errorf("the form is read-only after a failure")
	}
}
