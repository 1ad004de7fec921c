package ticketing

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"assistant-declaration/app/derrors"
)

// System names a remote ticketing provider. The values are the enum stored in the database
// (rule S1, docs/decisions.md); MANUAL has no connector and is therefore absent here.
type System string

// The ticketing systems that have a connector.
const (
	Billetweb   System = "BILLETWEB"
	HelloAsso   System = "HELLOASSO"
	Mapado      System = "MAPADO"
	Shotgun     System = "SHOTGUN"
	SoTicket    System = "SOTICKET"
	Supersoniks System = "SUPERSONIKS"
)

// Manual is the system of the series an organization types by hand: a row of
// ticketing_systems like the others, without connector.
const Manual System = "MANUAL"

// Systems lists every system that has a connector, in the order the connect form shows them.
func Systems() []System {
	return []System{Billetweb, HelloAsso, Mapado, Shotgun, SoTicket, Supersoniks}
}

// Credentials are what the user pastes in the connect form. AccessKey is "Identifiant de la clé
// d'accès" (Billetweb user, HelloAsso client id, Shotgun organizer id, Supersoniks domain; unused by
// Mapado) and SecretKey is "Clé d'accès".
type Credentials struct {
	AccessKey string
	SecretKey string
}

// Label is the provider's brand name, shown as is in every language; an unknown system reads
// as its stored value. MANUAL has no brand: the interface translates it (IsManual).
func (s System) Label() string {
	switch s {
	case Billetweb:
		return "Billetweb"
	case HelloAsso:
		return "HelloAsso"
	case Mapado:
		return "Mapado"
	case Shotgun:
		return "Shotgun"
	case SoTicket:
		return "SoTicket"
	case Supersoniks:
		return "Supersoniks"
	}
	return string(s)
}

// IsManual reports whether s is the system of the series typed by hand.
func (s System) IsManual() bool { return s == Manual }

// Translator is what DisplayName needs of the interface's localizer
// (locale.Localizer); this package stays free of translations.
type Translator interface {
	T(id string, args ...any) string
}

// DisplayName is the system's name as the interface shows it: the brand
// (Label), or for MANUAL, which has none, its translation. The series list
// and the synchronization templates all write it.
func (s System) DisplayName(l Translator) string {
	if s.IsManual() {
		return l.T("synchronization.systems.manual")
	}
	return s.Label()
}

// CredentialField describes one input of the connect form of a system, so that the form can be
// rendered generically. The interface names its label and hint: this package stays free of
// translations.
type CredentialField struct {
	// Name is "access_key" or "secret_key" (matching Credentials.AccessKey / SecretKey).
	Name string
	// Secret fields are rendered as password inputs and never rendered back (decision T10, docs/decisions.md).
	Secret bool
}

// Credential field names.
const (
	FieldAccessKey = "access_key"
	FieldSecretKey = "secret_key"
)

// CredentialFields returns the inputs of the connect form of s; Mapado has no access key.
func (s System) CredentialFields() []CredentialField {
	switch s {
	case Billetweb, HelloAsso, Shotgun, SoTicket, Supersoniks:
		return []CredentialField{{Name: FieldAccessKey}, {Name: FieldSecretKey, Secret: true}}
	case Mapado:
		return []CredentialField{{Name: FieldSecretKey, Secret: true}}
	}
	return nil
}

// supersoniksDomain is the domain check of rule C6 in docs/decisions.md (the original's "(?!://)" look-ahead is
// implied: neither ':' nor '/' can match).
var supersoniksDomain = regexp.MustCompile(`^([a-zA-Z0-9\-_]{1,63}\.)+[a-zA-Z]{2,63}$`)

// Normalize trims the credentials, lower-cases the customer domain of Supersoniks and SoTicket
// (domains ignore case: the same domain typed with other capitals is the same account) and drops
// the access key of systems that do not use one, so that duplicate checks, storage and the
// connector see the same values. The series ids of a connection keep deriving from its domain
// as stored (see slugify and KeepStoredDomain).
func (s System) Normalize(c Credentials) Credentials {
	c.AccessKey, c.SecretKey = strings.TrimSpace(c.AccessKey), strings.TrimSpace(c.SecretKey)
	switch s {
	case Mapado:
		c.AccessKey = ""
	case Supersoniks, SoTicket:
		c.AccessKey = strings.ToLower(c.AccessKey)
	}
	return c
}

// KeepStoredDomain returns typed with the stored domain's spelling when both name the same
// Supersoniks or SoTicket domain: a connection stored before domains were lower-cased keeps its
// capitals, from which its series ids were made, when its credentials are typed again.
func (s System) KeepStoredDomain(typed, stored Credentials) Credentials {
	if (s == Supersoniks || s == SoTicket) && s.Normalize(typed).AccessKey == s.Normalize(stored).AccessKey {
		typed.AccessKey = strings.TrimSpace(stored.AccessKey)
	}
	return typed
}

