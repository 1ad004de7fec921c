package mail_test

import (
	"strings"
	"testing"
	"time"

	"assistant-declaration/app/mail"
)

func TestDeadlineReminder(t *testing.T) {
	t.Parallel()
	full := mail.DeadlineReminder{FirstName: "Camille", OrganizationName: "Compagnie <b>", SerieName: `Tournée "<script>"`,
		Deadline:       time.Date(2025, 2, 28, 23, 30, 0, 0, time.UTC), // already 1 March in Paris
		DeclarationURL: "https://ad.test/d", SettingsURL: "https://ad.test/s"}
	subject, text, html, err := mail.Render(full)
	if err != nil {
		t.Fatal(err)
	}
	if subject != `Rappel : « Tournée "<script>" » à déclarer avant le 1er mars 2025` {
		t.Errorf("subject = %q", subject)
	}
	if strings.Contains(html, "<script") || strings.Contains(html, "<b>") || !strings.Contains(html, `href="https://ad.test/d"`) ||
		!strings.Contains(html, `href="https://ad.test/s"`) {
		t.Errorf("html:\n%s", html)
	}
	if !strings.Contains(text, "Déclarer le spectacle : https://ad.test/d") || !strings.Contains(text, "https://ad.test/s") {
		t.Errorf("text:\n%s", text)
	}
	for name, d := range map[string]mail.DeadlineReminder{
		"without deadline":        {FirstName: "A", OrganizationName: "O", SerieName: "S", DeclarationURL: "u", SettingsURL: "s"},
		"without declaration URL": {FirstName: "A", OrganizationName: "O", SerieName: "S", Deadline: time.Now(), SettingsURL: "s"},
		"without settings URL":    {FirstName: "A", OrganizationName: "O", SerieName: "S", Deadline: time.Now(), DeclarationURL: "u"},
	} {
		if _, _, _, err := mail.Render(d); err == nil {
			t.Errorf("%s: rendered", name)
		}
	}
}
