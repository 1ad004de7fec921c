// Package config reads the application's configuration from environment
// variables (and an optional .env file) into one typed struct, validated once
// at start-up: a bad value stops the program with one line naming the variable.
package config

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/derrors"
)

// Mode gates demo data, the mail catcher and the ticketing mocks.
type Mode string

// Application modes.
const (
	ModeDev  Mode = "dev"
	ModeTest Mode = "test"
	ModeProd Mode = "prod"
)

// SMTP is one outgoing mail server.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      string // opportunistic (STARTTLS when offered), none, starttls or tls
}

// Config is every setting of the application.
type Config struct {
	Mode             Mode
	Port             int
	BaseURL          string
	DatabaseURL      string
	DatabaseMaxConns int32
	InstanceID       string
	LogLevel         string
	LogFormat        string
	TrustedProxies   []string
	RequestTimeout   time.Duration
	ShutdownTimeout  time.Duration

	SecretsEncryptionKey []byte // 32 bytes, AES-256-GCM for ticketing credentials
	SessionIdleTimeout   time.Duration
	AdminSessionMaxAge   time.Duration
	SecurityContact      string

	MailerDefaultDomain  string
	MailerDomainsToCatch []string
	// MailerMaxMessageSize bounds an e-mail with its attachments, in bytes
	// (MAILER_MAX_MESSAGE_SIZE, default 20 MiB): the documents of a
	// declaration beyond it are spread over several e-mails.
	MailerMaxMessageSize int
	SMTP                 SMTP
	FallbackSMTP         *SMTP
	MailCatcherAddr      string

	CompanyAPIBaseURL string
	AddressAPIBaseURL string

	BilletwebAPIBaseURL            string
	HelloAssoAPIBaseURL            string
	MapadoAPIBaseURL               string
	ShotgunAPIBaseURL              string
	SupersoniksAPIURLTemplate      string
	DisableTicketingMockForUserIDs []uuid.UUID

	SacdAPI SacdAPI

	ProConnectDiscoveryURL string
	ProConnectClientID     string
	ProConnectClientSecret string

	// ClamAVAddress is the host:port of a clamd daemon scanning every
	// uploaded document; empty, nothing is scanned.
	ClamAVAddress string

	DemoData bool
}

// SacdAPI is the access to the SACD declaration web service.
type SacdAPI struct {
	BaseURL          string
	ConsumerKey      string
	SecretKey        string
	ProviderName     string
	ProviderRefFile  string
	ProviderPassword string
}

// Configured reports whether real declarations can be sent to SACD.
func (s SacdAPI) Configured() bool { return s.BaseURL != "" && s.ConsumerKey != "" }

// MocksRemoteServicesFor reports whether the remote services (ticketing
// connectors, the SACD web service) are replaced by their mocks for the user
// acting (decision T11 in docs/decisions.md): always outside production,
// except for the users listed in DISABLE_TICKETING_SYSTEM_MOCK_FOR_USER_IDS;
// work without a user (uuid.Nil, e.g. a nightly job) is mocked too.
func (c *Config) MocksRemoteServicesFor(userID uuid.UUID) bool {
	return !c.IsProd() && (userID == uuid.Nil || !slices.Contains(c.DisableTicketingMockForUserIDs, userID))
}

// IsProd reports whether the application serves real users.
func (c *Config) IsProd() bool { return c.Mode == ModeProd }

// ProConnectEnabled reports whether the ProConnect sign-in button is offered.
func (c *Config) ProConnectEnabled() bool {
	return c.ProConnectDiscoveryURL != "" && c.ProConnectClientID != ""
}

// Public addresses of the government look-up APIs: the defaults of
// COMPANY_API_BASE_URL and ADDRESS_API_BASE_URL. Outside production, leaving
// them unchanged means "use the local samples" (no internet in development).
const (
	DefaultCompanyAPIBaseURL = "https://recherche-entreprises.api.gouv.fr"
	DefaultAddressAPIBaseURL = "https://data.geopf.fr/geocodage"
)

