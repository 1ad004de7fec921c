package admin

import (
	"html"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// usersView is the users list and its results fragment.
type usersView struct {
	web.Layout
	Filter UserFilter
	Table  Table
	Rows   []UserRow
}

// RowsHTML writes the rows of the table (see table_html.go).
func (v *usersView) RowsHTML() template.HTML {
	var b strings.Builder
	for _, r := range v.Rows {
		b.WriteString("\n          <tr>\n            <td><a href=\"" + html.EscapeString(paths.To.AdminUser(r.ID)) + `">` + html.EscapeString(r.Email) + "</a>")
		if r.IsAdmin {
			b.WriteString(` <p class="fr-badge fr-badge--new fr-badge--sm">` + html.EscapeString(v.L.T("admin.users.adminBadge")) + "</p>")
		}
		b.WriteString("</td>")
		cell(&b, r.FirstName+" "+r.LastName)
		b.WriteString("\n            <td>" + string(r.Status.Badge(v.L)) + "</td>")
		organizations := strings.Join(r.OrganizationNames, ", ")
		if more := r.MoreOrganizations(); more > 0 {
			organizations += " " + v.L.T("admin.users.moreOrganizations", "count", more)
		}
		cell(&b, organizations)
		activity := v.L.T("admin.users.never")
		if r.LastActivityAt != nil {
			activity = locale.DateTime(*r.LastActivityAt)
		}
		cell(&b, activity)
		cell(&b, locale.Date(r.CreatedAt))
		b.WriteString("\n          </tr>")
	}
	return template.HTML(b.String()) //nolint:gosec // escaped above
}

// Users is the list of every user, searchable, filtered, sorted and paginated.
func (h *Handlers) Users(c *fiber.Ctx) error {
	f := ParseUserFilter(queryOf(c))
	page, err := ListUsers(c.UserContext(), h.db, f, h.now())
	if err != nil {
		return err
	}
	return web.Render(c, 0, "pages/admin/users", "partials/admin/users-results", &usersView{
		Layout: web.AdminSection(c, "admin.users.title"),
		Filter: f, Rows: page.Rows, Table: usersList.view(f.Listing, page.HasNext, f.selects()),
	})
}

// ExportUsers streams the users of the current view as CSV.
func (h *Handlers) ExportUsers(c *fiber.Ctx) error {
	f := ParseUserFilter(queryOf(c))
	l := web.Localizer(c)
	now := h.now()
	streamCSV(c, h.db.Pool, h.logger, "utilisateurs", usersExport(h.db, f, now, func(k string) string { return l.T(k) }), now)
	return nil
}

// userView is the admin page of one user, and its impersonation form
// fragment.
type userView struct {
	web.Layout
	Subject *UserDetail
	Audit   []audit.Entry
	// Reason and Errors are the impersonation form's input and errors.
	Reason string
	Errors derrors.Fields
	// Refusal is the message key saying why the admin may not act as the
	// user, "" when they may.
	Refusal string
	// CanDisable: the admin may disable this user (not themselves).
	CanDisable bool
}

// User is the admin page of one user: details, organizations, actions
// (disable, enable, impersonate) and their latest audit entries.
func (h *Handlers) User(c *fiber.Ctx) error {
	id, err := web.IDParam(c, "id")
	if err != nil {
		return err
	}
	return h.renderUser(c, id, 0, "", derrors.Fields{})
}

// renderUser shows a user's page, with the impersonation form's input and
// errors when it was just refused.
func (h *Handlers) renderUser(c *fiber.Ctx, id uuid.UUID, status int, reason string, errs derrors.Fields) error {
	ctx := c.UserContext()
	u, err := GetUser(ctx, h.db, id)
	if err != nil {
		return err
	}
	entries, err := userAudit(ctx, h.db, id)
	if err != nil {
		return err
	}
	admin := web.RealUser(c)
	l := web.Localizer(c)
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if name == "" {
		name = u.Email
	}
	layout := web.Layout{Title: web.Title(name, l.T("admin.users.title"), l.T("layout.admin")),
		Breadcrumb: web.AdminTrail(c).Then(l.T("admin.users.title"), paths.To.AdminUsers()).Here(name)}
	return web.Render(c, status, "pages/admin/user", "partials/admin/impersonation-form", &userView{
		Layout: layout, Subject: u, Audit: entries,
		Reason: reason, Errors: errs, Refusal: ImpersonationRefusal(admin.ID, u), CanDisable: admin.ID != u.ID,
	})
}
