// Package sacempdf writes the SACEM declaration of a serie as a PDF: a
// portrait summary page (organization, declarant, show, key figures, the
// signatory's name) followed by landscape pages listing every performance,
// each page numbered "n / total". Its input is a plain Declaration the caller
// fills, so the package depends on no store; money is decimal throughout.
package sacempdf

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"
)

// Declaration is everything the PDF shows.
type Declaration struct {
	Organization Organization
	// Declarant declares the serie and signs the document.
	Declarant    Person
	Serie        Serie
	Performances []Performance
	// Totals are the key figures of the serie, as the declaration form shows
	// them; Write refuses totals that are not the sums of Performances.
	Totals Totals
	// GeneratedAt is the date written in the signature and on the first
	// page; zero means now.
	GeneratedAt time.Time
	// HomeURL is the absolute URL of the platform's home page, linked from
	// the signature ("Fait via l’Assistant déclaration").
	HomeURL string
}

// Organization is the organizer of the show.
type Organization struct {
	Name string
	// SacemID is the organization's SACEM customer number ("N° client").
	SacemID string
}

// Person is the declarant.
type Person struct{ FirstName, LastName, Email string }

// FullName is "First Last".
func (p Person) FullName() string {
	return strings.TrimSpace(p.FirstName + " " + p.LastName)
}

// Producer is the company producing the show.
type Producer struct {
	Name string
	// OfficialID is the producer's SIREN.
	OfficialID string
}

// Place is where a show or a performance takes place.
type Place struct{ Name, Street, PostalCode, City string }

// Serie is the show.
type Serie struct {
	Name string
	// PerformanceType is the label of the "Esthétique du spectacle" (empty
	// when not given).
	PerformanceType string
	Producer        Producer
	// Place is the serie's own place; a performance may take place elsewhere.
	Place Place
	// Expenses are the total expenses; IntroductionFees the "frais d'approche".
	Expenses, IntroductionFees Amounts
}

// Amounts is an amount excluding taxes (HT) and including taxes (TTC).
type Amounts struct{ Excl, Incl decimal.Decimal }

// Add is the sum of a and o.
func (a Amounts) Add(o Amounts) Amounts {
	return Amounts{Excl: a.Excl.Add(o.Excl), Incl: a.Incl.Add(o.Incl)}
}

func (a Amounts) equal(o Amounts) bool { return a.Excl.Equal(o.Excl) && a.Incl.Equal(o.Incl) }

// Performance is one performance of the serie, with its effective place,
// capacity and audience (its own or the serie's).
type Performance struct {
	StartAt time.Time
	// EndAt is zero when the performance has no end time.
	EndAt time.Time
	// Audience is the label of the audience ("Tout public").
	Audience string
	Place    Place
	// Capacity is the "jauge"; 0 when unknown.
	Capacity                 int
	FreeTickets, PaidTickets int
	Ticketing                Amounts
	// The revenues outside ticketing.
	Consumptions, Catering, ProgramSales, Other Amounts
}

// NonTicketing is the sum of the revenues outside ticketing.
func (p Performance) NonTicketing() Amounts {
	return p.Consumptions.Add(p.Catering).Add(p.ProgramSales).Add(p.Other)
}

// Totals are the key figures of a serie, summed over its performances.
type Totals struct {
	Ticketing                Amounts
	FreeTickets, PaidTickets int
	NonTicketing             Amounts
}

// Sum adds up the performances' figures exactly (no intermediate rounding).
func Sum(performances []Performance) Totals {
	var t Totals
	for _, p := range performances {
		t.Ticketing = t.Ticketing.Add(p.Ticketing)
		t.FreeTickets += p.FreeTickets
		t.PaidTickets += p.PaidTickets
		t.NonTicketing = t.NonTicketing.Add(p.NonTicketing())
	}
	return t
}

func (t Totals) equal(o Totals) bool {
	return t.Ticketing.equal(o.Ticketing) && t.NonTicketing.equal(o.NonTicketing) &&
		t.FreeTickets == o.FreeTickets && t.PaidTickets == o.PaidTickets
}

// dateRange is the date range of the serie (decision D8 in docs/decisions.md):
// from the first performance's start to the last performance's end, its start
// when it has no end. sorted holds at least one performance, sorted by start.
func dateRange(sorted []Performance) (from, to time.Time) {
	last := sorted[len(sorted)-1]
	to = last.EndAt
	if to.IsZero() {
		to = last.StartAt
	}
	return sorted[0].StartAt, to
}

// FileName is the name of the PDF of serie serieName: "Déclaration SACEM -
// {slug}.pdf", the slug being the name without the characters a file name
// cannot hold (path separators, quotes, control and reserved characters),
// its blanks collapsed, at most 80 characters.
func FileName(serieName string) string {
	const maxRunes = 80
	var b strings.Builder
	blank, n := false, 0
	for _, r := range serieName {
		if strings.ContainsRune(`/\:*?"<>|`, r) || unicode.IsControl(r) || unicode.IsSpace(r) {
			blank = b.Len() > 0
			continue
		}
		if n == maxRunes {
			break
		}
		if blank {
			b.WriteByte(' ')
			n++
			blank = false
		}
		b.WriteRune(r)
		n++
	}
	slug := strings.TrimRight(b.String(), " .")
	if slug == "" {
		slug = "spectacle"
	}
	return "Déclaration SACEM - " + slug + ".pdf"
}

// Write writes the PDF of d to w. The declaration needs at least one
// performance and totals equal to the sums of its performances.
func Write(w io.Writer, d Declaration) error {
	if len(d.Performances) == 0 {
		return fmt.Errorf("sacempdf: serie %q has no performance to declare", d.Serie.Name)
	}
	if sum := Sum(d.Performances); !d.Totals.equal(sum) {
		return fmt.Errorf("sacempdf: serie %q: the totals %+v are not the sums of its performances %+v", d.Serie.Name, d.Totals, sum)
	}
	if d.GeneratedAt.IsZero() {
		d.GeneratedAt = time.Now()
	}
	d.Performances = slices.Clone(d.Performances)
	slices.SortStableFunc(d.Performances, func(a, b Performance) int { return a.StartAt.Compare(b.StartAt) })
	doc, err := render(d, 0)
	if err == nil && doc.pages != doc.total {
		// The summary ran over its page: number the pages again with the real count.
		doc, err = render(d, doc.pages)
	}
	if err != nil {
		return fmt.Errorf("sacempdf: serie %q: %w", d.Serie.Name, err)
	}
	if err := doc.pdf.Output(w); err != nil {
		return fmt.Errorf("sacempdf: write the PDF of serie %q: %w", d.Serie.Name, err)
	}
	return nil
}
