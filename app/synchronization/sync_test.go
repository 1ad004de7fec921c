package synchronization

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"assistant-declaration/app/db"
	"assistant-declaration/app/ticketing"
	"assistant-declaration/config"
)

// writeCounter is a query hook counting the writing statements, those on ticketing_systems apart.
type writeCounter struct{ other, system atomic.Int64 }

func (*writeCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (c *writeCounter) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	q := strings.ToUpper(strings.TrimSpace(e.Query))
	if !strings.HasPrefix(q, "INSERT") && !strings.HasPrefix(q, "UPDATE") && !strings.HasPrefix(q, "DELETE") {
		return
	}
	if strings.HasPrefix(q, `UPDATE "TICKETING_SYSTEMS"`) || strings.HasPrefix(q, "UPDATE TICKETING_SYSTEMS") {
		c.system.Add(1)
	} else {
		c.other.Add(1)
	}
}

// countWrites returns a copy of the fixture's service whose statements are counted.
func (f *fixture) countWrites() (*writeCounter, *Service) {
	c := &writeCounter{}
	svc := *f.svc
	svc.DB = &db.DB{DB: f.db.DB.WithQueryHook(c), Pool: f.db.Pool}
	return c, &svc
}

func TestFirstSynchronizationUsesThirteenMonthsAndCreatesRows(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	now := time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)
	f.svc.Now = func() time.Time { return now }
	c := &scripted{series: []ticketing.Serie{{RemoteID: "101", Name: "Concert A", Events: []ticketing.Event{ev("e1", 1, "41.00", 2, rate("0.055"))}}}}
	id := f.connect(ticketing.Billetweb, c)
	f.exec(`UPDATE ticketing_systems SET last_error_code = 'firewall', last_error_at = now() WHERE id = ?`, id)

	f.sync()

	if want := now.AddDate(0, -13, 0); !c.froms[0].Equal(want) {
		t.Errorf("from = %v, want %v", c.froms[0], want)
	}
	e := f.events()["101/e1"]
	if !e.Incl.Equal(dec("41")) || e.Paid != 2 || e.Override.Valid || e.SerieName != "Concert A" {
		t.Errorf("event = %+v", e)
	}
	s := f.system(id)
	if s.LastSynchronizedAt == nil || !s.LastSynchronizedAt.Equal(now) || s.LastErrorCode != nil || s.LastErrorAt != nil {
		t.Errorf("system = %+v", s)
	}
}

func TestSecondSynchronizationWithNothingChangedWritesOnlyTheSystemRow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := &scripted{series: []ticketing.Serie{
		{RemoteID: "101", Name: "Concert A", Events: []ticketing.Event{ev("e1", 1, "41.00", 2, rate("0.055")), ev("e2", 2, "10", 1, rate("0.2"))}},
		{RemoteID: "102", Name: "Vide"},
	}}
	f.connect(ticketing.Billetweb, c)
	if out := f.sync(); out[0].Series != 2 {
		t.Errorf("first synchronization counts %d changed series, want 2", out[0].Series)
	}

	counter, svc := f.countWrites()
	out, err := svc.SynchronizeOrganization(context.Background(), f.org, f.user.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if counter.other.Load() != 0 || counter.system.Load() != 1 {
		t.Errorf("writes: other %d, system %d; want 0 and 1", counter.other.Load(), counter.system.Load())
	}
	if out[0].Series != 0 {
		t.Errorf("nothing changed but the run counts %d changed series", out[0].Series)
	}
}

