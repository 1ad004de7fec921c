package ticketing

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// ErrorCode is a stable, untranslated identifier of a connector failure. The synchronization
// records it on the ticketing system (decision T3, docs/decisions.md) and the interface translates it.
type ErrorCode string

// Error codes. Where the original platform had a business error code, it is given in brackets.
const (
	// CodeTimeout: the remote did not answer in time (after retries).
	CodeTimeout ErrorCode = "timeout"
	// CodeCanceled: the caller's context was canceled.
	CodeCanceled ErrorCode = "canceled"
	// CodeNetwork: the connection failed (DNS, refused, reset) after retries.
	CodeNetwork ErrorCode = "network"
	// CodeServerError: 5xx after retries.
	CodeServerError ErrorCode = "server_error"
	// CodeRateLimited: 429 not recoverable within the retry bounds.
	CodeRateLimited ErrorCode = "rate_limited"
	// CodeUnauthorized: credentials refused (401/403 or an equivalent body).
	CodeUnauthorized ErrorCode = "unauthorized"
	// CodeFirewall: a firewall answered instead of the API, e.g. a Cloudflare challenge page or
	// Billetweb's global rate limiter [billetwebFirewall].
	CodeFirewall ErrorCode = "firewall"
	// CodeRestrictedKey: the Billetweb key is limited to some events [missingBilletwebEventsRights].
	CodeRestrictedKey ErrorCode = "restricted_key"
	// CodeHTTPError: any other non-2xx status.
	CodeHTTPError ErrorCode = "http_error"
	// CodeMalformedResponse: the body is not the JSON the contract describes.
	CodeMalformedResponse ErrorCode = "malformed_response"
	// CodeInconsistentData: well-formed data that contradicts itself (a sold ticket matching no
	// category or no event, pagination that does not end…).
	CodeInconsistentData ErrorCode = "inconsistent_data"
	// CodeMissingTier: a HelloAsso item refers to a tier absent from its form [helloassoMissingTier].
	CodeMissingTier ErrorCode = "missing_tier"
	// CodeForeignTaxRate: a Mapado price is taxed by another country [foreignTaxRateOnPrice].
	CodeForeignTaxRate ErrorCode = "foreign_tax_rate"
	// CodeForeignCurrency: a sale, price or ticketing in another currency than the euro (only
	// euros can be declared); Argument is the currency.
	CodeForeignCurrency ErrorCode = "foreign_currency"
	// CodeTooMuchData: more tickets than a synchronization can fetch [shotgunTooMuchToRetrieve].
	CodeTooMuchData ErrorCode = "too_much_data"
	// CodeNotSingleOrganization: HelloAsso credentials linked to zero or several organizations.
	CodeNotSingleOrganization ErrorCode = "not_single_organization"
	// CodeInvalidCredentials: a required credential field is missing or malformed.
	CodeInvalidCredentials ErrorCode = "invalid_credentials"
	// CodeInvalidDomainName: the Supersoniks access key is not a domain name
	// [supersoniksAccessKeyInvalidDomainName].
	CodeInvalidDomainName ErrorCode = "invalid_domain_name"
)

// RemoteError is every failure a connector returns. It never holds a secret: bodies are
// excerpted and redacted, URLs are reduced to their path.
type RemoteError struct {
	System System
	Code   ErrorCode
	// Status is the HTTP status, 0 when no response was involved.
	Status int
	// Path is the request path (no query string: it may hold credentials).
	Path string
	// Excerpt is at most 300 characters of the response body, secrets removed.
	Excerpt string
	// Field names the faulty credential field for CodeInvalidCredentials/CodeInvalidDomainName.
	Field string
	// Argument is the value the user's message names: the currency of CodeForeignCurrency, the
	// country of CodeForeignTaxRate.
	Argument string
	// Message is a technical explanation in English for admins.
	Message string
	Err     error
}

// Error implements error.
func (e *RemoteError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ticketing %s: %s", strings.ToLower(string(e.System)), e.Code)
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if e.Path != "" {
		fmt.Fprintf(&b, " on %s", e.Path)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap gives access to the cause (e.g. context.DeadlineExceeded).
func (e *RemoteError) Unwrap() error { return e.Err }

// CodeOf returns the code of the RemoteError in err's chain, or "" when there is none.
func CodeOf(err error) ErrorCode {
	var re *RemoteError
	if errors.As(err, &re) {
		return re.Code
	}
	return ""
}

// maxExcerpt is the decision T3 (docs/decisions.md) bound on the stored body excerpt.
const maxExcerpt = 300

// secretJSONField catches tokens a body may echo even when we do not know them beforehand.
var secretJSONField = regexp.MustCompile(`(?i)("[a-z_]*(?:token|secret|key|password)[a-z_]*"\s*:\s*)"[^"]*"`)

// excerpt returns the start of body with the known secrets and token-like JSON values masked and
// whitespace collapsed, cut at maxExcerpt characters on a rune boundary.
func excerpt(body []byte, secrets []string) string {
	s := strings.ToValidUTF8(string(body[:min(len(body), 16*maxExcerpt)]), "�")
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	s = secretJSONField.ReplaceAllString(s, `$1"[redacted]"`)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxExcerpt {
		s = string([]rune(s)[:maxExcerpt-1]) + "…"
	}
	return s
}

// Excerpt is the bounded, redacted body excerpt of decision T3 (docs/decisions.md) for the other
// clients of remote services (the SACD web service).
func Excerpt(body []byte, secrets []string) string { return excerpt(body, secrets) }
