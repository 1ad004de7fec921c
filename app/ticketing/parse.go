package ticketing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris must resolve whatever the server's zoneinfo and TZ

	"github.com/shopspring/decimal"
)

// paris is where Billetweb's naive wall-clock times and the mock's days live.
var paris = mustLoadLocation("Europe/Paris")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// zeroDate is the placeholder old Billetweb records carry instead of a date.
const zeroDate = "0000-00-00 00:00:00"

// parseParisWallClock converts "YYYY-MM-DD HH:MM:SS" Paris local time to an instant (DST-aware);
// the zero-date placeholder and "" give nil.
func parseParisWallClock(s string) (*time.Time, error) {
	if s == "" || s == zeroDate || strings.HasPrefix(s, "0000-00-00") {
		return nil, nil
	}
	t, err := time.ParseInLocation(time.DateTime, s, paris)
	if err != nil {
		return nil, fmt.Errorf("invalid date %q", s)
	}
	t = t.UTC()
	return &t, nil
}

// isoMillis formats an instant like JavaScript's toISOString, which the APIs were built against.
func isoMillis(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// isoTime is an ISO-8601 instant with offset; null leaves it invalid.
type isoTime struct {
	t     time.Time
	valid bool
}

// UnmarshalJSON accepts an RFC 3339 string or null.
func (v *isoTime) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*v = isoTime{}
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("date: %w", err)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("invalid date %q", s)
	}
	*v = isoTime{t: t.UTC(), valid: true}
	return nil
}

func (v isoTime) ptr() *time.Time {
	if !v.valid {
		return nil
	}
	t := v.t
	return &t
}

// boolish accepts true/false, 1/0, "1"/"0", "true"/"false" (any case); anything else, null
// included, is an error. set tells a present field from a missing one.
type boolish struct{ v, set bool }

// UnmarshalJSON implements the bool-ish rule of C1 (docs/decisions.md).
func (b *boolish) UnmarshalJSON(data []byte) error {
	s := string(data)
	if len(data) > 0 && data[0] == '"' {
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1":
		*b = boolish{v: true, set: true}
	case "false", "0":
		*b = boolish{v: false, set: true}
	default:
		return fmt.Errorf("invalid boolean %.40s", data)
	}
	return nil
}

// numish accepts a JSON number or a string holding one; null and other strings are errors.
type numish struct {
	v   decimal.Decimal
	set bool
}

// UnmarshalJSON implements the num-ish rule of C1 (docs/decisions.md).
func (n *numish) UnmarshalJSON(data []byte) error {
	raw := data
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		raw = []byte(strings.TrimSpace(s))
	}
	d, err := parseNumber(raw)
	if err != nil {
		return err
	}
	*n = numish{v: d, set: true}
	return nil
}

// number is a strict JSON number (strings refused) as an exact decimal.
type number struct {
	v   decimal.Decimal
	set bool
}

// UnmarshalJSON accepts JSON numbers only.
func (n *number) UnmarshalJSON(data []byte) error {
	d, err := parseNumber(data)
	if err != nil {
		return err
	}
	*n = number{v: d, set: true}
	return nil
}

// parseNumber reads a JSON number literal exactly (no float detour).
func parseNumber(raw []byte) (decimal.Decimal, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return decimal.Decimal{}, fmt.Errorf("invalid number %.40q", raw)
	}
	jn, ok := v.(json.Number)
	if !ok {
		return decimal.Decimal{}, fmt.Errorf("invalid number %.40q", raw)
	}
	d, err := decimal.NewFromString(jn.String())
	if err != nil || len(jn) > 40 || !withinDigits(d) {
		// Exponents such as 1e999999999 would make later arithmetic explode, and 1e9999, short
		// as it is written, would still overflow every amount column.
		return decimal.Decimal{}, fmt.Errorf("invalid number %.40q", raw)
	}
	return d, nil
}

// maxDigits bounds the digits of a number on either side of the decimal point.
const maxDigits = 40

// withinDigits tells whether d, written out without an exponent, has at most maxDigits digits
// before and after the decimal point.
func withinDigits(d decimal.Decimal) bool {
	return d.IsZero() || (d.Exponent() >= -maxDigits && d.NumDigits()+int(d.Exponent()) <= maxDigits)
}

// checks accumulates validation failures of one decoded record. A refusal is not a malformed
// body: well-formed data the declarations cannot take (another currency, a foreign tax), with its
// own code and message, which wins over the other failures.
type checks struct {
	problems []string
	refusal  *RemoteError
}

func (c *checks) need(ok bool, format string, args ...any) {
	if !ok {
		c.problems = append(c.problems, fmt.Sprintf(format, args...))
	}
}

// euro checks the currency of what (a sale, a price…): missing is malformed, anything else than
// the euro (in any case) is refused with CodeForeignCurrency naming the currency.
func (c *checks) euro(currency, what string) {
	switch {
	case currency == "":
		c.need(false, "%s has no currency", what)
	case !strings.EqualFold(currency, "EUR") && c.refusal == nil:
		currency = strings.ToUpper(currency)
		c.refusal = &RemoteError{Code: CodeForeignCurrency, Argument: currency,
			Message: fmt.Sprintf("%s is in %s: only euros can be declared", what, currency)}
	}
}

func (c checks) err() error {
	if c.refusal != nil {
		return c.refusal
	}
	if len(c.problems) == 0 {
		return nil
	}
	return errors.New(strings.Join(c.problems, "; "))
}

// validator is a decoded record able to check the fields the connector relies on.
type validator interface{ validate() error }

// decode unmarshals body into T and validates it; unknown fields are ignored (rule C1 in docs/decisions.md:
// "stop validating unused fields").
func decode[T any](body []byte) (T, error) {
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		return v, err
	}
	if val, ok := any(&v).(validator); ok {
		if err := val.validate(); err != nil {
			return v, err
		}
	}
	return v, nil
}

// decodeList unmarshals a JSON array and validates each element.
func decodeList[T any, PT interface {
	*T
	validator
}](body []byte) ([]T, error) {
	var items []T
	if err := json.Unmarshal(body, &items); err != nil {
		return nil, err
	}
	if items == nil && !bytes.Equal(bytes.TrimSpace(body), []byte("[]")) {
		return nil, errors.New("expected an array")
	}
	for i := range items {
		if err := PT(&items[i]).validate(); err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
	}
	return items, nil
}

// validateAll validates the elements of a decoded list.
func validateAll[T any, PT interface {
	*T
	validator
}](items []T) error {
	for i := range items {
		if err := PT(&items[i]).validate(); err != nil {
			return fmt.Errorf("item %d: %w", i, err)
		}
	}
	return nil
}
