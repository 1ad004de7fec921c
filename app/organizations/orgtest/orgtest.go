// Package orgtest provides HTTP fakes of the company directory ("Recherche
// d'entreprises") and of the address API (Géoplateforme), for tests of the
// real clients and of the whole application.
package orgtest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/users"
)

// Sample answers: the DINUM, a "non-diffusible" company and the Rennes address.
const (
	DinumSIRET  = "13002526500013"
	DinumSIREN  = "130025265"
	MaskedSIRET = "99999999900011"

	dinum = `{"siren":"130025265","nom_complet":"DIRECTION INTERMINISTERIELLE DU NUMERIQUE (DINUM)",
  "nom_raison_sociale":"DIRECTION INTERMINISTERIELLE DU NUMERIQUE","sigle":"DINUM",
  "siege":{"siret":"13002526500013","geo_adresse":"20 Avenue de Ségur 75007 Paris","adresse":"20 AVENUE DE SEGUR 75007 PARIS","geo_id":"75107_8909_00020"}}`
	masked = `{"siren":"999999999","nom_complet":"[NON-DIFFUSIBLE]","nom_raison_sociale":null,"sigle":null,
  "siege":{"siret":"99999999900011","geo_adresse":"[NON-DIFFUSIBLE]","adresse":"[NON-DIFFUSIBLE]","geo_id":null}}`

	addresses = `{"type":"FeatureCollection","features":[
  {"type":"Feature","geometry":{"type":"Point","coordinates":[-1.67,48.11]},"properties":{"label":"Rennes","name":"Rennes","postcode":"35000","city":"Rennes","context":"35, Ille-et-Vilaine, Bretagne","type":"municipality"}},
  {"type":"Feature","geometry":{"type":"Point","coordinates":[-1.67,48.11]},"properties":{"label":"4 Rue Jean Moulin 35000 Rennes","name":"4 Rue Jean Moulin","postcode":"35000","city":"Rennes","context":"35, Ille-et-Vilaine, Bretagne","type":"housenumber"}},
  {"type":"Feature","geometry":{"type":"Point","coordinates":[-1.67,48.11]},"properties":{"label":"Rue Jean Moulin 35000 Rennes","name":"Rue Jean Moulin","postcode":"35000","city":"Rennes","context":"35, Ille-et-Vilaine, Bretagne","type":"street"}}
]}`
)

// Fake is one fake API server. Its answers can be switched to failures, and
// it records the query parameters it received.
type Fake struct {
	*httptest.Server

	mu      sync.Mutex
	mode    string
	queries []url.Values
}

// Failure modes of a Fake.
const (
	OK        = ""
	ServerErr = "5xx"
	Malformed = "malformed"
	Hang      = "hang" // answers only when the client gives up
)

// SetMode switches the fake's answers (OK, ServerErr, Malformed or Hang).
func (f *Fake) SetMode(mode string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.mode = mode
}

// Queries returns the query parameters of every request received.
func (f *Fake) Queries() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.queries...)
}

func newFake(t testing.TB, path string, answer func(q url.Values) string) *Fake {
	f := &Fake{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.queries = append(f.queries, r.URL.Query())
		mode := f.mode
		f.mu.Unlock()
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		switch mode {
		case ServerErr:
			http.Error(w, `{"erreur":"service indisponible"}`, http.StatusBadGateway)
			return
		case Malformed:
			_, _ = w.Write([]byte(`{"results":[{"siren":`)) // a failed write is the client's failure, which the test sees
			return
		case Hang:
			<-r.Context().Done()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(answer(r.URL.Query()))) // a failed write is the client's failure, which the test sees
	}))
	t.Cleanup(f.Close)
	return f
}

