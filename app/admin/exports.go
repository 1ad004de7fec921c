package admin

import (
	"time"

	"github.com/uptrace/bun"
)

// The CSV exports hold the same rows as their list, every page, in
// French-readable columns; label translates the headers and the values.

// organizationsExport is the query of the organizations CSV export.
func organizationsExport(idb bun.IDB, f OrganizationFilter, label func(string) string) *bun.SelectQuery {
	q := idb.NewSelect().TableExpr("organizations AS o").
		ColumnExpr(csvText("o.name")+" AS ?", bun.Ident(label("admin.organizations.name"))).
		ColumnExpr("o.official_id AS ?", bun.Ident(label("admin.organizations.siren"))).
		ColumnExpr("o.official_headquarters_id AS ?", bun.Ident(label("admin.organizations.siret"))).
		ColumnExpr("o.sacem_id AS ?", bun.Ident(label("admin.organizations.sacemId"))).
		ColumnExpr("o.sacd_id AS ?", bun.Ident(label("admin.organizations.sacdId"))).
		ColumnExpr(csvText("(SELECT string_agg(u.email, ' ' ORDER BY u.email) FROM collaborators c JOIN users u ON u.id = c.user_id WHERE c.organization_id = o.id)")+" AS ?",
			bun.Ident(label("admin.organizations.collaborators"))).
		ColumnExpr(parisTime("o.created_at")+" AS ?", bun.Ident(label("admin.organizations.createdAt")))
	return organizationSearch(q, f)
}

// usersExport is the query of the users CSV export.
func usersExport(idb bun.IDB, f UserFilter, now time.Time, label func(string) string) *bun.SelectQuery {
	q := idb.NewSelect().TableExpr("users AS u").
		ColumnExpr(csvText("u.email")+" AS ?", bun.Ident(label("admin.users.email"))).
		ColumnExpr(csvText("u.first_name")+" AS ?", bun.Ident(label("admin.users.firstName"))).
		ColumnExpr(csvText("u.last_name")+" AS ?", bun.Ident(label("admin.users.lastName"))).
		ColumnExpr("CASE u.status WHEN ? THEN ? WHEN ? THEN ? ELSE ? END AS ?",
			StatusRegistered, label(StatusRegistered.LabelKey()), StatusConfirmed, label(StatusConfirmed.LabelKey()),
			label(StatusDisabled.LabelKey()), bun.Ident(label("admin.users.status"))).
		ColumnExpr("CASE WHEN u.is_admin THEN ? ELSE ? END AS ?",
			label(yes.LabelKey()), label(no.LabelKey()), bun.Ident(label("admin.users.admin"))).
		ColumnExpr(`(SELECT string_agg(o.official_id, ' ' ORDER BY o.official_id) FROM collaborators c
			JOIN organizations o ON o.id = c.organization_id WHERE c.user_id = u.id) AS ?`, bun.Ident(label("admin.users.organizations"))).
		ColumnExpr(parisTime("u.last_activity_at")+" AS ?", bun.Ident(label("admin.users.lastActivity"))).
		ColumnExpr(parisTime("u.created_at")+" AS ?", bun.Ident(label("admin.users.createdAt")))
	return userSearch(q, f, now)
}

// csvText guards a text column of a CSV export against formula injection:
// spreadsheets run a cell starting with = + - @ tab or carriage return as a
// formula (=HYPERLINK…), so such a value gets a leading apostrophe, which
// makes them show it as text.
func csvText(column string) string {
	return "regexp_replace(" + column + `, '^([=+@\t\r-])', '''\1')`
}

// parisTime formats a timestamptz column as Paris local time for exports.
func parisTime(column string) string {
	return "to_char(" + column + " AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD HH24:MI')"
}
