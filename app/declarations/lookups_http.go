package declarations

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/web"
)

// lookupView is the results of a place address or producer look-up.
type lookupView struct {
	web.Layout
	Form      *formView
	Query     string
	Addresses []organizations.Address
	Companies []organizations.Company
	Error     string
}

// QueryTooShort tells the company search to ask for more characters.
func (v *lookupView) QueryTooShort() bool { return organizations.QueryTooShort(v.Query) }

// MinQueryLength is how many characters the search needs.
func (*lookupView) MinQueryLength() int { return organizations.MinQueryLength }

// lookupError is the message of a failed look-up: a remote failure is
// retryable and said so, anything else is a real error.
func lookupError(err error, key string) (string, error) {
	if errors.Is(err, organizations.ErrDirectoryUnavailable) {
		return key, nil
	}
	return "", err
}

func (h *Handlers) lookup(c *fiber.Ctx) (*lookupView, error) {
	id, err := serieID(c, "eventSerieId")
	if err != nil {
		return nil, err
	}
	// The results only need the serie's own groups: the serie alone is read
	// (a look-up runs at every pause in the typing), not its performances.
	orgID := organizations.CurrentOrganization(c).ID
	d := &Declaration{}
	if err := loadSerie(c.UserContext(), h.db, d, orgID, id, false); err != nil {
		return nil, err
	}
	v := newFormView(orgID, d)
	v.L = web.Localizer(c)
	return &lookupView{Form: v, Query: strings.TrimSpace(c.Query("_q"))}, nil
}

// Addresses is the look-up of a place's address (the organization creation's
// address directory); choosing a result saves the place's address.
func (h *Handlers) Addresses(c *fiber.Ctx) (err error) {
	defer derrors.Wrap(&err, "declarations: look up addresses for serie %s", c.Params("eventSerieId"))
	v, err := h.lookup(c)
	if err != nil {
		return err
	}
	if v.Addresses, err = h.addresses.SearchAddresses(c.UserContext(), v.Query); err != nil {
		if v.Error, err = lookupError(err, "organizations.errors.addressDirectoryUnavailable"); err != nil {
			return err
		}
	}
	return web.Render(c, 0, "partials/declarations/address-results", "partials/declarations/address-results", v)
}

// Companies is the look-up of the producer (the organization creation's
// company directory); choosing a result saves the producer.
func (h *Handlers) Companies(c *fiber.Ctx) (err error) {
	defer derrors.Wrap(&err, "declarations: look up companies for serie %s", c.Params("eventSerieId"))
	v, err := h.lookup(c)
	if err != nil {
		return err
	}
	if v.Companies, err = h.companies.SearchCompanies(c.UserContext(), v.Query); err != nil {
		if v.Error, err = lookupError(err, "organizations.errors.companyDirectoryUnavailable"); err != nil {
			return err
		}
	}
	return web.Render(c, 0, "partials/declarations/company-results", "partials/declarations/company-results", v)
}
