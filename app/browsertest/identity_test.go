package browsertest

import (
	"context"
	"math/rand/v2"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"assistant-declaration/app/accounts"
	"assistant-declaration/app/apptest"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/mail/mailtest"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/users"
	"assistant-declaration/config"
)

// Paths of pages reached by a redirect, as patterns.
const (
	uuidRE  = "[0-9a-f-]{36}"
	orgPage = "/dashboard/organization/" + uuidRE
)

// password satisfies every password rule (decision P1, docs/decisions.md).
const password = "Un-Mot-De-Passe-42"

// journey is one browser driving the application, with what the steps share.
type journey struct {
	t    *testing.T
	ctx  context.Context
	h    *apptest.Harness
	base string
}

// open navigates to path, waits for the page's heading and checks the page
// with axe-core.
func (j *journey) open(path string) {
	j.t.Helper()
	Do(j.t, j.ctx, "open "+path, chromedp.Navigate(j.base+path), chromedp.WaitVisible(chromedp.CSS("main h1")))
	CheckPage(j.t, j.ctx)
}

// loaded waits until the browser has navigated to a page whose path matches
// pattern and whose element sel is visible, then checks the page with
// axe-core. Submitting a form or following an htmx redirect leaves the old
// page in place for a moment, so the location is what tells pages apart.
func (j *journey) loaded(pattern, sel string) {
	path := regexp.MustCompile("^" + pattern + "$")
	j.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		// Evaluating during a navigation may fail: try again.
		loc, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`document.readyState === 'complete' ? location.pathname : ''`))
		if err == nil && path.MatchString(loc) {
			break
		}
		if time.Now().After(deadline) {
			j.t.Fatalf("still on %q (%v), want %s", loc, err, pattern)
		}
		time.Sleep(20 * time.Millisecond)
	}
	Do(j.t, j.ctx, "wait for "+sel+" on "+pattern, chromedp.WaitVisible(chromedp.CSS(sel)))
	CheckPage(j.t, j.ctx)
}

// link returns the path of the first link of the newest email to addr whose
// path contains part, as the user would click it.
func (j *journey) link(addr, part string) string {
	j.t.Helper()
	var found string
	mailtest.WaitFor(j.t, j.h.Catcher, func(m mail.CaughtMail) bool {
		if !mailtest.To(addr)(m) {
			return false
		}
		for _, l := range m.Links {
			if strings.HasPrefix(l, j.base) && strings.Contains(l, part) {
				found = strings.TrimPrefix(l, j.base)
				return true
			}
		}
		return false
	}, 10*time.Second)
	return found
}

// word returns n random lowercase letters: a name part no other row has,
// which the admin search treats as one word.
func word(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + rand.IntN(26))
	}
	return string(b)
}

// signUp fills the sign-up form already open (the email may be pre-filled),
// confirms the account from the email and signs in.
func (j *journey) signUp(first, last, email string) {
	j.t.Helper()
	Do(j.t, j.ctx, "fill in the sign-up form",
		chromedp.SendKeys(chromedp.ID("sign-up-first-name"), first),
		chromedp.SendKeys(chromedp.ID("sign-up-last-name"), last),
		chromedp.SetValue(chromedp.ID("sign-up-email"), email),
		chromedp.SendKeys(chromedp.ID("sign-up-password"), password),
		chromedp.Click(chromedp.ID("sign-up-terms")),
		chromedp.Click(chromedp.CSS("#sign-up-form button[type=submit]")))
	j.loaded("/auth/sign-up/sent", "#sign-up-sent")
	if got := Text(j.t, j.ctx, "#sign-up-sent"); !strings.Contains(got, email) {
		Errorf(j.t, j.ctx, "sent page does not name %s: %q", email, got)
	}

	j.open(j.link(email, "/auth/sign-in?token="))
	if got := Text(j.t, j.ctx, "#form-alert"); !strings.Contains(got, "inscription est finalisée") {
		Errorf(j.t, j.ctx, "confirmation alert %q", got)
	}
	j.signIn(email, password)
}

