package statistics

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"assistant-declaration/app/locale"
)

// Organisms in the order the charts show them.
var organisms = []string{"SACEM", "SACD"}

// Months lists the first days of the months from first to last.
func Months(first, last time.Time) []time.Time {
	var out []time.Time
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return out
}

// MonthStart is the first day of t's month in Paris, as stored.
func MonthStart(t time.Time) time.Time {
	t = t.In(locale.Paris)
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// table indexes figures by metric, dimension and month.
type table map[string]map[string]map[time.Time]decimal.Decimal

func index(rows []Row) table {
	t := table{}
	for _, r := range rows {
		if t[r.Metric] == nil {
			t[r.Metric] = map[string]map[time.Time]decimal.Decimal{}
		}
		if t[r.Metric][r.Dimension] == nil {
			t[r.Metric][r.Dimension] = map[time.Time]decimal.Decimal{}
		}
		t[r.Metric][r.Dimension][MonthStart(r.Month)] = r.Value
	}
	return t
}

// values are a dimension's figures over months, zero where none.
func (t table) values(metric, dimension string, months []time.Time) []decimal.Decimal {
	out := make([]decimal.Decimal, len(months))
	for i, m := range months {
		out[i] = t[metric][dimension][m]
	}
	return out
}

// dimensions lists a metric's dimensions, sorted.
func (t table) dimensions(metric string) []string {
	var out []string
	for d := range t[metric] {
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}

// series turns exact values into a chart series with their French labels.
func series(name string, values []decimal.Decimal, format func(decimal.Decimal) string) Series {
	s := Series{Name: name}
	for _, v := range values {
		f, _ := v.Float64() // geometry only: the label is written from v
		s.Values = append(s.Values, f)
		s.Labels = append(s.Labels, format(v))
	}
	return s
}

// OneDecimal writes d with one decimal and a decimal comma ("12,5").
func OneDecimal(d decimal.Decimal) string {
	d = d.Round(1)
	whole := locale.Integer(d.Truncate(0))
	tenth := d.Sub(d.Truncate(0)).Abs().Shift(1).IntPart()
	if d.IsNegative() && d.Truncate(0).IsZero() {
		whole = "-0"
	}
	return fmt.Sprintf("%s,%d", whole, tenth)
}

// Percent writes a ratio as "3,2 %".
func Percent(ratio decimal.Decimal) string { return OneDecimal(ratio.Shift(2)) + "\u00a0%" }

// moneyAxis writes an axis value of amounts, in euros without cents.
func moneyAxis(v float64) string { return locale.Money(decimal.NewFromFloat(v).Round(0)) }

func integerAxis(v float64) string { return locale.Integer(decimal.NewFromFloat(v)) }

func percentAxis(v float64) string { return Percent(decimal.NewFromFloat(v)) }

func daysAxis(v float64) string { return OneDecimal(decimal.NewFromFloat(v)) }

// Failure is the failures of one organism and error code over a period.
type Failure struct {
	Organism string
	Code     string
	Count    decimal.Decimal
	// Rate is Count over the organism's accepted and failed declarations.
	Rate decimal.Decimal
}

// CountLabel and RateLabel are the French figures of the table.
func (f Failure) CountLabel() string { return locale.Integer(f.Count) }

// RateLabel is the failure rate in French.
func (f Failure) RateLabel() string { return Percent(f.Rate) }

// sum adds values.
func sum(values []decimal.Decimal) decimal.Decimal {
	total := decimal.Zero
	for _, v := range values {
		total = total.Add(v)
	}
	return total
}
