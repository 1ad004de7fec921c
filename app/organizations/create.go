package organizations

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
)

// Service runs the organization use cases that need the directories, the
// public base URL (links in emails) or the clock.
type Service struct {
	DB        bun.IDB
	Companies CompanyDirectory
	Addresses AddressDirectory
	BaseURL   string
	// Now is the clock of invitation expiry; time.Now when nil.
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Audit log actions of this domain.
const (
	ActionCreate            = "organization_create"
	ActionUpdate            = "organization_update"
	ActionInvite            = "organization_invite"
	ActionInvitationRevoke  = "organization_invitation_revoke"
	ActionInvitationDecline = "organization_invitation_decline"
	ActionJoin              = "organization_join"
	ActionLeave             = "organization_leave"
)

// CreateInput is the organization creation form. The address fields are
// optional: left empty, the company's headquarters address is geocoded.
type CreateInput struct {
	SIRET      string
	Name       string
	Street     string
	PostalCode string
	City       string
}

var (
	siretPattern      = regexp.MustCompile(`^\d{14}$`)
	postalCodePattern = regexp.MustCompile(`^\d{5}$`)
)

// NormalizeSIRET removes the spaces people type between digit groups.
func NormalizeSIRET(s string) string { return strings.Join(strings.Fields(s), "") }

// validate checks the form alone, before any remote call.
func (in *CreateInput) validate() derrors.Fields {
	errs := derrors.Fields{}
	in.SIRET = NormalizeSIRET(in.SIRET)
	in.Name = strings.TrimSpace(in.Name)
	in.Street, in.PostalCode, in.City = strings.TrimSpace(in.Street), strings.TrimSpace(in.PostalCode), strings.TrimSpace(in.City)
	if !siretPattern.MatchString(in.SIRET) {
		errs.Add("siret", "organizations.errors.siretMustBe14Digits")
	}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		errs.Add("name", "organizations.errors.nameRequired")
	case n > 150:
		errs.Add("name", "organizations.errors.nameTooLong")
	}
	if in.hasAddress() {
		checkAddress(errs, in.Street, in.PostalCode, in.City)
	}
	return errs
}

func (in CreateInput) hasAddress() bool {
	return in.Street != "" || in.PostalCode != "" || in.City != ""
}

func checkAddress(errs derrors.Fields, street, postalCode, city string) {
	if street == "" || utf8.RuneCountInString(street) > 200 {
		errs.Add("street", "organizations.errors.streetRequired")
	}
	if !postalCodePattern.MatchString(postalCode) {
		errs.Add("postalCode", "organizations.errors.postalCodeInvalid")
	}
	if city == "" || utf8.RuneCountInString(city) > 200 {
		errs.Add("city", "organizations.errors.cityRequired")
	}
}

// FindCompany returns the directory's company whose headquarters SIRET is
// siret, or nil.
func (s *Service) FindCompany(ctx context.Context, siret string) (*Company, error) {
	companies, err := s.Companies.SearchCompanies(ctx, siret)
	if err != nil {
		return nil, fmt.Errorf("organizations: find company %s: %w", siret, err)
	}
	for _, c := range companies {
		if c.OfficialHeadquartersID == siret {
			return &c, nil
		}
	}
	return nil, nil
}

// Create creates an organization from its SIRET with its headquarters
// address and userID as its first collaborator, in one transaction; the user
// may belong to other organizations already (decision P15, docs/decisions.md),
// but a company (SIREN or SIRET) has one organization. Form and
// business errors are a derrors.Fields, returned with the directory's company
// when there is one so the form can show it again.
func (s *Service) Create(ctx context.Context, userID uuid.UUID, in CreateInput, by audit.Actor) (_ *Organization, _ *Company, err error) {
	defer derrors.Wrap(&err, "organizations: create organization %s for %s", in.SIRET, userID)
	errs := in.validate()
	if _, malformed := errs["siret"]; malformed {
		return nil, nil, errs
	}
	company, err := s.FindCompany(ctx, in.SIRET)
	if errors.Is(err, ErrDirectoryUnavailable) {
		errs.Add("siret", "organizations.errors.companyDirectoryUnavailable")
		return nil, nil, errs
	}
	if err != nil {
		return nil, nil, err
	}
	switch {
	case company == nil || strings.TrimSpace(company.Address) == "":
		errs.Add("siret", "organizations.errors.companyNotFound")
	case company.Masked():
		errs.Add("siret", "organizations.errors.organizationMaskedAddress")
	}
	if errs.Any() {
		return nil, company, errs
	}
	address := Address{Street: in.Street, PostalCode: in.PostalCode, City: in.City, CountryCode: "FR"}
	if !in.hasAddress() {
		found, err := s.Addresses.SearchAddresses(ctx, company.Address)
		switch {
		case errors.Is(err, ErrDirectoryUnavailable):
			errs.Add("street", "organizations.errors.addressDirectoryUnavailable")
			return nil, company, errs
		case err != nil:
			return nil, nil, fmt.Errorf("geocode headquarters: %w", err)
		case len(found) == 0:
			errs.Add("street", "organizations.errors.addressNotFound")
			return nil, company, errs
		}
		address = found[0]
	}
	org := &Organization{Name: in.Name, OfficialID: company.OfficialID, OfficialHeadquartersID: company.OfficialHeadquartersID}
	err = db.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		taken, err := tx.NewSelect().Model((*Organization)(nil)).
			Where("official_id = ? OR official_headquarters_id = ?", org.OfficialID, org.OfficialHeadquartersID).Exists(ctx)
		if err != nil {
			return fmt.Errorf("look for the same company: %w", err)
		}
		if taken {
			errs.Add("siret", "organizations.errors.anotherOrganizationAlreadyHasThisOfficialId")
			return nil
		}
		row := &PostalAddress{Street: address.Street, PostalCode: address.PostalCode, City: address.City, CountryCode: "FR"}
		if _, err := tx.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert address: %w", err)
		}
		org.HeadquartersAddressID = row.ID
		org.HeadquartersAddress = row
		if _, err := tx.NewInsert().Model(org).ExcludeColumn("created_at", "updated_at").Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert organization: %w", err)
		}
		if _, err := addCollaborator(ctx, tx, org.ID, userID); err != nil {
			return err
		}
		e := by.Entry(ActionCreate)
		e.OrganizationID = &org.ID
		e.Details["siret"], e.Details["name"] = org.OfficialHeadquartersID, org.Name
		return audit.Record(ctx, tx, e)
	})
	if constraint, ok := db.IsUniqueViolation(err); ok && strings.HasPrefix(constraint, "organizations_official") {
		// Another request created the same company between our check and our insert.
		errs.Add("siret", "organizations.errors.anotherOrganizationAlreadyHasThisOfficialId")
		return nil, company, errs
	}
	if err != nil {
		return nil, company, err
	}
	if errs.Any() {
		return nil, company, errs
	}
	return org, company, nil
}

// membershipAudit is the audit entry of a change of who belongs to an
// organization: the subject is the person who joins, leaves or is invited
// (subjectID nil for someone without an account yet).
func membershipAudit(by audit.Actor, action string, orgID uuid.UUID, subjectID *uuid.UUID, subjectEmail string) *audit.Entry {
	e := by.Entry(action)
	e.OrganizationID, e.SubjectUserID, e.SubjectEmail = &orgID, subjectID, subjectEmail
	return e
}
