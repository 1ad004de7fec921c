package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/paths"
)

// Crumb is one step of a page's breadcrumb: its label, already translated or
// the name of an object (an organization, a serie, a person), and the page it
// leads to. The last crumb is the page itself: the layout shows it without a
// link, with aria-current.
type Crumb struct {
	Label string
	URL   string
}

// Breadcrumb is the trail from the dashboard down to a page. Handlers build it
// with Trail or AdminTrail and Then, set it on their view's Layout, and the
// layout renders it (partials/layout/breadcrumb) above the page.
type Breadcrumb []Crumb

// Trail starts a breadcrumb at the dashboard, the root of every signed-in page.
func Trail(c *fiber.Ctx) Breadcrumb {
	return Breadcrumb{{Label: Localizer(c).T("layout.dashboard"), URL: paths.To.Dashboard()}}
}

// AdminTrail starts a breadcrumb at the back office's root, its organizations
// list.
func AdminTrail(c *fiber.Ctx) Breadcrumb {
	return Trail(c).Then(Localizer(c).T("layout.admin"), paths.To.AdminOrganizations())
}

// Then returns the breadcrumb followed by one more step. It copies, so a
// shared prefix can be continued twice.
func (b Breadcrumb) Then(label, url string) Breadcrumb {
	out := make(Breadcrumb, len(b), len(b)+1)
	copy(out, b)
	return append(out, Crumb{Label: label, URL: url})
}

// Here ends the breadcrumb with the current page.
func (b Breadcrumb) Here(label string) Breadcrumb { return b.Then(label, "") }

// Links are the steps above the current page, each a link in the layout's
// breadcrumb; Current is the page itself, its last step. The template reads
// them rather than comparing each step's index with the length, a few
// reflective calls per step on every page below the dashboard.
func (b Breadcrumb) Links() Breadcrumb { return b[:len(b)-1] }

// Current is the last step of a non-empty breadcrumb: the page itself.
func (b Breadcrumb) Current() Crumb { return b[len(b)-1] }

// Back is the step above the current page, where a back link leads (nil on
// a page without a breadcrumb or at its root).
func (b Breadcrumb) Back() *Crumb {
	if len(b) < 2 {
		return nil
	}
	return &b[len(b)-2]
}

// Title joins the parts of a page title, the page first and its objects after
// ("Déclaration — Hamlet — Compagnie du Globe"), skipping empty parts.
func Title(parts ...string) string {
	kept := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " — ")
}

// AdminSection is the layout of a back office section's page (users,
// declarations, jobs…): titled by titleKey, one step below the back office's
// root.
func AdminSection(c *fiber.Ctx, titleKey string) Layout {
	title := Localizer(c).T(titleKey)
	return Layout{Title: title, Breadcrumb: AdminTrail(c).Here(title)}
}
