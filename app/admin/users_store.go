package admin

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/web"
)

// UserRow is one line of the users list.
type UserRow struct {
	ID                uuid.UUID  `bun:"id"`
	Email             string     `bun:"email"`
	FirstName         string     `bun:"first_name"`
	LastName          string     `bun:"last_name"`
	Status            string     `bun:"status"`
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

// ListUsers returns one page of the users list, with the first organizations
// of each user by name and how many they belong to.
func ListUsers(ctx context.Context, idb bun.IDB, f UserFilter, now time.Time) (Page[UserRow], error) {
	ids := userSearch(idb.NewSelect().TableExpr("users AS u").Column("u.id"), f, now)
	var rows []UserRow
	err := pageRows(idb, ids, f.Page, "users", "u").
		ColumnExpr("u.id, u.email, u.first_name, u.last_name, u.status, u.is_admin, u.last_activity_at, u.created_at").
		ColumnExpr("m.organization_names, m.organizations").
		Join(`CROSS JOIN LATERAL (SELECT (array_agg(o.name ORDER BY o.name))[1:?] AS organization_names, count(*) AS organizations
			FROM collaborators c JOIN organizations o ON o.id = c.organization_id WHERE c.user_id = u.id) AS m`, shownOrganizations).
		Scan(ctx, &rows)
	if err != nil {
		return Page[UserRow]{}, err
	}
	return newPage(rows), nil
}

// usersExport is the query of the users CSV export; label translates the
// headers and the status and admin values.
func usersExport(idb bun.IDB, f UserFilter, now time.Time, label func(string) string) *bun.SelectQuery {
	q := idb.NewSelect().TableExpr("users AS u").
		ColumnExpr(csvText("u.email")+" AS ?", bun.Ident(label("admin.users.email"))).
		ColumnExpr(csvText("u.first_name")+" AS ?", bun.Ident(label("admin.users.firstName"))).
		ColumnExpr(csvText("u.last_name")+" AS ?", bun.Ident(label("admin.users.lastName"))).
		ColumnExpr("CASE u.status WHEN ? THEN ? WHEN ? THEN ? ELSE ? END AS ?",
			StatusRegistered, label("admin.status.registered"), StatusConfirmed, label("admin.status.confirmed"),
			label("admin.status.disabled"), bun.Ident(label("admin.users.status"))).
		ColumnExpr("CASE WHEN u.is_admin THEN ? ELSE ? END AS ?",
			label("admin.filters.yes"), label("admin.filters.no"), bun.Ident(label("admin.users.admin"))).
		ColumnExpr(`(SELECT string_agg(o.official_id, ' ' ORDER BY o.official_id) FROM collaborators c
			JOIN organizations o ON o.id = c.organization_id WHERE c.user_id = u.id) AS ?`, bun.Ident(label("admin.users.organizations"))).
		ColumnExpr(parisTime("u.last_activity_at")+" AS ?", bun.Ident(label("admin.users.lastActivity"))).
		ColumnExpr(parisTime("u.created_at")+" AS ?", bun.Ident(label("admin.users.createdAt")))
	return userSearch(q, f, now)
}

// UserDetail is a user with their organizations, for their admin page.
type UserDetail struct {
	UserRow
	DisabledAt  *time.Time `bun:"disabled_at"`
	Memberships []OrganizationRow
}

// GetUser loads a user for their admin page, or web.ErrNotFound.
func GetUser(ctx context.Context, idb bun.IDB, id uuid.UUID) (*UserDetail, error) {
	d := new(UserDetail)
	err := idb.NewSelect().TableExpr("users AS u").
		ColumnExpr("u.id, u.email, u.first_name, u.last_name, u.status, u.is_admin, u.last_activity_at, u.created_at, u.disabled_at").
		Where("u.id = ?", id).Scan(ctx, d)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, web.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	err = idb.NewSelect().TableExpr("organizations AS o").Join("JOIN collaborators AS c ON c.organization_id = o.id").
		ColumnExpr("o.id, o.name, o.official_id, o.official_headquarters_id, o.sacem_id, o.sacd_id, o.created_at").
		Where("c.user_id = ?", id).OrderExpr("o.name").Scan(ctx, &d.Memberships)
	return d, err
}

// userEntry is the audit entry of an admin action on a user.
func userEntry(by audit.Actor, action string, subject *UserDetail) *audit.Entry {
	e := by.Entry(action)
	e.SubjectUserID, e.SubjectEmail = &subject.ID, subject.Email
	return e
}

// Errors of the disable and enable actions, shown to the admin.
var (
	ErrCannotDisableSelf = web.NewError(422, "admin.users.cannotDisableSelf")
	ErrAlreadyDisabled   = web.NewError(409, "admin.users.alreadyDisabled")
	ErrNotDisabled       = web.NewError(409, "admin.users.notDisabled")
)

// DisableUser disables a user (decision P7, docs/decisions.md) in one transaction: status, every session
// revoked at once, the "Compte désactivé" email queued, the audit entry. The
// previous status is kept so re-enabling gives it back.
func DisableUser(ctx context.Context, idb bun.IDB, by audit.Actor, userID uuid.UUID) error {
	if by.UserID == userID {
		return ErrCannotDisableSelf
	}
	return idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := lockUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Status == StatusDisabled {
			return ErrAlreadyDisabled
		}
		if _, err := tx.NewUpdate().Table("users").
			Set("status_before_disable = status, status = ?, disabled_at = now(), updated_at = now()", StatusDisabled).
			Where("id = ?", userID).Exec(ctx); err != nil {
			return err
		}
		if err := web.RevokeUserSessions(ctx, tx, userID, ""); err != nil {
			return err
		}
		if err := mail.Enqueue(ctx, tx, u.Email, mail.AccountDisabled{FirstName: u.FirstName}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, userEntry(by, audit.UserDisabled, u))
	})
}

// EnableUser re-enables a disabled user with the status they had before.
func EnableUser(ctx context.Context, idb bun.IDB, by audit.Actor, userID uuid.UUID) error {
	return idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := lockUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Status != StatusDisabled {
			return ErrNotDisabled
		}
		if _, err := tx.NewUpdate().Table("users").
			Set("status = coalesce(status_before_disable, ?), status_before_disable = NULL, disabled_at = NULL, updated_at = now()", StatusConfirmed).
			Set("failed_sign_ins = 0, locked_until = NULL").
			Where("id = ?", userID).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, userEntry(by, audit.UserEnabled, u))
	})
}

// lockUser loads a user and locks their row for the rest of the transaction,
// so two admins clicking at once do not both send the email.
func lockUser(ctx context.Context, tx bun.Tx, id uuid.UUID) (*UserDetail, error) {
	u := new(UserDetail)
	err := tx.NewSelect().TableExpr("users AS u").ColumnExpr("u.id, u.email, u.first_name, u.last_name, u.status, u.is_admin").
		Where("u.id = ?", id).For("UPDATE").Scan(ctx, u)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, web.ErrNotFound
	}
	return u, err
}