// devEncryptionKey is a fixed, public key for dev/test only: prod refuses to
// start without SECRETS_ENCRYPTION_KEY.
var devEncryptionKey = sha256.Sum256([]byte("assistant-declaration development key, never for production"))

// Load reads the environment, after loading envFile when it exists (variables
// already set in the environment win over the file).
func Load(envFile string) (_ *Config, err error) {
	defer derrors.Wrap(&err, "config: load %s", envFile)
	if envFile != "" {
		if err := loadDotEnv(envFile); err != nil {
			return nil, err
		}
	}
	return Parse(os.LookupEnv)
}

// Parse builds the configuration from a lookup function, so tests can feed
// variables without touching the process environment.
func Parse(lookup func(string) (string, bool)) (_ *Config, err error) {
	defer derrors.Wrap(&err, "config: parse")
	p := parser{lookup: lookup}
	c := &Config{}
	c.Mode = Mode(p.str("APP_MODE", "dev"))
	switch c.Mode {
	case ModeDev, ModeTest, ModeProd:
	default:
		return nil, fmt.Errorf("config: APP_MODE must be dev, test or prod (got %q)", c.Mode)
	}
	prod := c.Mode == ModeProd
	c.Port = p.int("PORT", 8080)
	c.BaseURL = strings.TrimRight(p.str("APP_BASE_URL", fmt.Sprintf("http://localhost:%d", c.Port)), "/")
	p.url("APP_BASE_URL", c.BaseURL)
	c.DatabaseURL = p.secret("DATABASE_URL", "")
	if c.DatabaseURL == "" {
		p.fail("DATABASE_URL", "is required (postgres://user:password@host:port/database)")
	}
	c.DatabaseMaxConns = int32(p.int("DATABASE_MAX_CONNS", 20))
	host, _ := os.Hostname()
	c.InstanceID = p.str("INSTANCE_ID", host)
	c.LogLevel = p.oneOf("LOG_LEVEL", "info", "debug", "info", "warn", "error")
	c.LogFormat = p.oneOf("LOG_FORMAT", map[bool]string{true: "json", false: "text"}[prod], "json", "text")
	c.TrustedProxies = p.list("TRUSTED_PROXIES")
	c.RequestTimeout = p.duration("REQUEST_TIMEOUT", 15*time.Second)
	c.ShutdownTimeout = p.duration("SHUTDOWN_TIMEOUT", 20*time.Second)

	if key := p.secret("SECRETS_ENCRYPTION_KEY", ""); key != "" {
		raw, err := base64.StdEncoding.DecodeString(key)
		if err != nil || len(raw) != 32 {
			p.fail("SECRETS_ENCRYPTION_KEY", "must be 32 random bytes encoded in base64 (openssl rand -base64 32)")
		}
		c.SecretsEncryptionKey = raw
	} else if prod {
		p.fail("SECRETS_ENCRYPTION_KEY", "is required in production (openssl rand -base64 32)")
	} else {
		c.SecretsEncryptionKey = devEncryptionKey[:]
	}
	c.SessionIdleTimeout = p.duration("SESSION_IDLE_TIMEOUT", 7*24*time.Hour)
	c.AdminSessionMaxAge = p.duration("ADMIN_SESSION_MAX_AGE", 12*time.Hour)
	c.SecurityContact = p.str("SECURITY_CONTACT", "mailto:contact@assistant-declaration.beta.gouv.fr")

	c.MailerDefaultDomain = p.str("MAILER_DEFAULT_DOMAIN", "assistant-declaration.beta.gouv.fr")
	c.MailerDomainsToCatch = p.list("MAILER_DOMAINS_TO_CATCH")
	c.MailerMaxMessageSize = p.int("MAILER_MAX_MESSAGE_SIZE", 20<<20)
	if c.MailerMaxMessageSize < 1<<20 {
		p.fail("MAILER_MAX_MESSAGE_SIZE", "must be at least 1048576 bytes (1 MiB)")
	}
	c.MailCatcherAddr = p.str("MAIL_CATCHER_ADDR", "127.0.0.1:0")
	c.SMTP = p.smtp("MAILER_SMTP")
	if c.SMTP.Host == "" && prod {
		p.fail("MAILER_SMTP_HOST", "is required in production")
	}
	if fb := p.smtp("MAILER_FALLBACK_SMTP"); fb.Host != "" {
		c.FallbackSMTP = &fb
	}

	c.CompanyAPIBaseURL = p.url("COMPANY_API_BASE_URL", p.str("COMPANY_API_BASE_URL", DefaultCompanyAPIBaseURL))
	c.AddressAPIBaseURL = p.url("ADDRESS_API_BASE_URL", p.str("ADDRESS_API_BASE_URL", DefaultAddressAPIBaseURL))
	c.BilletwebAPIBaseURL = p.url("BILLETWEB_API_BASE_URL", p.str("BILLETWEB_API_BASE_URL", "https://www.billetweb.fr/api"))
	c.HelloAssoAPIBaseURL = p.url("HELLOASSO_API_BASE_URL", p.str("HELLOASSO_API_BASE_URL", "https://api.helloasso.com"))
	c.MapadoAPIBaseURL = p.url("MAPADO_API_BASE_URL", p.str("MAPADO_API_BASE_URL", "https://ticketing.mapado.net"))
	c.ShotgunAPIBaseURL = p.url("SHOTGUN_API_BASE_URL", p.str("SHOTGUN_API_BASE_URL", "https://smartboard-api.shotgun.live/api/shotgun"))
	c.SupersoniksAPIURLTemplate = p.str("SUPERSONIKS_API_URL_TEMPLATE", "https://{domain}/api/v2")
	if !strings.Contains(c.SupersoniksAPIURLTemplate, "{domain}") {
		p.fail("SUPERSONIKS_API_URL_TEMPLATE", "must contain the {domain} placeholder")
	}
	for _, s := range p.list("DISABLE_TICKETING_SYSTEM_MOCK_FOR_USER_IDS") {
		id, err := uuid.Parse(s)
		if err != nil {
			p.fail("DISABLE_TICKETING_SYSTEM_MOCK_FOR_USER_IDS", fmt.Sprintf("must be a comma-separated list of user UUIDs (%q is not one)", s))
			continue
		}
		c.DisableTicketingMockForUserIDs = append(c.DisableTicketingMockForUserIDs, id)
	}

	c.SacdAPI = SacdAPI{
		BaseURL:          p.str("SACD_API_BASE_URL", ""),
		ConsumerKey:      p.secret("SACD_API_CONSUMER_KEY", ""),
		SecretKey:        p.secret("SACD_API_SECRET_KEY", ""),
		ProviderName:     p.str("SACD_API_PROVIDER_NAME", ""),
		ProviderRefFile:  p.str("SACD_API_PROVIDER_REFFILE", ""),
		ProviderPassword: p.secret("SACD_API_PROVIDER_PASSWORD", ""),
	}
	if c.SacdAPI.BaseURL != "" {
		c.SacdAPI.BaseURL = p.url("SACD_API_BASE_URL", c.SacdAPI.BaseURL)
		if c.SacdAPI.ConsumerKey == "" || c.SacdAPI.SecretKey == "" || c.SacdAPI.ProviderName == "" || c.SacdAPI.ProviderRefFile == "" || c.SacdAPI.ProviderPassword == "" {
			p.fail("SACD_API_BASE_URL", "requires SACD_API_CONSUMER_KEY, SACD_API_SECRET_KEY, SACD_API_PROVIDER_NAME, SACD_API_PROVIDER_REFFILE and SACD_API_PROVIDER_PASSWORD")
		}
	}

	c.ProConnectDiscoveryURL = p.str("PROCONNECT_DISCOVERY_URL", "")
	if c.ProConnectDiscoveryURL != "" {
		p.url("PROCONNECT_DISCOVERY_URL", c.ProConnectDiscoveryURL)
	}
	c.ProConnectClientID = p.str("PROCONNECT_CLIENT_ID", "")
	c.ProConnectClientSecret = p.secret("PROCONNECT_CLIENT_SECRET", "")
	if c.ProConnectDiscoveryURL != "" && (c.ProConnectClientID == "" || c.ProConnectClientSecret == "") {
		p.fail("PROCONNECT_CLIENT_ID", "and PROCONNECT_CLIENT_SECRET are required when PROCONNECT_DISCOVERY_URL is set")
	}

	c.ClamAVAddress = p.str("CLAMAV_ADDRESS", "")
	if c.ClamAVAddress != "" {
		if _, _, err := net.SplitHostPort(c.ClamAVAddress); err != nil {
			p.fail("CLAMAV_ADDRESS", fmt.Sprintf("must be host:port of a clamd daemon (got %q)", c.ClamAVAddress))
		}
	}

	c.DemoData = p.bool("DEMO_DATA", c.Mode == ModeDev)
	if c.DemoData && prod {
		p.fail("DEMO_DATA", "cannot be enabled in production")
	}
	if p.err != nil {
		return nil, p.err
	}
	return c, nil
}

