package declarations

import (
	"testing"

	"github.com/shopspring/decimal"

	"assistant-declaration/app/locale"
)

func amount(s string) decimal.NullDecimal {
	if s == "" {
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(decimal.RequireFromString(s))
}

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in, want, key string
	}{
		{"1 390,25", "1390.25", ""},
		{"1390,25", "1390.25", ""},
		{"1390.25", "1390.25", ""},
		{"1 390,25 €", "1390.25", ""},
		{"1\u00a0390,25\u00a0€", "1390.25", ""},
		{"1\u202f390,25\u00a0€", "1390.25", ""},
		{"0", "0", ""},
		{"12,", "12", ""},
		{"99 999 999,99", "99999999.99", ""},
		{"", "", ""},
		{"  ", "", ""},
		{"-5", "", KeyAmountNegative},
		{"-0,5", "", KeyAmountNegative},
		{"12,345", "", KeyAmountTooManyDecimals},
		{"100 000 000", "", KeyAmountTooLarge},
		{"99 999 999,999", "", KeyAmountTooManyDecimals},
		{"douze", "", KeyAmountNotANumber},
		{"1,2,3", "", KeyAmountNotANumber},
		{"1e3", "", KeyAmountNotANumber},
	} {
		got, key := ParseAmount(tc.in)
		if key != tc.key {
			t.Errorf("ParseAmount(%q) key = %q, want %q", tc.in, key, tc.key)
			continue
		}
		if (tc.want == "") != !got.Valid || (got.Valid && !got.Decimal.Equal(decimal.RequireFromString(tc.want))) {
			t.Errorf("ParseAmount(%q) = %v, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseCount(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    int
		empty   bool
		problem CountProblem
	}{
		{"12", 12, false, ""},
		{" 1 200 ", 1200, false, ""},
		{"0", 0, false, ""},
		{"", 0, true, ""},
		{"12,5", 0, true, CountNotAnInteger},
		{"12.0", 0, true, CountNotAnInteger},
		{"-3", 0, true, CountNegative},
		{"-3,5", 0, true, CountNegative},
		{"abc", 0, true, CountNotAnInteger},
		{"99999999999", 0, true, CountTooLarge},
	} {
		got, problem := ParseCount(tc.in)
		if problem != tc.problem || (got == nil) != tc.empty || (got != nil && *got != tc.want) {
			t.Errorf("ParseCount(%q) = %v, %q", tc.in, got, problem)
		}
	}
}

func TestParseRate(t *testing.T) {
	for in, ok := range map[string]bool{"0": true, "0.055": true, "0,021": true, "0.2": true, "-0.1": false, "abc": false, "0.00001": false, "12": false} {
		_, key := ParseRate(in)
		if (key == "") != ok {
			t.Errorf("ParseRate(%q) key = %q", in, key)
		}
	}
	if got := RateLabel(decimal.RequireFromString("0.021")); got != "2,1\u00a0%" {
		t.Errorf("RateLabel = %q", got)
	}
}

// The test table of rule 1 (excl, incl).
func TestTaxLogic(t *testing.T) {
	for _, tc := range []struct {
		excl, incl string
		side       Side
		key        string
	}{
		{"", "", NoSide, ""},
		{"20", "", Including, KeyIncludingRequired},
		{"", "20", Excluding, KeyExcludingRequired},
		{"20", "20", NoSide, ""},
		{"20", "21", NoSide, ""},
		{"20", "19", Including, KeyIncludingLowerThanExcl},
		{"0", "20", Excluding, KeyNonZeroInclRequiresNonZero},
		{"20", "0", Including, KeyNonZeroExclRequiresNonZero},
		{"0", "0", NoSide, ""},
	} {
		side, key := TaxLogic(amount(tc.excl), amount(tc.incl))
		if side != tc.side || key != tc.key {
			t.Errorf("TaxLogic(%q, %q) = %v %q, want %v %q", tc.excl, tc.incl, side, key, tc.side, tc.key)
		}
	}
}

func TestExpensesCheck(t *testing.T) {
	for _, tc := range []struct {
		name       string
		e          Expenses
		excl, incl bool
	}{
		{"covered", Expenses{amount("2500"), amount("3000"), amount("400"), amount("480"), amount(""), amount("")}, false, false},
		{"circus counted", Expenses{amount("500"), amount("600"), amount("400"), amount("480"), amount("200"), amount("100")}, true, false},
		{"both", Expenses{amount("100"), amount("100"), amount("400"), amount("480"), amount("0"), amount("0")}, true, true},
		{"ttc only", Expenses{amount("500"), amount("450"), amount("400"), amount("480"), amount(""), amount("")}, false, true},
		{"equal", Expenses{amount("400"), amount("480"), amount("400"), amount("480"), amount("0"), amount("0")}, false, false},
	} {
		excl, incl := tc.e.Check()
		if (excl != "") != tc.excl || (incl != "") != tc.incl {
			t.Errorf("%s: %q %q", tc.name, excl, incl)
		}
	}
}

func TestPlaceCheck(t *testing.T) {
	for _, tc := range []struct {
		in   PlaceInput
		want PlaceProblems
	}{
		{PlaceInput{}, PlaceProblems{}},
		{PlaceInput{"Salle", "1 rue", "75001", "Paris"}, PlaceProblems{}},
		{PlaceInput{Name: "Salle"}, PlaceProblems{"address": KeyPlaceAddressRequired}},
		{PlaceInput{"", "1 rue", "75001", "Paris"}, PlaceProblems{"name": KeyPlaceNameRequired}},
		{PlaceInput{"Salle", "1 rue", "", "Paris"}, PlaceProblems{"postalCode": KeyPostalCodeRequired}},
		{PlaceInput{"Salle", "", "75001", ""}, PlaceProblems{"street": KeyStreetRequired, "city": KeyCityRequired}},
	} {
		got := tc.in.Check()
		if len(got) != len(tc.want) {
			t.Errorf("%+v: %v, want %v", tc.in, got, tc.want)
			continue
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%+v: %v, want %v", tc.in, got, tc.want)
			}
		}
	}
}

