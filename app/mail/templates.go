package mail

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"assistant-declaration/app/locale"
)

// Template is the data of one email the platform sends. Each type names its
// files views/emails/<name>.html and .txt and knows its exact subject, so a
// caller picks an email by its Go type and cannot misspell a template name.
// The set is closed on purpose: an email's wording lives next to its data.
type Template interface {
	name() string
	subject() string
	// validate rejects missing data, so a forgotten URL fails the caller's
	// transaction instead of sending an email with a dead button.
	validate() error
}

// Button is an email's call to action, rendered by
// views/emails/partials/button.html (and as "Label : URL" in the text
// version). Each email with one says which through its Button method.
type Button struct {
	URL   string
	Label string
}

// SignUpConfirmation asks a new user to confirm their email address.
type SignUpConfirmation struct {
	FirstName  string
	ConfirmURL string
}

func (SignUpConfirmation) name() string { return "sign-up-confirmation" }
func (d SignUpConfirmation) Button() Button {
	return Button{URL: d.ConfirmURL, Label: "Confirmer mon inscription"}
}
func (SignUpConfirmation) subject() string { return "Inscription en attente de confirmation" }
func (d SignUpConfirmation) validate() error {
	return required("FirstName", d.FirstName, "ConfirmURL", d.ConfirmURL)
}

// AccountExists answers a sign-up with the address of an account that is
// already confirmed: the page said the same as for a new address (decision P2, docs/decisions.md), the
// owner learns here that nothing was created and how to get in.
type AccountExists struct {
	FirstName string
	SignInURL string
	ResetURL  string
}

func (AccountExists) name() string     { return "account-exists" }
func (d AccountExists) Button() Button { return Button{URL: d.SignInURL, Label: "Se connecter"} }
func (AccountExists) subject() string  { return "Vous avez déjà un compte" }
func (d AccountExists) validate() error {
	return required("FirstName", d.FirstName, "SignInURL", d.SignInURL, "ResetURL", d.ResetURL)
}

// NewPasswordRequest carries the link to choose a new password after a
// "forgotten password" request.
type NewPasswordRequest struct {
	FirstName string
	ResetURL  string
}

func (NewPasswordRequest) name() string { return "new-password-request" }
func (d NewPasswordRequest) Button() Button {
	return Button{URL: d.ResetURL, Label: "Réinitialiser mon mot de passe"}
}
func (NewPasswordRequest) subject() string { return "Renouvellement de mot de passe" }
func (d NewPasswordRequest) validate() error {
	return required("FirstName", d.FirstName, "ResetURL", d.ResetURL)
}

// PasswordReset confirms a password reset; SignInURL is the plain sign-in page
// (decision P5 in docs/decisions.md: the used token is not carried along).
type PasswordReset struct {
	FirstName string
	SignInURL string
}

func (PasswordReset) name() string     { return "password-reset" }
func (d PasswordReset) Button() Button { return Button{URL: d.SignInURL, Label: "Se connecter"} }
func (PasswordReset) subject() string  { return "Mot de passe réinitialisé" }
func (d PasswordReset) validate() error {
	return required("FirstName", d.FirstName, "SignInURL", d.SignInURL)
}

// PasswordChanged tells a user their password was changed from their profile.
type PasswordChanged struct {
	FirstName string
}

func (PasswordChanged) name() string      { return "password-changed" }
func (PasswordChanged) subject() string   { return "Mot de passe mis à jour" }
func (d PasswordChanged) validate() error { return required("FirstName", d.FirstName) }

// AccountDisabled tells a user an administrator disabled their access (decision P7, docs/decisions.md).
type AccountDisabled struct {
	FirstName string
}

func (AccountDisabled) name() string      { return "account-disabled" }
func (AccountDisabled) subject() string   { return "Compte désactivé" }
func (d AccountDisabled) validate() error { return required("FirstName", d.FirstName) }

// AccountDeletionWarning tells a user their account, unused for almost the
// retention period, will be deleted on DeletesAt unless they sign in before
// (decision P14, docs/decisions.md); SignInURL is the plain sign-in page.
type AccountDeletionWarning struct {
	FirstName string
	SignInURL string
	DeletesAt time.Time
}

func (AccountDeletionWarning) name() string { return "account-deletion-warning" }
func (d AccountDeletionWarning) Button() Button {
	return Button{URL: d.SignInURL, Label: "Se connecter"}
}
func (AccountDeletionWarning) subject() string { return "Votre compte sera bientôt supprimé" }
func (d AccountDeletionWarning) validate() error {
	if d.DeletesAt.IsZero() {
		return errors.New("mail: account-deletion-warning: DeletesAt is required")
	}
	return required("FirstName", d.FirstName, "SignInURL", d.SignInURL)
}

// DeletesOn is the deletion date in French, in Paris time (see ExpiresOn).
func (d AccountDeletionWarning) DeletesOn() string { return frenchDate(d.DeletesAt) }

