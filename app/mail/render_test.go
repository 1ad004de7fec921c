package mail_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"assistant-declaration/app/mail"
)

func TestRender(t *testing.T) {
	t.Parallel()
	expires := time.Date(2026, 12, 5, 23, 30, 0, 0, time.UTC) // already 6 December in Paris
	tests := []struct {
		name     string
		data     mail.Template
		subject  string
		link     string // must appear as a button href and in the text
		button   string
		greeting string
		contains []string // further points the email must make, in both versions
	}{
		{
			name:     "sign-up confirmation",
			data:     mail.SignUpConfirmation{FirstName: "Camille", ConfirmURL: "https://ad.test/auth/sign-in?token=abc"},
			subject:  "Inscription en attente de confirmation",
			link:     "https://ad.test/auth/sign-in?token=abc",
			button:   "Confirmer mon inscription",
			greeting: "Bonjour Camille,",
			contains: []string{"ne vous les demandera jamais", "support"},
		},
		{
			name: "sign-up with the address of an existing account",
			data: mail.AccountExists{FirstName: "Camille", SignInURL: "https://ad.test/auth/sign-in",
				ResetURL: "https://ad.test/auth/password/retrieve"},
			subject:  "Vous avez déjà un compte",
			link:     "https://ad.test/auth/sign-in",
			button:   "Se connecter",
			greeting: "Bonjour Camille,",
			contains: []string{"aucun nouveau compte", "https://ad.test/auth/password/retrieve"},
		},
		{
			name:     "new password request",
			data:     mail.NewPasswordRequest{FirstName: "Camille", ResetURL: "https://ad.test/auth/password/reset?token=xyz"},
			subject:  "Renouvellement de mot de passe",
			link:     "https://ad.test/auth/password/reset?token=xyz",
			button:   "Réinitialiser mon mot de passe",
			greeting: "Bonjour Camille,",
			contains: []string{"pas à l’origine de cette demande"},
		},
		{
			name:     "password reset links to the plain sign-in page",
			data:     mail.PasswordReset{FirstName: "Camille", SignInURL: "https://ad.test/auth/sign-in"},
			subject:  "Mot de passe réinitialisé",
			link:     "https://ad.test/auth/sign-in",
			button:   "Se connecter",
			greeting: "Bonjour Camille,",
			contains: []string{"nouveaux identifiants"},
		},
		{
			name:     "password changed",
			data:     mail.PasswordChanged{FirstName: "Camille"},
			subject:  "Mot de passe mis à jour",
			greeting: "Bonjour Camille,",
			contains: []string{"effectif immédiatement"},
		},
		{
			name:     "account disabled",
			data:     mail.AccountDisabled{FirstName: "Camille"},
			subject:  "Compte désactivé",
			greeting: "Bonjour Camille,",
			contains: []string{"Un administrateur a désactivé votre accès"},
		},
		{
			name: "welcome to an organization",
			data: mail.WelcomeOrganizationCollaborator{FirstName: "Camille", OrganizationName: "Théâtre du Rond",
				DashboardURL: "https://ad.test/dashboard/organization/42"},
			subject:  "Bienvenue !",
			link:     "https://ad.test/dashboard/organization/42",
			button:   "Accéder à la plateforme",
			greeting: "Bonjour Camille,",
			contains: []string{"Théâtre du Rond"},
		},
		{
			name: "invitation to an organization",
			data: mail.OrganizationInvitation{InviterName: "Dominique Martin", OrganizationName: "Théâtre du Rond",
				AcceptURL: "https://ad.test/invitations/tok", ExpiresAt: expires},
			subject:  "Invitation à rejoindre Théâtre du Rond sur Assistant déclaration",
			link:     "https://ad.test/invitations/tok",
			button:   "Accepter l’invitation",
			greeting: "Bonjour,",
			contains: []string{"Dominique Martin", "Théâtre du Rond", "jusqu’au 6 décembre 2026"},
		},
		{
			name: "account deletion warning",
			data: mail.AccountDeletionWarning{FirstName: "Camille", SignInURL: "https://ad.test/auth/sign-in",
				DeletesAt: time.Date(2026, 11, 30, 23, 15, 0, 0, time.UTC)}, // 1 December in Paris
			subject:  "Votre compte sera bientôt supprimé",
			link:     "https://ad.test/auth/sign-in",
			button:   "Se connecter",
			greeting: "Bonjour Camille,",
			contains: []string{"supprimés à partir du", "1er décembre 2026", "il suffit de vous connecter avant cette date"},
		},
	}
	year := fmt.Sprint(time.Now().Year())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subject, text, html, err := mail.Render(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if subject != tt.subject {
				t.Errorf("subject = %q, want %q", subject, tt.subject)
			}
			htmlText := strings.ReplaceAll(strings.ReplaceAll(html, "&#39;", "'"), "&nbsp;", " ")
			for _, want := range append([]string{tt.greeting, "Assistant déclaration",
				"Pour les entrepreneurs du spectacle vivant", year + " © Assistant déclaration"}, tt.contains...) {
				if !strings.Contains(text, want) {
					t.Errorf("text lacks %q:\n%s", want, text)
				}
				if !strings.Contains(htmlText, want) {
					t.Errorf("html lacks %q:\n%s", want, html)
				}
			}
			for _, want := range []string{`<html lang="fr">`, "Marianne,Arial", "background-color:#f6f6f6", "<title>"} {
				if !strings.Contains(html, want) {
					t.Errorf("html lacks %q", want)
				}
			}
			if tt.link == "" {
				if strings.Contains(html, "#000091;\"><a") || strings.Contains(html, "<a ") {
					t.Errorf("html has a link although the email has no button:\n%s", html)
				}
				return
			}
			if !strings.Contains(text, tt.button+" : "+tt.link) {
				t.Errorf("text lacks %q with its link:\n%s", tt.button, text)
			}
			href := `href="` + strings.ReplaceAll(tt.link, "&", "&amp;") + `"`
			if !strings.Contains(html, href) || !strings.Contains(htmlText, ">"+tt.button+"</a>") {
				t.Errorf("html lacks the button %q with %s:\n%s", tt.button, href, html)
			}
			if !strings.Contains(html, "background-color:#000091") {
				t.Error("the button is not DSFR blue")
			}
		})
	}
}

