// Package public serves the pages anyone can read (home, FAQ, legal pages,
// connection guides), robots.txt, security.txt and the health probes.
package public

import "assistant-declaration/app/paths"

// ContentPage is a page whose body is a long text written per language in
// views/content/<lang>/<File>.html. That file is a template, so the guides
// can share the parts they have in common (views/content/<lang>/partials/);
// it depends on no request and gets no data.
type ContentPage struct {
	Path     string // English path, the canonical one
	Alias    string // French path
	File     string
	TitleKey string
	Docs     bool // part of the documentation, shown with its side menu
}

// Pages lists every content page; routes.go mounts each on both paths.
var Pages = []ContentPage{
	{Path: paths.AboutRoute, Alias: paths.AboutFrenchRoute, File: "about", TitleKey: "public.aboutTitle"},
	{Path: paths.FAQRoute, Alias: paths.FAQFrenchRoute, File: "faq", TitleKey: "public.faqTitle"},
	{Path: paths.AccessibilityRoute, Alias: paths.AccessibilityFrenchRoute, File: "accessibility", TitleKey: "public.accessibilityTitle"},
	{Path: paths.LegalNoticeRoute, Alias: paths.LegalNoticeFrenchRoute, File: "legal-notice", TitleKey: "public.legalNoticeTitle"},
	{Path: paths.PrivacyPolicyRoute, Alias: paths.PrivacyPolicyFrenchRoute, File: "privacy-policy", TitleKey: "public.privacyPolicyTitle"},
	{Path: paths.TermsOfUseRoute, Alias: paths.TermsOfUseFrenchRoute, File: "terms-of-use", TitleKey: "public.termsOfUseTitle"},
	{Path: paths.DocsBilletwebRoute, Alias: paths.DocsBilletwebFrenchRoute, File: "docs-billetweb", TitleKey: "docs.billetweb", Docs: true},
	{Path: paths.DocsHelloassoRoute, Alias: paths.DocsHelloassoFrenchRoute, File: "docs-helloasso", TitleKey: "docs.helloasso", Docs: true},
	{Path: paths.DocsMapadoRoute, Alias: paths.DocsMapadoFrenchRoute, File: "docs-mapado", TitleKey: "docs.mapado", Docs: true},
	{Path: paths.DocsShotgunRoute, Alias: paths.DocsShotgunFrenchRoute, File: "docs-shotgun", TitleKey: "docs.shotgun", Docs: true},
	{Path: paths.DocsSoticketRoute, Alias: paths.DocsSoticketFrenchRoute, File: "docs-soticket", TitleKey: "docs.soticket", Docs: true},
	{Path: paths.DocsSupersoniksRoute, Alias: paths.DocsSupersoniksFrenchRoute, File: "docs-supersoniks", TitleKey: "docs.supersoniks", Docs: true},
	{Path: paths.DocsTicketingAPIUsageRoute, Alias: paths.DocsTicketingAPIUsageFrenchRoute, File: "docs-ticketing-api-usage", TitleKey: "docs.ticketingApiUsage", Docs: true},
}
