package agencies

import (
	"context"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/web"
)

// organismAgencies is one organism's table on the back office page.
type organismAgencies struct {
	Organism Organism
	Agencies []Agency
}

// CodesKey names the column of an organism's codes: exact postal codes for
// SACEM, prefixes for SACD (decision D4 in docs/decisions.md).
func (o organismAgencies) CodesKey() string {
	if o.Organism == Sacd {
		return "agencies.admin.prefixes"
	}
	return "agencies.admin.postalCodes"
}

// TitleKey names the organism's table.
func (o organismAgencies) TitleKey() string {
	if o.Organism == Sacd {
		return "agencies.admin.sacd"
	}
	return "agencies.admin.sacem"
}

// lookup is the answer to "which agency receives postal code …".
type lookup struct {
	PostalCode string
	Sacem      *Agency // nil: no SACEM agency serves it
	Sacd       *Agency // nil: no SACD agency serves it
}

// adminView is the back office page of the agencies.
type adminView struct {
	web.Layout
	Organisms  []organismAgencies
	PostalCode string
	Lookup     *lookup // nil until a valid postal code is looked up
	Errors     derrors.Fields
}

// Admin lists both organisms' agencies and, given ?postalCode=, the agencies
// that receive that postal code's declarations.
func (h *Handlers) Admin(c *fiber.Ctx) error {
	ctx := c.UserContext()
	all, err := List(ctx, h.db)
	if err != nil {
		return err
	}
	v := &adminView{
		Layout:     web.AdminSection(c, "agencies.admin.title"),
		Organisms:  []organismAgencies{{Organism: Sacem}, {Organism: Sacd}},
		PostalCode: strings.TrimSpace(c.Query("postalCode")),
	}
	for _, a := range all {
		i := 0
		if a.Organism == Sacd {
			i = 1
		}
		v.Organisms[i].Agencies = append(v.Organisms[i].Agencies, a)
	}
	status := 0
	switch {
	case v.PostalCode == "":
	case !sacemPostalCodeOK(v.PostalCode):
		v.Errors = derrors.Fields{"postalCode": "agencies.admin.invalidPostalCode"}
		status = fiber.StatusUnprocessableEntity
	default:
		if v.Lookup, err = lookUp(ctx, h.db, v.PostalCode); err != nil {
			return err
		}
	}
	return web.Render(c, status, "pages/agencies/admin", "", v)
}

func sacemPostalCodeOK(code string) bool {
	_, ok := sacemPostalCode(code)
	return ok
}

// lookUp routes postalCode as a declaration would, "not found" being an
// answer rather than an error.
func lookUp(ctx context.Context, idb bun.IDB, postalCode string) (*lookup, error) {
	l := &lookup{PostalCode: postalCode}
	var err error
	if l.Sacem, err = SacemAgencyFor(ctx, idb, postalCode); errors.Is(err, ErrSacemAgencyNotFound) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	if l.Sacd, err = SacdAgencyFor(ctx, idb, postalCode); errors.Is(err, ErrSacdAgencyNotFound) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return l, nil
}
