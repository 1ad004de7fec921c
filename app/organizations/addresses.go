package organizations

import (
	"context"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// InsertAddress stores a French postal address (an organization's
// headquarters, a place of package declarations) and returns its id.
func InsertAddress(ctx context.Context, idb bun.IDB, street, postalCode, city string) (_ uuid.UUID, err error) {
	defer derrors.Wrap(&err, "organizations: insert address in %s", postalCode)
	a := &PostalAddress{Street: street, PostalCode: postalCode, City: city, CountryCode: "FR"}
	if _, err := idb.NewInsert().Model(a).Returning("id").Exec(ctx); err != nil {
		return uuid.Nil, err
	}
	return a.ID, nil
}

// DeleteAddresses deletes addresses nothing refers to any more (the places
// package declarations deleted).
func DeleteAddresses(ctx context.Context, idb bun.IDB, ids []uuid.UUID) (err error) {
	defer derrors.Wrap(&err, "organizations: delete %d addresses", len(ids))
	if len(ids) == 0 {
		return nil
	}
	_, err = idb.NewDelete().Model((*PostalAddress)(nil)).Where("id IN (?)", bun.List(ids)).Exec(ctx)
	return err
}
