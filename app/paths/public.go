package paths

// Route patterns of the public pages. The content pages (about, FAQ, legal
// pages, connection guides) are listed with their French alias in app/public's
// Pages, which uses these constants.
const (
	HomeRoute                  = "/"
	AboutRoute                 = "/about"
	FAQRoute                   = "/frequently-asked-questions"
	AccessibilityRoute         = "/accessibility"
	LegalNoticeRoute           = "/legal-notice"
	PrivacyPolicyRoute         = "/privacy-policy"
	TermsOfUseRoute            = "/terms-of-use"
	DocsBilletwebRoute         = "/docs/billetweb-connection"
	DocsHelloassoRoute         = "/docs/helloasso-connection"
	DocsMapadoRoute            = "/docs/mapado-connection"
	DocsShotgunRoute           = "/docs/shotgun-connection"
	DocsSoticketRoute          = "/docs/soticket-connection"
	DocsSupersoniksRoute       = "/docs/supersoniks-connection"
	DocsTicketingAPIUsageRoute = "/docs/ticketing-api-usage"
	LangRoute                  = "/lang/:lang"
)

// French aliases of the content pages, registered next to their English path.
const (
	AboutFrenchRoute                 = "/a-propos"
	FAQFrenchRoute                   = "/questions-frequentes"
	AccessibilityFrenchRoute         = "/accessibilite"
	LegalNoticeFrenchRoute           = "/mentions-legales"
	PrivacyPolicyFrenchRoute         = "/politique-de-confidentialite"
	TermsOfUseFrenchRoute            = "/modalites-d-utilisation"
	DocsBilletwebFrenchRoute         = "/documentation/connexion-billetweb"
	DocsHelloassoFrenchRoute         = "/documentation/connexion-helloasso"
	DocsMapadoFrenchRoute            = "/documentation/connexion-mapado"
	DocsShotgunFrenchRoute           = "/documentation/connexion-shotgun"
	DocsSoticketFrenchRoute          = "/documentation/connexion-soticket"
	DocsSupersoniksFrenchRoute       = "/documentation/connexion-supersoniks"
	DocsTicketingAPIUsageFrenchRoute = "/documentation/utilisation-api-de-billetterie"
)

// Home is the landing page.
func (Paths) Home() string { return HomeRoute }

// About is the "À propos" page.
func (Paths) About() string { return AboutRoute }

// FAQ is the frequently asked questions.
func (Paths) FAQ() string { return FAQRoute }

// Accessibility is the accessibility statement.
func (Paths) Accessibility() string { return AccessibilityRoute }

// LegalNotice is the legal notice.
func (Paths) LegalNotice() string { return LegalNoticeRoute }

// PrivacyPolicy is the privacy policy.
func (Paths) PrivacyPolicy() string { return PrivacyPolicyRoute }

// TermsOfUse is the terms of use.
func (Paths) TermsOfUse() string { return TermsOfUseRoute }

// Docs is the first connection guide, the documentation's entry.
func (Paths) Docs() string { return DocsBilletwebRoute }

// DocsSection prefixes every connection guide's path.
func (Paths) DocsSection() string { return "/docs" }

// Lang switches the language to lang, then goes back to next (a path of this
// site).
func (Paths) Lang(lang, next string) string { return WithQuery(Fill(LangRoute, lang), "next", next) }

// connectionGuides are the connection guides by ticketing system name (the
// values of ticketing.System).
var connectionGuides = map[string]string{
	"BILLETWEB":   DocsBilletwebRoute,
	"HELLOASSO":   DocsHelloassoRoute,
	"MAPADO":      DocsMapadoRoute,
	"SHOTGUN":     DocsShotgunRoute,
	"SOTICKET":    DocsSoticketRoute,
	"SUPERSONIKS": DocsSupersoniksRoute,
}

// ConnectionGuide is the connection guide of a ticketing system, or the
// documentation's entry for a system without one.
func (p Paths) ConnectionGuide(system string) string {
	if guide, ok := connectionGuides[system]; ok {
		return guide
	}
	return p.Docs()
}
