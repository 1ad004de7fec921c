package sacempdf

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"

	"assistant-declaration/app/locale"
)

// money is an amount the French way ("1 390,25 €"); the thousands are
// separated by a no-break space rather than the narrow one locale.Money
// writes, as on the organisms' own forms.
func money(d decimal.Decimal) string {
	return strings.ReplaceAll(locale.Money(d), "\u202f", "\u00a0")
}

var frenchWeekdays = [...]string{"Dimanche", "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi"}

// longDateTime is "Dimanche 1 décembre 2024 à 11:00" in Europe/Paris.
func longDateTime(t time.Time) string {
	t = t.In(locale.Paris)
	return fmt.Sprintf("%s %d %s %d à %s", frenchWeekdays[t.Weekday()], t.Day(), locale.MonthName(t.Month()), t.Year(), t.Format("15:04"))
}

// period is the serie's date range (decision D8 in docs/decisions.md) in
// Europe/Paris: "Du 01/12/2024 11:00 au 03/12/2024 22:30".
func period(from, to time.Time) string {
	if from.Equal(to) {
		return "Le " + locale.DateTime(from)
	}
	return "Du " + locale.DateTime(from) + " au " + locale.DateTime(to)
}

func freeTickets(n int) string { return fmt.Sprintf("%d gratuites", n) }

func paidTickets(n int) string { return fmt.Sprintf("%d payantes", n) }

// orUnknown shows "Non renseigné" for a missing value.
func orUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return "Non renseigné"
	}
	return s
}

// producer is the producer's name and SIREN.
func producer(p Producer) string {
	switch {
	case p.Name != "" && p.OfficialID != "":
		return p.Name + " (SIREN " + p.OfficialID + ")"
	case p.OfficialID != "":
		return "SIREN " + p.OfficialID
	}
	return orUnknown(p.Name)
}

// placeLines are the place's name, street and "postal code city", the blank
// ones left out.
func placeLines(p Place) []string {
	var lines []string
	for _, l := range []string{p.Name, p.Street, strings.TrimSpace(p.PostalCode + " " + p.City)} {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// scriptRunes are the characters the script font (Kristi) draws: Latin-1 and
// a few punctuation marks, but not œ, Œ or Ÿ.
var scriptRunes = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x20, Hi: 0x7e, Stride: 1}, {Lo: 0xa1, Hi: 0xac, Stride: 1}, {Lo: 0xae, Hi: 0xff, Stride: 1},
		{Lo: 0x131, Hi: 0x131, Stride: 1}, {Lo: 0x2013, Hi: 0x2014, Stride: 1}, {Lo: 0x2018, Hi: 0x2019, Stride: 1},
		{Lo: 0x201c, Hi: 0x201d, Stride: 1}, {Lo: 0x2026, Hi: 0x2026, Stride: 1},
	},
	LatinOffset: 3,
}

// scriptCanWrite reports whether the script font has a glyph for every
// character of s; otherwise the signature is written in the text font, so no
// letter of a name goes missing.
func scriptCanWrite(s string) bool {
	for _, r := range s {
		if !unicode.Is(scriptRunes, r) {
			return false
		}
	}
	return true
}