// signIn fills the sign-in form already open and submits it.
func (j *journey) signIn(email, pw string) {
	j.t.Helper()
	Do(j.t, j.ctx, "sign in as "+email,
		chromedp.SetValue(chromedp.ID("sign-in-email"), email),
		chromedp.SendKeys(chromedp.ID("sign-in-password"), pw),
		chromedp.Click(chromedp.CSS("#sign-in-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/auth/sign-out"]`)))
}

// signInAsAdmin creates an admin and signs them in from the sign-in page.
func (j *journey) signInAsAdmin() {
	j.t.Helper()
	admin := apptest.UniqueEmail("admin")
	adminPassword, err := accounts.NewService(j.h.DB, j.base).EnsureAdmin(context.Background(), admin, "Alice", "Admin")
	if err != nil {
		j.t.Fatal(err)
	}
	j.open("/auth/sign-in")
	j.signIn(admin, adminPassword)
}

// signOut uses the header's button.
func (j *journey) signOut() {
	j.t.Helper()
	Do(j.t, j.ctx, "sign out",
		chromedp.Click(chromedp.CSS(`form[action="/auth/sign-out"] button`)),
		chromedp.WaitVisible(chromedp.ID("sign-in-form")))
}

// The identity journey of the issue, as new users and a support agent would
// live it: sign up, confirm by email, sign in, create an organization from
// its SIRET, invite a colleague who signs up through the link and accepts
// the invitation on their dashboard;
// then an admin finds the organization, acts as its first user, is refused a
// password change, stops, and finds both events in the audit log. Every page
// passes axe-core.
func TestIdentityJourney(t *testing.T) {
	companies, addresses := orgtest.NewCompanyAPI(t), orgtest.NewAddressAPI(t)
	h, base := apptest.NewServer(t, func(cfg *config.Config) {
		cfg.CompanyAPIBaseURL, cfg.AddressAPIBaseURL = companies.URL, addresses.URL
	})
	j := &journey{t: t, ctx: NewBrowser(t), h: h, base: base}

	// A new entrepreneur signs up from the header's link.
	founder := apptest.UniqueEmail("founder")
	j.open("/")
	Do(t, j.ctx, "follow the sign-up link",
		chromedp.Click(chromedp.CSS(`.fr-header__tools a[href="/auth/sign-up"]`)),
		chromedp.WaitVisible(chromedp.ID("sign-up-form")))
	CheckPage(t, j.ctx)
	j.signUp("Jeanne", "Moreau", founder)
	j.loaded("/dashboard", "#welcome")

	// They find their company by SIRET with the active search and create it.
	siret := orgtest.RandomSIRET()
	token := word(10)
	name := "Théâtre Zéphyr " + token
	Do(t, j.ctx, "start creating an organization",
		chromedp.Click(chromedp.CSS(`#welcome a[href="/dashboard/organization/create"]`)),
		chromedp.WaitVisible(chromedp.ID("company-query")))
	CheckPage(t, j.ctx)
	Do(t, j.ctx, "search the company",
		chromedp.SendKeys(chromedp.ID("company-query"), siret),
		chromedp.WaitVisible(chromedp.CSS("#company-results a")))
	if got := Text(t, j.ctx, "#company-results"); !strings.Contains(got, "COMPAGNIE "+siret) {
		Errorf(t, j.ctx, "company results %q", got)
	}
	CheckPage(t, j.ctx)
	Do(t, j.ctx, "choose the company",
		chromedp.Click(chromedp.CSS("#company-results a")),
		chromedp.WaitVisible(chromedp.ID("create-name")))
	CheckPage(t, j.ctx)
	if street, _ := chromedp.Run(j.ctx, chromedp.Value(chromedp.ID("create-street"))); street != "4 Rue Jean Moulin" {
		Errorf(t, j.ctx, "headquarters address not pre-filled: %q", street)
	}
	Do(t, j.ctx, "name and create the organization",
		chromedp.SetValue(chromedp.ID("create-name"), name),
		chromedp.Click(chromedp.CSS("#organization-create-form > button[type=submit]")))
	j.loaded(orgPage, "main h1")
	if got := Text(t, j.ctx, "main h1"); got != name {
		Errorf(t, j.ctx, "organization page heading %q", got)
	}

	// They invite a colleague from the settings page.
	colleague := apptest.UniqueEmail("colleague")
	Do(t, j.ctx, "open the settings", chromedp.Click(chromedp.CSS(`main a[href$="/settings"]`)),
		chromedp.WaitVisible(chromedp.ID("invite-email")))
	CheckPage(t, j.ctx)
	Do(t, j.ctx, "invite a colleague",
		chromedp.SendKeys(chromedp.ID("invite-email"), colleague),
		chromedp.Click(chromedp.CSS("#invite-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("invitations")))
	CheckPage(t, j.ctx)
	if got := Text(t, j.ctx, "#invitations"); !strings.Contains(got, colleague) {
		Errorf(t, j.ctx, "pending invitations %q", got)
	}
	j.signOut()

	// The colleague follows the emailed link, signs up with the pre-filled
	// address, confirms, signs in, finds the invitation on their dashboard
	// and accepts it (decision P16), which opens the organization.
	j.open(j.link(colleague, "/invitations/"))
	Do(t, j.ctx, "sign up from the invitation",
		chromedp.Click(chromedp.CSS(`main a[href^="/auth/sign-up?"]`)),
		chromedp.WaitVisible(chromedp.ID("sign-up-form")))
	CheckPage(t, j.ctx)
	if v, _ := chromedp.Run(j.ctx, chromedp.Value(chromedp.ID("sign-up-email"))); v != colleague {
		Errorf(t, j.ctx, "invited email not pre-filled: %q", v)
	}
	j.signUp("Dominique", "Petit", colleague)
	j.loaded("/dashboard", ".app-invitation-notice")
	if got := Text(t, j.ctx, ".app-invitation-notice"); !strings.Contains(got, name) {
		Errorf(t, j.ctx, "invitation notice %q", got)
	}
	Do(t, j.ctx, "accept the invitation",
		chromedp.Click(chromedp.CSS(`.app-invitation-notice form[action$="/accept"] button`)))
	j.loaded(orgPage, "main h1")
	if got := Text(t, j.ctx, "main h1"); got != name {
		Errorf(t, j.ctx, "the colleague landed on %q, not their organization", got)
	}
	j.signOut()

	// A support agent finds the organization by part of its name.
	admin := apptest.UniqueEmail("admin")
	adminPassword, err := accounts.NewService(h.DB, base).EnsureAdmin(context.Background(), admin, "Alice", "Admin")
	if err != nil {
		t.Fatal(err)
	}
	orgtest.CreateOrganization(t, h.DB, &users.User{ID: h.CreateUser(apptest.UniqueEmail("other"), false)}, "Compagnie voisine")
	j.signIn(admin, adminPassword)
	j.open("/admin")
	const rows = `document.querySelectorAll('#organizations-table tbody tr').length`
	Do(t, j.ctx, "search the organization",
		chromedp.Poll[chromedp.Void](rows+` >= 2`),
		chromedp.SendKeys(chromedp.ID("filter-q"), token[2:8]),
		chromedp.Poll[chromedp.Void](rows+` === 1`))
	CheckPage(t, j.ctx)
	if got := Text(t, j.ctx, "#organizations-table tbody"); !strings.Contains(got, name) {
		Errorf(t, j.ctx, "search results %q", got)
	}
	Do(t, j.ctx, "open the organization",
		chromedp.Click(chromedp.CSS(`#organizations-table a[href^="/admin/organizations/"]`)),
		chromedp.WaitVisible(chromedp.ID("collaborators-table")))
	CheckPage(t, j.ctx)
	if got := Text(t, j.ctx, "#collaborators-table tbody"); !strings.Contains(got, founder) || !strings.Contains(got, colleague) {
		Errorf(t, j.ctx, "collaborators %q", got)
	}

	// They act as its first user, with a reason.
	Do(t, j.ctx, "open the first user",
		chromedp.Click(chromedp.CSS(`#collaborators-table tbody a`)),
		chromedp.WaitVisible(chromedp.ID("impersonation-reason")))
	CheckPage(t, j.ctx)
	user := Text(t, j.ctx, "#user-email")
	Do(t, j.ctx, "impersonate",
		chromedp.SendKeys(chromedp.ID("impersonation-reason"), "Ticket de support n° 4242"),
		chromedp.Click(chromedp.ID("impersonation-start")),
		chromedp.WaitVisible(chromedp.ID("impersonation-banner")))
	j.loaded(orgPage, "main h1")
	if got := Text(t, j.ctx, "#impersonation-banner"); !strings.Contains(got, "Vous êtes connecté en tant que") || !strings.Contains(got, user) {
		Errorf(t, j.ctx, "banner %q", got)
	}

	// Changing the password is refused: the settings page says so instead of
	// showing the form, and a form posted anyway (a tab left open) is refused.
	const refused = "Cette action n’est pas autorisée pendant une connexion en tant qu’un autre utilisateur."
	j.open("/account/settings")
	if got := Text(t, j.ctx, "main .fr-alert--info"); got != refused {
		Errorf(t, j.ctx, "settings while impersonating: %q", got)
	}
	Do(t, j.ctx, "post a password change anyway",
		chromedp.Evaluate[chromedp.Void](`(() => {
			const f = document.createElement('form');
			f.method = 'post';
			f.action = '/account/settings/password';
			for (const [k, v] of [['_csrf', document.querySelector('input[name=_csrf]').value],
				['currentPassword', 'x'], ['newPassword', 'Un-Autre-Mot-De-Passe-42']]) {
				const i = document.createElement('input');
				i.type = 'hidden'; i.name = k; i.value = v;
				f.appendChild(i);
			}
			document.body.appendChild(f);
			f.submit();
		})()`),
		chromedp.WaitVisible(chromedp.ID("error-message")))
	CheckPage(t, j.ctx)
	if got := Text(t, j.ctx, "#error-message"); got != refused {
		Errorf(t, j.ctx, "refused password change: %q", got)
	}

	// They stop and find both events in the audit log.
	Do(t, j.ctx, "stop impersonating",
		chromedp.Click(chromedp.ID("impersonation-stop")),
		chromedp.WaitVisible(chromedp.ID("impersonation-reason")),
		chromedp.WaitNotPresent(chromedp.ID("impersonation-banner")))
	j.loaded("/admin/users/"+uuidRE, "main h1")
	j.open("/admin/audit?email=" + url.QueryEscape(admin))
	for _, action := range []string{"impersonation_start", "impersonation_stop"} {
		row, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](
			`Array.from(document.querySelectorAll('#audit-table tr[data-action="`+action+`"]'), r => r.innerText).join('\n')`))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(row, admin) || !strings.Contains(row, user) {
			Errorf(t, j.ctx, "audit %s: %q", action, row)
		}
	}
}
