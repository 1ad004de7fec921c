package sacd

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"assistant-declaration/app/locale"
)

// Declaration is what is declared to SACD for one serie: plain values the
// caller has already validated against SACD's required fields.
type Declaration struct {
	// DeclarantID is the organization's SACD declarant id (dec_ref).
	DeclarantID  string
	Organization Organization
	Serie        Serie
	Performances []Performance
}

// Organization is the declarant, the show's presenter ("diffuseur").
type Organization struct {
	Name  string
	SIREN string
}

// Serie is the show.
type Serie struct {
	ID       uuid.UUID
	Name     string
	Producer Producer
	// Place is the serie's default place. SACD receives its address as the
	// presenter's address, as the original platform did (to confirm with
	// SACD before sending the organization's headquarters instead).
	Place Place
	// The serie's expenses, excluding taxes. SACD wants them on one
	// representation: they go on the first one.
	ExpensesExcludingTaxes                 decimal.Decimal
	CircusSpecificExpensesExcludingTaxes   decimal.Decimal
	IntroductionFeesExpensesExcludingTaxes decimal.Decimal
}

// Producer is the show's producer.
type Producer struct {
	Name  string
	SIREN string
}

// Place is a venue.
type Place struct {
	Name    string
	Address Address
}

// Address is a postal address; CountryCode is an ISO code such as FR.
type Address struct {
	Street      string
	PostalCode  string
	City        string
	CountryCode string
}

// Performance is one representation, with its effective place and capacity
// (its override, else the serie's).
type Performance struct {
	ID      uuid.UUID
	StartAt time.Time
	// EndAt is nil when unknown: SACD then gets the start day as the end day.
	EndAt                          *time.Time
	TicketingRevenueExcludingTaxes decimal.Decimal
	TicketingRevenueIncludingTaxes decimal.Decimal
	PaidTickets                    int
	FreeTickets                    int
	PlaceName                      string
	PlaceCapacity                  int
}

// System is how this platform names itself to SACD (dec_systeme).
const System = "ASSISTANT_DECLARATION"

// maxStringLength is SACD's documented bound on every text value.
const maxStringLength = 128

// ErrNoPerformance: SACD cannot receive a declaration without representations.
var ErrNoPerformance = errors.New("sacd: a declaration needs at least one performance")

