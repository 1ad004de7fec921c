package organizations

import (
	"context"
	"fmt"
	"regexp"
	"strings"

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