func TestIdentifiersAndProducer(t *testing.T) {
	if CheckSacemID("123") != "" || CheckSacemID("12345678901") != KeySacemIDMustBeDigits || CheckSacemID("12a") != KeySacemIDMustBeDigits {
		t.Error("SACEM id format")
	}
	if CheckSacdID("0012") != "" || CheckSacdID("") != KeySacdIDMustBeDigits {
		t.Error("SACD id format")
	}
	for _, tc := range []struct {
		p    Producer
		want map[string]string
	}{
		{Producer{}, map[string]string{}},
		{Producer{"123456789", "Prod"}, map[string]string{}},
		{Producer{"123 456 789", "Prod"}, map[string]string{}},
		{Producer{"12345", "Prod"}, map[string]string{"officialId": KeyProducerOfficialIDFormat}},
		{Producer{"", "Prod"}, map[string]string{"officialId": KeyProducerOfficialIDRequired}},
		{Producer{"123456789", ""}, map[string]string{"name": KeyProducerNameRequired}},
	} {
		got := tc.p.Check()
		if len(got) != len(tc.want) {
			t.Errorf("%+v: %v", tc.p, got)
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%+v: %v", tc.p, got)
			}
		}
	}
}

// The worked example of the fixture serie "Le cracheur de feu".
func TestTotalsOfTheWorkedExample(t *testing.T) {
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	nonTicketing := func(e *Event) {
		e.ConsumptionsRevenueIncludingTaxes, e.ConsumptionsRevenueExcludingTaxes = d("60"), d("50")
		e.CateringRevenueIncludingTaxes, e.CateringRevenueExcludingTaxes = d("110.4"), d("92")
		e.ProgramSalesRevenueIncludingTaxes, e.ProgramSalesRevenueExcludingTaxes = d("63.6"), d("53")
		e.OtherRevenueIncludingTaxes, e.OtherRevenueExcludingTaxes = d("162"), d("135")
	}
	events := []Event{
		{TicketingRevenueIncludingTaxes: d("105.5"), TicketingRevenueExcludingTaxes: d("100"), FreeTickets: 9, PaidTickets: 10},
		{TicketingRevenueIncludingTaxes: d("263.75"), TicketingRevenueExcludingTaxes: d("250"), FreeTickets: 35, PaidTickets: 43},
		{TicketingRevenueIncludingTaxes: d("1021"), TicketingRevenueExcludingTaxes: d("1000"), FreeTickets: 86, PaidTickets: 99},
	}
	nonTicketing(&events[0])
	nonTicketing(&events[1])
	got := ComputeTotals(events)
	for _, tc := range []struct{ name, got, want string }{
		{"ticketing TTC", locale.Money(got.TicketingIncl), "1\u202f390,25\u00a0€"},
		{"ticketing HT", locale.Money(got.TicketingExcl), "1\u202f350\u00a0€"},
		{"ticketing taxes", locale.Money(got.TicketingTaxes()), "40,25\u00a0€"},
		{"non-ticketing TTC", locale.Money(got.NonTicketingIncl), "792\u00a0€"},
		{"non-ticketing HT", locale.Money(got.NonTicketingExcl), "660\u00a0€"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %q, want %q", tc.name, tc.got, tc.want)
		}
	}
	if got.FreeTickets != 130 || got.PaidTickets != 152 {
		t.Errorf("tickets = %d free, %d paid", got.FreeTickets, got.PaidTickets)
	}
}
