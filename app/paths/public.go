package paths

// Route patterns of the public pages. The content pages (about, FAQ, legal
// pages, connection guides) are listed with their French alias in app/public's
// Pages, which uses these constants.
const (
	HomePattern                  = "/"
	AboutPattern                 = "/about"
	FAQPattern                   = "/frequently-asked-questions"
	AccessibilityPattern         = "/accessibility"
	LegalNoticePattern           = "/legal-notice"
	PrivacyPolicyPattern         = "/privacy-policy"
	TermsOfUsePattern            = "/terms-of-use"
	DocsBilletwebPattern         = "/docs/billetweb-connection"
	DocsHelloassoPattern         = "/docs/helloasso-connection"
	DocsMapadoPattern            = "/docs/mapado-connection"
	DocsShotgunPattern           = "/docs/shotgun-connection"
	DocsSoticketPattern          = "/docs/soticket-connection"
	DocsSupersoniksPattern       = "/docs/supersoniks-connection"
	DocsTicketingAPIUsagePattern = "/docs/ticketing-api-usage"
	LangPattern                  = "/lang/:lang"
)

// French aliases of the content pages, registered next to their English path.
const (
	AboutAlias                 = "/a-propos"
	FAQAlias                   = "/questions-frequentes"
	AccessibilityAlias         = "/accessibilite"
	LegalNoticeAlias           = "/mentions-legales"
	PrivacyPolicyAlias         = "/politique-de-confidentialite"
	TermsOfUseAlias            = "/modalites-d-utilisation"
	DocsBilletwebAlias         = "/documentation/connexion-billetweb"
	DocsHelloassoAlias         = "/documentation/connexion-helloasso"
	DocsMapadoAlias            = "/documentation/connexion-mapado"
	DocsShotgunAlias           = "/documentation/connexion-shotgun"
	DocsSoticketAlias          = "/documentation/connexion-soticket"
	DocsSupersoniksAlias       = "/documentation/connexion-supersoniks"
	DocsTicketingAPIUsageAlias = "/documentation/utilisation-api-de-billetterie"
)

// Home is the landing page.
func (Paths) Home() string { return HomePattern }

// About is the "À propos" page.
func (Paths) About() string { return AboutPattern }

// FAQ is the frequently asked questions.
func (Paths) FAQ() string { return FAQPattern }

// Accessibility is the accessibility statement.
func (Paths) Accessibility() string { return AccessibilityPattern }

// LegalNotice is the legal notice.
func (Paths) LegalNotice() string { return LegalNoticePattern }

// PrivacyPolicy is the privacy policy.
func (Paths) PrivacyPolicy() string { return PrivacyPolicyPattern }

// TermsOfUse is the terms of use.
func (Paths) TermsOfUse() string { return TermsOfUsePattern }

// Docs is the first connection guide, the documentation's entry.
func (Paths) Docs() string { return DocsBilletwebPattern }

// DocsSection prefixes every connection guide's path.
func (Paths) DocsSection() string { return "/docs" }

// Lang switches the language to lang, then goes back to next (a path of this
// site).
func (Paths) Lang(lang, next string) string { return WithQuery(Fill(LangPattern, lang), "next", next) }
