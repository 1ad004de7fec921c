package sacd

import (
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func ptr[T any](v T) *T { return &v }

// fixture is the specification's sample declaration: "Le cracheur de feu"
// by "La Comédie-Française", its first performance modified to 899.12 € HT
// and 918 € TTC.
func fixture() Declaration {
	rennes := Address{Street: "1 rue de la Gare", PostalCode: "35000", City: "Rennes", CountryCode: "FR"}
	return Declaration{
		DeclarantID:  "123456789",
		Organization: Organization{Name: "La Comédie-Française", SIREN: "123456789"},
		Serie: Serie{
			ID:                                     uuid.MustParse("d79cb3ba-745e-5d9a-8903-4a02327a7e01"),
			Name:                                   "Le cracheur de feu",
			Producer:                               Producer{Name: "Les studios Culture", SIREN: "123456789"},
			Place:                                  Place{Name: "Salle Hector", Address: rennes},
			ExpensesExcludingTaxes:                 dec("2500"),
			CircusSpecificExpensesExcludingTaxes:   dec("0"),
			IntroductionFeesExpensesExcludingTaxes: dec("400"),
		},
		// Not in start order: the XML sorts them.
		Performances: []Performance{
			{
				ID:                             uuid.MustParse("e79cb3ba-745e-5d9a-8903-4a02327a7e03"),
				StartAt:                        time.Date(2024, 12, 10, 20, 30, 0, 0, time.UTC),
				EndAt:                          ptr(time.Date(2024, 12, 15, 22, 0, 0, 0, time.UTC)),
				TicketingRevenueExcludingTaxes: dec("1000"), TicketingRevenueIncludingTaxes: dec("1021"),
				PaidTickets: 99, FreeTickets: 86, PlaceName: "Dans la rue", PlaceCapacity: 240,
			},
			{
				ID:                             uuid.MustParse("e79cb3ba-745e-5d9a-8903-4a02327a7e01"),
				StartAt:                        time.Date(2024, 12, 1, 10, 0, 0, 0, time.UTC),
				EndAt:                          ptr(time.Date(2024, 12, 20, 12, 0, 0, 0, time.UTC)),
				TicketingRevenueExcludingTaxes: dec("899.12"), TicketingRevenueIncludingTaxes: dec("918.00"),
				PaidTickets: 10, FreeTickets: 9, PlaceName: "Salle principale", PlaceCapacity: 240,
			},
			{
				ID:                             uuid.MustParse("e79cb3ba-745e-5d9a-8903-4a02327a7e02"),
				StartAt:                        time.Date(2024, 12, 2, 14, 0, 0, 0, time.UTC),
				TicketingRevenueExcludingTaxes: dec("250"), TicketingRevenueIncludingTaxes: dec("263.75"),
				PaidTickets: 43, FreeTickets: 35, PlaceName: "Salle Hector", PlaceCapacity: 92,
			},
		},
	}
}

var declarationDay = time.Date(2025, 2, 18, 9, 0, 0, 0, time.UTC)

func TestXMLGolden(t *testing.T) {
	got, err := fixture().XML(declarationDay)
	if err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/sacd-declaration-parameter.xml"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("XML differs from %s:\n%s", golden, got)
	}
	// The facts the golden file holds, said once more so a careless update
	// of the file cannot hide them.
	for _, fact := range []string{
		`<?xml version="1.0" encoding="utf-8"?>` + "\n<Declaration>\n  <Header>\n",
		"<dec_date>2025/02/18</dec_date>",
		"<dec_nb>3</dec_nb>",
		"<rep_mt_tva_billets>18.88</rep_mt_tva_billets>", // 918 − 899.12
		"<rep_horaire>11:00</rep_horaire>",               // 10:00 UTC in Paris
		"<rep_date_fin>2024/12/02</rep_date_fin>",        // no end: the start day
		"<rep_mt_depenses>2500</rep_mt_depenses>",
		"<rep_mt_tva_billets>13.75</rep_mt_tva_billets>",
		"<rep_mt_tva_billets>21</rep_mt_tva_billets>",
		"<diff_nom>La Comédie-Française</diff_nom>",
		"      <Exploitation/>\n",
	} {
		if !strings.Contains(got, fact) {
			t.Errorf("XML lacks %q", fact)
		}
	}
	if strings.Count(got, "<Exploitation>") != 1 || strings.Count(got, "<Exploitation/>") != 2 ||
		strings.Index(got, "<Exploitation>") > strings.Index(got, "e79cb3ba-745e-5d9a-8903-4a02327a7e02") {
		t.Error("Exploitation must be filled on the first representation only")
	}
	if strings.HasSuffix(got, "\n") || !strings.HasSuffix(got, "</Declaration>") {
		t.Error("the document ends with </Declaration>, no newline")
	}
}

func TestXMLValues(t *testing.T) {
	long := strings.Repeat("é", 130)
	d := fixture()
	d.Organization.Name = `Cie "L'Éclair" & <Fils>`
	d.Serie.Name = long
	d.Serie.Producer.Name = "Prod\tA\x01\nB"
	d.Serie.CircusSpecificExpensesExcludingTaxes = dec("120.5")
	d.Serie.IntroductionFeesExpensesExcludingTaxes = dec("0.005")
	d.Performances = []Performance{{
		ID: uuid.New(), StartAt: time.Date(2025, 7, 1, 22, 30, 0, 0, time.UTC), // summer time, next day in Paris
		TicketingRevenueExcludingTaxes: dec("13.50"), TicketingRevenueIncludingTaxes: dec("14.2425"),
		PlaceName: strings.Repeat("a", 127) + "&b",
	}}
	got, err := d.XML(time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, fact := range []string{
		"<dec_date>2026/01/01</dec_date>",
		"<rep_date_debut>2025/07/02</rep_date_debut>",
		"<rep_date_fin>2025/07/02</rep_date_fin>",
		"<rep_horaire>00:30</rep_horaire>",
		"<rep_mt_billets>13.5</rep_mt_billets>",
		"<rep_mt_tva_billets>0.74</rep_mt_tva_billets>", // 0.7425
		"<rep_mt_depenses>2379.5</rep_mt_depenses>",     // 2500 − 120.5
		"<rep_mt_frais>0.01</rep_mt_frais>",             // half away from zero
		"<rep_titre>" + strings.Repeat("é", 128) + "</rep_titre>",
		"<salle_nom>" + strings.Repeat("a", 127) + "&amp;</salle_nom>", // cut before escaping
		"<diff_nom>Cie &quot;L&apos;Éclair&quot; &amp; &lt;Fils&gt;</diff_nom>",
		"<prod_nom>Prod&#x9;A\uFFFD&#xA;B</prod_nom>",
		"<dec_nb>1</dec_nb>",
	} {
		if !strings.Contains(got, fact) {
			t.Errorf("XML lacks %q:\n%s", fact, got)
		}
	}
	// Whatever the names, the document stays well-formed and gives them back.
	var back struct {
		Name string `xml:"Representations>Representation>Diffuseur>diff_nom"`
	}
	if err := xml.Unmarshal([]byte(got), &back); err != nil || back.Name != d.Organization.Name {
		t.Errorf("parsed back: %q, %v", back.Name, err)
	}
}

func TestXMLNeedsAPerformance(t *testing.T) {
	d := fixture()
	d.Performances = nil
	if _, err := d.XML(declarationDay); !errors.Is(err, ErrNoPerformance) {
		t.Errorf("err = %v", err)
	}
}
