package sacempdf

import (
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"assistant-declaration/app/locale"
)

// Colours (DSFR palette): text, grey of secondary text, the table's header,
// its alternate rows and its total row.
var (
	colorText    = rgb{0x16, 0x16, 0x16}
	colorMuted   = rgb{0x66, 0x66, 0x66}
	colorRule    = rgb{0xdd, 0xdd, 0xdd}
	colorHeader  = rgb{0xe3, 0xe3, 0xfd}
	colorStripe  = rgb{0xf5, 0xf5, 0xfe}
	colorTotal   = rgb{0xf4, 0xbe, 0x30}
	colorSection = rgb{0x00, 0x00, 0x91}
)

type rgb struct{ r, g, b int }

func (c rgb) text(pdf *fpdf.Fpdf) { pdf.SetTextColor(c.r, c.g, c.b) }
func (c rgb) fill(pdf *fpdf.Fpdf) { pdf.SetFillColor(c.r, c.g, c.b) }
func (c rgb) draw(pdf *fpdf.Fpdf) { pdf.SetDrawColor(c.r, c.g, c.b) }

const (
	// summaryMargin frames the portrait summary page, tableMargin the
	// landscape pages; footerZone is kept free at the bottom of every page.
	summaryMargin = 18.0
	tableMargin   = 10.0
	footerZone    = 16.0
)

// document is a PDF being written.
type document struct {
	pdf *fpdf.Fpdf
	// total is the page count the footers show, pages the count written.
	total, pages int
}

// render lays d out; total is the number of pages to print in the footers, or
// 0 to count one summary page and the table's pages.
func render(d Declaration, total int) (*document, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle("Déclaration SACEM - "+d.Serie.Name, true)
	pdf.SetSubject("État des recettes et dépenses", true)
	pdf.SetLang("fr-FR")
	pdf.SetCreator("assistant-declaration", true)
	pdf.SetProducer("assistant-declaration", true)
	pdf.SetCreationDate(d.GeneratedAt)
	pdf.SetModificationDate(d.GeneratedAt)
	addFonts(pdf)

	t := planTable(pdf, d)
	doc := &document{pdf: pdf, total: total}
	if doc.total == 0 {
		doc.total = 1 + len(t.pages)
	}
	pdf.SetFooterFunc(func() { doc.footer(d) })
	doc.summary(d)
	t.draw()
	doc.pages = pdf.PageCount()
	return doc, pdf.Error()
}

// footer writes "n / total" on every page and the generation date on the first.
func (doc *document) footer(d Declaration) {
	pdf := doc.pdf
	w, h := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	pdf.SetFont(textFont, "", 8)
	colorMuted.text(pdf)
	y := h - footerZone + 6
	if pdf.PageNo() == 1 {
		pdf.SetXY(left, y)
		pdf.CellFormat(w-left-right, 5, "Document généré le "+locale.Date(d.GeneratedAt), "", 0, "L", false, 0, "")
	}
	pdf.SetXY(left, y)
	pdf.CellFormat(w-left-right, 5, fmt.Sprintf("%d / %d", pdf.PageNo(), doc.total), "", 0, "R", false, 0, "")
}

// summary writes the first page: the organism's header, the organization, the
// show, its key figures and the signature.
func (doc *document) summary(d Declaration) {
	pdf := doc.pdf
	pdf.SetMargins(summaryMargin, summaryMargin, summaryMargin)
	pdf.SetAutoPageBreak(true, footerZone)
	pdf.AddPage()
	width := pageWidth(pdf)

	top := pdf.GetY()
	pdf.SetFont(textFont, "B", 26)
	colorSection.text(pdf)
	pdf.CellFormat(40, 12, "SACEM", "", 0, "L", false, 0, "")
	pdf.SetFont(textFont, "", 8)
	colorText.text(pdf)
	for i, line := range []string{
		"SACEM - Société des Auteurs, Compositeurs et Éditeurs de Musique",
		"225 avenue Charles de Gaulle, 92528 Neuilly-sur-Seine Cedex",
		"www.sacem.fr - Tél. 01 47 15 47 15",
	} {
		pdf.SetXY(summaryMargin, top+float64(i)*4)
		link := ""
		if i == 2 {
			link = "https://www.sacem.fr"
		}
		pdf.CellFormat(width, 4, line, "", 0, "R", false, 0, link)
	}
	pdf.SetXY(summaryMargin, top+15)
	colorMuted.text(pdf)
	doc.lines(width, 3.8, "L", wrap(pdf, "Ce document doit parvenir à la délégation régionale de la SACEM avant le dernier jour "+
		"du mois qui suit la dernière représentation du spectacle.", width))

	pdf.Ln(5)
	pdf.SetFont(textFont, "B", 18)
	colorText.text(pdf)
	pdf.CellFormat(width, 10, "État des recettes et dépenses", "", 1, "L", false, 0, "")

	signatory := d.Declarant.FullName()
	doc.section("Informations sur la structure", [][2]string{
		{"Organisateur / Structure", orUnknown(d.Organization.Name)},
		{"N° client SACEM", orUnknown(d.Organization.SacemID)},
		{"Déclarant", orUnknown(strings.TrimSpace(signatory + " " + bracketed(d.Declarant.Email)))},
	})
	from, to := dateRange(d.Performances)
	doc.section("Informations sur le spectacle", [][2]string{
		{"Nom du spectacle", d.Serie.Name},
		{"Producteur", producer(d.Serie.Producer)},
		{"Lieu", orUnknown(strings.Join(placeLines(d.Serie.Place), ", "))},
		{"Dates", period(from, to)},
		{"Nombre de représentations", fmt.Sprint(len(d.Performances))},
		{"Esthétique du spectacle", orUnknown(d.Serie.PerformanceType)},
	})
	s := d.Serie
	doc.section("Recettes et dépenses", [][2]string{
		{"Recette billetterie HT", money(d.Totals.Ticketing.Excl)},
		{"Recette billetterie TTC", money(d.Totals.Ticketing.Incl)},
		{"Entrées payantes", fmt.Sprint(d.Totals.PaidTickets)},
		{"Entrées gratuites", fmt.Sprint(d.Totals.FreeTickets)},
		{"Recette hors-billetterie HT", money(d.Totals.NonTicketing.Excl)},
		{"Recette hors-billetterie TTC", money(d.Totals.NonTicketing.Incl)},
		{"Dépenses totales HT", money(s.Expenses.Excl)},
		{"Dépenses totales TTC", money(s.Expenses.Incl)},
		{"Frais d’approche HT", money(s.IntroductionFees.Excl)},
		{"Frais d’approche TTC", money(s.IntroductionFees.Incl)},
	})

	pdf.Ln(6)
	pdf.SetFont(textFont, "", 10)
	colorText.text(pdf)
	pdf.CellFormat(width, 5, "Je certifie l’exactitude des informations de cette déclaration.", "", 1, "R", false, 0, "")
	pdf.CellFormat(width, 5, "Fait via l’Assistant déclaration, le "+locale.Date(d.GeneratedAt), "", 1, "R", false, 0, d.HomeURL)
	if scriptCanWrite(signatory) {
		pdf.SetFont(scriptFont, "", 35)
	} else {
		pdf.SetFont(textFont, "B", 20)
	}
	pdf.CellFormat(width, 16, signatory, "", 1, "R", false, 0, "")
}

