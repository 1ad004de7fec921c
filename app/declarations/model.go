package declarations

import (
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"
)

// Organism is a collecting society a serie is declared to (the values of
// event_series.expected_declaration_types and event_serie_declarations.type).
type Organism string

// The organisms of the form. A new one is a migration widening the two checks,
// its label and its required-field set.
const (
	SACEM Organism = "SACEM"
	SACD  Organism = "SACD"
)

// Organisms are the organisms the form offers, in display order.
var Organisms = []Organism{SACEM, SACD}

// LabelKey is the organism's name.
func (o Organism) LabelKey() string { return "declarations.organism." + string(o) }

// HintKey is the kind of show the organism is for.
func (o Organism) HintKey() string { return "declarations.organism." + string(o) + "Hint" }

// Valid reports whether o is an organism of the form.
func (o Organism) Valid() bool { return o == SACEM || o == SACD }

// Status is the state of the declaration of a serie to one organism.
type Status string

// PENDING: attempted, not accepted yet (or failed); PROCESSED: accepted by the
// organism (decision D1, docs/decisions.md); CANCELED is never written.
const (
	StatusPending   Status = "PENDING"
	StatusProcessed Status = "PROCESSED"
	StatusCanceled  Status = "CANCELED"
)

// LabelKey is the status as shown to the user.
func (s Status) LabelKey() string { return "declarations.status." + string(s) }

// Audience is the kind of public of a performance.
type Audience string

// The audiences, in the enum's order.
const (
	AudienceAll    Audience = "ALL"
	AudienceYoung  Audience = "YOUNG"
	AudienceSchool Audience = "SCHOOL"
)

// Audiences are the options of "Type de public".
var Audiences = []Audience{AudienceAll, AudienceYoung, AudienceSchool}

// LabelKey is the audience as shown to the user.
func (a Audience) LabelKey() string { return "declarations.audience." + string(a) }

// Valid reports whether a is an audience of the enum.
func (a Audience) Valid() bool {
	return a == AudienceAll || a == AudienceYoung || a == AudienceSchool
}

// PerformanceType is the "Esthétique du spectacle".
type PerformanceType string

// PerformanceTypes are the values of the enum, in its declared order.
var PerformanceTypes = []PerformanceType{
	"OUTDOOR_PERFORMANCE", "CABARET_AND_MUSIC_HALL", "CIRCUS_AND_MAGIC", "MUSICAL_THEATRE", "DANCE",
	"COMEDY_AND_STAND_UP", "PUPPETRY", "CLASSICAL_AND_OPERA_AND_CONTEMPORARY_MUSIC", "POPULAR_AND_JAZZ_MUSIC",
	"WORLD_AND_TRADITIONAL_MUSIC_AND_DANCE", "HISTORICAL_REENACTMENTS_AND_HERITAGE_SOUND_AND_LIGHT_SHOWS",
	"LIVE_PERFORMANCE_WITHOUT_DOMINANT_DISCIPLINE", "ICE_SHOWS_AND_THEME_PARKS_AND_RELATED_PERFORMANCES",
	"THEATRE_AND_STORYTELLING_AND_MIME",
}

// LabelKey is the type as shown to the user.
func (p PerformanceType) LabelKey() string { return "declarations.performanceType." + string(p) }

// Valid reports whether p is a value of the enum.
func (p PerformanceType) Valid() bool {
	for _, v := range PerformanceTypes {
		if v == p {
			return true
		}
	}
	return false
}

// TaxRates are the ticketing tax rates the form offers ("0 %", "2,1 %"...).
var TaxRates = []decimal.Decimal{
	decimal.Zero, decimal.RequireFromString("0.021"), decimal.RequireFromString("0.055"),
	decimal.RequireFromString("0.1"), decimal.RequireFromString("0.2"),
}

// ManualSystem is the name of the ticketing system of the series typed by hand.
const ManualSystem = "MANUAL"

