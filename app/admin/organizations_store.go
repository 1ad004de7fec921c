package admin

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/web"
)

// OrganizationRow is one line of the organizations list.
type OrganizationRow struct {
	ID                     uuid.UUID `bun:"id"`
	Name                   string    `bun:"name"`
	OfficialID             string    `bun:"official_id"`
	OfficialHeadquartersID string    `bun:"official_headquarters_id"`
	SacemID                string    `bun:"sacem_id,nullzero"`
	SacdID                 string    `bun:"sacd_id,nullzero"`
	CreatedAt              time.Time `bun:"created_at"`
	Collaborators          int       `bun:"collaborators"`
}

// organizationSearch filters and orders the organizations of f. Name search is
// any part of the name (trigram LIKE) or, for several words, those words in
// any order (full text), accent and case insensitive; a SIREN/SIRET, a
// collaborator's email or a whole name found exactly comes first.
func organizationSearch(q *bun.SelectQuery, f OrganizationFilter) *bun.SelectQuery {
	switch f.Sacem {
	case yes:
		q.Where("o.sacem_id IS NOT NULL")
	case no:
		q.Where("o.sacem_id IS NULL")
	}
	switch f.Sacd {
	case yes:
		q.Where("o.sacd_id IS NOT NULL")
	case no:
		q.Where("o.sacd_id IS NULL")
	}
	if !f.Since.IsZero() {
		q.Where("o.created_at >= ?", f.Since)
	}
	term := strings.ToLower(f.Query)
	if term != "" {
		// One word: any part of a name matches (trigram LIKE), which already
		// covers the whole word. Several words: also in any order (full text).
		multiword := len(strings.Fields(term)) > 1
		q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q.Where("o.search_name LIKE immutable_unaccent(?)", likePattern(term))
			if multiword {
				q.WhereOr("o.search_vector @@ plainto_tsquery('simple', immutable_unaccent(?))", term)
			}
			if digitsOnly.MatchString(term) {
				q.WhereOr("o.official_id = ?", term).WhereOr("o.official_headquarters_id = ?", term)
			}
			if strings.Contains(term, "@") {
				q.WhereOr(`o.id IN (SELECT c.organization_id FROM collaborators c JOIN users u ON u.id = c.user_id
					WHERE u.search_text LIKE ?)`, likePattern(term))
			}
			return q
		})
		switch {
		case digitsOnly.MatchString(term):
			q.OrderExpr("(o.official_id = ? OR o.official_headquarters_id = ?) DESC", term, term)
		case strings.Contains(term, "@"):
			q.OrderExpr(`o.id IN (SELECT c.organization_id FROM collaborators c JOIN users u ON u.id = c.user_id
				WHERE lower(u.email) = ?) DESC`, term)
		default:
			q.OrderExpr("o.search_name = immutable_unaccent(?) DESC", term)
		}
		if f.Sort == "" && multiword {
			q.OrderExpr("ts_rank(o.search_vector, plainto_tsquery('simple', immutable_unaccent(?))) DESC", term)
		}
	}
	// Names sort on their lower-cased, unaccented form with byte comparison:
	// "Éclat" sorts among the e's, and it is several times cheaper than the
	// locale collation on the thousand rows a common word matches.
	switch f.Sort {
	case "-name":
		q.OrderExpr(`o.search_name COLLATE "C" DESC, o.id DESC`)
	case "created":
		q.OrderExpr("o.created_at, o.id")
	case "-created":
		q.OrderExpr("o.created_at DESC, o.id DESC")
	default:
		q.OrderExpr(`o.search_name COLLATE "C", o.id`)
	}
	return q
}

// ListOrganizations returns one page of the organizations list.
func ListOrganizations(ctx context.Context, idb bun.IDB, f OrganizationFilter) (Page[OrganizationRow], error) {
	ids := organizationSearch(idb.NewSelect().TableExpr("organizations AS o").Column("o.id"), f)
	var rows []OrganizationRow
	err := pageRows(idb, ids, f.Page, "organizations", "o").
		ColumnExpr("o.id, o.name, o.official_id, o.official_headquarters_id, o.sacem_id, o.sacd_id, o.created_at").
		ColumnExpr("(SELECT count(*) FROM collaborators c WHERE c.organization_id = o.id) AS collaborators").
		Scan(ctx, &rows)
	if err != nil {
		return Page[OrganizationRow]{}, err
	}
	return newPage(rows), nil
}

// organizationsExport is the query of the organizations CSV export: the same
// rows as the list, every page, French-readable columns.
func organizationsExport(idb bun.IDB, f OrganizationFilter, header func(string) string) *bun.SelectQuery {
	q := idb.NewSelect().TableExpr("organizations AS o").
		ColumnExpr(csvText("o.name")+" AS ?", bun.Ident(header("admin.organizations.name"))).
		ColumnExpr("o.official_id AS ?", bun.Ident(header("admin.organizations.siren"))).
		ColumnExpr("o.official_headquarters_id AS ?", bun.Ident(header("admin.organizations.siret"))).
		ColumnExpr("o.sacem_id AS ?", bun.Ident(header("admin.organizations.sacemId"))).
		ColumnExpr("o.sacd_id AS ?", bun.Ident(header("admin.organizations.sacdId"))).
		ColumnExpr(csvText("(SELECT string_agg(u.email, ' ' ORDER BY u.email) FROM collaborators c JOIN users u ON u.id = c.user_id WHERE c.organization_id = o.id)")+" AS ?",
			bun.Ident(header("admin.organizations.collaborators"))).
		ColumnExpr(parisTime("o.created_at")+" AS ?", bun.Ident(header("admin.organizations.createdAt")))
	return organizationSearch(q, f)
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

// OrganizationDetail is an organization with its address and collaborators.
type OrganizationDetail struct {
	OrganizationRow
	Street        string `bun:"street"`
	PostalCode    string `bun:"postal_code"`
	City          string `bun:"city"`
	Collaborators []CollaboratorRow
}

// CollaboratorRow is a member of an organization.
type CollaboratorRow struct {
	UserID    uuid.UUID `bun:"user_id"`
	Email     string    `bun:"email"`
	FirstName string    `bun:"first_name"`
	LastName  string    `bun:"last_name"`
	Status    string    `bun:"status"`
	JoinedAt  time.Time `bun:"joined_at"`
}

// GetOrganization loads an organization for its admin page, or web.ErrNotFound.
func GetOrganization(ctx context.Context, idb bun.IDB, id uuid.UUID) (*OrganizationDetail, error) {
	d := new(OrganizationDetail)
	err := idb.NewSelect().TableExpr("organizations AS o").
		Join("JOIN addresses AS a ON a.id = o.headquarters_address_id").
		ColumnExpr("o.id, o.name, o.official_id, o.official_headquarters_id, o.sacem_id, o.sacd_id, o.created_at").
		ColumnExpr("a.street, a.postal_code, a.city").
		Where("o.id = ?", id).Scan(ctx, d)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, web.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	err = idb.NewSelect().TableExpr("collaborators AS c").Join("JOIN users AS u ON u.id = c.user_id").
		ColumnExpr("u.id AS user_id, u.email, u.first_name, u.last_name, u.status, c.created_at AS joined_at").
		Where("c.organization_id = ?", id).OrderExpr("u.email").Scan(ctx, &d.Collaborators)
	return d, err
}
