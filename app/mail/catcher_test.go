package mail_test

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/mail/mailtest"
)

// rawMessages are written by hand, as other mailers than go-mail would send
// them, to check the catcher's MIME decoding.
var rawMessages = []struct {
	name      string
	to        string
	raw       string
	subject   string
	text      string
	html      string
	links     []string
	filenames []string
}{
	{
		name: "plain text, 8 bits",
		to:   "plain@example.fr",
		raw: "From: a@example.fr\r\nTo: plain@example.fr\r\nSubject: Bonjour\r\n\r\n" +
			"Voir https://ad.test/a. Et https://ad.test/a puis (https://ad.test/b).\r\n",
		subject: "Bonjour",
		text:    "Voir https://ad.test/a. Et https://ad.test/a puis (https://ad.test/b).\n",
		links:   []string{"https://ad.test/a", "https://ad.test/b"},
	},
	{
		name: "encoded subject, quoted-printable alternative, base64 attachment",
		to:   "qp@example.fr",
		raw: "From: =?UTF-8?q?Assistant_d=C3=A9claration?= <noreply@example.fr>\r\nTo: qp@example.fr\r\n" +
			"Subject: =?UTF-8?q?Mot_de_passe_r=C3=A9initialis=C3=A9?=\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: multipart/mixed; boundary=outer\r\n\r\n" +
			"--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n" +
			"--inner\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
			"R=C3=A9initialis=C3=A9 : https://ad.test/sign-in\r\n" +
			"--inner\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			"PGEgaHJlZj0iaHR0cHM6Ly9hZC50ZXN0L3NpZ24taW4/YT0xJmFtcDtiPTIiPlNlIGNvbm5lY3Rl\r\nciA8L2E+\r\n" +
			"--inner--\r\n" +
			"--outer\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"d.pdf\"\r\n" +
			"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--outer--\r\n",
		subject:   "Mot de passe réinitialisé",
		text:      "Réinitialisé : https://ad.test/sign-in",
		html:      `<a href="https://ad.test/sign-in?a=1&amp;b=2">Se connecter </a>`,
		links:     []string{"https://ad.test/sign-in?a=1&b=2", "https://ad.test/sign-in"},
		filenames: []string{"d.pdf"},
	},
}

func TestCatcherDecodesMIME(t *testing.T) {
	c := mailtest.Start(t)
	for _, tt := range rawMessages {
		t.Run(tt.name, func(t *testing.T) {
			if err := smtp.SendMail(c.Addr(), nil, "a@example.fr", []string{tt.to}, []byte(tt.raw)); err != nil {
				t.Fatal(err)
			}
			m := mailtest.WaitFor(t, c, mailtest.To(tt.to), 2*time.Second)
			if m.Subject != tt.subject || m.Text != tt.text || m.HTML != tt.html {
				t.Errorf("got subject %q, text %q, html %q", m.Subject, m.Text, m.HTML)
			}
			if strings.Join(m.Links, " ") != strings.Join(tt.links, " ") {
				t.Errorf("links = %q, want %q", m.Links, tt.links)
			}
			var names []string
			for _, a := range m.Attachments {
				names = append(names, a.Filename)
			}
			if strings.Join(names, ",") != strings.Join(tt.filenames, ",") {
				t.Errorf("attachments = %q, want %q", names, tt.filenames)
			}
			if time.Since(m.ReceivedAt) > time.Minute {
				t.Errorf("received_at = %v", m.ReceivedAt)
			}
		})
	}
}

func TestCatcherHandleJSON(t *testing.T) {
	c := mailtest.Start(t)
	app := fiber.New()
	app.Get("/dev/mails.json", c.HandleJSON)

	get := func() []map[string]any {
		t.Helper()
		resp, err := app.Test(httptest.NewRequest("GET", "/dev/mails.json", nil))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		var out []map[string]any
		if err := json.Unmarshal(body, &out); err != nil || out == nil {
			t.Fatalf("body %s is not a JSON array: %v", body, err)
		}
		return out
	}
	if got := get(); len(got) != 0 {
		t.Fatalf("empty catcher answered %v", got)
	}
	for _, to := range []string{"first@example.fr", "second@example.fr"} {
		msg := "To: " + to + "\r\nSubject: S\r\n\r\nhttps://ad.test/x\r\n"
		if err := smtp.SendMail(c.Addr(), nil, "a@example.fr", []string{to}, []byte(msg)); err != nil {
			t.Fatal(err)
		}
	}
	got := get()
	if len(got) != 2 {
		t.Fatalf("got %d messages, want 2", len(got))
	}
	for _, key := range []string{"to", "subject", "text", "html", "links", "received_at"} {
		if _, ok := got[0][key]; !ok {
			t.Errorf("key %q missing from %v", key, got[0])
		}
	}
	if to := got[0]["to"].([]any); len(to) != 1 || to[0] != "second@example.fr" {
		t.Errorf("first message is to %v, want the newest (second@example.fr)", to)
	}
}
