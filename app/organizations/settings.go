package organizations

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
)

// IdentifiersInput is the SACEM and SACD ids form; empty means none.
type IdentifiersInput struct {
	SacemID string
	SacdID  string
}

var collectingSocietyIDPattern = regexp.MustCompile(`^\d{1,10}$`)

// UpdateIdentifiers sets the SACEM and SACD ids of org (decision D6 in docs/decisions.md: own
// format messages; an id of another organization is a field error).
// Format and uniqueness errors are a derrors.Fields.
func UpdateIdentifiers(ctx context.Context, idb bun.IDB, org *Organization, in IdentifiersInput, by audit.Actor) (err error) {
	defer derrors.Wrap(&err, "organizations: update the identifiers of %s", org.ID)
	in.SacemID, in.SacdID = strings.TrimSpace(in.SacemID), strings.TrimSpace(in.SacdID)
	errs := derrors.Fields{}
	if in.SacemID != "" && !collectingSocietyIDPattern.MatchString(in.SacemID) {
		errs.Add("sacemId", "organizations.errors.sacemIdMustBeDigits")
	}
	if in.SacdID != "" && !collectingSocietyIDPattern.MatchString(in.SacdID) {
		errs.Add("sacdId", "organizations.errors.sacdIdMustBeDigits")
	}
	if errs.Any() {
		return errs
	}
	for _, f := range []struct{ field, column, value, key string }{
		{"sacemId", "sacem_id", in.SacemID, "organizations.errors.sacemIdAlreadyUsed"},
		{"sacdId", "sacd_id", in.SacdID, "organizations.errors.sacdIdAlreadyUsed"},
	} {
		if f.value == "" {
			continue
		}
		used, err := idb.NewSelect().Model((*Organization)(nil)).
			Where("? = ? AND id <> ?", bun.Ident(f.column), f.value, org.ID).Exists(ctx)
		if err != nil {
			return fmt.Errorf("look for %s %s: %w", f.column, f.value, err)
		}
		if used {
			errs.Add(f.field, f.key)
		}
	}
	if errs.Any() {
		return errs
	}
	org.SacemID, org.SacdID = nilIfEmpty(in.SacemID), nilIfEmpty(in.SacdID)
	err = db.RunInTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(org).Column("sacem_id", "sacd_id").Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("update: %w", err)
		}
		e := by.Entry(ActionUpdate)
		e.OrganizationID = &org.ID
		e.Details["sacemId"], e.Details["sacdId"] = in.SacemID, in.SacdID
		return audit.Record(ctx, tx, e)
	})
	switch constraint, _ := db.IsUniqueViolation(err); constraint {
	case "organizations_sacem_id_key":
		errs.Add("sacemId", "organizations.errors.sacemIdAlreadyUsed")
		return errs
	case "organizations_sacd_id_key":
		errs.Add("sacdId", "organizations.errors.sacdIdAlreadyUsed")
		return errs
	}
	return err
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// SettingsData is what the settings page shows of an organization.
type SettingsData struct {
	Organization *Organization // with its HeadquartersAddress
	Members      []Member      // by name
	Invitations  []Invitation  // newest first, expired ones included (they can be revoked or sent again)
}

// Settings reads the organization orgID with its headquarters address, its
// collaborators and its pending invitations in one statement.
func Settings(ctx context.Context, idb bun.IDB, orgID uuid.UUID) (_ *SettingsData, err error) {
	defer derrors.Wrap(&err, "organizations: settings of %s", orgID)
	org := &Organization{ID: orgID, HeadquartersAddress: &PostalAddress{}}
	a := org.HeadquartersAddress
	var members, invitations string // not []byte: Bun scans a []byte destination as a list
	err = idb.NewRaw(`SELECT o.name, o.official_id, o.official_headquarters_id, o.sacem_id, o.sacd_id,
	a.id, a.street, a.city, a.postal_code, a.country_code,
	(SELECT coalesce(json_agg(json_build_object('user_id', u.id, 'email', u.email, 'first_name', u.first_name,
			'last_name', u.last_name, 'since', c.created_at) ORDER BY u.last_name, u.first_name, u.email), '[]')
		FROM collaborators AS c JOIN users AS u ON u.id = c.user_id WHERE c.organization_id = o.id),
	(SELECT coalesce(json_agg(json_build_object('id', i.id, 'email', i.email, 'expires_at', i.expires_at,
			'created_at', i.created_at) ORDER BY i.created_at DESC), '[]')
		FROM organization_invitations AS i WHERE i.organization_id = o.id)
FROM organizations AS o JOIN addresses AS a ON a.id = o.headquarters_address_id
WHERE o.id = ?`, orgID).Scan(ctx, &org.Name, &org.OfficialID, &org.OfficialHeadquartersID, &org.SacemID, &org.SacdID,
		&a.ID, &a.Street, &a.City, &a.PostalCode, &a.CountryCode, &members, &invitations)
	if err != nil {
		return nil, err
	}
	org.HeadquartersAddressID = a.ID
	d := &SettingsData{Organization: org}
	if err := json.Unmarshal([]byte(members), &d.Members); err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	if err := json.Unmarshal([]byte(invitations), &d.Invitations); err != nil {
		return nil, fmt.Errorf("invitations: %w", err)
	}
	for i := range d.Invitations {
		d.Invitations[i].OrganizationID = orgID
	}
	return d, nil
}
