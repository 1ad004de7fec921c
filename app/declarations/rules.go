package declarations

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Message keys of the rules tying fields together and of the formats.
const (
	KeyExcludingRequired          = "declarations.errors.excludingTaxesAmountRequired"
	KeyIncludingRequired          = "declarations.errors.includingTaxesAmountRequired"
	KeyNonZeroExclRequiresNonZero = "declarations.errors.nonZeroExcludingTaxesAmountRequiresNonZeroIncludingTaxesAmount"
	KeyNonZeroInclRequiresNonZero = "declarations.errors.nonZeroIncludingTaxesAmountRequiresNonZeroExcludingTaxesAmount"
	KeyIncludingLowerThanExcl     = "declarations.errors.includingTaxesAmountCannotBeLowerThanExcludingTaxesAmount"
	KeyPartialExpensesAboveTotal  = "declarations.errors.eventSeriePartialExpensesGreatherThanTotal"
	KeyPlaceAddressRequired       = "declarations.errors.placeAddressRequiredIfAnyNameSpecified"
	KeyPlaceNameRequired          = "declarations.errors.placeNameRequiredIfAnyAddressSpecified"
	KeyPlaceNameTooLong           = "declarations.errors.placeNameTooLong"
	KeyStreetRequired             = "declarations.errors.streetRequired"
	KeyCityRequired               = "declarations.errors.cityRequired"
	KeyPostalCodeRequired         = "declarations.errors.postalCodeRequired"
	KeyStreetTooLong              = "declarations.errors.streetTooLong"
	KeyCityTooLong                = "declarations.errors.cityTooLong"
	KeyPostalCodeTooLong          = "declarations.errors.postalCodeTooLong"
	KeySacemIDMustBeDigits        = "declarations.errors.sacemIdMustBeDigits"
	KeySacdIDMustBeDigits         = "declarations.errors.sacdIdMustBeDigits"
	KeySacemIDAlreadyUsed         = "declarations.errors.sacemIdAlreadyUsed"
	KeySacdIDAlreadyUsed          = "declarations.errors.sacdIdAlreadyUsed"
	KeyProducerOfficialIDFormat   = "declarations.errors.producerOfficialIdMustBe9Digits"
	KeyProducerOfficialIDRequired = "declarations.errors.producerOfficialIdRequired"
	KeyProducerNameRequired       = "declarations.errors.producerNameRequired"
	KeyPerformanceTypeInvalid     = "declarations.errors.performanceTypeRequired"
	KeyAudienceInvalid            = "declarations.errors.audienceRequired"
	KeyAudienceOverrideInvalid    = "declarations.errors.audienceOverrideRequired"
	KeyOrganismInvalid            = "declarations.errors.organismInvalid"
	KeyOrganismAlreadyAccepted    = "declarations.errors.organismAlreadyAccepted"
)

// Side is the member of an HT/TTC pair a tax-logic issue is reported on.
type Side int

// The sides of a pair.
const (
	NoSide Side = iota
	Excluding
	Including
)

// TaxLogic is rule 1: an amount excluding taxes (HT) and including taxes (TTC)
// of the same thing. Both empty is fine; the TTC may equal the HT (0 % VAT).
// The rate is not checked: both amounts are typed independently.
func TaxLogic(excl, incl decimal.NullDecimal) (Side, string) {
	switch {
	case !excl.Valid && !incl.Valid:
		return NoSide, ""
	case !incl.Valid:
		return Including, KeyIncludingRequired
	case !excl.Valid:
		return Excluding, KeyExcludingRequired
	case excl.Decimal.IsPositive() && incl.Decimal.IsZero():
		return Including, KeyNonZeroExclRequiresNonZero
	case excl.Decimal.IsZero() && incl.Decimal.IsPositive():
		return Excluding, KeyNonZeroInclRequiresNonZero
	case incl.Decimal.LessThan(excl.Decimal):
		return Including, KeyIncludingLowerThanExcl
	}
	return NoSide, ""
}

// Expenses are the six expense amounts of a serie.
type Expenses struct {
	TotalExcl, TotalIncl                       decimal.NullDecimal
	IntroductionFeesExcl, IntroductionFeesIncl decimal.NullDecimal
	CircusExcl, CircusIncl                     decimal.NullDecimal
}

