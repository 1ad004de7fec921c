package admin

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
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

// organizationColumns are the columns of an OrganizationRow but its count.
const organizationColumns = "o.id, o.name, o.official_id, o.official_headquarters_id, o.sacem_id, o.sacd_id, o.created_at"

var organizationsList = listSpec{
	table: "organizations", alias: "o", tableID: "organizations-table", caption: "admin.organizations.caption",
	search: "admin.organizations.search", searchHint: "admin.organizations.searchHint",
	columns: []Column{
		{Label: "admin.organizations.name", Sort: "name"}, {Label: "admin.organizations.siret"},
		{Label: "admin.organizations.sacemId"}, {Label: "admin.organizations.sacdId"},
		{Label: "admin.organizations.collaborators"}, {Label: "admin.organizations.createdAt", Sort: "created"},
	},
	export: paths.To.AdminOrganizationsExport,
}

// ListOrganizations returns one page of the organizations list.
func ListOrganizations(ctx context.Context, d *db.DB, f OrganizationFilter) (_ Page[OrganizationRow], err error) {
	defer derrors.Wrap(&err, "admin: list organizations")
	return pageRows[OrganizationRow](ctx, d, organizationsList, f.Page,
		func(q *bun.SelectQuery) *bun.SelectQuery { return organizationSearch(q, f) },
		func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.ColumnExpr(organizationColumns).
				ColumnExpr("(SELECT count(*) FROM collaborators c WHERE c.organization_id = o.id) AS collaborators")
		})
}

// OrganizationDetail is an organization with its address, collaborators,
// pending invitations and latest declaration changes.
type OrganizationDetail struct {
	OrganizationRow
	Street        string               `bun:"street"`
	PostalCode    string               `bun:"postal_code"`
	City          string               `bun:"city"`
	Collaborators []CollaboratorRow    `bun:"collaborator_rows,type:jsonb"` // by email
	Invitations   []PendingInvitation  `bun:"invitations,type:jsonb"`       // newest first
	Changes       []OrganizationChange `bun:"changes,type:jsonb"`           // newest first
}

// CollaboratorRow is a member of an organization.
type CollaboratorRow struct {
	UserID    uuid.UUID  `json:"user_id"`
	Email     string     `json:"email"`
	FirstName string     `json:"first_name"`
	LastName  string     `json:"last_name"`
	Status    UserStatus `json:"status"`
	JoinedAt  time.Time  `json:"joined_at"`
}

// GetOrganization loads an organization for its admin page in one
// statement, with its invitations live at now, or derrors.ErrNotFound.
func GetOrganization(ctx context.Context, idb bun.IDB, id uuid.UUID, now time.Time) (_ *OrganizationDetail, err error) {
	defer derrors.Wrap(&err, "admin: get organization %s", id)
	d := new(OrganizationDetail)
	err = scanOne(ctx, idb.NewSelect().TableExpr("organizations AS o").
		Join("JOIN addresses AS a ON a.id = o.headquarters_address_id").
		ColumnExpr(organizationColumns).ColumnExpr("a.street, a.postal_code, a.city").
		ColumnExpr(`(SELECT coalesce(jsonb_agg(jsonb_build_object('user_id', u.id, 'email', u.email, 'first_name', u.first_name,
				'last_name', u.last_name, 'status', u.status, 'joined_at', c.created_at) ORDER BY u.email), '[]')
			FROM collaborators AS c JOIN users AS u ON u.id = c.user_id WHERE c.organization_id = o.id) AS collaborator_rows`).
		ColumnExpr(pendingInvitationsSQL, now).
		ColumnExpr(organizationChangesSQL, organizationChangesShown, organizationChangesShown).
		Where("o.id = ?", id), d)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// organizationSearch filters and orders the organizations of f. Name search is
// any part of the name (trigram LIKE) or, for several words, those words in
// any order (full text), accent and case insensitive; a SIREN/SIRET, a
// collaborator's email or a whole name found exactly comes first.
func organizationSearch(q *bun.SelectQuery, f OrganizationFilter) *bun.SelectQuery {
	presence(q, "o.sacem_id", f.Sacem)
	presence(q, "o.sacd_id", f.Sacd)
	if !f.Since.IsZero() {
		q.Where("o.created_at >= ?", f.Since)
	}
	if term := strings.ToLower(f.Query); term != "" {
		organizationTerm(q, term, f.Sort == "")
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

// presence filters on whether column is set (yes) or NULL (no).
func presence(q *bun.SelectQuery, column string, v YesNo) {
	switch v {
	case yes:
		q.Where("? IS NOT NULL", bun.Safe(column))
	case no:
		q.Where("? IS NULL", bun.Safe(column))
	}
}

// organizationTerm searches term (lower-cased) and puts exact matches first;
// rank orders several words by relevance when no sort is asked.
func organizationTerm(q *bun.SelectQuery, term string, rank bool) {
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
	if rank && multiword {
		q.OrderExpr("ts_rank(o.search_vector, plainto_tsquery('simple', immutable_unaccent(?))) DESC", term)
	}
}
