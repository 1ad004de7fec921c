package organizations_test

import (
	"context"
	"errors"
	"net/url"
	"reflect"
	"testing"
	"time"

	"assistant-declaration/app/organizations"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/config"
)

func TestCompanyClient(t *testing.T) {
	t.Parallel()
	fake := orgtest.NewCompanyAPI(t)
	client := organizations.NewCompanyClient(fake.URL, 200*time.Millisecond)
	ctx := context.Background()

	got, err := client.SearchCompanies(ctx, " "+orgtest.DinumSIRET+" ")
	if err != nil {
		t.Fatal(err)
	}
	want := []organizations.Company{{OfficialID: "130025265", OfficialHeadquartersID: "13002526500013",
		Name: "DIRECTION INTERMINISTERIELLE DU NUMERIQUE", Address: "20 Avenue de Ségur 75007 Paris"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	wantQuery := url.Values{"q": {orgtest.DinumSIRET}, "include": {"siege"}, "minimal": {"True"}, "page": {"1"}, "per_page": {"5"}}
	if q := fake.Queries(); len(q) != 1 || !reflect.DeepEqual(q[0], wantQuery) {
		t.Fatalf("query params = %v, want %v", q, wantQuery)
	}

	masked, err := client.SearchCompanies(ctx, orgtest.MaskedSIRET)
	if err != nil || len(masked) != 1 || !masked[0].Masked() || masked[0].Name != "[NON-DIFFUSIBLE]" {
		t.Fatalf("masked company: %+v, %v", masked, err)
	}
	if short, err := client.SearchCompanies(ctx, "ab"); err != nil || short != nil || len(fake.Queries()) != 2 {
		t.Fatalf("a query under 3 characters must answer nothing without a call: %v %v %d", short, err, len(fake.Queries()))
	}
}

func TestAddressClient(t *testing.T) {
	t.Parallel()
	fake := orgtest.NewAddressAPI(t)
	client := organizations.NewAddressClient(fake.URL+"/", 200*time.Millisecond)
	got, err := client.SearchAddresses(context.Background(), "4 rue Jean Moulin Rennes")
	if err != nil {
		t.Fatal(err)
	}
	want := []organizations.Address{
		{Street: "4 Rue Jean Moulin", PostalCode: "35000", City: "Rennes", CountryCode: "FR"},
		{Street: "Rue Jean Moulin", PostalCode: "35000", City: "Rennes", CountryCode: "FR"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("municipalities must be dropped: got %+v", got)
	}
	wantQuery := url.Values{"q": {"4 rue Jean Moulin Rennes"}, "limit": {"5"}, "autocomplete": {"1"}}
	if q := fake.Queries(); len(q) != 1 || !reflect.DeepEqual(q[0], wantQuery) {
		t.Fatalf("query params = %v, want %v", q, wantQuery)
	}
}

// Every remote failure is ErrDirectoryUnavailable, never a raw error or a panic.
func TestDirectoryFailures(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{orgtest.ServerErr, orgtest.Malformed, orgtest.Hang} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			companies, addresses := orgtest.NewCompanyAPI(t), orgtest.NewAddressAPI(t)
			companies.SetMode(mode)
			addresses.SetMode(mode)
			start := time.Now()
			_, err := organizations.NewCompanyClient(companies.URL, 100*time.Millisecond).SearchCompanies(context.Background(), "DINUM")
			if !errors.Is(err, organizations.ErrDirectoryUnavailable) {
				t.Errorf("company: %v", err)
			}
			_, err = organizations.NewAddressClient(addresses.URL, 100*time.Millisecond).SearchAddresses(context.Background(), "Rennes")
			if !errors.Is(err, organizations.ErrDirectoryUnavailable) {
				t.Errorf("address: %v", err)
			}
			if time.Since(start) > 2*time.Second {
				t.Errorf("the timeout was not applied")
			}
		})
	}
}

func TestNewDirectoriesUsesTheMockOnlyOutsideProductionWithDefaultURLs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		mode       config.Mode
		companyURL string
		mock       bool
	}{
		{"dev defaults", config.ModeDev, config.DefaultCompanyAPIBaseURL, true},
		{"test defaults", config.ModeTest, config.DefaultCompanyAPIBaseURL + "/", true},
		{"dev with a fake", config.ModeDev, "http://127.0.0.1:1", false},
		{"prod defaults", config.ModeProd, config.DefaultCompanyAPIBaseURL, false},
	}
	for _, tt := range tests {
		cfg := &config.Config{Mode: tt.mode, CompanyAPIBaseURL: tt.companyURL, AddressAPIBaseURL: config.DefaultAddressAPIBaseURL}
		companies, addresses := organizations.NewDirectories(cfg)
		_, companyMock := companies.(organizations.MockDirectory)
		_, addressMock := addresses.(organizations.MockDirectory)
		if companyMock != tt.mock || addressMock != (tt.mode != config.ModeProd) {
			t.Errorf("%s: company mock %v, address mock %v", tt.name, companyMock, addressMock)
		}
	}
}

func TestMockDirectory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := organizations.MockDirectory{}
	tests := []struct {
		query string
		want  string // SIRET of the only result, "" for none
	}{
		{"DINUM", organizations.SampleCompany.OfficialHeadquartersID},
		{"130 025 265", organizations.SampleCompany.OfficialHeadquartersID},
		{"12345678900011", "12345678900011"},
		{"1234567", ""},
		{"ab", ""},
	}
	for _, tt := range tests {
		got, err := m.SearchCompanies(ctx, tt.query)
		if err != nil {
			t.Fatal(err)
		}
		if (tt.want == "" && len(got) != 0) || (tt.want != "" && (len(got) != 1 || got[0].OfficialHeadquartersID != tt.want)) {
			t.Errorf("SearchCompanies(%q) = %+v, want %s", tt.query, got, tt.want)
		}
	}
	if a, _ := m.SearchAddresses(ctx, "somewhere"); len(a) != 1 || a[0] != organizations.SampleAddress {
		t.Errorf("SearchAddresses = %+v", a)
	}
}