func bracketed(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

// section writes a titled grid of labels and values.
func (doc *document) section(title string, rows [][2]string) {
	pdf := doc.pdf
	width := pageWidth(pdf)
	const labelWidth, lineHeight = 62.0, 5.0
	pdf.Ln(4)
	pdf.SetFont(textFont, "B", 12)
	colorSection.text(pdf)
	pdf.CellFormat(width, 8, title, "", 1, "L", false, 0, "")
	colorRule.draw(pdf)
	pdf.SetLineWidth(0.2)
	_, bottom := pdf.GetPageSize()
	for _, row := range rows {
		pdf.SetFont(textFont, "B", 10)
		lines := wrap(pdf, row[1], width-labelWidth)
		h := float64(len(lines))*lineHeight + 1.6
		if pdf.GetY()+h > bottom-footerZone {
			pdf.AddPage()
		}
		y := pdf.GetY()
		colorMuted.text(pdf)
		pdf.SetFont(textFont, "", 10)
		pdf.SetXY(summaryMargin, y+0.8)
		pdf.CellFormat(labelWidth, lineHeight, row[0], "", 0, "L", false, 0, "")
		colorText.text(pdf)
		pdf.SetFont(textFont, "B", 10)
		pdf.SetXY(summaryMargin+labelWidth, y+0.8)
		doc.lines(width-labelWidth, lineHeight, "L", lines)
		pdf.Line(summaryMargin, y+h, summaryMargin+width, y+h)
		pdf.SetXY(summaryMargin, y+h)
	}
}

// lines writes lines one under the other from the current position, each in a
// cell of width w, and leaves the position under the last at the left margin.
func (doc *document) lines(w, lineHeight float64, align string, lines []string) {
	pdf := doc.pdf
	x := pdf.GetX()
	for _, l := range lines {
		pdf.SetX(x)
		pdf.CellFormat(w, lineHeight, l, "", 2, align, false, 0, "")
	}
	left, _, _, _ := pdf.GetMargins()
	pdf.SetX(left)
}

// pageWidth is the width between the margins of the current page.
func pageWidth(pdf *fpdf.Fpdf) float64 {
	w, _ := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	return w - left - right
}

// wrap cuts s into lines no wider than w in the current font, at ASCII spaces
// only: an amount's no-break spaces hold it together. A word wider than a
// line is cut between characters.
func wrap(pdf *fpdf.Fpdf, s string, w float64) []string {
	w -= 2 * pdf.GetCellMargin()
	var lines []string
	line := ""
	for _, word := range strings.Split(strings.ReplaceAll(s, "\n", " "), " ") {
		switch {
		case word == "":
			continue
		case line == "":
			line = word
		case pdf.GetStringWidth(line+" "+word) <= w:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
		for pdf.GetStringWidth(line) > w {
			head := cutToWidth(pdf, line, w)
			lines = append(lines, head)
			line = line[len(head):]
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// cutToWidth is the longest prefix of s (at least one character) no wider than w.
func cutToWidth(pdf *fpdf.Fpdf, s string, w float64) string {
	end := 0
	for i, r := range s {
		next := i + len(string(r))
		if end > 0 && pdf.GetStringWidth(s[:next]) > w {
			break
		}
		end = next
	}
	return s[:end]
}
