package web

import (
	"html"
	"html/template"
	"strings"

	"assistant-declaration/app/paths"
)

// HeaderHTML writes the DSFR header of every page: the brand, the account
// links (or sign-in and sign-up), the language switch, and the main menu with
// the dashboard, the organization switcher and the back office for the
// signed-in. It is written in Go, as the lists' rows are: every page printed
// it through some forty-five reflective template actions, the largest part
// of a signed-in page's rendering.
func (l *Layout) HeaderHTML() template.HTML {
	t := func(key string) string { return html.EscapeString(l.L.T(key)) }
	path := l.Page.Path()
	var b strings.Builder
	b.WriteString(`<header role="banner" class="fr-header">
  <div class="fr-header__body">
    <div class="fr-container">
      <div class="fr-header__body-row">
        <div class="fr-header__brand fr-enlarge-link">
          <div class="fr-header__brand-top">
            <div class="fr-header__logo">
              <p class="fr-logo">République<br>Française</p>
            </div>
            <div class="fr-header__navbar">
              <button class="fr-btn--menu fr-btn" data-fr-opened="false" aria-controls="header-menu" aria-haspopup="menu" id="header-menu-button" title="` + t("layout.menu") + `">` + t("layout.menu") + `</button>
            </div>
          </div>
          <div class="fr-header__service">
            <a href="` + paths.To.Home() + `" title="` + t("layout.homeTitle") + `">
              <p class="fr-header__service-title">Assistant déclaration</p>
            </a>
            <p class="fr-header__service-tagline">` + t("layout.tagline") + `</p>
          </div>
        </div>
        <div class="fr-header__tools">
          <div class="fr-header__tools-links">
            <ul class="fr-btns-group">`)
	if l.User != nil {
		b.WriteString(`
              <li><a class="fr-btn fr-icon-account-circle-line" href="` + paths.To.Settings() + `">` + html.EscapeString(l.User.FullName()) + `</a></li>
              <li><form method="post" action="` + paths.To.SignOut() + `" novalidate><input type="hidden" name="_csrf" value="` + html.EscapeString(l.Page.CSRF()) +
			`"><button class="fr-btn fr-icon-logout-box-r-line" type="submit">` + t("layout.signOut") + `</button></form></li>`)
	} else {
		b.WriteString(`
              <li><a class="fr-btn fr-icon-lock-line" href="` + paths.To.SignIn() + `">` + t("layout.signIn") + `</a></li>
              <li><a class="fr-btn fr-icon-account-circle-line" href="` + paths.To.SignUp() + `">` + t("layout.signUp") + `</a></li>`)
	}
	other, otherName := "en", "English"
	if l.Lang != "fr" {
		other, otherName = "fr", "Français"
	}
	b.WriteString(`
              <li><a class="fr-btn fr-icon-translate-2" id="lang-switch" href="` + html.EscapeString(paths.To.Lang(other, path)) + `" hreflang="` + other + `" lang="` + other + `">` + otherName + `</a></li>
            </ul>
          </div>
        </div>
      </div>
    </div>
  </div>
  <div class="fr-header__menu fr-modal" id="header-menu" aria-labelledby="header-menu-button">
    <div class="fr-container">
      <button class="fr-btn--close fr-btn" aria-controls="header-menu" title="` + t("layout.close") + `">` + t("layout.close") + `</button>
      <div class="fr-header__menu-links"></div>
      <nav class="fr-nav" id="header-navigation" role="navigation" aria-label="` + t("layout.mainMenu") + `">
        <ul class="fr-nav__list">`)
	if l.User != nil {
		navLink(&b, paths.To.Dashboard(), t("layout.dashboard"), l.Page.InDashboard())
		if l.Switcher != nil {
			b.WriteString(`
          <li class="fr-nav__item" id="organization-switcher">
            <button class="fr-nav__btn" aria-expanded="false" aria-controls="organization-switcher-menu">` + t("organizations.switcher.label") + `</button>
            <div class="fr-collapse fr-menu" id="organization-switcher-menu">
              <ul class="fr-menu__list">`)
			for _, item := range l.Switcher.Items {
				current := ""
				if item.Current {
					current = ` aria-current="true"`
				}
				b.WriteString(`
                <li><a class="fr-nav__link" href="` + html.EscapeString(item.URL) + `"` + current + `>` + html.EscapeString(item.Name) + `</a></li>`)
			}
			b.WriteString(`
                <li><a class="fr-nav__link" href="` + paths.To.OrganizationCreate() + `">` + t("organizations.switcher.create") + `</a></li>
              </ul>
            </div>
          </li>`)
		}
		if l.User.IsAdmin && !l.Identity.Impersonating() {
			navLink(&b, paths.To.AdminOrganizations(), t("layout.admin"), strings.HasPrefix(path, paths.AdminOrganizationsRoute))
		}
	}
	navLink(&b, paths.To.About(), t("layout.about"), path == paths.To.About())
	navLink(&b, paths.To.FAQ(), t("layout.faq"), path == paths.To.FAQ())
	navLink(&b, paths.To.Docs(), t("layout.docs"), strings.HasPrefix(path, paths.To.DocsSection()))
	b.WriteString(`
        </ul>
      </nav>
    </div>
  </div>
</header>`)
	return template.HTML(b.String()) //nolint:gosec // every dynamic text escaped above
}

// navLink writes an entry of the main menu, marked as the current page.
func navLink(b *strings.Builder, href, label string, current bool) {
	b.WriteString(`
          <li class="fr-nav__item"><a class="fr-nav__link" href="` + html.EscapeString(href) + `"`)
	if current {
		b.WriteString(` aria-current="page"`)
	}
	b.WriteString(`>` + label + `</a></li>`)
}
