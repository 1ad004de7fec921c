package organizations

import (
	"context"
	"strings"
	"unicode/utf8"

	"assistant-declaration/config"
)

// NewDirectories picks the directories for cfg: the real APIs in production or
// whenever a base URL was configured (staging, tests with HTTP fakes), the
// in-process mock otherwise, so development works without internet access.
func NewDirectories(cfg *config.Config) (CompanyDirectory, AddressDirectory) {
	var companies CompanyDirectory = NewCompanyClient(cfg.CompanyAPIBaseURL, 0)
	var addresses AddressDirectory = NewAddressClient(cfg.AddressAPIBaseURL, 0)
	if !cfg.IsProd() && strings.TrimRight(cfg.CompanyAPIBaseURL, "/") == config.DefaultCompanyAPIBaseURL {
		companies = MockDirectory{}
	}
	if !cfg.IsProd() && strings.TrimRight(cfg.AddressAPIBaseURL, "/") == config.DefaultAddressAPIBaseURL {
		addresses = MockDirectory{}
	}
	return companies, addresses
}

// Sample data of the specification's mocks.
var (
	// SampleCompany is the DINUM.
	SampleCompany = Company{
		OfficialID:             "130025265",
		OfficialHeadquartersID: "13002526500013",
		Name:                   "DIRECTION INTERMINISTERIELLE DU NUMERIQUE",
		Address:                "20 Avenue de Ségur 75007 Paris",
	}
	// SampleAddress is "4 Rue Jean Moulin, 35000 Rennes".
	SampleAddress = Address{Street: "4 Rue Jean Moulin", PostalCode: "35000", City: "Rennes", CountryCode: "FR"}
	segurAddress  = Address{Street: "20 Avenue de Ségur", PostalCode: "75007", City: "Paris", CountryCode: "FR"}
)

// MockDirectory answers without the network, for development and tests. It
// knows the DINUM by name, SIREN or SIRET; any other 14-digit SIRET is a
// made-up company headquartered at the sample address, so several
// organizations can be created offline.
type MockDirectory struct{}

// SearchCompanies implements CompanyDirectory.
func (MockDirectory) SearchCompanies(_ context.Context, query string) ([]Company, error) {
	query = strings.Join(strings.Fields(query), "")
	if utf8.RuneCountInString(query) < MinQueryLength {
		return nil, nil
	}
	if strings.HasPrefix(SampleCompany.OfficialHeadquartersID, query) || !isDigits(query) {
		return []Company{SampleCompany}, nil
	}
	if len(query) == 14 {
		return []Company{{
			OfficialID:             query[:9],
			OfficialHeadquartersID: query,
			Name:                   "ENTREPRISE DE DÉMONSTRATION " + query[:9],
			Address:                SampleAddress.Street + " " + SampleAddress.PostalCode + " " + SampleAddress.City,
		}}, nil
	}
	return nil, nil
}

// SearchAddresses implements AddressDirectory.
func (MockDirectory) SearchAddresses(_ context.Context, query string) ([]Address, error) {
	if utf8.RuneCountInString(strings.TrimSpace(query)) < MinQueryLength {
		return nil, nil
	}
	if strings.Contains(strings.ToLower(query), "ségur") {
		return []Address{segurAddress}, nil
	}
	return []Address{SampleAddress}, nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