// ValidateCredentials checks that the fields the system needs are present and well formed,
// before any remote call. It returns a *RemoteError with code CodeInvalidCredentials whose
// Field names the faulty input.
func (s System) ValidateCredentials(c Credentials) error {
	c = s.Normalize(c)
	fields := s.CredentialFields()
	if fields == nil {
		return fmt.Errorf("ticketing: unknown system %q", s)
	}
	for _, f := range fields {
		value := c.AccessKey
		if f.Name == FieldSecretKey {
			value = c.SecretKey
		}
		if value == "" {
			return &RemoteError{System: s, Code: CodeInvalidCredentials, Field: f.Name, Message: f.Name + " is required"}
		}
	}
	if (s == Supersoniks || s == SoTicket) && !supersoniksDomain.MatchString(c.AccessKey) {
		return &RemoteError{System: s, Code: CodeInvalidDomainName, Field: FieldAccessKey, Message: "the access key must be a domain name"}
	}
	if s == Shotgun && strings.Trim(c.AccessKey, "0123456789") != "" {
		return &RemoteError{System: s, Code: CodeInvalidCredentials, Field: FieldAccessKey, Message: "the organizer id must be numeric"}
	}
	return nil
}

// Serie is one event serie (a show) as the remote system describes it, with all its events.
// A serie may have no events (rule S2, docs/decisions.md).
type Serie struct {
	// RemoteID is the system's id of the serie, unique per ticketing system.
	RemoteID string
	Name     string
	Events   []Event
	// Warnings counts, by reason, what the connector left out of the serie (nil when nothing):
	// revenue must never disappear without a trace.
	Warnings map[WarningCode]int
}

// WarningCode is a stable, untranslated identifier of data a connector left out of a serie
// without failing; the synchronization records the counts on its run and the interface
// translates them.
type WarningCode string

// Warning codes.
const (
	// WarningUndatedTickets: tickets sold on a Mapado date without any start (decision T7).
	WarningUndatedTickets WarningCode = "undated_tickets"
)

// warn counts one thing left out of the serie for code.
func (s *Serie) warn(code WarningCode) {
	if s.Warnings == nil {
		s.Warnings = map[WarningCode]int{}
	}
	s.Warnings[code]++
}

// Event is one performance with its complete ticketing totals (never deltas).
type Event struct {
	// RemoteID is unique within its serie.
	RemoteID string
	StartAt  time.Time
	// EndAt is nil when the system does not know the end.
	EndAt *time.Time
	// RevenueIncludingTaxes and RevenueExcludingTaxes are in euros, rounded half-up to cents.
	RevenueIncludingTaxes decimal.Decimal
	RevenueExcludingTaxes decimal.Decimal
	// TaxRate is the indicative VAT rate as a fraction (0.055); invalid when the tickets mix rates.
	TaxRate     decimal.NullDecimal
	FreeTickets int
	PaidTickets int
}

// Connector talks to one ticketing account.
type Connector interface {
	// TestConnection makes the cheapest authenticated call; nil means the credentials work.
	TestConnection(ctx context.Context) error
	// FetchSeries returns every serie that changed since from, each with all its events and
	// complete totals. A non-zero to bounds the window (tests only; Supersoniks ignores from).
	FetchSeries(ctx context.Context, from, to time.Time) ([]Serie, error)
}

// Pacing throttles the requests of one connector instance (one synchronization run). The zero
// value disables every limit.
type Pacing struct {
	// Requests per Window form a token bucket: at most Requests at once, refilled over Window.
	Requests int
	Window   time.Duration
	// Pause is a fixed wait the connector inserts between units of work (per system meaning).
	Pause time.Duration
	// MaxConcurrent bounds requests in flight (0 = unbounded).
	MaxConcurrent int
}

// DefaultPacing returns the pacing of rules C2–C6 and decision T6 (docs/decisions.md) for a system.
func DefaultPacing(s System) Pacing {
	switch s {
	case Billetweb:
		// 100 requests/min documented, counter clock-aligned: 90 per 80 s, and 250 ms per serie
		// because faster bursts trigger their Cloudflare captcha.
		return Pacing{Requests: 90, Window: 80 * time.Second, Pause: 250 * time.Millisecond}
	case HelloAsso:
		return Pacing{Requests: 10, Window: 10 * time.Second, MaxConcurrent: 5}
	case Shotgun:
		return Pacing{Pause: 50 * time.Millisecond}
	}
	return Pacing{}
}

