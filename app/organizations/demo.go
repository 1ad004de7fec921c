package organizations

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
)

// SeedDemo makes sure the demonstration organization (the look-ups'
// sample company, the DINUM, rule R5 in docs/decisions.md) exists with userID as a collaborator. It is
// idempotent: dev mode calls it at every start.
func SeedDemo(ctx context.Context, idb bun.IDB, userID uuid.UUID) (_ *Organization, err error) {
	defer derrors.Wrap(&err, "organizations: seed the demo organization of %s", userID)
	org := new(Organization)
	err = db.RunInTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		err := tx.NewSelect().Model(org).Where("official_id = ?", SampleCompany.OfficialID).Scan(ctx)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			address := &PostalAddress{Street: segurAddress.Street, PostalCode: segurAddress.PostalCode, City: segurAddress.City, CountryCode: "FR"}
			if _, err := tx.NewInsert().Model(address).Returning("id").Exec(ctx); err != nil {
				return err
			}
			*org = Organization{Name: SampleCompany.Name, OfficialID: SampleCompany.OfficialID,
				OfficialHeadquartersID: SampleCompany.OfficialHeadquartersID, HeadquartersAddressID: address.ID}
			if _, err := tx.NewInsert().Model(org).ExcludeColumn("created_at", "updated_at").Returning("id").Exec(ctx); err != nil {
				return err
			}
		case err != nil:
			return err
		}
		_, err = addCollaborator(ctx, tx, org.ID, userID)
		return err
	})
	return org, err
}