// NewCompanyAPI starts a fake "Recherche d'entreprises": the DINUM answers to
// its SIRET, SIREN or any name; MaskedSIRET is a non-diffusible company; a
// 14-digit SIRET starting with 0 is unknown (no result); any other one is a
// company whose SIREN is its first 9 digits (see RandomSIRET).
func NewCompanyAPI(t testing.TB) *Fake {
	return newFake(t, "/search", func(q url.Values) string {
		query := q.Get("q")
		var results []string
		switch {
		case query == MaskedSIRET:
			results = append(results, masked)
		case strings.HasPrefix(DinumSIRET, query), strings.Trim(query, "0123456789") != "":
			results = append(results, dinum)
		case len(query) == 14 && query[0] != '0':
			results = append(results, `{"siren":"`+query[:9]+`","nom_complet":"COMPAGNIE `+query+`","nom_raison_sociale":"",
  "siege":{"siret":"`+query+`","geo_adresse":"","adresse":"4 RUE JEAN MOULIN 35000 RENNES"}}`)
		}
		return `{"results":[` + strings.Join(results, ",") + `],"total_results":` + jsonInt(len(results)) + `,"page":1,"per_page":5,"total_pages":1}`
	})
}

// NewAddressAPI starts a fake Géoplateforme geocoder answering the Rennes
// sample (preceded by a municipality, which clients must drop) to any query.
func NewAddressAPI(t testing.TB) *Fake {
	return newFake(t, "/search/", func(url.Values) string { return addresses })
}

// RandomSIRET returns a SIRET no other test uses (not starting with 0, so the
// fake and the mock both know a company for it).
func RandomSIRET() string {
	return fmt.Sprintf("%d%013d", 1+rand.IntN(9), rand.Int64N(1e13))
}

// SameSIREN returns another headquarters SIRET of siret's company.
func SameSIREN(siret string) string {
	last := (siret[13]-'0'+1)%10 + '0'
	return siret[:13] + string(rune(last))
}

func jsonInt(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// CreateOrganization creates an organization with a random SIRET and user as
// its only collaborator, through the domain code and the offline mock.
func CreateOrganization(t testing.TB, idb bun.IDB, user *users.User, name string) *organizations.Organization {
	t.Helper()
	svc := &organizations.Service{DB: idb, Companies: organizations.MockDirectory{}, Addresses: organizations.MockDirectory{}}
	org, _, err := svc.Create(context.Background(), user.ID, organizations.CreateInput{SIRET: RandomSIRET(), Name: name},
		audit.Actor{UserID: user.ID, Email: user.Email})
	if err != nil {
		t.Fatalf("create organization: %v", err)
	}
	return org
}

// OrganizationsOf returns the organizations userID collaborates in, oldest
// membership first.
func OrganizationsOf(t testing.TB, idb bun.IDB, userID uuid.UUID) []organizations.Organization {
	t.Helper()
	var orgs []organizations.Organization
	err := idb.NewSelect().Model(&orgs).
		Join("JOIN collaborators AS c ON c.organization_id = organization.id").
		Where("c.user_id = ?", userID).
		OrderExpr("c.created_at, organization.name").
		Scan(context.Background())
	if err != nil {
		t.Fatalf("organizations of %s: %v", userID, err)
	}
	return orgs
}

// Row describes an organization inserted straight into the database by
// Insert, for tests that need many of them or fields creation does not set.
type Row struct {
	Name      string
	SacemID   string    // empty: none
	CreatedAt time.Time // zero: now
	Members   []uuid.UUID
}

// Inserted is what Insert made.
type Inserted struct {
	ID    uuid.UUID
	SIREN string
	SIRET string
}

// Insert writes an organization (with its address and collaborators) with a
// random SIRET, bypassing the look-ups.
func Insert(t testing.TB, idb bun.IDB, r Row) Inserted {
	t.Helper()
	ctx := context.Background()
	o := Inserted{SIRET: RandomSIRET()}
	o.SIREN = o.SIRET[:9]
	var sacem any
	if r.SacemID != "" {
		sacem = r.SacemID
	}
	createdAt := r.CreatedAt
	if createdAt.IsZero() {
		createdAt = time.Now()
	}
	err := idb.NewRaw(`WITH a AS (INSERT INTO addresses (street, city, postal_code) VALUES ('1 rue de la Paix', 'Paris', '75002') RETURNING id)
		INSERT INTO organizations (name, official_id, official_headquarters_id, headquarters_address_id, sacem_id, created_at)
		SELECT ?, ?, ?, a.id, ?, ? FROM a RETURNING id`, r.Name, o.SIREN, o.SIRET, sacem, createdAt).Scan(ctx, &o.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range r.Members {
		if _, err := idb.NewRaw(`INSERT INTO collaborators (user_id, organization_id) VALUES (?, ?)`, u, o.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return o
}
