package declarations

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"assistant-declaration/app/locale"
)

// MaxAmount is the largest amount a numeric(10,2) column holds.
var MaxAmount = decimal.RequireFromString("99999999.99")

// MaxCount is the largest capacity or ticket count accepted (a PostgreSQL integer).
const MaxCount = 2147483647

// Message keys of the number inputs, one per way a typed value can be wrong.
const (
	KeyAmountNotANumber      = "declarations.errors.amountNotANumber"
	KeyAmountNegative        = "declarations.errors.amountNegative"
	KeyAmountTooManyDecimals = "declarations.errors.amountTooManyDecimals"
	KeyAmountTooLarge        = "declarations.errors.amountTooLarge"
	KeyRateInvalid           = "declarations.errors.taxRateInvalid"
)

// spaces are what people and browsers put in amounts: spaces, no-break spaces
// (U+00A0, U+202F as Intl writes them), thin spaces.
var spaces = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "\u2009", "", "\t", "")

var numberPattern = regexp.MustCompile(`^-?[0-9]+([.,][0-9]*)?$`)

// normalizeNumber removes the spaces and the euro sign, and reads a French
// decimal comma as a point.
func normalizeNumber(s string) string {
	s = spaces.Replace(strings.TrimSpace(s))
	s = strings.TrimSuffix(s, "€")
	s = strings.TrimSuffix(s, "EUR")
	return s
}

// ParseAmount reads an amount as typed: "1 390,25", "1390,25", "1390.25",
// "1 390,25 €" (no-break spaces too). Empty is no amount (Valid false). key is
// the message of a refused value: not a number, negative, more than 2
// decimals, above MaxAmount.
func ParseAmount(s string) (amount decimal.NullDecimal, key string) {
	s = normalizeNumber(s)
	if s == "" {
		return decimal.NullDecimal{}, ""
	}
	if !numberPattern.MatchString(s) {
		return decimal.NullDecimal{}, KeyAmountNotANumber
	}
	s = strings.Replace(s, ",", ".", 1)
	d, err := decimal.NewFromString(strings.TrimSuffix(s, "."))
	if err != nil {
		return decimal.NullDecimal{}, KeyAmountNotANumber
	}
	switch {
	case d.IsNegative():
		return decimal.NullDecimal{}, KeyAmountNegative
	case d.Exponent() < -2 && !d.Equal(d.Truncate(2)):
		return decimal.NullDecimal{}, KeyAmountTooManyDecimals
	case d.GreaterThan(MaxAmount):
		return decimal.NullDecimal{}, KeyAmountTooLarge
	}
	return decimal.NewNullDecimal(d.Truncate(2)), ""
}

// CountProblem is why a typed whole number was refused.
type CountProblem string

// The problems of a whole number; each field has its own message per problem.
const (
	CountNotAnInteger CountProblem = "NotAnInteger"
	CountNegative     CountProblem = "Negative"
	CountTooLarge     CountProblem = "TooLarge"
)

// ParseCount reads a whole number (capacity, tickets). Empty is no value.
// Decimals ("12,5" and "12.0" alike) and negatives are refused.
func ParseCount(s string) (n *int, problem CountProblem) {
	s = normalizeNumber(s)
	if s == "" {
		return nil, ""
	}
	if !numberPattern.MatchString(s) {
		return nil, CountNotAnInteger
	}
	if strings.ContainsAny(s, ".,") {
		if strings.HasPrefix(s, "-") {
			return nil, CountNegative
		}
		return nil, CountNotAnInteger
	}
	v, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil && strings.HasPrefix(s, "-"):
		return nil, CountNegative
	case err != nil:
		return nil, CountTooLarge
	case v < 0:
		return nil, CountNegative
	case v > MaxCount:
		return nil, CountTooLarge
	}
	i := int(v)
	return &i, ""
}

// ParseRate reads a tax rate as a fraction ("0.055"). Empty is no rate.
func ParseRate(s string) (rate decimal.NullDecimal, key string) {
	s = normalizeNumber(s)
	if s == "" {
		return decimal.NullDecimal{}, ""
	}
	d, err := decimal.NewFromString(strings.Replace(s, ",", ".", 1))
	if err != nil || d.IsNegative() || d.GreaterThanOrEqual(decimal.NewFromInt(10)) || !d.Equal(d.Truncate(4)) {
		return decimal.NullDecimal{}, KeyRateInvalid
	}
	return decimal.NewNullDecimal(d), ""
}

// AmountInput is an amount as the form shows it: "1 390,25", "1 350", empty
// for no amount.
func AmountInput(d decimal.NullDecimal) string {
	if !d.Valid {
		return ""
	}
	return strings.TrimSuffix(locale.Money(d.Decimal), "\u00a0€")
}

// RateInput is a rate as the select's option value ("0.055").
func RateInput(d decimal.NullDecimal) string {
	if !d.Valid {
		return ""
	}
	return d.Decimal.String()
}

// RateLabel is a rate as shown: "5,5 %".
func RateLabel(d decimal.Decimal) string {
	return strings.Replace(d.Shift(2).String(), ".", ",", 1) + "\u00a0%"
}

// CountInput is a whole number as the form shows it.
func CountInput(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}
