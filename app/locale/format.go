package locale

import (
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris must exist even in a scratch image.

	"github.com/shopspring/decimal"
)

// Paris is the time zone every date is shown in.
var Paris = mustLoadLocation("Europe/Paris")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Money formats an amount the French way: "1 390,25 €", and "1 350 €" when it
// has no cents. Thousands are separated by a narrow no-break space (U+202F) and
// the euro sign by a no-break space, as the French typography (and Intl) does.
func Money(d decimal.Decimal) string {
	// One conversion to "-1234.50", then digits are grouped: the form writes
	// one amount per field and performance, so this runs thousands of times
	// per page.
	s := d.RoundBank(2).StringFixed(2)
	neg := strings.HasPrefix(s, "-")
	intPart, cents, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	var b strings.Builder
	if neg {
		b.WriteString("-")
	}
	b.WriteString(groupDigits(intPart))
	if cents != "00" {
		b.WriteString(",")
		b.WriteString(cents)
	}
	b.WriteString("\u00a0€")
	return b.String()
}

// Integer writes d rounded to a whole number the French way, thousands
// separated by a narrow no-break space: "1\u202f234".
func Integer(d decimal.Decimal) string {
	r := d.Round(0)
	if r.IsNegative() {
		return "-" + groupDigits(r.Abs().String())
	}
	return groupDigits(r.String())
}

// groupDigits separates the thousands of a string of digits with a narrow
// no-break space.
func groupDigits(digits string) string {
	var b strings.Builder
	b.Grow(len(digits) + len(digits)/3*3)
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}

// frenchMonths are the months' French names, whole and abbreviated.
var frenchMonths = [12]struct{ name, abbreviation string }{
	{"janvier", "janv."}, {"février", "févr."}, {"mars", "mars"}, {"avril", "avr."},
	{"mai", "mai"}, {"juin", "juin"}, {"juillet", "juil."}, {"août", "août"},
	{"septembre", "sept."}, {"octobre", "oct."}, {"novembre", "nov."}, {"décembre", "déc."},
}

// MonthName is the French name of m: "janvier".
func MonthName(m time.Month) string { return frenchMonths[m-1].name }

// MonthAbbreviation is the French abbreviation of m: "janv.".
func MonthAbbreviation(m time.Month) string { return frenchMonths[m-1].abbreviation }

// Date formats a day as 21/11/2026 in Europe/Paris.
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Paris).Format("02/01/2006")
}

// DateTime formats 21/11/2026 14:05 in Europe/Paris.
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Paris).Format("02/01/2006 15:04")
}

// Time formats 14:05 in Europe/Paris.
func Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Paris).Format("15:04")
}
