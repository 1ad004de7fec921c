package organizations

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// createPage is the creation page, and its fragments for htmx.
type createPage struct {
	web.Layout
	View *createView
}

// createView gathers what the creation page shows: the company search, the
// chosen company and the form with its address search.
type createView struct {
	Query        string
	Companies    []Company
	SearchError  string
	Selected     *Company
	Form         CreateInput
	Errors       derrors.Fields
	AddressQuery string
	Addresses    []Address
	AddressError string
}

// QueryTooShort tells the company search to ask for more characters.
func (v *createView) QueryTooShort() bool { return QueryTooShort(v.Query) }

// MinQueryLength is how many characters the search needs.
func (*createView) MinQueryLength() int { return MinQueryLength }

func (v *createView) page(c *fiber.Ctx) *createPage {
	title := web.Localizer(c).T("organizations.create.title")
	return &createPage{Layout: web.Layout{Title: title, Breadcrumb: web.Trail(c).Here(title)}, View: v}
}

func formInput(get func(string) string) CreateInput {
	return CreateInput{SIRET: get("siret"), Name: get("name"), Street: get("street"), PostalCode: get("postalCode"), City: get("city")}
}

func queryValue(c *fiber.Ctx) func(string) string {
	return func(k string) string { return c.Query(k) }
}

func formValue(c *fiber.Ctx) func(string) string {
	return func(k string) string { return web.FormValue(c, k) }
}

// directoryError is the message key of a failed look-up: a remote failure is
// retryable and said so, anything else is a real error.
func directoryError(err error, key string) (string, error) {
	if errors.Is(err, ErrDirectoryUnavailable) {
		return key, nil
	}
	return "", err
}

// searchCompanies fills the company results of v.Query.
func (h *Handlers) searchCompanies(c *fiber.Ctx, v *createView) error {
	companies, err := h.svc.Companies.SearchCompanies(c.UserContext(), v.Query)
	if err != nil {
		v.SearchError, err = directoryError(err, "organizations.errors.companyDirectoryUnavailable")
		return err
	}
	v.Companies = companies
	return nil
}

// searchAddresses fills the address results of v.AddressQuery.
func (h *Handlers) searchAddresses(c *fiber.Ctx, v *createView) error {
	addresses, err := h.svc.Addresses.SearchAddresses(c.UserContext(), v.AddressQuery)
	if err != nil {
		v.AddressError, err = directoryError(err, "organizations.errors.addressDirectoryUnavailable")
		return err
	}
	v.Addresses = addresses
	return nil
}

// selectCompany loads the company of v.Form.SIRET and pre-fills the name and
// the address (the first geocoding suggestion) the user did not choose yet.
func (h *Handlers) selectCompany(c *fiber.Ctx, v *createView) error {
	v.Form.SIRET = NormalizeSIRET(v.Form.SIRET)
	if !siretPattern.MatchString(v.Form.SIRET) {
		v.Errors.Add("siret", "organizations.errors.siretMustBe14Digits")
		return nil
	}
	company, err := h.svc.FindCompany(c.UserContext(), v.Form.SIRET)
	if err != nil {
		key, err := directoryError(err, "organizations.errors.companyDirectoryUnavailable")
		v.Errors.Add("siret", key)
		return err
	}
	switch {
	case company == nil:
		v.Errors.Add("siret", "organizations.errors.companyNotFound")
		return nil
	case company.Masked():
		v.Errors.Add("siret", "organizations.errors.organizationMaskedAddress")
		return nil
	}
	v.Selected = company
	if v.Form.Name == "" {
		v.Form.Name = company.Name
	}
	if v.Form.hasAddress() {
		return nil
	}
	found, err := h.svc.Addresses.SearchAddresses(c.UserContext(), company.Address)
	if err != nil {
		key, err := directoryError(err, "organizations.errors.addressDirectoryUnavailable")
		v.Errors.Add("street", key)
		return err
	}
	if len(found) > 0 {
		v.Form.Street, v.Form.PostalCode, v.Form.City = found[0].Street, found[0].PostalCode, found[0].City
	}
	return nil
}

// New shows the creation page. Without JavaScript every step is a GET of this
// page: ?q= searches companies, ?siret= picks one, ?addressQuery= searches
// addresses, and the address fields pick one.
func (h *Handlers) New(c *fiber.Ctx) error {
	v := &createView{Query: c.Query("q"), AddressQuery: c.Query("addressQuery"), Errors: derrors.Fields{}, Form: formInput(queryValue(c))}
	if v.Query != "" {
		if err := h.searchCompanies(c, v); err != nil {
			return err
		}
	}
	if v.Form.SIRET != "" {
		if err := h.selectCompany(c, v); err != nil {
			return err
		}
	}
	if v.Selected != nil && v.AddressQuery != "" {
		if err := h.searchAddresses(c, v); err != nil {
			return err
		}
	}
	return web.Render(c, 0, "pages/organizations/create", "", v.page(c))
}

// CompanyResults is the active search of the SIRET/name field.
func (h *Handlers) CompanyResults(c *fiber.Ctx) error {
	v := &createView{Query: c.Query("q")}
	if err := h.searchCompanies(c, v); err != nil {
		return err
	}
	return web.Render(c, 0, "pages/organizations/create", "partials/organizations/company-results", v.page(c))
}

// AddressResults is the active search of the headquarters address field.
func (h *Handlers) AddressResults(c *fiber.Ctx) error {
	v := &createView{AddressQuery: c.Query("addressQuery"), Form: formInput(queryValue(c))}
	if err := h.searchAddresses(c, v); err != nil {
		return err
	}
	return web.Render(c, 0, "pages/organizations/create", "partials/organizations/address-results", v.page(c))
}

// Create creates the organization and goes to its page.
func (h *Handlers) Create(c *fiber.Ctx) error {
	in := formInput(formValue(c))
	org, company, err := h.svc.Create(c.UserContext(), web.CurrentUser(c).ID, in, web.AuditActor(c))
	if errs, invalid := derrors.AsFields(err); invalid {
		// Selected shows the chosen company again, so the error sits in context.
		v := &createView{Form: in, Errors: errs, Selected: company}
		v.Form.SIRET = NormalizeSIRET(v.Form.SIRET)
		return web.Render(c, fiber.StatusUnprocessableEntity, "pages/organizations/create", "partials/organizations/create-form", v.page(c))
	}
	if err != nil {
		return err
	}
	web.AddFlash(c, "success", "organizations.create.done")
	return web.Redirect(c, paths.To.Organization(org.ID))
}

// AddressPickURL is the creation page with an address chosen, keeping the
// company and the name typed so far.
func (v *createView) AddressPickURL(a Address) string {
	return paths.To.OrganizationCreate("siret", v.Form.SIRET, "name", v.Form.Name, "street", a.Street, "postalCode", a.PostalCode, "city", a.City)
}

// CompanyPickURL is the creation page with a company chosen.
func (v *createView) CompanyPickURL(company Company) string {
	return paths.To.OrganizationCreate("siret", company.OfficialHeadquartersID)
}
