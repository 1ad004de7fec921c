package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"assistant-declaration/app/agencies"
	"assistant-declaration/app/apptest"
	"assistant-declaration/app/audit"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/sacd/sacdtest"
	"assistant-declaration/app/statistics"
	"assistant-declaration/app/transmissions"
	"assistant-declaration/app/users"
	"assistant-declaration/config"
)

// An admin finds a declaration SACD refused on /admin/declarations, opens
// its read-only view, presses "Relancer" once SACD answers again, sees it
// accepted, then reads the statistics and the public impact page. The
// failure is a real one: the transmission worker of the running application
// sent the declaration to the SACD fake while it answered 500. Every page
// passes axe-core and fits a phone.
func TestRelaunchJourney(t *testing.T) {
	fake := sacdtest.New(t)
	fake.Fail(sacdtest.ServerError)
	h, base := apptest.NewServer(t, func(c *config.Config) { c.SacdAPI = fake.API() })
	ctx := context.Background()
	if err := agencies.SeedDemo(ctx, h.DB); err != nil {
		t.Fatal(err)
	}
	j := &journey{t: t, ctx: NewBrowser(t), h: h, base: base}

	email, orgPath := entrepreneur(t, h, "relance", "Compagnie du Souffle")
	declarant, err := users.ByEmail(ctx, h.DB, email)
	if err != nil {
		t.Fatal(err)
	}
	orgID := uuid.MustParse(strings.TrimPrefix(orgPath, "/dashboard/organization/"))
	settings, err := organizations.Settings(ctx, h.DB, orgID)
	if err != nil {
		t.Fatal(err)
	}
	if err := organizations.UpdateIdentifiers(ctx, h.DB, settings.Organization, organizations.IdentifiersInput{SacdID: "4815162342"}, audit.Actor{}); err != nil {
		t.Fatal(err)
	}
	serie := uuid.MustParse(seedPlacedSerie(t, h, orgID.String()))
	if _, err := h.DB.ExecContext(ctx, `UPDATE event_series SET expected_declaration_types = '{SACD}', producer_official_id = '130025265',
  producer_name = 'Production Étoile', place_capacity = 200 WHERE id = ?`, serie); err != nil {
		t.Fatal(err)
	}
	// The declarant's declarations go to the SACD fake rather than to the
	// mock (DISABLE_TICKETING_SYSTEM_MOCK_FOR_USER_IDS). Set before anything
	// is queued: the worker reads it only to send, after the queue's
	// statements on the shared pool.
	h.Config.DisableTicketingMockForUserIDs = append(h.Config.DisableTicketingMockForUserIDs, declarant.ID)

	// "Déclarer", as the declarant would press it: the worker sends it and
	// SACD answers 500.
	if _, _, err := transmissions.Transmit(ctx, h.DB, orgID, serie, audit.Actor{UserID: declarant.ID, Email: email}); err != nil {
		t.Fatal(err)
	}
	sacdState := func() transmissions.OrganismState {
		t.Helper()
		v, err := transmissions.Panel(ctx, h.DB, orgID, serie)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range v.Organisms {
			if !v.Active() && string(o.Organism) == "SACD" {
				return o.State
			}
		}
		return ""
	}
	waitFor := func(what string, want transmissions.OrganismState) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for sacdState() != want {
			if time.Now().After(deadline) {
				t.Fatalf("%s: SACD is %q, want %q", what, sacdState(), want)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor("the first transmission", transmissions.StateFailed)
	if n := len(fake.Declarations()); n != 1 {
		t.Fatalf("SACD received %d declarations, want 1", n)
	}

	j.signInAsAdmin()
	j.open(paths.To.AdminDeclarations())
	row := `#declarations-table tbody tr[data-serie-id="` + serie.String() + `"]`
	if got := Text(t, j.ctx, row); !strings.Contains(got, "SACD") || !strings.Contains(got, "http_error") {
		Errorf(t, j.ctx, "the failed declaration's row: %q", got)
	}

	Do(t, j.ctx, "open the declaration", chromedp.Click(chromedp.CSS(row+` a[href="`+paths.To.DeclarationAdmin(orgID, serie)+`"]`)))
	j.loaded(paths.To.DeclarationAdmin(orgID, serie), `#transmission-panel [data-organism="SACD"][data-state="failed"]`)
	if got := Text(t, j.ctx, `#transmission-panel [data-organism="SACD"] .fr-alert`); got == "" {
		Errorf(t, j.ctx, "the read-only view does not say why SACD failed")
	}

	// SACD answers again: "Relancer".
	fake.Fail(sacdtest.Succeed)
	j.open(paths.To.AdminDeclarations())
	Do(t, j.ctx, "press Relancer", chromedp.Click(chromedp.CSS(row+` form button[type=submit]`)))
	j.loaded(paths.To.AdminDeclarations(), `.fr-alert--success`)
	if got := Text(t, j.ctx, ".fr-alert--success"); !strings.Contains(got, "La transmission est relancée") {
		Errorf(t, j.ctx, "flash %q", got)
	}
	waitFor("the relaunch", transmissions.StateAccepted)
	if n := len(fake.Declarations()); n != 2 {
		t.Errorf("SACD received %d declarations, want the refused one and the relaunched one", n)
	}

	j.open(paths.To.DeclarationAdmin(orgID, serie))
	if got := Text(t, j.ctx, `#transmission-panel [data-organism="SACD"] .fr-badge`); !strings.EqualFold(got, "Acceptée") { // the badge is in capitals
		Errorf(t, j.ctx, "SACD %q after the relaunch", got)
	}
	j.open(paths.To.AdminDeclarations())
	if n, err := chromedp.Run(j.ctx, chromedp.Evaluate[int](`document.querySelectorAll('`+row+`').length`)); err != nil || n != 0 {
		Errorf(t, j.ctx, "the accepted declaration is still listed in error (%d rows, %v)", n, err)
	}

	if err := statistics.Refresh(ctx, h.DB); err != nil {
		t.Fatal(err)
	}
	j.open("/admin/statistics")
	j.open("/impact")
}
