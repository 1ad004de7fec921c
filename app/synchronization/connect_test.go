package synchronization

import (
	"context"
	"fmt"
	"testing"

	"assistant-declaration/app/ticketing"
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