// Config holds what the connectors need besides credentials. The zero value targets the real
// services with the default limits.
type Config struct {
	BilletwebBaseURL string
	HelloAssoBaseURL string
	MapadoBaseURL    string
	ShotgunBaseURL   string
	// SupersoniksURLTemplate is the base URL with "{domain}" standing for the access key.
	SupersoniksURLTemplate string

	// HTTPClient is used as is when set, for every system; otherwise one is built honouring
	// ForceIPv4, and a second one for the hosts users type (Supersoniks and SoTicket domains)
	// honouring RefusePrivateAddresses too.
	HTTPClient *http.Client
	// ForceIPv4 dials IPv4 only: some Supersoniks customers allow-list an IPv4 address alone.
	ForceIPv4 bool
	// RefusePrivateAddresses makes the client of user-typed hosts refuse, when dialling,
	// loopback, private, shared and link-local addresses (production: a domain must not reach
	// our own network or a cloud metadata service).
	RefusePrivateAddresses bool
	// userHostClient is the client of user-typed hosts (HTTPClient when that was given).
	userHostClient *http.Client
	// RequestTimeout bounds each attempt (default 30 s).
	RequestTimeout time.Duration
	// MaxRetries is how many times an idempotent request is retried (0 → 2, negative → none).
	MaxRetries int
	// RetryBackoff is the first wait between retries, doubled each time (default 1 s).
	RetryBackoff time.Duration
	// MaxRetryAfter is the longest Retry-After honoured; a longer one fails at once (default 30 s).
	MaxRetryAfter time.Duration
	// Pacing overrides DefaultPacing per system; a zero Pacing disables limits (benchmarks).
	Pacing map[System]Pacing

	// Mock makes New return the mock connector for every system (rule C7 and decision T11, docs/decisions.md).
	Mock bool
	// MockDelay is how long the mock's TestConnection waits; FetchSeries waits four times as long,
	// as the original did (0 → 1 s, negative → none).
	MockDelay time.Duration
	// Now is the clock (default time.Now); the mock and "now"-relative windows use it.
	Now func() time.Time
}

// Default base URLs of the real services.
const (
	DefaultBilletwebBaseURL       = "https://www.billetweb.fr/api"
	DefaultHelloAssoBaseURL       = "https://api.helloasso.com"
	DefaultMapadoBaseURL          = "https://ticketing.mapado.net"
	DefaultShotgunBaseURL         = "https://smartboard-api.shotgun.live/api/shotgun"
	DefaultSupersoniksURLTemplate = "https://{domain}/api/v2"
)

// WithDefaults fills what cfg leaves unset, HTTP clients included: a caller
// building many connectors from one Config calls it once, so that they share
// their clients and connections. New calls it too (it keeps what is set).
func (cfg Config) WithDefaults() Config {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
		*v = strings.TrimRight(*v, "/") // paths start with "/": never emit "//" (rule S5, docs/decisions.md)
	}
	def(&cfg.BilletwebBaseURL, DefaultBilletwebBaseURL)
	def(&cfg.HelloAssoBaseURL, DefaultHelloAssoBaseURL)
	def(&cfg.MapadoBaseURL, DefaultMapadoBaseURL)
	def(&cfg.ShotgunBaseURL, DefaultShotgunBaseURL)
	def(&cfg.SupersoniksURLTemplate, DefaultSupersoniksURLTemplate)
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = 2
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.RetryBackoff <= 0 {
		cfg.RetryBackoff = time.Second
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = 30 * time.Second
	}
	if cfg.MockDelay == 0 {
		cfg.MockDelay = time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	switch {
	case cfg.userHostClient != nil: // filled by an earlier WithDefaults
	case cfg.HTTPClient != nil:
		cfg.userHostClient = cfg.HTTPClient
	default:
		cfg.HTTPClient = newHTTPClient(cfg.ForceIPv4, false)
		cfg.userHostClient = newHTTPClient(cfg.ForceIPv4, cfg.RefusePrivateAddresses)
	}
	return cfg
}

func (cfg Config) pacing(s System) Pacing {
	if p, ok := cfg.Pacing[s]; ok {
		return p
	}
	return DefaultPacing(s)
}

// New builds the connector of a system. Credentials are validated first; with cfg.Mock the mock
// connector is returned whatever the system and credentials.
func New(system System, creds Credentials, cfg Config) (_ Connector, err error) {
	defer derrors.Wrap(&err, "ticketing: new %s connector", system)
	cfg = cfg.WithDefaults()
	if cfg.Mock {
		return newMock(cfg), nil
	}
	if err := system.ValidateCredentials(creds); err != nil {
		return nil, err
	}
	stored := creds
	creds = system.Normalize(creds)
	switch system {
	case Billetweb:
		return newBilletweb(creds, cfg), nil
	case HelloAsso:
		return newHelloAsso(creds, cfg), nil
	case Mapado:
		return newMapado(creds, cfg), nil
	case Shotgun:
		return newShotgun(creds, cfg), nil
	default: // SoTicket and Supersoniks, the only other systems ValidateCredentials accepts
		return newSupersoniks(system, creds, strings.TrimSpace(stored.AccessKey), cfg), nil
	}
}
