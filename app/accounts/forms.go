package accounts

import (
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/users"
)

// Message keys of the form errors.
const (
	errRequired      = "errors.required"
	errEmail         = "accounts.errors.email"
	errTerms         = "accounts.errors.terms"
	errPasswordRules = "accounts.errors.passwordRules"
	errTooLong       = "accounts.errors.tooLong"
)

// maxNameLength bounds names so a form cannot store megabytes.
const maxNameLength = 100

func checkEmail(errs derrors.Fields, field, email string) {
	switch {
	case email == "":
		errs.Add(field, errRequired)
	case !users.ValidEmail(email):
		errs.Add(field, errEmail)
	}
}

func checkName(errs derrors.Fields, field, name string) {
	switch {
	case name == "":
		errs.Add(field, errRequired)
	case len([]rune(name)) > maxNameLength:
		errs.Add(field, errTooLong)
	}
}

// checkNewPassword records the password error and returns the failing rules,
// which the form lists all at once.
func checkNewPassword(errs derrors.Fields, field, password string) []string {
	if password == "" {
		errs.Add(field, errRequired)
		return PasswordRules
	}
	failed := FailedPasswordRules(password)
	if len(failed) > 0 {
		errs.Add(field, errPasswordRules)
	}
	return failed
}

// SignUpForm is the sign-up form.
type SignUpForm struct {
	FirstName     string
	LastName      string
	Email         string
	Password      string
	TermsAccepted bool
}

// Validate returns the form's errors and the failing password rules.
func (f *SignUpForm) Validate() (derrors.Fields, []string) {
	errs := derrors.Fields{}
	checkName(errs, "firstName", f.FirstName)
	checkName(errs, "lastName", f.LastName)
	checkEmail(errs, "email", f.Email)
	failed := checkNewPassword(errs, "password", f.Password)
	if !f.TermsAccepted {
		errs.Add("termsAccepted", errTerms)
	}
	return errs, failed
}

// ProfileForm is the profile form of the account settings.
type ProfileForm struct {
	FirstName string
	LastName  string
}

// Validate returns the form's errors.
func (f *ProfileForm) Validate() derrors.Fields {
	errs := derrors.Fields{}
	checkName(errs, "firstName", f.FirstName)
	checkName(errs, "lastName", f.LastName)
	return errs
}

// PasswordForm is the change-password form of the account settings.
type PasswordForm struct {
	Current  string
	Password string
}

// Validate returns the form's errors and the failing password rules.
func (f *PasswordForm) Validate() (derrors.Fields, []string) {
	errs := derrors.Fields{}
	if f.Current == "" {
		errs.Add("currentPassword", errRequired)
	}
	return errs, checkNewPassword(errs, "newPassword", f.Password)
}
