package locale

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestMoney(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1390.25", "1\u202f390,25\u00a0€"},
		{"1350", "1\u202f350\u00a0€"},
		{"1350.00", "1\u202f350\u00a0€"},
		{"0.5", "0,50\u00a0€"},
		{"0.05", "0,05\u00a0€"},
		{"999", "999\u00a0€"},
		{"1234567.8", "1\u202f234\u202f567,80\u00a0€"},
		{"-42.1", "-42,10\u00a0€"},
		{"-0.004", "0\u00a0€"},
		{"0.125", "0,12\u00a0€"},
		{"100000", "100\u202f000\u00a0€"},
	} {
		if got := Money(decimal.RequireFromString(tc.in)); got != tc.want {
			t.Errorf("Money(%s) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDatesAreInParisWhateverTheServerZone(t *testing.T) {
	// 23:30 UTC on 20 November is already the 21st in Paris (UTC+1 in winter).
	utc := time.Date(2026, 11, 20, 23, 30, 0, 0, time.UTC)
	tokyo := utc.In(time.FixedZone("JST", 9*3600))
	for _, in := range []time.Time{utc, tokyo} {
		if got := Date(in); got != "21/11/2026" {
			t.Errorf("Date = %q", got)
		}
		if got := DateTime(in); got != "21/11/2026 00:30" {
			t.Errorf("DateTime = %q", got)
		}
	}
	// Summer time: UTC+2.
	if got := Time(time.Date(2026, 7, 14, 18, 0, 0, 0, time.UTC)); got != "20:00" {
		t.Errorf("Time = %q", got)
	}
}

func TestMonthNames(t *testing.T) {
	for _, tc := range []struct {
		month       time.Month
		name, short string
	}{{time.January, "janvier", "janv."}, {time.June, "juin", "juin"}, {time.December, "décembre", "déc."}} {
		if got := MonthName(tc.month); got != tc.name {
			t.Errorf("MonthName(%v) = %q, want %q", tc.month, got, tc.name)
		}
		if got := MonthAbbreviation(tc.month); got != tc.short {
			t.Errorf("MonthAbbreviation(%v) = %q, want %q", tc.month, got, tc.short)
		}
	}
}

func TestMatchFallsBackToFrench(t *testing.T) {
	for _, tc := range []struct{ choice, accept, want string }{
		{"", "", "fr"},
		{"en", "", "en"},
		{"EN", "fr", "en"},
		{"xx", "", "fr"},
		{"", "en-GB,en;q=0.8", "en"},
		{"", "de-DE,de;q=0.9", "fr"},
		{"", ";;;==garbage", "fr"},
		{"<script>", "en", "en"},
	} {
		if got := Match(tc.choice, tc.accept); got != tc.want {
			t.Errorf("Match(%q, %q) = %q, want %q", tc.choice, tc.accept, got, tc.want)
		}
	}
}