func TestRemoteChangesUpdateEventsExceptHandEditedOnes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	unchanged := ticketing.Serie{RemoteID: "102", Name: "B", Events: []ticketing.Event{ev("e3", 3, "10", 1, rate("0.055"))}}
	c := &scripted{series: []ticketing.Serie{{RemoteID: "101", Name: "A", Events: []ticketing.Event{
		ev("e1", 1, "10", 1, rate("0.055")), ev("e2", 2, "10", 1, rate("0.055"))}}, unchanged}}
	f.connect(ticketing.Billetweb, c)
	f.sync()
	f.exec(`UPDATE events SET last_manual_ticketing_data_update_at = now(), ticketing_revenue_including_taxes = 99 WHERE internal_ticketing_system_id = 'e2'`)

	c.set([]ticketing.Serie{{RemoteID: "101", Name: "A", Events: []ticketing.Event{
		ev("e1", 1, "20", 2, rate("0.055")), ev("e2", 2, "20", 2, rate("0.055"))}}, unchanged}, nil)
	if out := f.sync(); out[0].Series != 1 {
		t.Errorf("the run counts %d changed series, want 1 (B is unchanged)", out[0].Series)
	}

	got := f.events()
	if e := got["101/e1"]; !e.Incl.Equal(dec("20")) || e.Paid != 2 {
		t.Errorf("e1 not updated: %+v", e)
	}
	if e := got["101/e2"]; !e.Incl.Equal(dec("99")) || e.Paid != 1 {
		t.Errorf("hand-edited e2 overwritten: %+v", e)
	}
}

func TestEventsRemovedRemotelyAreDeletedUnlessEditedByHand(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := &scripted{series: []ticketing.Serie{{RemoteID: "101", Name: "A", Events: []ticketing.Event{
		ev("e1", 1, "10", 1, rate("0.055")), ev("e2", 2, "10", 1, rate("0.055")), ev("e3", 3, "10", 1, rate("0.055"))}}}}
	f.connect(ticketing.Billetweb, c)
	f.sync()
	f.exec(`UPDATE events SET last_manual_ticketing_data_update_at = now() WHERE internal_ticketing_system_id = 'e2'`)

	c.set([]ticketing.Serie{{RemoteID: "101", Name: "A", Events: []ticketing.Event{ev("e3", 3, "10", 1, rate("0.055"))}}}, nil)
	f.sync()

	got := f.events()
	if _, ok := got["101/e1"]; ok {
		t.Error("e1 removed remotely is still there")
	}
	if e, ok := got["101/e2"]; !ok || e.Removed == nil {
		t.Errorf("hand-edited e2 must be kept and flagged (decision T4): %+v %v", e, ok)
	}

	// Listed again: the flag goes.
	c.set([]ticketing.Serie{{RemoteID: "101", Name: "A", Events: []ticketing.Event{ev("e2", 2, "10", 1, rate("0.055")), ev("e3", 3, "10", 1, rate("0.055"))}}}, nil)
	f.sync()
	if e := f.events()["101/e2"]; e.Removed != nil {
		t.Errorf("e2 listed again is still flagged: %+v", e)
	}
}

// Any declaration row freezes the serie (rule S11, docs/decisions.md), not only an accepted one.
func TestSerieWithAPendingDeclarationIsFrozen(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := &scripted{series: []ticketing.Serie{{RemoteID: "101", Name: "A", Events: []ticketing.Event{ev("e1", 1, "10", 1, rate("0.055"))}}}}
	f.connect(ticketing.Billetweb, c)
	f.sync()
	f.exec(`INSERT INTO event_serie_declarations (event_serie_id, type, status) SELECT id, 'SACEM', 'PENDING' FROM event_series WHERE internal_ticketing_system_id = '101' AND ticketing_system_id IN (SELECT id FROM ticketing_systems WHERE organization_id = ?)`, f.org)

	c.set([]ticketing.Serie{{RemoteID: "101", Name: "Renamed", Events: []ticketing.Event{ev("e1", 1, "50", 5, rate("0.055")), ev("e9", 9, "1", 1, rate("0.055"))}}}, nil)
	f.sync()

	got := f.events()
	if len(got) != 1 || got["101/e1"].SerieName != "A" || !got["101/e1"].Incl.Equal(dec("10")) {
		t.Errorf("frozen serie changed: %+v", got)
	}
}

