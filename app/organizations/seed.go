package organizations

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// SeedMembership makes the user of Email a collaborator of the organization
// of SIREN OfficialID.
type SeedMembership struct {
	OfficialID string
	Email      string
}

// SeedMany inserts the organizations of orgs (each with its
// HeadquartersAddress) whose SIREN does not exist yet, in three statements:
// seeding again adds only what is missing.
func SeedMany(ctx context.Context, idb bun.IDB, orgs []Organization) error {
	if len(orgs) == 0 {
		return nil
	}
	sirens := make([]string, len(orgs))
	for i, o := range orgs {
		sirens[i] = o.OfficialID
	}
	var existing []string
	if err := idb.NewSelect().Table("organizations").Column("official_id").
		Where("official_id = ANY(?)", pgdialect.Array(sirens)).Scan(ctx, &existing); err != nil {
		return fmt.Errorf("organizations: seed: existing SIRENs from %s: %w", sirens[0], err)
	}
	known := make(map[string]bool, len(existing))
	for _, s := range existing {
		known[s] = true
	}
	var addresses []PostalAddress
	var missing []Organization
	for _, o := range orgs {
		if known[o.OfficialID] {
			continue
		}
		// The address id is chosen here so the organization can point to it
		// without reading it back.
		a := *o.HeadquartersAddress
		a.ID = uuid.New()
		o.HeadquartersAddressID = a.ID
		addresses = append(addresses, a)
		missing = append(missing, o)
	}
	if len(missing) == 0 {
		return nil
	}
	if _, err := idb.NewInsert().Model(&addresses).Exec(ctx); err != nil {
		return fmt.Errorf("organizations: seed %d addresses from %s: %w", len(addresses), missing[0].OfficialID, err)
	}
	if _, err := idb.NewInsert().Model(&missing).Exec(ctx); err != nil {
		return fmt.Errorf("organizations: seed %d organizations from %s: %w", len(missing), missing[0].OfficialID, err)
	}
	return nil
}

// SeedManyMemberships adds the collaborators of links that are not yet, in
// one statement; a link naming an unknown SIREN or email is left out.
func SeedManyMemberships(ctx context.Context, idb bun.IDB, links []SeedMembership) error {
	if len(links) == 0 {
		return nil
	}
	sirens, emails := make([]string, len(links)), make([]string, len(links))
	for i, l := range links {
		sirens[i], emails[i] = l.OfficialID, l.Email
	}
	_, err := idb.NewRaw(`INSERT INTO collaborators (user_id, organization_id)
		SELECT u.id, o.id FROM unnest(?::text[], ?::text[]) AS l(siren, email)
		JOIN organizations o ON o.official_id = l.siren
		JOIN users u ON lower(u.email) = lower(l.email)
		ON CONFLICT (user_id, organization_id) DO NOTHING`, pgdialect.Array(sirens), pgdialect.Array(emails)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("organizations: seed %d collaborators from %s: %w", len(links), sirens[0], err)
	}
	return nil
}
