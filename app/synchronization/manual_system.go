package synchronization

import (
	"context"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/ticketing"
)

// EnsureManualSystem returns the organization's live MANUAL ticketing system,
// the one holding the series typed by hand, creating it when needed. The
// partial unique index makes two concurrent first manual series share one
// system. Run it inside the transaction creating the serie.
func EnsureManualSystem(ctx context.Context, idb bun.IDB, orgID uuid.UUID) (id uuid.UUID, err error) {
	defer derrors.Wrap(&err, "synchronization: ensure the MANUAL system of %s", orgID)
	if _, err := idb.NewRaw(`INSERT INTO ticketing_systems (organization_id, name) VALUES (?, ?)
ON CONFLICT (organization_id) WHERE name = 'MANUAL' AND deleted_at IS NULL DO NOTHING`, orgID, ticketing.Manual).Exec(ctx); err != nil {
		return uuid.Nil, err
	}
	err = idb.NewRaw(`SELECT id FROM ticketing_systems WHERE organization_id = ? AND name = ? AND deleted_at IS NULL`,
		orgID, ticketing.Manual).Scan(ctx, &id)
	return id, err
}
