package statistics_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"assistant-declaration/app/db"
	"assistant-declaration/app/db/dbtest"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/statistics"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

type fixture struct {
	t  *testing.T
	db *db.DB
}

func (f fixture) id(query string, args ...any) uuid.UUID {
	f.t.Helper()
	var id uuid.UUID
	if err := f.db.NewRaw(query+" RETURNING id", args...).Scan(context.Background(), &id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f fixture) system(org uuid.UUID, name, created string) uuid.UUID {
	return f.id(`INSERT INTO ticketing_systems (organization_id, name, credentials, created_at) VALUES (?, ?, '\\x00', ?)`, org, name, at(created))
}

func (f fixture) serie(system uuid.UUID, events ...[3]string) uuid.UUID {
	s := f.id(`INSERT INTO event_series (ticketing_system_id, internal_ticketing_system_id, name) VALUES (?, ?, 'Spectacle')`, system, uuid.NewString())
	for _, e := range events {
		var end any
		if e[1] != "" {
			end = at(e[1])
		}
		f.id(`INSERT INTO events (event_serie_id, internal_ticketing_system_id, start_at, end_at, ticketing_revenue_including_taxes) VALUES (?, ?, ?, ?, ?)`,
			s, uuid.NewString(), at(e[0]), end, decimal.RequireFromString(e[2]))
	}
	return s
}

func (f fixture) accepted(serie uuid.UUID, organism, when string) {
	f.id(`INSERT INTO event_serie_declarations (event_serie_id, type, status, transmitted_at) VALUES (?, ?, 'PROCESSED', ?)`, serie, organism, at(when))
}

func (f fixture) failed(serie uuid.UUID, organism, code, when string) {
	f.id(`INSERT INTO event_serie_declarations (event_serie_id, type, last_transmission_error, last_transmission_error_at) VALUES (?, ?, ?, ?)`, serie, organism, code, at(when))
}

// The figures of a small dataset, computed by hand.
func TestRefreshComputesTheMonthlyFigures(t *testing.T) {
	d := dbtest.Open(t)
	f := fixture{t: t, db: d}
	ctx := context.Background()
	orgA := orgtest.Insert(t, d, orgtest.Row{Name: "A", CreatedAt: at("2026-01-15T12:00:00Z")}).ID
	orgB := orgtest.Insert(t, d, orgtest.Row{Name: "B", CreatedAt: at("2026-01-20T12:00:00Z")}).ID
	orgC := orgtest.Insert(t, d, orgtest.Row{Name: "C", CreatedAt: at("2026-03-10T12:00:00Z")}).ID
	sysA := f.system(orgA, "BILLETWEB", "2026-01-16T12:00:00Z")
	sysB := f.system(orgB, "HELLOASSO", "2026-02-05T12:00:00Z")
	sysC := f.system(orgC, "BILLETWEB", "2026-03-11T12:00:00Z")
	f.system(orgC, "MANUAL", "2026-03-11T12:00:00Z")

	// S1: last performance ends 25/01 22:00, SACEM accepted 10 days later; SACD failed in February.
	s1 := f.serie(sysA, [3]string{"2026-01-20T19:00:00Z", "", "100.50"}, [3]string{"2026-01-25T19:00:00Z", "2026-01-25T22:00:00Z", "200.00"})
	f.accepted(s1, "SACEM", "2026-02-04T22:00:00Z")
	f.failed(s1, "SACD", "sacdWrongId", "2026-02-10T12:00:00Z")
	// S2: one performance without end on 01/02 12:00; SACEM after 20 days, SACD after 30.
	s2 := f.serie(sysB, [3]string{"2026-02-01T12:00:00Z", "", "50"})
	f.accepted(s2, "SACEM", "2026-02-21T12:00:00Z")
	f.accepted(s2, "SACD", "2026-03-03T12:00:00Z")
	// S3: both organisms failed in March; C synchronized in March.
	s3 := f.serie(sysC, [3]string{"2026-03-01T20:00:00Z", "", "10"})
	f.failed(s3, "SACEM", "agencyNotFound", "2026-03-12T12:00:00Z")
	f.failed(s3, "SACD", "sacdWrongId", "2026-03-12T13:00:00Z")
	f.id(`INSERT INTO synchronization_runs (organization_id, status, started_at) VALUES (?, 'succeeded', ?)`, orgC, at("2026-03-12T10:00:00Z"))

	if err := statistics.Refresh(ctx, d); err != nil {
		t.Fatal(err)
	}
	// Twice: the refresh replaces, never adds.
	if err := statistics.Refresh(ctx, d); err != nil {
		t.Fatal(err)
	}
	jan, mar := at("2026-01-01T00:00:00Z"), at("2026-03-01T00:00:00Z")
	figures, err := statistics.Load(ctx, d, jan, mar)
	if err != nil {
		t.Fatal(err)
	}
	if figures.RefreshedAt.IsZero() {
		t.Error("no refresh time")
	}
	got := map[string]string{}
	for _, r := range figures.Rows {
		got[r.Metric+" "+r.Dimension+" "+r.Month.Format("2006-01")] = r.Value.String()
	}
	want := map[string]string{
		"organizations_created  2026-01":                   "2",
		"organizations_created  2026-03":                   "1",
		"organizations_active  2026-02":                    "2",
		"organizations_active  2026-03":                    "2",
		"ticketing_systems BILLETWEB 2026-01":              "1",
		"ticketing_systems BILLETWEB 2026-02":              "1",
		"ticketing_systems BILLETWEB 2026-03":              "2",
		"ticketing_systems HELLOASSO 2026-02":              "1",
		"ticketing_systems HELLOASSO 2026-03":              "1",
		"declarations_accepted SACEM 2026-02":              "2",
		"declarations_accepted SACD 2026-03":               "1",
		"amounts_declared SACEM 2026-02":                   "350.5",
		"amounts_declared SACD 2026-03":                    "50",
		"declarations_failed SACD|sacdWrongId 2026-02":     "1",
		"declarations_failed SACD|sacdWrongId 2026-03":     "1",
		"declarations_failed SACEM|agencyNotFound 2026-03": "1",
		"delay_median_days  2026-02":                       "15",
		"delay_median_days  2026-03":                       "30",
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || !decimal.RequireFromString(g).Equal(decimal.RequireFromString(v)) {
			t.Errorf("%s = %q, want %s", k, g, v)
		}
		delete(got, k)
	}
	for k, v := range got {
		t.Errorf("unexpected figure %s = %s", k, v)
	}
}

func TestFrenchNumbers(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{locale.Integer(decimal.NewFromInt(1234567)), "1\u202f234\u202f567"},
		{locale.Integer(decimal.NewFromInt(12)), "12"},
		{statistics.OneDecimal(decimal.RequireFromString("12.46")), "12,5"},
		{statistics.Percent(decimal.RequireFromString("0.3333")), "33,3\u00a0%"},
	} {
		if tt.got != tt.want {
			t.Errorf("%q, want %q", tt.got, tt.want)
		}
	}
}
