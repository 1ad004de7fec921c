package admin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
)

// UserRow is one line of the users list.
type UserRow struct {
	ID                uuid.UUID  `bun:"id"`
	Email             string     `bun:"email"`
	FirstName         string     `bun:"first_name"`
	LastName          string     `bun:"last_name"`
	Status            UserStatus `bun:"status"`
	IsAdmin           bool       `bun:"is_admin"`
	LastActivityAt    *time.Time `bun:"last_activity_at"`
	CreatedAt         time.Time  `bun:"created_at"`
	OrganizationNames []string   `bun:"organization_names,array"`
	Organizations     int        `bun:"organizations"`
}

// MoreOrganizations is how many organizations the list does not name.
func (u UserRow) MoreOrganizations() int { return u.Organizations - len(u.OrganizationNames) }

// shownOrganizations is how many organization names a users list row shows.
const shownOrganizations = 3

// userColumns are the columns of a UserRow but its organizations.
const userColumns = "u.id, u.email, u.first_name, u.last_name, u.status, u.is_admin, u.last_activity_at, u.created_at"

var usersList = listSpec{
	table: "users", alias: "u", tableID: "users-table", caption: "admin.users.caption",
	search: "admin.users.search", searchHint: "admin.users.searchHint",
	columns: []Column{
		{Label: "admin.users.email", Sort: "email"}, {Label: "admin.users.name"}, {Label: "admin.users.status"},
		{Label: "admin.users.organizations"}, {Label: "admin.users.lastActivity", Sort: "activity"},
		{Label: "admin.users.createdAt", Sort: "created"},
	},
	export: paths.To.AdminUsersExport,
}

// ListUsers returns one page of the users list, with the first organizations
// of each user by name and how many they belong to.
func ListUsers(ctx context.Context, d *db.DB, f UserFilter, now time.Time) (_ Page[UserRow], err error) {
	defer derrors.Wrap(&err, "admin: list users")
	return pageRows[UserRow](ctx, d, usersList, f.Page,
		func(q *bun.SelectQuery) *bun.SelectQuery { return userSearch(q, f, now) },
		func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.ColumnExpr(userColumns).ColumnExpr("m.organization_names, m.organizations").
				Join(`CROSS JOIN LATERAL (SELECT (array_agg(o.name ORDER BY o.name))[1:?] AS organization_names, count(*) AS organizations
					FROM collaborators c JOIN organizations o ON o.id = c.organization_id WHERE c.user_id = u.id) AS m`, shownOrganizations)
		})
}

// userSearch filters and orders the users of f; an exact email comes first.
func userSearch(q *bun.SelectQuery, f UserFilter, now time.Time) *bun.SelectQuery {
	if f.Status != "" {
		q.Where("u.status = ?", f.Status)
	}
	switch f.Admin {
	case yes:
		q.Where("u.is_admin")
	case no:
		q.Where("NOT u.is_admin")
	}
	switch f.Activity {
	case activityRecent:
		q.Where("u.last_activity_at >= ?", now.Add(-recentActivity))
	case activityDormant:
		q.Where("u.last_activity_at < ?", now.Add(-dormantAfter))
	case activityNever:
		q.Where("u.last_activity_at IS NULL")
	}
	if term := strings.ToLower(f.Query); term != "" {
		q.Where("u.search_text LIKE immutable_unaccent(?)", likePattern(term))
		q.OrderExpr("lower(u.email) = ? DESC", term)
	}
	switch f.Sort {
	case "-email":
		q.OrderExpr("lower(u.email) DESC")
	case "created":
		q.OrderExpr("u.created_at, u.id")
	case "-created":
		q.OrderExpr("u.created_at DESC, u.id DESC")
	case "activity":
		q.OrderExpr("u.last_activity_at NULLS FIRST, u.id")
	case "-activity":
		q.OrderExpr("u.last_activity_at DESC NULLS LAST, u.id DESC")
	default:
		q.OrderExpr("lower(u.email)")
	}
	return q
}

// UserDetail is a user with their organizations, for their admin page.
type UserDetail struct {
	UserRow
	DisabledAt *time.Time `bun:"disabled_at"`
	// Memberships are the organizations the user collaborates in, by name.
	Memberships []Membership `bun:"memberships,type:jsonb"`
}

// Membership names an organization a user collaborates in.
type Membership struct {
	ID         uuid.UUID `json:"id"`
	Name       string    `json:"name"`
	OfficialID string    `json:"official_id"` // SIREN
}

// GetUser loads a user with their organizations for their admin page, in
// one statement, or derrors.ErrNotFound.
func GetUser(ctx context.Context, idb bun.IDB, id uuid.UUID) (_ *UserDetail, err error) {
	defer derrors.Wrap(&err, "admin: get user %s", id)
	d := new(UserDetail)
	err = scanOne(ctx, idb.NewSelect().TableExpr("users AS u").
		ColumnExpr(userColumns).ColumnExpr("u.disabled_at").
		ColumnExpr(`(SELECT coalesce(jsonb_agg(jsonb_build_object('id', o.id, 'name', o.name, 'official_id', o.official_id) ORDER BY o.name, o.id), '[]')
			FROM organizations AS o JOIN collaborators AS c ON c.organization_id = o.id WHERE c.user_id = u.id) AS memberships`).
		Where("u.id = ?", id), d)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// recentAuditEntries is how many audit entries a user's page shows.
const recentAuditEntries = 10

// userAudit returns the latest audit entries about or by a user.
func userAudit(ctx context.Context, idb bun.IDB, id uuid.UUID) ([]audit.Entry, error) {
	var entries []audit.Entry
	err := idb.NewSelect().Model(&entries).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("subject_user_id = ?", id).WhereOr("actor_user_id = ?", id)
		}).
		Order("id DESC").Limit(recentAuditEntries).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("admin: audit entries of user %s: %w", id, err)
	}
	return entries, nil
}

// scanOne scans the one row of q into dest; no row is derrors.ErrNotFound.
func scanOne(ctx context.Context, q *bun.SelectQuery, dest any) error {
	err := q.Scan(ctx, dest)
	if errors.Is(err, sql.ErrNoRows) {
		return derrors.ErrNotFound
	}
	return err
}
