package ticketing

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"assistant-declaration/app/derrors"
)

// mock is the connector used outside production (rule C7 and decision T11, docs/decisions.md): any credentials
// work, and every day brings new series so that synchronizations visibly add data. Its output
// depends only on the date of cfg.Now in Paris, so it is deterministic for a given day.
type mock struct {
	delay time.Duration
	now   func() time.Time
}

func newMock(cfg Config) *mock {
	return &mock{delay: max(cfg.MockDelay, 0), now: cfg.Now}
}

// TestConnection simulates the latency of a real system.
func (m *mock) TestConnection(ctx context.Context) (err error) {
	defer derrors.Wrap(&err, "ticketing: test the mock connection")
	if err := sleep(ctx, m.delay); err != nil {
		return &RemoteError{System: "MOCK", Code: contextCode(err), Err: err}
	}
	return nil
}

// FetchSeries ignores the window and returns the fixed table of rule C7 (docs/decisions.md), keyed to today.
func (m *mock) FetchSeries(ctx context.Context, _, _ time.Time) (_ []Serie, err error) {
	defer derrors.Wrap(&err, "ticketing: fetch the mock series")
	if err := sleep(ctx, 4*m.delay); err != nil {
		return nil, &RemoteError{System: "MOCK", Code: contextCode(err), Err: err}
	}
	today := m.now().In(paris)
	suffix := fmt.Sprintf("%d-%d", today.Year(), today.YearDay())
	d0 := time.Date(today.Year(), today.Month(), today.Day()-10, 0, 0, 0, 0, paris)
	at := func(h int) time.Time { return d0.Add(time.Duration(h) * time.Hour).UTC() }
	end := func(h int) *time.Time { t := at(h); return &t }
	rate := decimal.NewNullDecimal(decimal.RequireFromString("0.055"))
	event := func(id string, endAt *time.Time, incl, excl string, r decimal.NullDecimal, free, paid int) Event {
		return Event{RemoteID: id + "-" + suffix, StartAt: at(11), EndAt: endAt,
			RevenueIncludingTaxes: decimal.RequireFromString(incl), RevenueExcludingTaxes: decimal.RequireFromString(excl),
			TaxRate: r, FreeTickets: free, PaidTickets: paid}
	}
	return []Serie{
		{RemoteID: "s1-" + suffix, Name: "Mon premier coucou (test " + suffix + ")", Events: []Event{
			event("e1-1", end(12), "105.50", "100.00", rate, 23, 10),
		}},
		{RemoteID: "s2-" + suffix, Name: "Un coucou au soleil (test " + suffix + ")", Events: []Event{
			event("e2-1", end(15), "263.75", "250.00", decimal.NullDecimal{}, 35, 43),
			event("e2-2", end(20), "1055.00", "1000.00", decimal.NullDecimal{}, 86, 99),
		}},
	}, nil
}
