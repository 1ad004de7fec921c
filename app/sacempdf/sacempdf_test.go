package sacempdf_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"assistant-declaration/app/locale"
	"assistant-declaration/app/sacempdf"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func amounts(excl, incl string) sacempdf.Amounts {
	return sacempdf.Amounts{Excl: dec(excl), Incl: dec(incl)}
}

func paris(year int, month time.Month, day, hour, minute int) time.Time {
	return time.Date(year, month, day, hour, minute, 0, 0, locale.Paris)
}

// crachеurDeFeu is the worked example of the declaration rules: three
// performances, ticketing 1 390,25 € TTC / 1 350 € HT, 130 free and 152 paid
// tickets, 792 € / 660 € outside ticketing, given in another order than
// their dates'. The times are in UTC, so the PDF must convert them to Paris.
func cracheurDeFeu() sacempdf.Declaration {
	salle := sacempdf.Place{Name: "Salle des fêtes", Street: "1 place de la Mairie", PostalCode: "69001", City: "Lyon"}
	withExtras := func(p sacempdf.Performance) sacempdf.Performance {
		p.Consumptions, p.Catering = amounts("50", "60"), amounts("92", "110.4")
		p.ProgramSales, p.Other = amounts("53", "63.6"), amounts("135", "162")
		return p
	}
	performances := []sacempdf.Performance{
		withExtras(sacempdf.Performance{
			StartAt: time.Date(2024, 12, 2, 19, 30, 0, 0, time.UTC), Audience: "Tout public", Place: salle, Capacity: 200,
			FreeTickets: 35, PaidTickets: 43, Ticketing: amounts("250", "263.75"),
		}),
		withExtras(sacempdf.Performance{
			StartAt: time.Date(2024, 12, 1, 10, 0, 0, 0, time.UTC), Audience: "Jeune public", Place: salle, Capacity: 200,
			FreeTickets: 9, PaidTickets: 10, Ticketing: amounts("100", "105.5"),
		}),
		{
			StartAt: time.Date(2024, 12, 3, 19, 0, 0, 0, time.UTC), EndAt: time.Date(2024, 12, 3, 21, 30, 0, 0, time.UTC),
			Audience: "Scolaire", Capacity: 450, FreeTickets: 86, PaidTickets: 99, Ticketing: amounts("1000", "1021"),
			Place: sacempdf.Place{Name: "Chapiteau des Célestins", Street: "4 rue Charles Dullin", PostalCode: "69002", City: "Lyon"},
		},
	}
	return sacempdf.Declaration{
		Organization: sacempdf.Organization{Name: "Compagnie Étincelle", SacemID: "1234567"},
		Declarant:    sacempdf.Person{FirstName: "Hélène", LastName: "Garçon", Email: "helene@etincelle.example"},
		Serie: sacempdf.Serie{
			Name: "Le cracheur de feu", PerformanceType: "Cirque, magie",
			Producer:         sacempdf.Producer{Name: "Production Flamme", OfficialID: "552100554"},
			Place:            salle,
			Expenses:         amounts("2500", "3000"),
			IntroductionFees: amounts("400", "480"),
		},
		Performances: performances,
		Totals: sacempdf.Totals{
			Ticketing: amounts("1350", "1390.25"), FreeTickets: 130, PaidTickets: 152, NonTicketing: amounts("660", "792"),
		},
		GeneratedAt: time.Date(2024, 12, 20, 23, 30, 0, 0, time.UTC),
		HomeURL:     "https://assistant-declaration.example/",
	}
}

// pdf is a written PDF read back by poppler's tools.
type pdf struct {
	t    *testing.T
	path string
}

func write(t *testing.T, d sacempdf.Declaration) pdf {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: install poppler-utils (scripts/poppler.sh ensure, which make test runs)", tool)
		}
	}
	var buf bytes.Buffer
	if err := sacempdf.Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), sacempdf.FileName(d.Serie.Name))
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return pdf{t: t, path: path}
}

