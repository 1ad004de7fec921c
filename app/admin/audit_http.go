package admin

import (
	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/web"
)

// auditView is the audit log page and its results fragment.
type auditView struct {
	web.Layout
	Filter   AuditFilter
	Errors   derrors.Fields
	Results  AuditPage
	Fragment bool // htmx asked for the results alone
}

// FilterErrors is the summary of the filters in error.
func (v *auditView) FilterErrors() ([]web.SummaryItem, error) {
	return web.ErrorSummary(v.L, v.Errors, "from", "filter-from", "admin.audit.from", "to", "filter-to", "admin.audit.to")
}

// Audit is the audit log page: filters in the URL, newest first, keyset pages.
func (h *Handlers) Audit(c *fiber.Ctx) error {
	f, errs := ParseAuditFilter(queryOf(c))
	page, err := ListAudit(c.UserContext(), h.db, f)
	if err != nil {
		return err
	}
	return web.Render(c, status422(errs), "pages/admin/audit", "partials/admin/audit-results", &auditView{
		Layout: web.AdminSection(c, "admin.audit.title"),
		Filter: f, Errors: errs, Results: page, Fragment: web.IsFragmentRequest(c),
	})
}
