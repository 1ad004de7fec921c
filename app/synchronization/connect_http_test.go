package synchronization

import (
	"strings"
	"testing"

	"assistant-declaration/app/locale"
	"assistant-declaration/app/ticketing"
)

// The connect form translates labels and hints; the locales test cannot see these keys.
func TestCredentialFieldsAreTranslated(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		l := locale.For(lang)
		for _, s := range ticketing.Systems() {
			for _, f := range s.CredentialFields() {
				for _, key := range []string{credentialLabelKey(f.Name), credentialHintKey(s, f.Name)} {
					if l.T(key) == key { // a missing message renders as its id
						t.Errorf("%s %s: %q missing from %s.toml", s, f.Name, key, lang)
					}
				}
			}
		}
	}
}

// Every status of a run or system has its sentences and its word.
func TestRunStatusesAreTranslated(t *testing.T) {
	l := locale.For("fr")
	for _, s := range []RunStatus{RunPending, RunRunning, RunSucceeded, RunFailed} {
		for _, key := range []string{s.LabelKey(), s.MessageKey()} {
			if l.T(key) == key {
				t.Errorf("%s: %q missing", s, key)
			}
		}
		if s != RunSucceeded && l.T(s.SystemMessageKey()) == s.SystemMessageKey() {
			t.Errorf("%s: %q missing", s, s.SystemMessageKey())
		}
	}
}

// A system that cannot be reached asks to check its domain only when the user typed one.
func TestNetworkErrorFitsTheSystem(t *testing.T) {
	l := locale.For("fr")
	for _, s := range ticketing.Systems() {
		msg := l.T(SystemErrorKey(s, string(ticketing.CodeNetwork)))
		typedDomain := s == ticketing.SoTicket || s == ticketing.Supersoniks
		if strings.Contains(msg, "nom de domaine") != typedDomain || !strings.HasPrefix(msg, "Impossible de joindre") {
			t.Errorf("%s: %q", s, msg)
		}
	}
}

// Every empty credential is flagged at once, with the one "required" message.
func TestConnectFlagsEveryEmptyField(t *testing.T) {
	errs := validate(&ConnectInput{System: ticketing.Billetweb})
	if len(errs) != 2 || errs[ticketing.FieldAccessKey] != "errors.required" || errs[ticketing.FieldSecretKey] != "errors.required" {
		t.Errorf("errors = %v, want both fields required", errs)
	}
	if got := locale.For("fr").T("errors.required"); got != "Ce champ est obligatoire." {
		t.Errorf("required message %q", got)
	}
}