func (p pdf) run(name string, args ...string) string {
	p.t.Helper()
	out, err := exec.Command(name, append(args, p.path, "-")...).Output()
	if err != nil {
		p.t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

// pages is the text of each page as pdftotext -layout lays it out, its
// no-break spaces made plain so the assertions read like the document.
func (p pdf) pages() []string {
	p.t.Helper()
	text := strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(p.run("pdftotext", "-layout", "-enc", "UTF-8"))
	return strings.Split(strings.TrimSuffix(text, "\f"), "\f")
}

// pdfinfo is what pdfinfo says of the document and of each of its pages.
func (p pdf) pdfinfo() string {
	p.t.Helper()
	out, err := exec.Command("pdfinfo", "-f", "1", "-l", "1000", p.path).Output()
	if err != nil {
		p.t.Fatalf("pdfinfo: %v", err)
	}
	return string(out)
}

// info is pdfinfo's page count and, for each page, whether it is landscape.
func (p pdf) info() (pages int, landscape []bool) {
	p.t.Helper()
	out := p.pdfinfo()
	sizes := regexp.MustCompile(`(?m)^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`)
	for _, m := range sizes.FindAllStringSubmatch(out, -1) {
		w, _ := strconv.ParseFloat(m[1], 64)
		h, _ := strconv.ParseFloat(m[2], 64)
		landscape = append(landscape, w > h)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindStringSubmatch(out)
	if m == nil {
		p.t.Fatalf("pdfinfo gives no page count:\n%s", out)
	}
	pages, _ = strconv.Atoi(m[1])
	return pages, landscape
}

// blank is a space of a pattern of has not followed by + or *.
var blank = regexp.MustCompile(` ([^+*]|$)`)

// has fails unless text matches every pattern: regular expressions where a
// space stands for any run of blanks, as pdftotext -layout spaces columns
// (" +" and " *" keep their meaning).
func has(t *testing.T, where, text string, patterns ...string) {
	t.Helper()
	for _, p := range patterns {
		re := regexp.MustCompile(blank.ReplaceAllString(p, `[ \t]+$1`))
		if !re.MatchString(text) {
			t.Errorf("%s: no %q in\n%s", where, p, text)
		}
	}
}

func TestWorkedExample(t *testing.T) {
	p := write(t, cracheurDeFeu())
	count, landscape := p.info()
	if count != 2 || len(landscape) != 2 || landscape[0] || !landscape[1] {
		t.Fatalf("pages = %d, landscape = %v; want a portrait summary and one landscape page", count, landscape)
	}
	has(t, "pdfinfo", p.pdfinfo(), `(?m)^Title: Déclaration SACEM - Le cracheur de feu$`, `(?m)^Creator: assistant-declaration$`,
		`(?m)^Page 1 size: 595\.\d+ x 841\.\d+ pts \(A4\)$`)
	pages := p.pages()
	if len(pages) != 2 {
		t.Fatalf("pdftotext read %d pages", len(pages))
	}
	summary, table := pages[0], pages[1]
	has(t, "summary", summary,
		`SACEM - Société des Auteurs, Compositeurs et Éditeurs de Musique`,
		`État des recettes et dépenses`,
		`Organisateur / Structure Compagnie Étincelle\n`,
		`N° client SACEM 1234567\n`,
		`Déclarant Hélène Garçon \(helene@etincelle\.example\)`,
		`Nom du spectacle Le cracheur de feu\n`,
		`Producteur Production Flamme \(SIREN 552100554\)`,
		`Lieu Salle des fêtes, 1 place de la Mairie, 69001 Lyon`,
		// Decision D8: from the first start to the last end, in Paris.
		`Dates Du 01/12/2024 11:00 au 03/12/2024 22:30\n`,
		`Nombre de représentations 3\n`,
		`Esthétique du spectacle Cirque, magie`,
		`Recette billetterie HT 1 350 €\n`,
		`Recette billetterie TTC 1 390,25 €\n`,
		`Entrées payantes 152\n`,
		`Entrées gratuites 130\n`,
		`Recette hors-billetterie HT 660 €\n`,
		`Recette hors-billetterie TTC 792 €\n`,
		`Dépenses totales HT 2 500 €\n`,
		`Dépenses totales TTC 3 000 €\n`,
		`Frais d’approche HT 400 €\n`,
		`Frais d’approche TTC 480 €\n`,
		`Je certifie l’exactitude des informations de cette déclaration\.`,
		// Generated at 23:30 UTC on the 20th: already the 21st in Paris.
		`Fait via l’Assistant déclaration, le 21/12/2024`,
		`(?m)^ *Hélène Garçon *$`, // the signature, alone on its line
		`Document généré le 21/12/2024 +1 */ *2\s*$`,
	)
	has(t, "table", table,
		`^Représentations - Le cracheur de feu\n`,
		`Date et heure +Audience +Lieu +Entrées +Jauge +Billetterie +Billetterie +Hors-billetterie HT +Hors-billetterie TTC`,
		// Sorted by start, shown in Paris (UTC+1 in December).
		`Dimanche 1 décembre 2024 à 11:00 Jeune public Salle des fêtes 9 gratuites 200 100 € 105,50 € Conso. 50 € Conso. 60 €\n`+
			` +1 place de la Mairie +10 payantes +Rest. 92 € Rest. 110,40 €\n +69001 Lyon +Prog. 53 € Prog. 63,60 €\n +Autre 135 € Autre 162 €\n`,
		`Lundi 2 décembre 2024 à 20:30 Tout public Salle des fêtes 35 gratuites 200 250 € 263,75 €`,
		`Mardi 3 décembre 2024 à 20:00 Scolaire Chapiteau des Célestins 86 gratuites 450 1 000 € 1 021 € Conso. 0 *€ Conso. 0 *€\n`+
			` +4 rue Charles Dullin +99 payantes`,
		`Total 130 gratuites 1 350 € 1 390,25 € 660 € 792 €\n +152 payantes\n`,
		`\n +2 */ *2\s*$`,
	)
	first := strings.Index(table, "Dimanche 1 décembre")
	if !(first < strings.Index(table, "Lundi 2 décembre") && strings.Index(table, "Lundi 2 décembre") < strings.Index(table, "Mardi 3 décembre")) {
		t.Errorf("the performances are not in date order:\n%s", table)
	}
}

// hundred is a serie of 100 evening performances from September to December
// 2025, across the end of summer time; the times are given in UTC.
func hundred() sacempdf.Declaration {
	d := cracheurDeFeu()
	d.Performances = nil
	place := sacempdf.Place{Name: "Théâtre de la Croix-Rousse", Street: "Place Joannès Ambre", PostalCode: "69004", City: "Lyon"}
	for i := range 100 {
		d.Performances = append(d.Performances, sacempdf.Performance{
			StartAt:  paris(2025, time.September, 1+i, 20, 0).UTC(),
			Audience: "Tout public", Place: place, Capacity: 500,
			FreeTickets: i % 7, PaidTickets: 100 + i,
			Ticketing:    amounts(fmt.Sprintf("%d.50", 1000+i), fmt.Sprintf("%d.05", 1100+i)),
			Consumptions: amounts("10", "12"), Catering: amounts("20.5", "24.6"), Other: amounts("1000", "1200"),
		})
	}
	d.Totals = sacempdf.Sum(d.Performances)
	return d
}

func TestHundredPerformances(t *testing.T) {
	d := hundred()
	p := write(t, d)
	count, landscape := p.info()
	pages := p.pages()
	if count < 4 || len(landscape) != count || len(pages) != count {
		t.Fatalf("pages = %d (pdftotext %d, sizes %d): want a summary and at least three pages of table", count, len(pages), len(landscape))
	}
	if landscape[0] {
		t.Error("the summary page is landscape")
	}
	totals := 0
	for i, page := range pages {
		where := fmt.Sprintf("page %d", i+1)
		has(t, where, page, fmt.Sprintf(`\s%d */ *%d\s*$`, i+1, count))
		if i == 0 {
			continue
		}
		if !landscape[i] {
			t.Errorf("%s is portrait", where)
		}
		has(t, where, page, `^Représentations - Le cracheur de feu\n`, `Date et heure +Audience +Lieu +Entrées +Jauge`)
		if n := strings.Count(page, "Date et heure"); n != 1 {
			t.Errorf("%s: the header row appears %d times", where, n)
		}
		totals += len(regexp.MustCompile(`Total +\d+ gratuites`).FindAllString(page, -1))
		if i < count-1 && strings.Contains(page, "Total") {
			t.Errorf("%s has a total row before the last page", where)
		}
	}
	if totals != 1 {
		t.Errorf("%d total rows, want 1", totals)
	}
	tt := d.Totals
	has(t, "last page", pages[count-1], fmt.Sprintf(`Total %d gratuites 105 000 € 114 955 € 103 050 € 123 660 €\n +%d payantes`, tt.FreeTickets, tt.PaidTickets))
	has(t, "summary", pages[0], `Recette billetterie HT 105 000 €\n`, `Recette billetterie TTC 114 955 €\n`,
		`Dates Du 01/09/2025 20:00 au 09/12/2025 20:00\n`, `Nombre de représentations 100\n`)

	// Each performance once, on one line, at 20:00 in Paris on both sides of
	// the end of summer time.
	all := strings.Join(pages[1:], "\n")
	for _, perf := range d.Performances {
		date := perf.StartAt.In(locale.Paris)
		text := fmt.Sprintf("%s %d %s %d à 20:00", weekdays[date.Weekday()], date.Day(), months[date.Month()-1], date.Year())
		if n := strings.Count(all, text+" "); n != 1 {
			t.Errorf("%q appears %d times", text, n)
		}
	}
	has(t, "table", all, `Mercredi 24 septembre 2025 à 20:00 Tout public Théâtre de la Croix-Rousse 2 gratuites 500 1 023,50 € 1 123,05 €`)
}

var (
	weekdays = []string{"Dimanche", "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi"}
	months   = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
)

// word is a word of a page and its box, in points from the top left corner.
type word struct {
	text                   string
	xMin, yMin, xMax, yMax float64
}

// words are the words of page n (all pages when n is 0) as pdftotext -bbox
// finds them.
func (p pdf) words(n int) []word {
	p.t.Helper()
	args := []string{"-bbox", "-enc", "UTF-8"}
	if n > 0 {
		args = append(args, "-f", fmt.Sprint(n), "-l", fmt.Sprint(n))
	}
	re := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	var words []word
	for _, m := range re.FindAllStringSubmatch(p.run("pdftotext", args...), -1) {
		w := word{text: m[5]}
		for i, f := range []*float64{&w.xMin, &w.yMin, &w.xMax, &w.yMax} {
			*f, _ = strconv.ParseFloat(m[i+1], 64)
		}
		words = append(words, w)
	}
	return words
}

// tallest is the height in points of the largest occurrence of text: the
// signature in the 35 pt script font stands over 40 pt high, text under 25.
func (p pdf) tallest(text string) float64 {
	p.t.Helper()
	var most float64
	for _, w := range p.words(0) {
		if w.text == text {
			most = max(most, w.yMax-w.yMin)
		}
	}
	return most
}

func TestSignature(t *testing.T) {
	if h := write(t, cracheurDeFeu()).tallest("Garçon"); h < 40 {
		t.Errorf("the signature is %.1f pt high: not in the 35 pt script font", h)
	}
	// A name with a letter the script font lacks (œ) is signed in the text
	// font rather than with a hole.
	d := cracheurDeFeu()
	d.Declarant = sacempdf.Person{FirstName: "Lœtitia", LastName: "Bœuf"}
	p := write(t, d)
	has(t, "summary", p.pages()[0], `(?m)^ *Lœtitia Bœuf *$`, `Déclarant Lœtitia Bœuf\n`)
	if h := p.tallest("Bœuf"); h < 15 || h > 30 {
		t.Errorf("the signature is %.1f pt high: want the 20 pt text font", h)
	}
}

// Decision D8: without an end, the last performance's start ends the period;
// a single performance gives a single date.
func TestPeriod(t *testing.T) {
	d := cracheurDeFeu()
	d.Performances[2].EndAt = time.Time{}
	has(t, "summary", write(t, d).pages()[0], `Dates Du 01/12/2024 11:00 au 03/12/2024 20:00\n`)

	d.Performances = d.Performances[1:2]
	d.Totals = sacempdf.Sum(d.Performances)
	has(t, "summary", write(t, d).pages()[0], `Dates Le 01/12/2024 11:00\n`, `Nombre de représentations 1\n`)
}

func TestWriteRefuses(t *testing.T) {
	var buf bytes.Buffer
	d := cracheurDeFeu()
	d.Totals.PaidTickets++
	if err := sacempdf.Write(&buf, d); err == nil || !strings.Contains(err.Error(), "not the sums") {
		t.Errorf("totals off by one ticket: err = %v", err)
	}
	d = cracheurDeFeu()
	d.Totals.NonTicketing.Incl = dec("792.01")
	if err := sacempdf.Write(&buf, d); err == nil {
		t.Error("totals off by one cent: no error")
	}
	d.Performances, d.Totals = nil, sacempdf.Totals{}
	if err := sacempdf.Write(&buf, d); err == nil || !strings.Contains(err.Error(), "no performance") {
		t.Errorf("no performance: err = %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("a refused declaration wrote %d bytes", buf.Len())
	}
}

func TestFileName(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"Le cracheur de feu", "Déclaration SACEM - Le cracheur de feu.pdf"},
		{"  AC/DC : «\u00a0live\u00a0» ?\t\n", "Déclaration SACEM - AC DC « live ».pdf"},
		{`a\b"c<d>e|f*g`, "Déclaration SACEM - a b c d e f g.pdf"},
		{"Fin...", "Déclaration SACEM - Fin.pdf"},
		{" / ", "Déclaration SACEM - spectacle.pdf"},
		{strings.Repeat("é", 100), "Déclaration SACEM - " + strings.Repeat("é", 80) + ".pdf"},
	} {
		if got := sacempdf.FileName(tc.name); got != tc.want {
			t.Errorf("FileName(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// render draws page n at 144 dpi (2 pixels a point).
func (p pdf) render(n int) image.Image {
	p.t.Helper()
	prefix := filepath.Join(p.t.TempDir(), "page")
	page := fmt.Sprint(n)
	if out, err := exec.Command("pdftoppm", "-r", "144", "-f", page, "-l", page, "-singlefile", "-png", p.path, prefix).CombinedOutput(); err != nil {
		p.t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	f, err := os.Open(prefix + ".png")
	if err != nil {
		p.t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		p.t.Fatal(err)
	}
	return img
}

// The header row, every other row from the first and the figures of the
// total row have their backgrounds; the other rows and the total row's label
// have none.
func TestTableBackgrounds(t *testing.T) {
	p := write(t, cracheurDeFeu())
	img := p.render(2)
	// background is the colour just above the top left corner of the first
	// word w on the left of x (in the padding of its cell).
	background := func(w string, left float64) string {
		for _, word := range p.words(2) {
			if word.text == w && word.xMin < left {
				r, g, b, _ := img.At(int(2*(word.xMin+1)), int(2*(word.yMin-2))).RGBA()
				return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
			}
		}
		t.Fatalf("no word %q on the left of %v", w, left)
		return ""
	}
	for _, tc := range []struct {
		word string
		left float64
		want string
	}{
		{"Date", 100, "#e3e3fd"},
		{"Dimanche", 100, "#f5f5fe"},
		{"Lundi", 100, "#ffffff"},
		{"Mardi", 100, "#f5f5fe"},
		{"Total", 500, "#ffffff"},
		{"130", 500, "#f4be30"},
		{"792", 1000, "#f4be30"},
	} {
		if got := background(tc.word, tc.left); got != tc.want {
			t.Errorf("background of %q = %s, want %s", tc.word, got, tc.want)
		}
	}
}

// A summary too long for its page goes on over a second portrait page, and
// every footer still counts the pages right.
func TestSummaryRunningOver(t *testing.T) {
	d := cracheurDeFeu()
	d.Organization.Name = strings.Repeat("Compagnie des arts de la piste et du feu ", 40)
	p := write(t, d)
	count, landscape := p.info()
	pages := p.pages()
	if count != 3 || len(pages) != 3 || landscape[0] || landscape[1] || !landscape[2] {
		t.Fatalf("pages = %d, landscape = %v; want two portrait pages of summary and one of table", count, landscape)
	}
	for i, page := range pages {
		has(t, fmt.Sprintf("page %d", i+1), page, fmt.Sprintf(`\s%d */ *3\s*$`, i+1))
	}
	has(t, "page 2", pages[1], `Recette billetterie TTC 1 390,25 €\n`)
	has(t, "page 3", pages[2], `Total 130 gratuites`)
}
