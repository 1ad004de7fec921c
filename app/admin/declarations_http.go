package admin

import (
	"errors"
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
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
	return web.ErrorSummary(v.L, v.Errors, "from", "filter-from", "admin.declarations.from", "to", "filter-to", "admin.declarations.to")
}

// RowsHTML writes the rows of the table (see table_html.go): a declaration
// being sent shows a badge instead of "Relancer".
func (v *declarationsView) RowsHTML() template.HTML {
	var b strings.Builder
	csrf, back := html.EscapeString(v.Page.CSRF()), html.EscapeString(v.Back)
	retry := html.EscapeString(v.L.T("admin.declarations.retry"))
	for _, r := range v.Rows {
		b.WriteString("\n          <tr data-serie-id=\"" + r.SerieID.String() + `" data-organism="` + html.EscapeString(string(r.Organism)) + `">`)
		linkCell(&b, paths.To.AdminOrganization(r.OrganizationID), r.OrganizationName)
		linkCell(&b, paths.To.DeclarationAdmin(r.OrganizationID, r.SerieID), r.SerieName)
		cell(&b, v.L.T(r.Organism.LabelKey()))
		b.WriteString("\n            <td><span class=\"fr-text--bold\">" + html.EscapeString(r.ErrorCode) + "</span><br>" + html.EscapeString(v.L.T(r.ErrorKey())) + "</td>")
		first := ""
		if r.FirstFailure != nil {
			first = locale.DateTime(*r.FirstFailure)
		}
		cell(&b, first)
		cell(&b, locale.DateTime(r.LastFailure))
		cell(&b, strconv.Itoa(r.Attempts))
		if r.Sending {
			b.WriteString("\n            <td><p class=\"fr-badge fr-badge--info fr-badge--sm\">" + html.EscapeString(v.L.T("admin.declarations.sending")) + "</p></td>")
		} else {
			b.WriteString("\n            <td><form method=\"post\" action=\"" + html.EscapeString(paths.To.AdminDeclarationRetry(r.SerieID)) + `" novalidate>` +
				`<input type="hidden" name="_csrf" value="` + csrf + `"><input type="hidden" name="back" value="` + back + `">` +
				`<button class="fr-btn fr-btn--secondary fr-btn--sm" type="submit">` + retry + "</button></form></td>")
		}
		b.WriteString("\n          </tr>")
	}
	return template.HTML(b.String()) //nolint:gosec // escaped above
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
