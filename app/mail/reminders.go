package mail

import (
	"errors"
	"time"
)

// DeadlineReminder reminds a collaborator that a series of their organization
// ended and is not declared, a few days before the SACEM deadline
// (app/reminders). DeclarationURL is the series' declaration page,
// SettingsURL the account settings where the reminders are switched off.
type DeadlineReminder struct {
	FirstName        string
	OrganizationName string
	SerieName        string
	Deadline         time.Time
	DeclarationURL   string
	SettingsURL      string
}

func (DeadlineReminder) name() string { return "deadline-reminder" }
func (d DeadlineReminder) Button() Button {
	return Button{URL: d.DeclarationURL, Label: "Déclarer le spectacle"}
}
func (d DeadlineReminder) subject() string {
	return "Rappel : « " + d.SerieName + " » à déclarer avant le " + d.DeadlineOn()
}
func (d DeadlineReminder) validate() error {
	if d.Deadline.IsZero() {
		return errors.New("mail: deadline-reminder: Deadline is required")
	}
	return required("FirstName", d.FirstName, "OrganizationName", d.OrganizationName, "SerieName", d.SerieName,
		"DeclarationURL", d.DeclarationURL, "SettingsURL", d.SettingsURL)
}

// DeadlineOn is the deadline in French ("31 janvier 2027"), in Paris time.
func (d DeadlineReminder) DeadlineOn() string { return frenchDate(d.Deadline) }
