package agencies

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"assistant-declaration/app/db"
	"assistant-declaration/app/db/dbtest"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
)

// The tests of this package share the agencies table: each starts from an
// empty one and none runs in parallel.
func emptyDB(t *testing.T) *db.DB {
	t.Helper()
	d := dbtest.Open(t)
	if _, err := d.NewDelete().Model((*Agency)(nil)).Where("true").Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d
}

func sample(t *testing.T, organism Organism) []byte {
	t.Helper()
	b, err := os.ReadFile(demoFileOf[organism])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// snapshot is every agency of the table as "ORGANISM email codes", sorted.
func snapshot(t *testing.T, d *db.DB) []string {
	t.Helper()
	var all []Agency
	if err := d.NewSelect().Model(&all).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range all {
		out = append(out, string(a.Organism)+" "+a.Email+" "+strings.Join(a.Codes, ";"))
	}
	slices.Sort(out)
	return out
}

func mustImport(t *testing.T, d *db.DB, organism Organism, file []byte) Result {
	t.Helper()
	res, err := Import(context.Background(), d, organism, bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestImportIsIdempotentAndDiffsByEmail(t *testing.T) {
	d := emptyDB(t)
	first := mustImport(t, d, Sacem, sample(t, Sacem))
	if first != (Result{Organism: Sacem, Created: 3}) {
		t.Fatalf("first import = %+v", first)
	}
	want := []string{
		"SACEM agence-lyon@sacem.test 69001;69002",
		"SACEM agence-paris@sacem.test 75001;75002;75011",
		"SACEM agence-rennes@sacem.test 35000;35200;35700",
	}
	if got := snapshot(t, d); !slices.Equal(got, want) {
		t.Fatalf("agencies = %q, want %q", got, want)
	}

	again := mustImport(t, d, Sacem, sample(t, Sacem))
	if again.Changed() || again.Unchanged != 3 || !strings.Contains(again.String(), "nothing changed") {
		t.Fatalf("second import = %+v (%s)", again, again)
	}
	if got := snapshot(t, d); !slices.Equal(got, want) {
		t.Fatalf("a second import changed the agencies: %q", got)
	}

	// Rennes gains a code (listed out of order, with an upper-case e-mail),
	// Paris is gone, Lille is new, Lyon is the same.
	next := "LOCAL,CP,Mail\n" +
		"Rennes,35700,agence-rennes@sacem.test\nRennes,35000,Agence-Rennes@SACEM.test\nRennes,35200,agence-rennes@sacem.test\nRennes,35400,agence-rennes@sacem.test\n" +
		"Lyon,69002,agence-lyon@sacem.test\nLyon,69001,agence-lyon@sacem.test\n" +
		"Lille,59000,agence-lille@sacem.test\n"
	res := mustImport(t, d, Sacem, []byte(next))
	if res != (Result{Organism: Sacem, Created: 1, Updated: 1, Deleted: 1, Unchanged: 1}) {
		t.Fatalf("diff import = %+v", res)
	}
	want = []string{
		"SACEM agence-lille@sacem.test 59000",
		"SACEM agence-lyon@sacem.test 69001;69002",
		"SACEM agence-rennes@sacem.test 35000;35200;35400;35700",
	}
	if got := snapshot(t, d); !slices.Equal(got, want) {
		t.Fatalf("agencies = %q, want %q", got, want)
	}

	// Another organism's import leaves SACEM's agencies alone.
	mustImport(t, d, Sacd, sample(t, Sacd))
	if got := snapshot(t, d); len(got) != 6+3 || !slices.Equal(got[6:], want) {
		t.Fatalf("after the SACD import: %q", got)
	}
}

func TestAnInvalidRowChangesNothingAndNamesItsLine(t *testing.T) {
	d := emptyDB(t)
	mustImport(t, d, Sacd, sample(t, Sacd))
	before := snapshot(t, d)
	for _, tc := range []struct {
		organism Organism
		file     string
		want     string
	}{
		{Sacd, "Département,mail\n35,ouest@sacd.test\n29,ouest@sacd.test\n44,not-an-email\n", "line 4: column mail"},
		{Sacd, "Département,mail\n35,ouest@sacd.test\n\n3,ouest@sacd.test\n", "line 4: column Département"},
		{Sacd, "Département,mail\n35,ouest@sacd.test\n1234567,ouest@sacd.test\n", "line 3: column Département"},
		{Sacem, "LOCAL,CP,Mail\nRennes,35000,a@sacem.test\nRennes,3500,a@sacem.test\n", "line 3: column CP"},
		{Sacem, "LOCAL,CP,Mail\n,35000,a@sacem.test\n", "line 2: column LOCAL"},
	} {
		_, err := Import(context.Background(), d, tc.organism, strings.NewReader(tc.file))
		var lineErr *LineError
		if !errors.As(err, &lineErr) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error = %v, want %q", tc.organism, err, tc.want)
		}
		if got := snapshot(t, d); !slices.Equal(got, before) {
			t.Fatalf("a failed import changed the agencies: %q", got)
		}
	}
}

func TestImportAcceptsABOMAndCRLF(t *testing.T) {
	d := emptyDB(t)
	file := "\ufeffDépartement,mail\r\n35,Ouest@SACD.test \r\n2A,corse@sacd.test\r\n2B,corse@sacd.test\r\nMonaco,corse@sacd.test\r\n"
	res := mustImport(t, d, Sacd, []byte(file))
	if res.Created != 2 {
		t.Fatalf("import = %+v", res)
	}
	want := []string{"SACD corse@sacd.test 20;980", "SACD ouest@sacd.test 35"}
	if got := snapshot(t, d); !slices.Equal(got, want) {
		t.Fatalf("agencies = %q, want %q", got, want)
	}
}

func TestRouting(t *testing.T) {
	d := emptyDB(t)
	mustImport(t, d, Sacem, sample(t, Sacem))
	mustImport(t, d, Sacd, sample(t, Sacd))
	// A more specific prefix listed by the same agency as a shorter one
	// must not change the answer, and an equal code on two agencies must
	// always give the same one.
	mustImport(t, d, Sacd, append(sample(t, Sacd), []byte("69003,zz-lyon@sacd.test\n750,paris@sacd.test\n")...))
	ctx := context.Background()

	checkRouting(t, Sacem, SacemAgencyFor, ErrSacemAgencyNotFound, []routingCase{
		{"35000", "agence-rennes@sacem.test"},
		{" 75011 ", "agence-paris@sacem.test"},
		{"69002", "agence-lyon@sacem.test"},
		{"35001", ""}, // exact codes only
		{"350", ""},
		{"", ""},
	})

	checkRouting(t, Sacd, SacdAgencyFor, ErrSacdAgencyNotFound, []routingCase{
		{"35000", "ouest@sacd.test"},
		{"20000", "corse-monaco@sacd.test"}, // Ajaccio, listed as 2A
		{"20200", "corse-monaco@sacd.test"}, // Bastia, listed as 2B
		{"98000", "corse-monaco@sacd.test"}, // Monaco, 980
		{"97200", "outremer@sacd.test"},
		{"69003", "lyon-centre@sacd.test"}, // 5 characters beat "69"
		{"69001", "rhone@sacd.test"},
		{"75011", "paris@sacd.test"},
		{"44000", ""},
		{"9", ""},
	})
	// SACEM and SACD agencies never answer for each other.
	if _, err := SacdAgencyFor(ctx, d, "69002"); err != nil {
		t.Fatal(err)
	}
	mustImport(t, d, Sacd, []byte("Département,mail\n44,nantes@sacd.test\n"))
	if _, err := SacemAgencyFor(ctx, d, "35000"); err != nil {
		t.Errorf("the SACD import removed SACEM agencies: %v", err)
	}
	if _, err := SacdAgencyFor(ctx, d, "35000"); !errors.Is(err, ErrSacdAgencyNotFound) {
		t.Errorf("SACD 35000 after the new list: %v", err)
	}
}

// routingCase is a postal code and the e-mail of its agency, "" for none.
type routingCase struct{ postalCode, want string }

func checkRouting(t *testing.T, organism Organism, lookup func(context.Context, bun.IDB, string) (*Agency, error), notFound error, cases []routingCase) {
	t.Helper()
	d := dbtest.Open(t)
	for _, tc := range cases {
		a, err := lookup(context.Background(), d, tc.postalCode)
		switch {
		case tc.want == "" && (!errors.Is(err, notFound) || !errors.Is(err, derrors.ErrNotFound)):
			t.Errorf("%s %q: err = %v, want not found", organism, tc.postalCode, err)
		case tc.want != "" && (err != nil || a.Email != tc.want || a.Organism != organism):
			t.Errorf("%s %q = %+v, %v; want %s", organism, tc.postalCode, a, err, tc.want)
		}
	}
}

func TestNotFoundMessagesAreTranslated(t *testing.T) {
	for _, lang := range locale.Supported {
		for _, e := range []*derrors.Message{ErrSacemAgencyNotFound, ErrSacdAgencyNotFound} {
			if got := locale.For(lang).T(e.Key); got == e.Key {
				t.Errorf("%s lacks %s", lang, e.Key)
			}
		}
	}
	if got := locale.For("fr").T(ErrSacdAgencyNotFound.Key); !strings.HasPrefix(got, "Le code postal spécifié pour le lieu ne nous permet pas de savoir à quelle agence SACD envoyer les pièces jointes.") {
		t.Errorf("fr message = %q", got)
	}
}

func TestCommand(t *testing.T) {
	d := emptyDB(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sacem.csv")
	if err := os.WriteFile(path, sample(t, Sacem), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Command(ctx, d, []string{"import", "sacem", path}, &out); err != nil {
		t.Fatal(err)
	}
	if err := Command(ctx, d, []string{"import", "SACEM", path}, &out); err != nil {
		t.Fatal(err)
	}
	want := "SACEM agencies: 3 created, 0 updated, 0 deleted, 0 unchanged\n" +
		"SACEM agencies: the file matches the 3 agencies in the database, nothing changed\n"
	if out.String() != want {
		t.Errorf("output = %q, want %q", out.String(), want)
	}

	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("LOCAL,CP,Mail\nX,1,a@sacem.test\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := Command(ctx, d, []string{"import", "sacem", bad}, &out)
	if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Errorf("bad file: %v", err)
	}
	for _, args := range [][]string{nil, {"import", "cnm", path}, {"import", "sacd"}, {"sync", "sacd", path}} {
		if err := Command(ctx, d, args, &out); err == nil || !strings.Contains(err.Error(), "usage") {
			t.Errorf("%q: %v", args, err)
		}
	}
	if err := Command(ctx, d, []string{"import", "sacd", filepath.Join(t.TempDir(), "missing.csv")}, &out); err == nil {
		t.Error("a missing file must fail")
	}
}

func TestSeedDemoFillsOnlyEmptyOrganisms(t *testing.T) {
	d := emptyDB(t)
	ctx := context.Background()
	mustImport(t, d, Sacd, []byte("Département,mail\n44,nantes@sacd.test\n"))
	for range 2 {
		if err := SeedDemo(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	got := snapshot(t, d)
	if len(got) != 4 || got[0] != "SACD nantes@sacd.test 44" || !strings.HasPrefix(got[1], "SACEM agence-lyon@sacem.test") {
		t.Errorf("agencies = %q", got)
	}
}