func TestRenameUpdatesNameButNeverTheSerieTaxRate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := &scripted{series: []ticketing.Serie{{RemoteID: "101", Name: "A", Events: []ticketing.Event{ev("e1", 1, "10", 1, rate("0.2"))}}}}
	f.connect(ticketing.Billetweb, c)
	f.sync()
	if e := f.events()["101/e1"]; !e.Override.Valid || !e.Override.Decimal.Equal(dec("0.2")) {
		t.Errorf("rate different from the serie's must be an override: %+v", e)
	}
	f.exec(`UPDATE event_series SET ticketing_revenue_tax_rate = 0.2 WHERE internal_ticketing_system_id = '101'`)

	c.set([]ticketing.Serie{{RemoteID: "101", Name: "B", Events: []ticketing.Event{ev("e1", 1, "10", 1, rate("0.2"))}}}, nil)
	f.sync()

	e := f.events()["101/e1"]
	if e.SerieName != "B" {
		t.Errorf("name = %q, want B", e.SerieName)
	}
	if e.Override.Valid {
		t.Errorf("rate equal to the serie's must be stored as null: %+v", e.Override)
	}
	if n := f.count(`SELECT count(*) FROM event_series es JOIN ticketing_systems ts ON ts.id = es.ticketing_system_id WHERE ts.organization_id = ? AND es.ticketing_revenue_tax_rate = 0.2`, f.org); n != 1 {
		t.Errorf("serie tax rate changed by the synchronization")
	}
}

func TestConnectorRateEqualToSerieRateIsNotAnOverride(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := &scripted{series: []ticketing.Serie{{RemoteID: "1", Name: "A", Events: []ticketing.Event{
		ev("same", 1, "10", 1, rate("0.055")), ev("other", 2, "10", 1, rate("0.021")), ev("mixed", 3, "10", 1, ticketingNullRate())}}}}
	f.connect(ticketing.Billetweb, c)
	f.sync()
	got := f.events()
	if got["1/same"].Override.Valid || got["1/mixed"].Override.Valid {
		t.Errorf("same/mixed rates stored as overrides: %+v", got)
	}
	if o := got["1/other"].Override; !o.Valid || !o.Decimal.Equal(dec("0.021")) {
		t.Errorf("other rate = %+v", o)
	}
}

func TestForcedWindowIsUsedThenReset(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := &scripted{}
	id := f.connect(ticketing.Billetweb, c)
	last, forced := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)
	f.exec(`UPDATE ticketing_systems SET last_synchronized_at = ?, force_next_synchronization_from = ? WHERE id = ?`, last, forced, id)
	f.sync()
	if !c.froms[0].Equal(forced) {
		t.Errorf("from = %v, want the forced %v", c.froms[0], forced)
	}
	if s := f.system(id); s.ForceNextSynchronizationFrom != nil {
		t.Errorf("force_next_synchronization_from not reset")
	}
	// A forced date later than the last synchronization cannot shorten the window.
	f.exec(`UPDATE ticketing_systems SET last_synchronized_at = ?, force_next_synchronization_from = ? WHERE id = ?`, forced, last, id)
	f.sync()
	if !c.froms[1].Equal(forced) {
		t.Errorf("from = %v, want %v", c.froms[1], forced)
	}
}

// blocking is a connector that waits until released.
type blocking struct {
	scripted
	started, release chan struct{}
}

func (b *blocking) FetchSeries(ctx context.Context, from, to time.Time) ([]ticketing.Serie, error) {
	close(b.started)
	<-b.release
	return b.scripted.FetchSeries(ctx, from, to)
}

