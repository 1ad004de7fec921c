// Package organizations owns organizations, their collaborators and the
// invitations to join them (decision P6, docs/decisions.md), and the company and address
// look-ups used to create them.
//
// Every collaborator of an organization has the same rights. Routes under
// /dashboard/organization/:organizationId go through RequireCollaborator,
// which answers 404 to anyone else, admins included (they have /admin).
package organizations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// Organization is an entrepreneur's company.
type Organization struct {
	bun.BaseModel `bun:"table:organizations"`

	ID                     uuid.UUID `bun:"id,pk,type:uuid,default:gen_random_uuid()"`
	Name                   string    `bun:"name"`
	OfficialID             string    `bun:"official_id"`              // SIREN
	OfficialHeadquartersID string    `bun:"official_headquarters_id"` // SIRET
	HeadquartersAddressID  uuid.UUID `bun:"headquarters_address_id,type:uuid"`
	SacemID                *string   `bun:"sacem_id"`
	SacdID                 *string   `bun:"sacd_id"`
	CreatedAt              time.Time `bun:"created_at,nullzero,default:now()"`
	UpdatedAt              time.Time `bun:"updated_at,nullzero,default:now()"`

	HeadquartersAddress *PostalAddress `bun:"rel:belongs-to,join:headquarters_address_id=id"`
}

// PostalAddress is a row of the addresses table.
type PostalAddress struct {
	bun.BaseModel `bun:"table:addresses"`

	ID          uuid.UUID `bun:"id,pk,type:uuid,default:gen_random_uuid()"`
	Street      string    `bun:"street"`
	City        string    `bun:"city"`
	PostalCode  string    `bun:"postal_code"`
	CountryCode string    `bun:"country_code"`
}

// Collaborator links a user to an organization.
type Collaborator struct {
	bun.BaseModel `bun:"table:collaborators"`

	ID             uuid.UUID `bun:"id,pk,type:uuid,default:gen_random_uuid()"`
	UserID         uuid.UUID `bun:"user_id,type:uuid"`
	OrganizationID uuid.UUID `bun:"organization_id,type:uuid"`
	CreatedAt      time.Time `bun:"created_at,nullzero,default:now()"`
}

// Member is a collaborator with the user's name and email, for lists.
type Member struct {
	UserID    uuid.UUID `bun:"user_id" json:"user_id"`
	Email     string    `bun:"email" json:"email"`
	FirstName string    `bun:"first_name" json:"first_name"`
	LastName  string    `bun:"last_name" json:"last_name"`
	Since     time.Time `bun:"created_at" json:"since"`
}

// Name is the name of the organization id, for the pages of other packages
// that name it; derrors.ErrNotFound when there is none.
func Name(ctx context.Context, idb bun.IDB, id uuid.UUID) (string, error) {
	var name string
	err := idb.NewSelect().Table("organizations").Column("name").Where("id = ?", id).Scan(ctx, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", derrors.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("organizations: name of %s: %w", id, err)
	}
	return name, nil
}

// addCollaborator makes userID a collaborator of orgID; being one already is fine.
func addCollaborator(ctx context.Context, idb bun.IDB, orgID, userID uuid.UUID) (added bool, err error) {
	res, err := idb.NewInsert().Model(&Collaborator{UserID: userID, OrganizationID: orgID}).
		ExcludeColumn("id", "created_at").
		On("CONFLICT (user_id, organization_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("organizations: add collaborator %s to %s: %w", userID, orgID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("organizations: add collaborator %s to %s: %w", userID, orgID, err)
	}
	return n > 0, nil
}
