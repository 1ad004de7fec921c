package agencies_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"assistant-declaration/app/agencies"
	"assistant-declaration/app/apptest"
)

// The back office page lists both organisms' agencies and answers "which
// agency receives postal code …" without JavaScript. Like the package's other
// tests it replaces the agencies table, so it does not run in parallel.
func TestAdminPageListsAgenciesAndLooksUpAPostalCode(t *testing.T) {
	h := apptest.New(t)
	ctx := context.Background()
	for organism, file := range map[agencies.Organism]string{
		agencies.Sacem: "testdata/sacem-agencies.sample.csv",
		agencies.Sacd:  "testdata/sacd-agencies.sample.csv",
	} {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		_, err = agencies.Import(ctx, h.DB, organism, f)
		_ = f.Close() // read only: closing it cannot lose anything
		if err != nil {
			t.Fatal(err)
		}
	}
	admin := h.CreateUser(apptest.UniqueEmail("admin"), true)
	cl := h.Client()
	cl.StartSession(admin, time.Hour)

	r := cl.Get("/admin/agencies")
	if r.StatusCode != 200 {
		t.Fatalf("GET /admin/agencies = %d", r.StatusCode)
	}
	if got := r.Text(`#agencies-SACEM tbody tr:last-child`); !strings.Contains(got, "agence-rennes@sacem.test") || !strings.Contains(got, "35000, 35200, 35700") {
		t.Errorf("SACEM row = %q", got)
	}
	if n := r.Doc.Find("#agencies-SACD tbody tr").Length(); n != 6 {
		t.Errorf("%d SACD agencies shown, want 6", n)
	}
	if got := r.Text(`#agencies-SACD .fr-table__container[role="region"][tabindex="0"] tbody tr:first-child`); !strings.Contains(got, "corse-monaco@sacd.test") || !strings.Contains(got, "20, 980") {
		t.Errorf("first SACD row = %q", got)
	}
	if r.Doc.Find("#agency-lookup-result").Length() != 0 {
		t.Error("a result is shown before any look-up")
	}
	if got := r.Text(`nav[aria-label="Administration"] a[aria-current="page"]`); got != "Agences" {
		t.Errorf("current admin entry = %q", got)
	}

	for _, tc := range []struct{ postalCode, sacem, sacd string }{
		{"35000", "agence-rennes@sacem.test", "ouest@sacd.test"},
		{"20000", "aucune agence", "corse-monaco@sacd.test"},
		{"98000", "aucune agence", "corse-monaco@sacd.test"},
		{" 69003 ", "aucune agence", "lyon-centre@sacd.test"},
		{"69001", "agence-lyon@sacem.test", "rhone@sacd.test"},
	} {
		r := cl.Get("/admin/agencies?postalCode=" + strings.ReplaceAll(tc.postalCode, " ", "+"))
		if r.StatusCode != 200 {
			t.Fatalf("look-up of %q = %d", tc.postalCode, r.StatusCode)
		}
		if got := r.Text(`#agency-lookup-result [data-organism="SACEM"]`); !strings.HasSuffix(got, tc.sacem) {
			t.Errorf("%s: SACEM = %q, want %s", tc.postalCode, got, tc.sacem)
		}
		if got := r.Text(`#agency-lookup-result [data-organism="SACD"]`); !strings.HasSuffix(got, tc.sacd) {
			t.Errorf("%s: SACD = %q, want %s", tc.postalCode, got, tc.sacd)
		}
		if v, _ := r.Doc.Find("#lookup-postal-code").Attr("value"); v != strings.TrimSpace(tc.postalCode) {
			t.Errorf("%s: the field keeps %q", tc.postalCode, v)
		}
	}

	r = cl.Get("/admin/agencies?postalCode=2A000")
	if r.StatusCode != 422 || r.Doc.Find("#agency-lookup-result").Length() != 0 ||
		r.Text("#lookup-postal-code-message-error") != "Saisissez un code postal de 5 chiffres." {
		t.Errorf("invalid postal code: %d, %q", r.StatusCode, r.Text("#lookup-postal-code-messages"))
	}
}