// XML is the declaration parameter SACD's web service receives, declared on
// the day of now: representations by ascending start, every text cut at 128
// characters, amounts rounded to the cent in their shortest form (2500,
// 18.88), days and times in Europe/Paris, 2-space indentation, no final
// newline.
func (d Declaration) XML(now time.Time) (string, error) {
	if len(d.Performances) == 0 {
		return "", ErrNoPerformance
	}
	performances := slices.Clone(d.Performances)
	slices.SortStableFunc(performances, func(a, b Performance) int { return a.StartAt.Compare(b.StartAt) })

	w := &xmlWriter{}
	w.b.WriteString(`<?xml version="1.0" encoding="utf-8"?>`)
	w.open("Declaration")
	w.open("Header")
	w.leaf("dec_ref", d.DeclarantID)
	w.leaf("dec_systeme", System)
	w.leaf("dec_date", day(now))
	w.leaf("dec_nb", strconv.Itoa(len(performances)))
	w.close("Header")
	w.open("Representations")
	for i, p := range performances {
		end := p.StartAt
		if p.EndAt != nil {
			end = *p.EndAt
		}
		w.open("Representation")
		w.leaf("rep_ref_dec", d.Serie.ID.String()+"_"+p.ID.String())
		w.leaf("rep_devise", "EUR")
		w.leaf("rep_statut", "DEF")
		w.leaf("rep_version", "1")
		w.leaf("rep_titre", d.Serie.Name)
		w.leaf("rep_date_debut", day(p.StartAt))
		w.leaf("rep_date_fin", day(end))
		w.leaf("rep_nb", "1")
		w.leaf("rep_horaire", p.StartAt.In(locale.Paris).Format("15:04"))
		w.open("Billetterie")
		w.leaf("rep_mt_billets", amount(p.TicketingRevenueExcludingTaxes))
		w.leaf("rep_mt_tva_billets", amount(p.TicketingRevenueIncludingTaxes.Sub(p.TicketingRevenueExcludingTaxes)))
		w.leaf("rep_nb_billets_pay", strconv.Itoa(p.PaidTickets))
		w.leaf("rep_nb_billets_exo", strconv.Itoa(p.FreeTickets))
		w.close("Billetterie")
		if i == 0 {
			w.open("Exploitation")
			w.leaf("rep_mt_depenses", amount(d.Serie.ExpensesExcludingTaxes.Sub(d.Serie.CircusSpecificExpensesExcludingTaxes)))
			w.leaf("rep_mt_frais", amount(d.Serie.IntroductionFeesExpensesExcludingTaxes))
			w.close("Exploitation")
		} else {
			w.empty("Exploitation")
		}
		w.open("Salle")
		w.leaf("salle_nom", p.PlaceName)
		w.leaf("salle_jauge", strconv.Itoa(p.PlaceCapacity))
		w.close("Salle")
		w.open("Diffuseur")
		w.leaf("diff_nom", d.Organization.Name)
		w.leaf("diff_type_ref", "SIREN")
		w.leaf("diff_ref", d.Organization.SIREN)
		w.leaf("diff_adresse_1", d.Serie.Place.Address.Street)
		w.leaf("diff_code_postal", d.Serie.Place.Address.PostalCode)
		w.leaf("diff_ville", d.Serie.Place.Address.City)
		w.leaf("diff_pays", d.Serie.Place.Address.CountryCode)
		w.close("Diffuseur")
		w.open("Producteur")
		w.leaf("prod_nom", d.Serie.Producer.Name)
		w.leaf("prod_type_ref", "SIREN")
		w.leaf("prod_ref", d.Serie.Producer.SIREN)
		w.close("Producteur")
		w.close("Representation")
	}
	w.close("Representations")
	w.close("Declaration")
	return w.b.String(), nil
}

// day is SACD's date format, in Europe/Paris whatever the server's zone.
func day(t time.Time) string { return t.In(locale.Paris).Format("2006/01/02") }

// amount is rounded to the cent (half away from zero) without trailing zeros.
func amount(d decimal.Decimal) string { return d.Round(2).String() }

// xmlWriter writes one element per line, indented by 2 spaces per level.
type xmlWriter struct {
	b     strings.Builder
	depth int
}

func (w *xmlWriter) line(s string) {
	w.b.WriteByte('\n')
	w.b.WriteString(strings.Repeat("  ", w.depth))
	w.b.WriteString(s)
}

func (w *xmlWriter) open(name string) {
	w.line("<" + name + ">")
	w.depth++
}

func (w *xmlWriter) close(name string) {
	w.depth--
	w.line("</" + name + ">")
}

func (w *xmlWriter) empty(name string) { w.line("<" + name + "/>") }

func (w *xmlWriter) leaf(name, value string) {
	w.line("<" + name + ">" + escape(truncate(value)) + "</" + name + ">")
}

// truncate keeps the first 128 characters of s.
func truncate(s string) string {
	if utf8.RuneCountInString(s) <= maxStringLength {
		return s
	}
	return string([]rune(s)[:maxStringLength])
}

// escape makes s XML character data: the five predefined entities, line
// breaks and tabs as character references, and characters XML 1.0 forbids
// replaced by U+FFFD.
func escape(s string) string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		case '\t':
			b.WriteString("&#x9;")
		case '\n':
			b.WriteString("&#xA;")
		case '\r':
			b.WriteString("&#xD;")
		default:
			if !allowedInXML(r) {
				r = '\uFFFD'
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// allowedInXML is the Char production of XML 1.0.
func allowedInXML(r rune) bool {
	return r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