// Address is a postal address of a place (a row of addresses).
type Address struct {
	bun.BaseModel `bun:"table:addresses,alias:address"`

	ID          uuid.UUID `bun:"id,pk,type:uuid,default:gen_random_uuid()" json:"id"`
	Street      string    `bun:"street" json:"street"`
	City        string    `bun:"city" json:"city"`
	PostalCode  string    `bun:"postal_code" json:"postal_code"`
	CountryCode string    `bun:"country_code" json:"country_code"`
	Subdivision string    `bun:"subdivision" json:"subdivision"`
}

// Label is the address on one line.
func (a Address) Label() string {
	if a.Street == "" && a.City == "" && a.PostalCode == "" {
		return ""
	}
	return a.Street + ", " + a.PostalCode + " " + a.City
}

// Place is where a serie or a performance takes place; it belongs to an
// organization (decision D5 in docs/decisions.md).
type Place struct {
	bun.BaseModel `bun:"table:places,alias:place"`

	ID             uuid.UUID `bun:"id,pk,type:uuid,default:gen_random_uuid()" json:"id"`
	OrganizationID uuid.UUID `bun:"organization_id,type:uuid" json:"organization_id"`
	Name           string    `bun:"name" json:"name"`
	AddressID      uuid.UUID `bun:"address_id,type:uuid" json:"address_id"`
	Address        *Address  `bun:"rel:belongs-to,join:address_id=id" json:"address"`
}

// Serie is a show with what the declaration form edits.
type Serie struct {
	bun.BaseModel `bun:"table:event_series,alias:serie"`

	ID                                     uuid.UUID           `bun:"id,pk,type:uuid"`
	TicketingSystemID                      uuid.UUID           `bun:"ticketing_system_id,type:uuid"`
	Name                                   string              `bun:"name"`
	ProducerOfficialID                     *string             `bun:"producer_official_id"`
	ProducerName                           *string             `bun:"producer_name"`
	PerformanceType                        *PerformanceType    `bun:"performance_type"`
	ExpectedDeclarationTypes               []Organism          `bun:"expected_declaration_types,array"`
	LastManualUpdateAt                     *time.Time          `bun:"last_manual_update_at"`
	PlaceID                                *uuid.UUID          `bun:"place_id,type:uuid"`
	PlaceCapacity                          *int                `bun:"place_capacity"`
	Audience                               Audience            `bun:"audience"`
	TicketingRevenueTaxRate                decimal.Decimal     `bun:"ticketing_revenue_tax_rate"`
	ExpensesIncludingTaxes                 decimal.Decimal     `bun:"expenses_including_taxes"`
	ExpensesExcludingTaxes                 decimal.Decimal     `bun:"expenses_excluding_taxes"`
	IntroductionFeesExpensesIncludingTaxes decimal.Decimal     `bun:"introduction_fees_expenses_including_taxes"`
	IntroductionFeesExpensesExcludingTaxes decimal.Decimal     `bun:"introduction_fees_expenses_excluding_taxes"`
	CircusSpecificExpensesIncludingTaxes   decimal.NullDecimal `bun:"circus_specific_expenses_including_taxes"`
	CircusSpecificExpensesExcludingTaxes   decimal.NullDecimal `bun:"circus_specific_expenses_excluding_taxes"`
	UpdatedAt                              time.Time           `bun:"updated_at"`

	OrganizationID      uuid.UUID `bun:"organization_id,scanonly"`
	TicketingSystemName string    `bun:"ticketing_system_name,scanonly"`
	// The organization's, read with the serie (see Declaration.Organization).
	OrganizationName       string  `bun:"organization_name,scanonly"`
	OrganizationOfficialID string  `bun:"organization_official_id,scanonly"`
	OrganizationSacemID    *string `bun:"organization_sacem_id,scanonly"`
	OrganizationSacdID     *string `bun:"organization_sacd_id,scanonly"`
	Place                  *Place  `bun:"rel:belongs-to,join:place_id=id"`
}

