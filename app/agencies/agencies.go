// Package agencies owns the regional agencies of the organisms (the agencies
// table): the SACEM agency that receives a declaration by e-mail, the SACD
// agency that receives the supporting documents. The lists are private; the
// operator loads them with `assistant-declaration agencies import sacem|sacd
// FILE` and this package routes a place's postal code to its agency.
package agencies

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// Organism is an organism whose agencies are routed by postal code.
type Organism string

// Organisms with agencies.
const (
	Sacem Organism = "SACEM"
	Sacd  Organism = "SACD"
)

// Agency is one regional agency of an organism. Codes are the exact postal
// codes it serves (SACEM) or the postal code prefixes (SACD), sorted.
type Agency struct {
	bun.BaseModel `bun:"table:agencies"`

	ID        uuid.UUID `bun:",pk,type:uuid,default:gen_random_uuid()"`
	Organism  Organism  `bun:",notnull"`
	Email     string    `bun:",notnull"`
	Codes     []string  `bun:",array,notnull"`
	CreatedAt time.Time `bun:",nullzero,notnull,default:current_timestamp"`
	UpdatedAt time.Time `bun:",nullzero,notnull,default:current_timestamp"`
}

// Business errors of the routing. Their keys are translated; a declaration
// records the last segment of the key as its error code.
var (
	ErrSacemAgencyNotFound = derrors.New(derrors.ErrNotFound, "agencies.sacemAgencyNotFound")
	ErrSacdAgencyNotFound  = derrors.New(derrors.ErrNotFound, "agencies.sacdAgencyNotFound")
)

// SacemAgencyFor returns the SACEM agency serving exactly postalCode
// (decision D4 in docs/decisions.md), or ErrSacemAgencyNotFound. When two
// agencies list the same code, the first e-mail in order wins, every time.
func SacemAgencyFor(ctx context.Context, idb bun.IDB, postalCode string) (_ *Agency, err error) {
	defer derrors.Wrap(&err, "agencies: SACEM agency of postal code %q", postalCode)
	code := strings.TrimSpace(postalCode)
	a := new(Agency)
	err = idb.NewSelect().Model(a).
		Where("organism = ?", Sacem).
		Where("codes @> ARRAY[?]::text[]", code).
		OrderExpr("email").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrSacemAgencyNotFound
	}
	return a, err
}

// SacdAgencyFor returns the SACD agency of the most specific prefix of
// postalCode: its 5 characters, then 3, then 2 (decision D4 in
// docs/decisions.md), or ErrSacdAgencyNotFound. Between agencies listing the
// same prefix, the first e-mail in order wins, every time.
func SacdAgencyFor(ctx context.Context, idb bun.IDB, postalCode string) (_ *Agency, err error) {
	defer derrors.Wrap(&err, "agencies: SACD agency of postal code %q", postalCode)
	prefixes := sacdPrefixes(strings.TrimSpace(postalCode))
	if len(prefixes) == 0 {
		return nil, ErrSacdAgencyNotFound
	}
	a := new(Agency)
	err = idb.NewSelect().Model(a).
		Join("CROSS JOIN LATERAL unnest(agency.codes) AS code").
		Where("agency.organism = ?", Sacd).
		Where("code IN (?)", bun.List(prefixes)).
		OrderExpr("length(code) DESC, agency.email").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrSacdAgencyNotFound
	}
	return a, err
}

// sacdPrefixes are the prefixes of postalCode an SACD agency may list, the
// longest first: its first 5, 3 and 2 characters (a shorter code is its own
// longest prefix).
func sacdPrefixes(postalCode string) []string {
	var out []string
	for _, n := range []int{5, 3, 2} {
		p := postalCode[:min(n, len(postalCode))]
		if len(p) >= 2 && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// List returns every agency, SACEM first, then by e-mail.
func List(ctx context.Context, idb bun.IDB) (_ []Agency, err error) {
	defer derrors.Wrap(&err, "agencies: list")
	var all []Agency
	err = idb.NewSelect().Model(&all).OrderExpr("organism DESC, email").Scan(ctx)
	return all, err
}

// CodeList is the agency's codes as one line, "35000, 35200".
func (a Agency) CodeList() string { return strings.Join(a.Codes, ", ") }