func TestConcurrentSynchronizationOfTheSameOrganizationIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := &blocking{started: make(chan struct{}), release: make(chan struct{})}
	f.connect(ticketing.Billetweb, b)
	done := make(chan error)
	go func() {
		_, err := f.svc.SynchronizeOrganization(context.Background(), f.org, f.user.ID, nil)
		done <- err
	}()
	select {
	case <-b.started:
	case err := <-done:
		t.Fatalf("first run ended before fetching: %v", err)
	}
	_, err := f.svc.SynchronizeOrganization(context.Background(), f.org, f.user.ID, nil)
	if !errors.Is(err, ErrSynchronizationOngoing) {
		t.Errorf("second run: %v, want %v", err, ErrSynchronizationOngoing)
	}
	// Another organization is not blocked.
	other := newFixture(t)
	other.connect(ticketing.Mapado, &scripted{})
	other.sync()
	close(b.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestOneFailingSystemDoesNotRollBackAnother(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	good := &scripted{series: []ticketing.Serie{{RemoteID: "m1", Name: "M", Events: []ticketing.Event{ev("e1", 1, "10", 1, rate("0.055"))}}}}
	bad := &scripted{err: &ticketing.RemoteError{System: ticketing.Billetweb, Code: ticketing.CodeFirewall, Status: 403, Excerpt: "<html>cdn-cgi/challenge-platform</html>"}}
	badID := f.connect(ticketing.Billetweb, bad)
	goodID := f.connect(ticketing.Mapado, good)

	out := f.sync()

	if len(out) != 2 || out[0].Err == nil || out[1].Err != nil {
		t.Fatalf("outcomes = %+v", out)
	}
	if _, ok := f.events()["m1/e1"]; !ok {
		t.Error("the healthy system was not synchronized")
	}
	s := f.system(badID)
	if s.LastErrorCode == nil || *s.LastErrorCode != "firewall" || *s.LastErrorHTTPStatus != 403 || s.LastErrorAt == nil || s.LastSynchronizedAt != nil {
		t.Errorf("failing system = %+v", s)
	}
	if f.system(goodID).LastSynchronizedAt == nil {
		t.Error("healthy system not marked synchronized")
	}
}

func TestOnlyManualOrDeletedSystemsMeansNoValidSystem(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.exec(`INSERT INTO ticketing_systems (organization_id, name) VALUES (?, 'MANUAL')`, f.org)
	f.exec(`INSERT INTO ticketing_systems (organization_id, name, deleted_at) VALUES (?, 'BILLETWEB', now())`, f.org)
	_, err := f.svc.SynchronizeOrganization(context.Background(), f.org, f.user.ID, nil)
	if !errors.Is(err, ErrNoValidTicketingSystem) {
		t.Errorf("err = %v", err)
	}
}

func TestReconnectingReattachesSeries(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := &scripted{series: []ticketing.Serie{{RemoteID: "101", Name: "A", Events: []ticketing.Event{ev("e1", 1, "10", 1, rate("0.055"))}}}}
	old := f.connect(ticketing.Billetweb, c)
	f.sync()
	f.exec(`UPDATE ticketing_systems SET deleted_at = now(), credentials = NULL WHERE id = ?`, old)
	current := f.connect(ticketing.Billetweb, c)

	c.set([]ticketing.Serie{{RemoteID: "101", Name: "A2", Events: []ticketing.Event{ev("e1", 1, "10", 1, rate("0.055")), ev("e2", 2, "5", 1, rate("0.055"))}}}, nil)
	f.sync()

	got := f.events()
	if len(got) != 2 || got["101/e1"].SystemID != current || got["101/e2"].SerieName != "A2" {
		t.Errorf("after reconnection: %+v", got)
	}
	if n := f.count(`SELECT count(*) FROM event_series WHERE ticketing_system_id IN (?, ?)`, old, current); n != 1 {
		t.Errorf("series = %d, want 1 (no duplicate)", n)
	}
}

func TestOutsideProductionUsersNotListedGetTheMock(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cfg := &config.Config{Mode: config.ModeTest, BilletwebAPIBaseURL: "http://127.0.0.1:1"}
	f.svc.Connectors = NewConnectorFactory(cfg, ticketing.Config{MockDelay: -1})
	f.connect(ticketing.Billetweb, nil)
	out := f.sync()
	if out[0].Err != nil || out[0].Series != 2 {
		t.Fatalf("outcome = %+v", out[0])
	}
	if len(f.events()) != 3 {
		t.Errorf("mock events = %d, want 3", len(f.events()))
	}
	// A listed user gets the real connector (which fails here: nothing listens).
	cfg.DisableTicketingMockForUserIDs = []uuid.UUID{f.user.ID}
	f.svc.Connectors = NewConnectorFactory(cfg, ticketing.Config{MaxRetries: -1})
	if out := f.sync(); ErrorCode(out[0].Err) != string(ticketing.CodeNetwork) {
		t.Errorf("listed user: %v", out[0].Err)
	}
}

func ticketingNullRate() (r decimal.NullDecimal) { return }