// Manual reports whether the serie was typed by hand (its ticketing data are
// then typed in the form rather than pre-filled).
func (s *Serie) Manual() bool { return s.TicketingSystemName == ManualSystem }

// Chose reports whether the user chose organism o.
func (s *Serie) Chose(o Organism) bool {
	for _, c := range s.ExpectedDeclarationTypes {
		if c == o {
			return true
		}
	}
	return false
}

// Event is one performance of a serie; its JSON keys are its columns, as
// eventsJSON writes them.
type Event struct {
	bun.BaseModel `bun:"table:events,alias:event"`

	ID                                uuid.UUID           `bun:"id,pk,type:uuid" json:"id"`
	EventSerieID                      uuid.UUID           `bun:"event_serie_id,type:uuid" json:"event_serie_id"`
	StartAt                           time.Time           `bun:"start_at" json:"start_at"`
	EndAt                             *time.Time          `bun:"end_at" json:"end_at"`
	TicketingRevenueIncludingTaxes    decimal.Decimal     `bun:"ticketing_revenue_including_taxes" json:"ticketing_revenue_including_taxes"`
	TicketingRevenueExcludingTaxes    decimal.Decimal     `bun:"ticketing_revenue_excluding_taxes" json:"ticketing_revenue_excluding_taxes"`
	TicketingRevenueTaxRateOverride   decimal.NullDecimal `bun:"ticketing_revenue_tax_rate_override" json:"ticketing_revenue_tax_rate_override"`
	ConsumptionsRevenueIncludingTaxes decimal.Decimal     `bun:"consumptions_revenue_including_taxes" json:"consumptions_revenue_including_taxes"`
	ConsumptionsRevenueExcludingTaxes decimal.Decimal     `bun:"consumptions_revenue_excluding_taxes" json:"consumptions_revenue_excluding_taxes"`
	CateringRevenueIncludingTaxes     decimal.Decimal     `bun:"catering_revenue_including_taxes" json:"catering_revenue_including_taxes"`
	CateringRevenueExcludingTaxes     decimal.Decimal     `bun:"catering_revenue_excluding_taxes" json:"catering_revenue_excluding_taxes"`
	ProgramSalesRevenueIncludingTaxes decimal.Decimal     `bun:"program_sales_revenue_including_taxes" json:"program_sales_revenue_including_taxes"`
	ProgramSalesRevenueExcludingTaxes decimal.Decimal     `bun:"program_sales_revenue_excluding_taxes" json:"program_sales_revenue_excluding_taxes"`
	OtherRevenueIncludingTaxes        decimal.Decimal     `bun:"other_revenue_including_taxes" json:"other_revenue_including_taxes"`
	OtherRevenueExcludingTaxes        decimal.Decimal     `bun:"other_revenue_excluding_taxes" json:"other_revenue_excluding_taxes"`
	FreeTickets                       int                 `bun:"free_tickets" json:"free_tickets"`
	PaidTickets                       int                 `bun:"paid_tickets" json:"paid_tickets"`
	LastManualTicketingDataUpdateAt   *time.Time          `bun:"last_manual_ticketing_data_update_at" json:"last_manual_ticketing_data_update_at"`
	RemovedFromTicketingSystemAt      *time.Time          `bun:"removed_from_ticketing_system_at" json:"removed_from_ticketing_system_at"`
	PlaceOverrideID                   *uuid.UUID          `bun:"place_override_id,type:uuid" json:"place_override_id"`
	PlaceCapacityOverride             *int                `bun:"place_capacity_override" json:"place_capacity_override"`
	AudienceOverride                  *Audience           `bun:"audience_override" json:"audience_override"`
	PlaceOverride                     *Place              `bun:"rel:belongs-to,join:place_override_id=id" json:"place_override"`
}
