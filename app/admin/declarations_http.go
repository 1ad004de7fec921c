package admin

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/transmissions"
	"assistant-declaration/app/web"
)

// declarationsView is the page of the declarations in error and its results
// fragment.
type declarationsView struct {
	web.Layout
	Filter   DeclarationFilter
	Errors   derrors.Fields
	Table    Table
	Rows     []DeclarationRow
	Stuck    []StuckTransmission
	Fragment bool // htmx asked for the results alone
	// Back is where "Relancer" returns: the current view.
	Back string
}

// FilterErrors is the summary of the filters in error.
func (v *declarationsView) FilterErrors() ([]web.SummaryItem, error) {
	return web.ErrorSummary(v.L, v.Errors, "code", "filter-code", "admin.declarations.code",
		"from", "filter-from", "admin.declarations.from", "to", "filter-to", "admin.declarations.to")
}

// Declarations lists the declarations an organism did not accept because
// their last attempt failed, filtered, sorted and paginated, and the
// transmissions sending for too long.
func (h *Handlers) Declarations(c *fiber.Ctx) error {
	f, errs := ParseDeclarationFilter(queryOf(c))
	page, err := ListDeclarations(c.UserContext(), h.db, f)
	if err != nil {
		return err
	}
	v := &declarationsView{
		Layout: web.AdminSection(c, "admin.declarations.title"),
		Filter: f, Errors: errs, Rows: page.Rows, Fragment: web.IsFragmentRequest(c), Back: f.PageURL(f.Page),
		Table: declarationsList.view(f.Listing, page.HasNext, f.selects(), "filter-from", "filter-to"),
	}
	if !v.Fragment {
		if v.Stuck, err = StuckTransmissions(c.UserContext(), h.db, f.Organism, h.now()); err != nil {
			return err
		}
	}
	return web.Render(c, status422(errs), "pages/admin/declarations", "partials/admin/declarations-results", v)
}

// ExportDeclarations streams the declarations in error of the current view
// as CSV. Invalid filters are left out, as the list leaves them out.
func (h *Handlers) ExportDeclarations(c *fiber.Ctx) error {
	f, _ := ParseDeclarationFilter(queryOf(c))
	l := web.Localizer(c)
	q, err := declarationsExport(h.db, f, func(k string) string { return l.T(k) })
	if err != nil {
		return err
	}
	streamCSV(c, h.db.Pool, h.logger, "declarations-en-erreur", q, h.now())
	return nil
}

// RetryDeclaration relaunches the transmission of a serie on behalf of its
// declarant ("Relancer"): transmissions.Retry applies the declarant's
// never-twice rules and records the admin in the audit log.
func (h *Handlers) RetryDeclaration(c *fiber.Ctx) error {
	serieID, err := web.IDParam(c, "serieId")
	if err != nil {
		return err
	}
	_, err = transmissions.Retry(c.UserContext(), h.db, serieID, web.AuditActor(c))
	_, incomplete := derrors.AsFields(err)
	switch {
	case errors.Is(err, transmissions.ErrNothingToRetry):
		web.AddFlash(c, "error", "transmissions.errors.nothingToRetry")
	case incomplete:
		web.AddFlash(c, "error", "admin.declarations.incomplete")
	case err != nil:
		return err
	default:
		web.AddFlash(c, "success", "admin.declarations.retried")
	}
	return web.Redirect(c, web.SafeRedirectPath(web.BodyValue(c, "back"), paths.To.AdminDeclarations()))
}
