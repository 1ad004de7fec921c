package organizations

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Company is one suggestion of the company directory ("Recherche d'entreprises").
type Company struct {
	OfficialID             string // SIREN
	OfficialHeadquartersID string // SIRET of the headquarters
	Name                   string
	// Address is the headquarters address on one line, as the directory gives
	// it; "[NON-DIFFUSIBLE]" for companies that asked to hide it.
	Address string
}

// maskedMarker is how the directory hides the data of "non-diffusible" companies.
const maskedMarker = "[NON-DIFFUSIBLE]"

// Masked reports whether the company's address is hidden from the public.
func (c Company) Masked() bool { return strings.Contains(c.Address, maskedMarker) }

// Address is one suggestion of the national address base (BAN).
type Address struct {
	Street      string
	PostalCode  string
	City        string
	CountryCode string
}

// Label is the address on one line, for suggestion lists.
func (a Address) Label() string { return a.Street + ", " + a.PostalCode + " " + a.City }

// CompanyDirectory finds companies by SIRET, SIREN or name.
type CompanyDirectory interface {
	SearchCompanies(ctx context.Context, query string) ([]Company, error)
}

// AddressDirectory finds postal addresses.
type AddressDirectory interface {
	SearchAddresses(ctx context.Context, query string) ([]Address, error)
}

// ErrDirectoryUnavailable wraps every remote failure of a directory (timeout,
// refused connection, non-2xx status, malformed body): the user is told to
// retry, the detail goes to the logs.
var ErrDirectoryUnavailable = errors.New("organizations: directory unavailable")

// MinQueryLength is the shortest query sent to a directory: shorter ones
// match too much to be useful, so they answer nothing without a call.
const MinQueryLength = 3

// QueryTooShort tells a directory search that answers nothing because the
// query is too short, so the page asks for more characters instead of saying
// nothing matched.
func QueryTooShort(query string) bool {
	q := strings.TrimSpace(query)
	return q != "" && utf8.RuneCountInString(q) < MinQueryLength
}

// defaultTimeout bounds one directory call; a form must not hang on it.
const defaultTimeout = 5 * time.Second

// maxBody bounds what is read of a directory's answer.
const maxBody = 1 << 20

// httpDirectory holds what both government API clients share.
type httpDirectory struct {
	baseURL string
	client  *http.Client
}

func newHTTPDirectory(baseURL string, timeout time.Duration) httpDirectory {
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	return httpDirectory{baseURL: strings.TrimRight(baseURL, "/"), client: &http.Client{Timeout: timeout}}
}

// getJSON calls path with params and decodes a 2xx JSON answer into out.
func (d httpDirectory) getJSON(ctx context.Context, path string, params url.Values, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.baseURL+path+"?"+params.Encode(), nil)
	if err != nil {
		return fmt.Errorf("organizations: directory request %s: %w", path, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := d.client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDirectoryUnavailable, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("%w: reading %s: %v", ErrDirectoryUnavailable, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%w: %s answered %d: %s", ErrDirectoryUnavailable, path, resp.StatusCode, excerpt(body))
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%w: %s answered malformed JSON: %v", ErrDirectoryUnavailable, path, err)
	}
	return nil
}

func excerpt(b []byte) string {
	s := string(b)
	if len(s) > 300 {
		s = s[:300]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// CompanyClient queries the "Recherche d'entreprises" API
// (https://recherche-entreprises.api.gouv.fr).
type CompanyClient struct{ httpDirectory }

// NewCompanyClient returns a client of the API at baseURL; timeout 0 means 5 s.
func NewCompanyClient(baseURL string, timeout time.Duration) *CompanyClient {
	return &CompanyClient{newHTTPDirectory(baseURL, timeout)}
}

type companySearchResponse struct {
	Results []struct {
		Siren            string `json:"siren"`
		NomComplet       string `json:"nom_complet"`
		NomRaisonSociale string `json:"nom_raison_sociale"`
		Siege            struct {
			Siret      string `json:"siret"`
			GeoAdresse string `json:"geo_adresse"`
			Adresse    string `json:"adresse"`
		} `json:"siege"`
	} `json:"results"`
}

// SearchCompanies returns up to 5 companies matching query.
func (c *CompanyClient) SearchCompanies(ctx context.Context, query string) ([]Company, error) {
	query = strings.TrimSpace(query)
	if utf8.RuneCountInString(query) < MinQueryLength {
		return nil, nil
	}
	params := url.Values{"q": {query}, "include": {"siege"}, "minimal": {"True"}, "page": {"1"}, "per_page": {"5"}}
	var resp companySearchResponse
	if err := c.getJSON(ctx, "/search", params, &resp); err != nil {
		return nil, fmt.Errorf("organizations: search companies %q: %w", query, err)
	}
	companies := make([]Company, 0, len(resp.Results))
	for _, r := range resp.Results {
		company := Company{OfficialID: r.Siren, OfficialHeadquartersID: r.Siege.Siret, Name: r.NomRaisonSociale, Address: r.Siege.GeoAdresse}
		if company.Name == "" {
			company.Name = r.NomComplet
		}
		if company.Address == "" {
			company.Address = r.Siege.Adresse
		}
		companies = append(companies, company)
	}
	return companies, nil
}

// AddressClient queries the national address base through the IGN
// Géoplateforme (https://data.geopf.fr/geocodage).
type AddressClient struct{ httpDirectory }

// NewAddressClient returns a client of the API at baseURL; timeout 0 means 5 s.
func NewAddressClient(baseURL string, timeout time.Duration) *AddressClient {
	return &AddressClient{newHTTPDirectory(baseURL, timeout)}
}

type addressSearchResponse struct {
	Features []struct {
		Properties struct {
			Type     string `json:"type"`
			Name     string `json:"name"`
			Postcode string `json:"postcode"`
			City     string `json:"city"`
		} `json:"properties"`
	} `json:"features"`
}

// postalAddressTypes are the kinds of results precise enough to be an
// address: a whole municipality is not one.
var postalAddressTypes = map[string]bool{"housenumber": true, "street": true, "locality": true}

// SearchAddresses returns up to 5 addresses matching query.
func (c *AddressClient) SearchAddresses(ctx context.Context, query string) ([]Address, error) {
	query = strings.TrimSpace(query)
	if utf8.RuneCountInString(query) < MinQueryLength {
		return nil, nil
	}
	params := url.Values{"q": {query}, "limit": {"5"}, "autocomplete": {"1"}}
	var resp addressSearchResponse
	if err := c.getJSON(ctx, "/search/", params, &resp); err != nil {
		return nil, fmt.Errorf("organizations: search addresses %q: %w", query, err)
	}
	var addresses []Address
	for _, f := range resp.Features {
		p := f.Properties
		if !postalAddressTypes[p.Type] {
			continue
		}
		addresses = append(addresses, Address{Street: p.Name, PostalCode: p.Postcode, City: p.City, CountryCode: "FR"})
	}
	return addresses, nil
}
