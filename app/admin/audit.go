package admin

import (
	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/web"
)

// Audit is the audit log page: filters in the URL, newest first, keyset pages.
func (h *Handlers) Audit(c *fiber.Ctx) error {
	f, errs := ParseAuditFilter(queryOf(c))
	page, err := ListAudit(c.UserContext(), h.db, f)
	if err != nil {
		return err
	}
	return web.Render(c, status422(errs), "pages/admin/audit", "partials/admin/audit-results", fiber.Map{
		"Title":  web.Localizer(c).T("admin.audit.title"),
		"Filter": f, "Errors": errs, "Results": page, "Actions": AuditActions, "Fragment": web.IsFragmentRequest(c),
	})
}
