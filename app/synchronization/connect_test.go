package synchronization

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/ticketing"
	"assistant-declaration/app/ticketing/ticketingtest"
	"assistant-declaration/config"
)

// The limit counts the systems the list page shows: MANUAL is not one of them.
func TestManualSystemDoesNotCountTowardTheLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.exec(`INSERT INTO ticketing_systems (organization_id, name) VALUES (?, 'MANUAL')`, f.org)
	for range MaxSystemsPerOrganization - 1 {
		f.connect(ticketing.Billetweb, &scripted{})
	}
	f.mu.Lock()
	f.connectors[ticketing.Shotgun] = &scripted{}
	f.mu.Unlock()
	connect := func(organizerID int) (string, error) {
		_, errs, err := f.svc.Connect(context.Background(), ConnectInput{OrganizationID: f.org, System: ticketing.Shotgun,
			Credentials: ticketing.Credentials{AccessKey: fmt.Sprint(organizerID), SecretKey: "token"}, Actor: f.user})
		return errs[FieldForm], err
	}
	if msg, err := connect(1); msg != "" || err != nil {
		t.Fatalf("tenth system refused: %q %v", msg, err)
	}
	if msg, err := connect(2); msg != "synchronization.errors.tooManyOrganizationTicketingSystems" || err != nil {
		t.Errorf("eleventh system: %q %v", msg, err)
	}
}

// A customer domain is one account whatever its capitals: typed again with others, it is refused
// as a duplicate instead of duplicating every series.
func TestSameDomainWithOtherCapitalsIsADuplicate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, system := range []ticketing.System{ticketing.Supersoniks, ticketing.SoTicket} {
		f.mu.Lock()
		f.connectors[system] = &scripted{}
		f.mu.Unlock()
		connect := func(domain string) (string, error) {
			_, errs, err := f.svc.Connect(context.Background(), ConnectInput{OrganizationID: f.org, System: system,
				Credentials: ticketing.Credentials{AccessKey: domain, SecretKey: "token"}, Actor: f.user})
			return errs[ticketing.FieldAccessKey], err
		}
		if msg, err := connect("Billetterie.MaSalle.com"); msg != "" || err != nil {
			t.Fatalf("%s: first connection refused: %q %v", system, msg, err)
		}
		if msg, err := connect("billetterie.masalle.COM"); msg != "synchronization.errors.alreadyExistingTicketingSystem" || err != nil {
			t.Errorf("%s: same domain in other capitals: %q %v", system, msg, err)
		}
	}
}

// A SoTicket connection stored before domains were lower-cased keeps the series ids its capitals
// gave (ticketing.System.KeepStoredDomain): neither its next synchronization nor its credentials
// typed again in lower case duplicate its series.
func TestDomainStoredWithCapitalsKeepsItsSeries(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	fake := ticketingtest.NewSupersoniks(t)
	cfg := &config.Config{Mode: config.ModeTest, DisableTicketingMockForUserIDs: []uuid.UUID{f.user.ID}}
	f.svc.Connectors = NewConnectorFactory(cfg, ticketing.Config{HTTPClient: fake.Client(), MaxRetries: -1,
		Now: func() time.Time { return time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC) }})
	id := uuid.New()
	sealed, err := f.svc.Sealer.Seal(id, ticketing.Credentials{AccessKey: "Billetterie.MaSalle.com", SecretKey: ticketingtest.SupersoniksToken})
	if err != nil {
		t.Fatal(err)
	}
	f.exec(`INSERT INTO ticketing_systems (id, organization_id, name, credentials) VALUES (?, ?, 'SOTICKET', ?)`, id, f.org, sealed)
	ids := func() []string {
		t.Helper()
		var out []string
		if err := f.db.NewRaw(`SELECT internal_ticketing_system_id FROM event_series WHERE ticketing_system_id = ? ORDER BY 1`, id).
			Scan(context.Background(), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := "[billetterie-ma-salle-com_77 billetterie-ma-salle-com_session_502]" // as before domains were lower-cased

	f.sync()
	if got := fmt.Sprint(ids()); got != want {
		t.Fatalf("series %s, want %s", got, want)
	}
	_, errs, err := f.svc.UpdateCredentials(context.Background(), ConnectInput{OrganizationID: f.org, SystemID: id, System: ticketing.SoTicket,
		Credentials: ticketing.Credentials{AccessKey: "billetterie.masalle.com", SecretKey: ticketingtest.SupersoniksToken}, Actor: f.user})
	if err != nil || errs.Any() {
		t.Fatalf("update: %v %v", errs, err)
	}
	if creds, err := f.svc.Sealer.Open(id, f.system(id).Credentials); err != nil || creds.AccessKey != "Billetterie.MaSalle.com" {
		t.Errorf("stored domain %q (%v), want its first spelling", creds.AccessKey, err)
	}
	f.sync()
	if got := fmt.Sprint(ids()); got != want {
		t.Errorf("series after the update and a synchronization %s, want still %s", got, want)
	}
}
