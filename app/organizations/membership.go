package organizations

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
)

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
	if err != nil {
		return nil, fmt.Errorf("organizations: organizations whose last collaborator is user %s: %w", userID, err)
	}
	return orgs, nil
}

// ErrLastCollaborator refuses to leave an organization nobody else would manage.
var ErrLastCollaborator = derrors.New(derrors.ErrConflict, "organizations.settings.lastCollaborator")

// Leave removes the user userID, whose address is email, from org (decision P6, docs/decisions.md),
// unless they are its last collaborator (ErrLastCollaborator).
func Leave(ctx context.Context, idb bun.IDB, userID uuid.UUID, email string, orgID uuid.UUID, by audit.Actor) (err error) {
	defer derrors.Wrap(&err, "organizations: user %s leaves %s", userID, orgID)
	return db.RunInTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		// Lock the organization so two collaborators leaving at once cannot
		// both see the other one still there.
		if _, err := tx.NewSelect().Model((*Organization)(nil)).Column("id").Where("id = ?", orgID).For("UPDATE").Exec(ctx); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		n, err := tx.NewSelect().Model((*Collaborator)(nil)).Where("organization_id = ?", orgID).Count(ctx)
		if err != nil {
			return fmt.Errorf("count collaborators: %w", err)
		}
		if n <= 1 {
			return ErrLastCollaborator
		}
		if _, err := tx.NewDelete().Model((*Collaborator)(nil)).Where("organization_id = ? AND user_id = ?", orgID, userID).Exec(ctx); err != nil {
			return fmt.Errorf("delete collaborator: %w", err)
		}
		return audit.Record(ctx, tx, membershipAudit(by, ActionLeave, orgID, &userID, email))
	})
}
