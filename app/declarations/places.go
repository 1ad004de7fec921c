package declarations

import (
	"context"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/organizations"
)

// findOrCreatePlace returns the organization's place with exactly this name
// and address, creating it (and its address) when there is none: an identical
// place is reused (decision D5 in docs/decisions.md), never one of another
// organization.
func findOrCreatePlace(ctx context.Context, idb bun.IDB, orgID uuid.UUID, in PlaceInput) (p *Place, err error) {
	defer derrors.Wrap(&err, "declarations: place %q of %s", in.Name, orgID)
	in = in.Trimmed()
	p = &Place{}
	err = idb.NewSelect().Model(p).Relation("Address").
		Where("place.organization_id = ? AND place.name = ?", orgID, in.Name).
		Where(`address.street = ? AND address.postal_code = ? AND address.city = ? AND address.country_code = 'FR' AND address.subdivision = ''`,
			in.Street, in.PostalCode, in.City).
		OrderExpr("place.created_at, place.id").Limit(1).Scan(ctx)
	if err == nil {
		return p, nil
	}
	if !db.IsNoRows(err) {
		return nil, err
	}
	addressID, err := organizations.InsertAddress(ctx, idb, in.Street, in.PostalCode, in.City)
	if err != nil {
		return nil, err
	}
	a := &Address{ID: addressID, Street: in.Street, PostalCode: in.PostalCode, City: in.City, CountryCode: "FR"}
	p = &Place{OrganizationID: orgID, Name: in.Name, AddressID: a.ID, Address: a}
	if _, err := idb.NewInsert().Model(p).Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// deleteUnusedPlaces deletes those of the places ids that no serie and no
// performance uses any more, with their addresses (decision D5, docs/decisions.md).
func deleteUnusedPlaces(ctx context.Context, idb bun.IDB, ids []uuid.UUID) (err error) {
	defer derrors.Wrap(&err, "declarations: delete unused places")
	if len(ids) == 0 {
		return nil
	}
	var addresses []uuid.UUID
	err = idb.NewRaw(`DELETE FROM places AS p WHERE p.id IN (?)
    AND NOT EXISTS (SELECT 1 FROM event_series AS s WHERE s.place_id = p.id)
    AND NOT EXISTS (SELECT 1 FROM events AS e WHERE e.place_override_id = p.id)
  RETURNING p.address_id`, bun.List(ids)).Scan(ctx, &addresses)
	if err != nil && !db.IsNoRows(err) {
		return err
	}
	return organizations.DeleteAddresses(ctx, idb, addresses)
}
