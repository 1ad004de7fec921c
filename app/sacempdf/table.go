package sacempdf

import (
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// column is a column of the performances table; weight is its share of the
// page's width.
type column struct {
	title  string
	weight float64
	align  string
}

var columns = []column{
	{"Date et heure", 2.7, "L"},
	{"Audience", 1.2, "L"},
	{"Lieu", 2.7, "L"},
	{"Entrées", 1.45, "L"},
	{"Jauge", 0.8, "R"},
	{"Billetterie HT", 1, "R"},
	{"Billetterie TTC", 1, "R"},
	{"Hors-billetterie HT", 2, "R"},
	{"Hors-billetterie TTC", 2, "R"},
}

const (
	tableFontSize = 8.0
	lineHeight    = 3.8
	cellPaddingY  = 1.2
	titleHeight   = 10.0
)

// row is a row of the table: the lines of each cell, already wrapped.
type row struct {
	cells  [][]string
	height float64
	total  bool
}

// table is the performances table cut into landscape pages: the rows of each
// page, the last page ending with the total row.
type table struct {
	pdf    *fpdf.Fpdf
	title  string
	widths []float64
	header row
	pages  [][]row
}

// planTable wraps every cell and cuts the rows into pages, so the page count is
// known before the first page is written.
func planTable(pdf *fpdf.Fpdf, d Declaration) *table {
	t := &table{pdf: pdf, title: "Représentations - " + d.Serie.Name}
	// The table is laid out before any page exists: fpdf's default page is
	// portrait, so the landscape width is its height.
	_, h := pdf.GetPageSize()
	width := h - 2*tableMargin
	var weights float64
	for _, c := range columns {
		weights += c.weight
	}
	for _, c := range columns {
		t.widths = append(t.widths, width*c.weight/weights)
	}

	pdf.SetFont(textFont, "B", tableFontSize)
	titles := make([]string, len(columns))
	for i, c := range columns {
		titles[i] = c.title
	}
	t.header = t.layout(titles, false)

	pdf.SetFont(textFont, "", tableFontSize)
	rows := make([]row, 0, len(d.Performances)+1)
	for _, p := range d.Performances {
		rows = append(rows, t.layout([]string{
			longDateTime(p.StartAt),
			p.Audience,
			strings.Join(placeLines(p.Place), "\n"),
			freeTickets(p.FreeTickets) + "\n" + paidTickets(p.PaidTickets),
			capacity(p.Capacity),
			money(p.Ticketing.Excl),
			money(p.Ticketing.Incl),
			nonTicketing(p, func(a Amounts) string { return money(a.Excl) }),
			nonTicketing(p, func(a Amounts) string { return money(a.Incl) }),
		}, false))
	}
	pdf.SetFont(textFont, "B", tableFontSize)
	tt := d.Totals
	rows = append(rows, t.layout([]string{"", "", "Total",
		freeTickets(tt.FreeTickets) + "\n" + paidTickets(tt.PaidTickets), "",
		money(tt.Ticketing.Excl), money(tt.Ticketing.Incl), money(tt.NonTicketing.Excl), money(tt.NonTicketing.Incl),
	}, true))

	// The landscape page's height is the portrait page's width.
	bottom, _ := pdf.GetPageSize()
	bottom -= footerZone
	top := tableMargin + titleHeight + t.header.height
	y := top
	var page []row
	for _, r := range rows {
		if y+r.height > bottom && len(page) > 0 {
			t.pages = append(t.pages, page)
			page, y = nil, top
		}
		page = append(page, r)
		y += r.height
	}
	t.pages = append(t.pages, page)
	return t
}

// layout wraps the texts of a row (a "\n" starts a new line) in their columns.
func (t *table) layout(texts []string, total bool) row {
	r := row{cells: make([][]string, len(texts)), total: total}
	most := 1
	for i, text := range texts {
		for _, line := range strings.Split(text, "\n") {
			if strings.Contains(line, "\t") {
				// A label and its amount stay on one line, apart.
				r.cells[i] = append(r.cells[i], line)
				continue
			}
			r.cells[i] = append(r.cells[i], wrap(t.pdf, line, t.widths[i])...)
		}
		most = max(most, len(r.cells[i]))
	}
	r.height = float64(most)*lineHeight + 2*cellPaddingY
	return r
}

// draw writes the table's pages, each with the title and the header row;
// rows alternate their background.
func (t *table) draw() {
	pdf := t.pdf
	pdf.SetAutoPageBreak(false, footerZone)
	index := 0
	for _, page := range t.pages {
		pdf.AddPageFormat("L", pdf.GetPageSizeStr("A4"))
		// After the page break, so the summary's footer keeps its margins.
		pdf.SetMargins(tableMargin, tableMargin, tableMargin)
		pdf.SetXY(tableMargin, tableMargin)
		pdf.SetLineWidth(0.2)
		pdf.SetFont(textFont, "B", 13)
		colorText.text(pdf)
		pdf.CellFormat(0, titleHeight-3, t.title, "", 1, "L", false, 0, "")
		pdf.SetY(tableMargin + titleHeight)
		colorHeader.fill(pdf)
		t.drawRow(t.header, "B", true)
		for _, r := range page {
			switch {
			case r.total:
				colorTotal.fill(pdf)
				t.drawRow(r, "B", true)
			case index%2 == 0:
				colorStripe.fill(pdf)
				t.drawRow(r, "", true)
			default:
				t.drawRow(r, "", false)
			}
			index++
		}
	}
}

// drawRow writes a row at the current height with the current fill colour
// (or none). The total row has no border and no background in its first
// three cells, only "Total" at the end of the third.
func (t *table) drawRow(r row, style string, fill bool) {
	pdf := t.pdf
	colorRule.draw(pdf)
	colorText.text(pdf)
	pdf.SetFont(textFont, style, tableFontSize)
	x, y := tableMargin, pdf.GetY()
	for i, lines := range r.cells {
		w := t.widths[i]
		if !r.total || i >= 3 {
			rectStyle := "D"
			if fill {
				rectStyle = "FD"
			}
			pdf.Rect(x, y, w, r.height, rectStyle)
		}
		align := columns[i].align
		if r.total && i == 2 {
			align = "R"
		}
		for j, l := range lines {
			lineY := y + cellPaddingY + float64(j)*lineHeight
			label, amount, apart := strings.Cut(l, "\t")
			if apart {
				pdf.SetXY(x, lineY)
				pdf.CellFormat(w, lineHeight, label, "", 0, "L", false, 0, "")
				l = amount
			}
			pdf.SetXY(x, lineY)
			pdf.CellFormat(w, lineHeight, l, "", 0, align, false, 0, "")
		}
		x += w
	}
	pdf.SetXY(tableMargin, y+r.height)
}

// nonTicketing is the four revenues outside ticketing, one a line, each
// amount given by amount (HT or TTC); a tab separates the label, written on
// the left, from the amount.
func nonTicketing(p Performance, amount func(Amounts) string) string {
	return fmt.Sprintf("Conso.\t%s\nRest.\t%s\nProg.\t%s\nAutre\t%s",
		amount(p.Consumptions), amount(p.Catering), amount(p.ProgramSales), amount(p.Other))
}

func capacity(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprint(n)
}
