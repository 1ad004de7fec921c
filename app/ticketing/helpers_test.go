package ticketing

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// testConfig keeps retries and pacing tiny so the suite runs in seconds.
func testConfig() Config {
	return Config{
		RequestTimeout: 300 * time.Millisecond,
		RetryBackoff:   5 * time.Millisecond,
		MaxRetryAfter:  2 * time.Second,
		Pacing:         map[System]Pacing{Billetweb: {}, HelloAsso: {}, Shotgun: {}},
		Now:            func() time.Time { return time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC) },
	}
}

func mustNew(t *testing.T, s System, c Credentials, cfg Config) Connector {
	t.Helper()
	conn, err := New(s, c, cfg)
	if err != nil {
		t.Fatalf("New(%s): %v", s, err)
	}
	return conn
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptrUTC(s string) *time.Time {
	t := utc(s)
	return &t
}

// ev builds an expected event; rate "" means no indicative rate.
func ev(id string, start string, end *time.Time, incl, excl, rate string, free, paid int) Event {
	e := Event{RemoteID: id, StartAt: utc(start), EndAt: end,
		RevenueIncludingTaxes: decimal.RequireFromString(incl), RevenueExcludingTaxes: decimal.RequireFromString(excl),
		FreeTickets: free, PaidTickets: paid}
	if rate != "" {
		e.TaxRate = decimal.NewNullDecimal(decimal.RequireFromString(rate))
	}
	return e
}

// assertSeries compares series field by field, decimals by value (so "41" equals "41.00").
func assertSeries(t *testing.T, got, want []Serie) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d series %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.RemoteID != w.RemoteID || g.Name != w.Name || len(g.Events) != len(w.Events) {
			t.Fatalf("serie %d = %q %q with %d events, want %q %q with %d", i, g.RemoteID, g.Name, len(g.Events), w.RemoteID, w.Name, len(w.Events))
		}
		for j := range w.Events {
			ge, we := g.Events[j], w.Events[j]
			same := ge.RemoteID == we.RemoteID && ge.StartAt.Equal(we.StartAt) &&
				(ge.EndAt == nil) == (we.EndAt == nil) && (ge.EndAt == nil || ge.EndAt.Equal(*we.EndAt)) &&
				ge.RevenueIncludingTaxes.Equal(we.RevenueIncludingTaxes) && ge.RevenueExcludingTaxes.Equal(we.RevenueExcludingTaxes) &&
				ge.TaxRate.Valid == we.TaxRate.Valid && ge.TaxRate.Decimal.Equal(we.TaxRate.Decimal) &&
				ge.FreeTickets == we.FreeTickets && ge.PaidTickets == we.PaidTickets
			if !same {
				t.Errorf("serie %s event %d:\n got  %s\n want %s", w.RemoteID, j, fmtEvent(ge), fmtEvent(we))
			}
		}
	}
}

func fmtEvent(e Event) string {
	end, rate := "nil", "null"
	if e.EndAt != nil {
		end = e.EndAt.Format(time.RFC3339)
	}
	if e.TaxRate.Valid {
		rate = e.TaxRate.Decimal.String()
	}
	return e.RemoteID + " " + e.StartAt.Format(time.RFC3339) + "→" + end + " incl " + e.RevenueIncludingTaxes.StringFixed(2) +
		" excl " + e.RevenueExcludingTaxes.StringFixed(2) + " rate " + rate +
		" free " + decimal.NewFromInt(int64(e.FreeTickets)).String() + " paid " + decimal.NewFromInt(int64(e.PaidTickets)).String()
}

// wantCode fails unless err carries code.
func wantCode(t *testing.T, err error, code ErrorCode) *RemoteError {
	t.Helper()
	if got := CodeOf(err); got != code {
		t.Fatalf("error %v has code %q, want %q", err, got, code)
	}
	var re *RemoteError
	errors.As(err, &re)
	return re
}