func TestRenderEscapesUserInput(t *testing.T) {
	t.Parallel()
	evil := `<script>alert("x")</script>`
	tests := []struct {
		name string
		data mail.Template
	}{
		{"first name", mail.SignUpConfirmation{FirstName: evil, ConfirmURL: "https://ad.test/c"}},
		{"organization name", mail.WelcomeOrganizationCollaborator{FirstName: "A", OrganizationName: evil,
			DashboardURL: "https://ad.test/d"}},
		{"inviter name", mail.OrganizationInvitation{InviterName: evil, OrganizationName: "O",
			AcceptURL: "https://ad.test/i", ExpiresAt: time.Now()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, text, html, err := mail.Render(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(html, "<script") {
				t.Errorf("html holds unescaped user input:\n%s", html)
			}
			if !strings.Contains(html, "&lt;script&gt;") {
				t.Errorf("html lost the escaped user input:\n%s", html)
			}
			if !strings.Contains(text, evil) {
				t.Errorf("plain text should keep the input verbatim:\n%s", text)
			}
		})
	}
}

func TestRenderRejectsUnsafeURLsAndHeaderBreaks(t *testing.T) {
	t.Parallel()
	_, _, html, err := mail.Render(mail.PasswordReset{FirstName: "A", SignInURL: "javascript:alert(1)"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html, `href="javascript:`) {
		t.Errorf("a javascript: URL reached an href:\n%s", html)
	}
	subject, _, _, err := mail.Render(mail.OrganizationInvitation{InviterName: "A", OrganizationName: "Evil\r\nBcc: x@y.fr",
		AcceptURL: "https://ad.test/i", ExpiresAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(subject, "\r\n") {
		t.Errorf("subject keeps a line break: %q", subject)
	}
}

func TestRenderRequiresData(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data mail.Template
	}{
		{"confirmation without URL", mail.SignUpConfirmation{FirstName: "A"}},
		{"confirmation without first name", mail.SignUpConfirmation{ConfirmURL: "https://ad.test/c"}},
		{"account exists without reset URL", mail.AccountExists{FirstName: "A", SignInURL: "https://ad.test/s"}},
		{"reset request without URL", mail.NewPasswordRequest{FirstName: "A", ResetURL: "  "}},
		{"reset without sign-in URL", mail.PasswordReset{FirstName: "A"}},
		{"changed without first name", mail.PasswordChanged{}},
		{"disabled without first name", mail.AccountDisabled{}},
		{"welcome without dashboard", mail.WelcomeOrganizationCollaborator{FirstName: "A", OrganizationName: "O"}},
		{"invitation without expiry", mail.OrganizationInvitation{InviterName: "A", OrganizationName: "O",
			AcceptURL: "https://ad.test/i"}},
		{"invitation without inviter", mail.OrganizationInvitation{OrganizationName: "O",
			AcceptURL: "https://ad.test/i", ExpiresAt: time.Now()}},
		{"deletion warning without date", mail.AccountDeletionWarning{FirstName: "A", SignInURL: "https://ad.test/s"}},
		{"deletion warning without sign-in URL", mail.AccountDeletionWarning{FirstName: "A", DeletesAt: time.Now()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, _, err := mail.Render(tt.data); err == nil {
				t.Error("rendered an email with missing data")
			}
		})
	}
}

func TestComposeSetsRecipientAndTemplate(t *testing.T) {
	t.Parallel()
	msg, err := mail.Compose("camille@example.fr", mail.PasswordChanged{FirstName: "Camille"})
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.To) != 1 || msg.To[0] != "camille@example.fr" || msg.Template != "password-changed" ||
		msg.Subject != "Mot de passe mis à jour" || msg.Text == "" || msg.HTML == "" {
		t.Errorf("unexpected message: %+v", msg)
	}
}