// WelcomeOrganizationCollaborator welcomes a user who just joined an
// organization; DashboardURL is that organization's dashboard.
type WelcomeOrganizationCollaborator struct {
	FirstName        string
	OrganizationName string
	DashboardURL     string
}

func (WelcomeOrganizationCollaborator) name() string { return "welcome-organization-collaborator" }
func (d WelcomeOrganizationCollaborator) Button() Button {
	return Button{URL: d.DashboardURL, Label: "Accéder à la plateforme"}
}
func (WelcomeOrganizationCollaborator) subject() string { return "Bienvenue !" }
func (d WelcomeOrganizationCollaborator) validate() error {
	return required("FirstName", d.FirstName, "OrganizationName", d.OrganizationName, "DashboardURL", d.DashboardURL)
}

// OrganizationInvitation invites someone, who may have no account yet, to join
// an organization (decision P6, docs/decisions.md). AcceptURL leads to the sign-up or acceptance page;
// ExpiresAt is when the invitation stops working.
type OrganizationInvitation struct {
	InviterName      string
	OrganizationName string
	AcceptURL        string
	ExpiresAt        time.Time
}

func (OrganizationInvitation) name() string { return "organization-invitation" }
func (d OrganizationInvitation) Button() Button {
	return Button{URL: d.AcceptURL, Label: "Accepter l’invitation"}
}
func (d OrganizationInvitation) subject() string {
	return "Invitation à rejoindre " + d.OrganizationName + " sur Assistant déclaration"
}
func (d OrganizationInvitation) validate() error {
	if d.ExpiresAt.IsZero() {
		return errors.New("mail: organization-invitation: ExpiresAt is required")
	}
	return required("InviterName", d.InviterName, "OrganizationName", d.OrganizationName, "AcceptURL", d.AcceptURL)
}

// ExpiresOn is the expiry date as French readers expect it ("5 décembre 2026"),
// in Paris time. It is a method rather than a template function because the web
// engine also parses views/emails and knows none of this package's functions.
func (d OrganizationInvitation) ExpiresOn() string { return frenchDate(d.ExpiresAt) }

func frenchDate(t time.Time) string {
	t = t.In(locale.Paris)
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return day + " " + locale.MonthName(t.Month()) + " " + fmt.Sprint(t.Year())
}

// required takes (field name, value) pairs and names the first blank one.
func required(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			return fmt.Errorf("mail: %s is required", pairs[i])
		}
	}
	return nil
}

// OrganismDeclaration is the declaration of a show forwarded to an organism's
// regional agency: SACEM gets its PDF and every document of the serie, SACD
// (which received the declaration through its web service) the artistic
// contracts and other documents. Documents counts the files attached to this
// e-mail; Part and Parts number the e-mails when the files did not fit in
// one ("(1/3)"), Parts is 1 otherwise.
type OrganismDeclaration struct {
	Organism         string
	SerieName        string
	DeclarantName    string
	DeclarantEmail   string
	OrganizationName string
	Documents        int
	Part, Parts      int
	AboutURL         string
}

func (d OrganismDeclaration) name() string {
	if d.Organism == "SACD" {
		return "sacd-declaration"
	}
	return "sacem-declaration"
}
func (d OrganismDeclaration) subject() string {
	s := "Nouvelle déclaration " + d.Organism
	if d.Parts > 1 {
		s += fmt.Sprintf(" (%d/%d)", d.Part, d.Parts)
	}
	return s
}
func (d OrganismDeclaration) validate() error {
	if d.Organism != "SACEM" && d.Organism != "SACD" {
		return fmt.Errorf("mail: organism-declaration: unknown organism %q", d.Organism)
	}
	if d.Documents < 1 || d.Part < 1 || d.Parts < d.Part {
		return errors.New("mail: organism-declaration: documents and parts are required")
	}
	return required("SerieName", d.SerieName, "DeclarantName", d.DeclarantName, "DeclarantEmail", d.DeclarantEmail,
		"OrganizationName", d.OrganizationName, "AboutURL", d.AboutURL)
}

// DeclarationReceipt tells the declarant which organisms received the
// declaration of a show (decision D13, docs/decisions.md); the SACEM PDF is
// attached when SACEM is one of them.
type DeclarationReceipt struct {
	FirstName      string
	SerieName      string
	Organisms      []string
	DeclarationURL string
}

func (DeclarationReceipt) name() string { return "declaration-receipt" }
func (d DeclarationReceipt) Button() Button {
	return Button{URL: d.DeclarationURL, Label: "Voir la déclaration"}
}
func (DeclarationReceipt) subject() string { return "Votre déclaration a été transmise" }
func (d DeclarationReceipt) validate() error {
	if len(d.Organisms) == 0 {
		return errors.New("mail: declaration-receipt: Organisms is required")
	}
	return required("FirstName", d.FirstName, "SerieName", d.SerieName, "DeclarationURL", d.DeclarationURL)
}
