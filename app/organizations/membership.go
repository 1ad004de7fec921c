package organizations

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// FirstForUser returns the organization userID joined first, the one the
// dashboard opens (the first of ListForUser), or uuid.Nil when they belong to
// none.
func FirstForUser(ctx context.Context, idb bun.IDB, userID uuid.UUID) (uuid.UUID, error) {
	var id uuid.UUID
	err := idb.NewSelect().Model((*Organization)(nil)).Column("organization.id").
		Join("JOIN collaborators AS c ON c.organization_id = organization.id").
		Where("c.user_id = ?", userID).
		OrderExpr("c.created_at, organization.name").
		Limit(1).
		Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return uuid.Nil, nil
	}
	return id, err
}

// SoleCollaboratorOf lists, by name, the organizations userID is the last
// collaborator of: deleting their account leaves those without anyone, for
// the support team to take over.
func SoleCollaboratorOf(ctx context.Context, idb bun.IDB, userID uuid.UUID) ([]Organization, error) {
	var orgs []Organization
	err := idb.NewSelect().Model(&orgs).
		Join("JOIN collaborators AS c ON c.organization_id = organization.id").
		Where("c.user_id = ?", userID).
		Where("NOT EXISTS (SELECT 1 FROM collaborators AS other WHERE other.organization_id = organization.id AND other.user_id <> ?)", userID).
		OrderExpr("organization.name, organization.id").
		Scan(ctx)
	return orgs, err
}