// parser accumulates the first error so Parse reads like a list of settings.
type parser struct {
	lookup func(string) (string, bool)
	err    error
}

func (p *parser) fail(name, msg string) {
	if p.err == nil {
		p.err = fmt.Errorf("config: %s %s", name, msg)
	}
}

func (p *parser) str(name, def string) string {
	if v, ok := p.lookup(name); ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	}
	return def
}

// secret also accepts NAME_FILE pointing at a file holding the value (Docker/Kubernetes secrets).
func (p *parser) secret(name, def string) string {
	if path, ok := p.lookup(name + "_FILE"); ok && path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			p.fail(name+"_FILE", fmt.Sprintf("cannot be read: %v", err))
			return def
		}
		return strings.TrimSpace(string(b))
	}
	return p.str(name, def)
}

func (p *parser) int(name string, def int) int {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		p.fail(name, fmt.Sprintf("must be a positive whole number (got %q)", v))
		return def
	}
	return n
}

func (p *parser) bool(name string, def bool) bool {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.fail(name, fmt.Sprintf("must be true or false (got %q)", v))
		return def
	}
	return b
}

func (p *parser) duration(name string, def time.Duration) time.Duration {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		p.fail(name, fmt.Sprintf("must be a positive duration such as 30s or 12h (got %q)", v))
		return def
	}
	return d
}

func (p *parser) oneOf(name, def string, allowed ...string) string {
	v := p.str(name, def)
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	p.fail(name, fmt.Sprintf("must be one of %s (got %q)", strings.Join(allowed, ", "), v))
	return def
}

func (p *parser) url(name, v string) string {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.fail(name, fmt.Sprintf("must be an absolute http(s) URL (got %q)", v))
	}
	return strings.TrimRight(v, "/")
}

func (p *parser) list(name string) []string {
	var out []string
	for _, s := range strings.Split(p.str(name, ""), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) smtp(prefix string) SMTP {
	s := SMTP{
		Host:     p.str(prefix+"_HOST", ""),
		Port:     p.int(prefix+"_PORT", 587),
		Username: p.str(prefix+"_USER", ""),
		Password: p.secret(prefix+"_PASSWORD", ""),
		TLS:      p.oneOf(prefix+"_TLS", "opportunistic", "opportunistic", "none", "starttls", "tls"),
	}
	return s
}

// ErrDotEnv wraps every .env syntax error.
var ErrDotEnv = errors.New("config: invalid .env file")