// Check is rule 2: the total expenses cover the introduction fees and the
// circus expenses, on the HT and on the TTC values; both may fail at once.
func (e Expenses) Check() (exclKey, inclKey string) {
	partial := func(a, b decimal.NullDecimal) decimal.Decimal {
		return a.Decimal.Add(b.Decimal) // an empty amount counts as 0
	}
	if e.TotalExcl.Decimal.LessThan(partial(e.IntroductionFeesExcl, e.CircusExcl)) {
		exclKey = KeyPartialExpensesAboveTotal
	}
	if e.TotalIncl.Decimal.LessThan(partial(e.IntroductionFeesIncl, e.CircusIncl)) {
		inclKey = KeyPartialExpensesAboveTotal
	}
	return exclKey, inclKey
}

// PlaceInput is a place as typed: a name and an address (street, postal code,
// city; France, no subdivision).
type PlaceInput struct {
	Name, Street, PostalCode, City string
}

// Trimmed is p without surrounding spaces.
func (p PlaceInput) Trimmed() PlaceInput {
	return PlaceInput{strings.TrimSpace(p.Name), strings.TrimSpace(p.Street), strings.TrimSpace(p.PostalCode), strings.TrimSpace(p.City)}
}

// Empty reports whether nothing was typed.
func (p PlaceInput) Empty() bool { return p.Name == "" && !p.hasAddress() }

func (p PlaceInput) hasAddress() bool { return p.Street != "" || p.PostalCode != "" || p.City != "" }

// PlaceProblems are the issues of a place, by part ("name", "street",
// "postalCode", "city", "address").
type PlaceProblems map[string]string

// Check is rule 3 and the lengths: a name needs an address and an address a
// name; an address needs its three parts.
func (p PlaceInput) Check() PlaceProblems {
	p = p.Trimmed()
	out := PlaceProblems{}
	if p.Empty() {
		return out
	}
	switch {
	case p.Name != "" && !p.hasAddress():
		out["address"] = KeyPlaceAddressRequired
		return out
	case p.Name == "" && p.hasAddress():
		out["name"] = KeyPlaceNameRequired
	case utf8.RuneCountInString(p.Name) > 200:
		out["name"] = KeyPlaceNameTooLong
	}
	for _, part := range []struct {
		name, value, required, tooLong string
		max                            int
	}{
		{"street", p.Street, KeyStreetRequired, KeyStreetTooLong, 200},
		{"postalCode", p.PostalCode, KeyPostalCodeRequired, KeyPostalCodeTooLong, 20},
		{"city", p.City, KeyCityRequired, KeyCityTooLong, 200},
	} {
		switch {
		case part.value == "":
			out[part.name] = part.required
		case utf8.RuneCountInString(part.value) > part.max:
			out[part.name] = part.tooLong
		}
	}
	return out
}

// Same reports whether the place p is the place typed as in (name and address).
func (p *Place) Same(in PlaceInput) bool {
	if p == nil || p.Address == nil {
		return false
	}
	in = in.Trimmed()
	a := p.Address
	return p.Name == in.Name && a.Street == in.Street && a.PostalCode == in.PostalCode && a.City == in.City &&
		a.CountryCode == "FR" && a.Subdivision == ""
}

// Input is the place as the form shows it.
func (p *Place) Input() PlaceInput {
	if p == nil || p.Address == nil {
		return PlaceInput{}
	}
	return PlaceInput{Name: p.Name, Street: p.Address.Street, PostalCode: p.Address.PostalCode, City: p.Address.City}
}

var (
	collectingSocietyIDPattern = regexp.MustCompile(`^\d{1,10}$`)
	sirenPattern               = regexp.MustCompile(`^\d{9}$`)
)

// CheckSacemID is the format of a SACEM customer number (decision D6, docs/decisions.md).
func CheckSacemID(id string) string {
	if !collectingSocietyIDPattern.MatchString(id) {
		return KeySacemIDMustBeDigits
	}
	return ""
}

// CheckSacdID is the format of a SACD declarant id (decision D6, docs/decisions.md).
func CheckSacdID(id string) string {
	if !collectingSocietyIDPattern.MatchString(id) {
		return KeySacdIDMustBeDigits
	}
	return ""
}

// Producer is the producing company: both empty, or a SIREN and a name.
type Producer struct{ OfficialID, Name string }

// Check returns the problems by part ("officialId", "name").
func (p Producer) Check() map[string]string {
	p.OfficialID, p.Name = spaces.Replace(p.OfficialID), strings.TrimSpace(p.Name)
	out := map[string]string{}
	switch {
	case p.OfficialID == "" && p.Name == "":
	case p.OfficialID == "":
		out["officialId"] = KeyProducerOfficialIDRequired
	case !sirenPattern.MatchString(p.OfficialID):
		out["officialId"] = KeyProducerOfficialIDFormat
	}
	if p.Name == "" && p.OfficialID != "" {
		out["name"] = KeyProducerNameRequired
	}
	return out
}
