// Package sacd declares a serie to SACD through its web service: the XML
// declaration parameter, the HTTP client (login on every transmission, md5
// signatures, form-encoded bodies), the reading of SACD's answers into a
// receipt or a typed error, and the mock used outside production. It knows
// nothing of the web layer nor of the database: the caller records what it
// returns. sacdtest is an HTTP fake of the web service.
package sacd

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/ticketing"
	"assistant-declaration/config"
)

// Client declares to SACD.
type Client interface {
	// Declare sends d and returns SACD's receipt. When the declaration was
	// sent and SACD answered, the receipt comes with the error too (the XML
	// sent and the raw answer, for the audit). Remote failures are *Error;
	// a declaration that cannot be built (no performance) is ErrNoPerformance.
	Declare(ctx context.Context, d Declaration) (*Receipt, error)
}

// Receipt is SACD's acceptance of a declaration, kept for the audit.
type Receipt struct {
	// DecRef, DecNb and SacdDate are SACD's answer header.
	DecRef   string
	DecNb    int
	SacdDate string
	// Warnings are representations SACD accepted with a WARNING.
	Warnings []Representation
	// XML is the declaration parameter sent; Answer is SACD's raw answer.
	XML    string
	Answer string
}

// Config is the access to the web service (config.SacdAPI) and the client's
// tunables.
type Config struct {
	config.SacdAPI

	// HTTPClient is used as is when set.
	HTTPClient *http.Client
	// Timeout bounds each request (default 30 s).
	Timeout time.Duration
	// MockDelay is how long the mock takes to answer (0 → 1 s, negative → none).
	MockDelay time.Duration
	// Now is the clock of the declaration date (default time.Now).
	Now func() time.Time
}

func (cfg Config) withDefaults() Config {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.MockDelay == 0 {
		cfg.MockDelay = time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

// Factory returns the client for the user transmitting.
type Factory func(userID uuid.UUID) Client

// NewFactory targets the configured web service; outside production every
// user gets the mock unless listed in DISABLE_TICKETING_SYSTEM_MOCK_FOR_USER_IDS
// (the ticketing connectors' rule, config.MocksRemoteServicesFor). base carries
// the tunables; its access fields are replaced by the configuration's.
func NewFactory(cfg *config.Config, base Config) Factory {
	base.SacdAPI = cfg.SacdAPI
	return func(userID uuid.UUID) Client {
		if cfg.MocksRemoteServicesFor(userID) {
			return NewMock(base)
		}
		return NewHTTPClient(base)
	}
}

// ErrNotConfigured: the SACD_API_* variables are not set.
var ErrNotConfigured = fmt.Errorf("sacd: the web service is not configured (SACD_API_* variables): %w", derrors.ErrUnavailable)

// HTTPClient is the real client of the web service.
type HTTPClient struct {
	cfg Config
}

// NewHTTPClient builds the real client.
func NewHTTPClient(cfg Config) *HTTPClient { return &HTTPClient{cfg: cfg.withDefaults()} }

// Headers of every POST: SACD asks for a browser's.
var postHeaders = map[string]string{
	"Content-Type":    "application/x-www-form-urlencoded",
	"User-Agent":      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/58.0.3029.110 Safari/537.3",
	"Accept":          "text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8",
	"Accept-Language": "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7",
}

// maxAnswerSize bounds what is read of an answer: one line per representation.
const maxAnswerSize = 4 << 20

// Md5Hex is the hexadecimal md5 SACD's signatures use.
func Md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Declare logs in, then sends the declaration.
func (c *HTTPClient) Declare(ctx context.Context, d Declaration) (_ *Receipt, err error) {
	defer derrors.Wrap(&err, "sacd: declare serie %s", d.Serie.ID)
	if c.cfg.BaseURL == "" || c.cfg.ConsumerKey == "" {
		return nil, ErrNotConfigured
	}
	doc, err := d.XML(c.cfg.Now())
	if err != nil {
		return nil, err
	}
	secrets := []string{c.cfg.ConsumerKey, c.cfg.SecretKey, c.cfg.ProviderPassword, Md5Hex(c.cfg.ProviderPassword)}
	authToken, err := c.login(ctx, secrets)
	if err != nil {
		return nil, err
	}
	secrets = append(secrets, authToken, Md5Hex(c.cfg.SecretKey+authToken))

	form := c.commonForm()
	form.Set("parameters[Declaration]", doc)
	status, body, err := c.post(ctx, StepDeclare, "/ticketing/broker/ExploitFileTransmitETicketingDeclarationWS", c.signature(authToken), form, secrets)
	if status == 0 {
		return nil, err
	}
	receipt := &Receipt{XML: doc, Answer: redact(string(body), secrets)}
	if err != nil {
		return receipt, err
	}
	return receipt, readDeclareAnswer(receipt, status, body, secrets)
}

func (c *HTTPClient) commonForm() url.Values {
	return url.Values{
		"parameters[Application]":  {c.cfg.ProviderName},
		"parameters[LoginRefFile]": {c.cfg.ProviderRefFile},
		"parameters[Language]":     {"FR"},
	}
}

// signature is the query string of the calls made once logged in.
func (c *HTTPClient) signature(authToken string) url.Values {
	return url.Values{"key": {c.cfg.ConsumerKey}, "token": {Md5Hex(c.cfg.SecretKey + authToken)}}
}

// remoteError is SACD's JSON error answer.
type remoteError struct {
	Error *struct {
		Code    string `json:"Code"`
		Message string `json:"Message"`
	} `json:"Error"`
}

func (c *HTTPClient) login(ctx context.Context, secrets []string) (_ string, err error) {
	defer derrors.Wrap(&err, "sacd: log in")
	form := url.Values{
		"login[login]":        {c.cfg.ProviderRefFile},
		"login[password]":     {Md5Hex(c.cfg.ProviderPassword)},
		"login[consumer_key]": {c.cfg.ConsumerKey},
	}
	status, body, err := c.post(ctx, StepLogin, "/ticketing/auto-access.json", nil, form, secrets)
	if err != nil {
		return "", err
	}
	var answer struct {
		AuthToken string `json:"AuthToken"`
		remoteError
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return "", answerError(CodeMalformedResponse, StepLogin, status, body, secrets, err)
	}
	if answer.Error != nil {
		e := answerError(CodeRefused, StepLogin, status, body, secrets, nil)
		e.RemoteCode, e.RemoteMessage, e.Retryable = answer.Error.Code, answer.Error.Message, false
		return "", e
	}
	if answer.AuthToken == "" {
		return "", answerError(CodeMalformedResponse, StepLogin, status, body, secrets, errors.New("no AuthToken"))
	}
	return answer.AuthToken, nil
}

// redact masks the secrets an answer could echo, in what is kept whole.
func redact(s string, secrets []string) string {
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

// answerError is a retryable failure on an answer SACD sent.
func answerError(code ErrorCode, step string, status int, body []byte, secrets []string, err error) *Error {
	return &Error{Code: code, Step: step, Status: status, Excerpt: ticketing.Excerpt(body, secrets), Retryable: true, Err: err}
}

// post sends a form and returns the 2xx answer; every other outcome is an *Error.
func (c *HTTPClient) post(ctx context.Context, step, path string, query, form url.Values, secrets []string) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	u := c.cfg.BaseURL + path
	if query != nil {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, nil, &Error{Code: CodeNetwork, Step: step, Err: err}
	}
	for k, v := range postHeaders {
		req.Header.Set(k, v)
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return 0, nil, transportError(ctx, step, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerSize))
	if err != nil {
		return resp.StatusCode, nil, transportError(ctx, step, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, body, answerError(CodeHTTPError, step, resp.StatusCode, body, secrets, nil)
	}
	return resp.StatusCode, body, nil
}

// transportError classifies a failure without an answer. The error of the
// HTTP client names the URL, whose query holds the signature: only its kind
// is kept.
func transportError(ctx context.Context, step string, err error) *Error {
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled) && ctx.Err() != context.DeadlineExceeded:
		return &Error{Code: CodeCanceled, Step: step, Retryable: true, Err: context.Canceled}
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout():
		return &Error{Code: CodeTimeout, Step: step, Retryable: true, Err: context.DeadlineExceeded}
	default:
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return &Error{Code: CodeNetwork, Step: step, Retryable: true, Err: err}
	}
}

// declareAnswer is SACD's XML answer to a declaration.
type declareAnswer struct {
	XMLName xml.Name `xml:"Declaration"`
	Header  struct {
		DecRef   string `xml:"dec_ref"`
		DecNb    string `xml:"dec_nb"`
		SacdDate string `xml:"sacd_date"`
	} `xml:"Header"`
	Representations []struct {
		Reference string `xml:"rep_ref_dec"`
		Number    string `xml:"numero"`
		Status    string `xml:"statut"`
		Field     string `xml:"champ"`
		Message   string `xml:"message"`
	} `xml:"Representations>Representation"`
}

// readDeclareAnswer fills receipt from a 2xx answer, or says why SACD did not
// accept the declaration. SACD sends a JSON error even with a 2xx status.
func readDeclareAnswer(receipt *Receipt, status int, body []byte, secrets []string) error {
	if strings.HasPrefix(strings.TrimSpace(string(body)), "{") {
		var answer remoteError
		if err := json.Unmarshal(body, &answer); err != nil || answer.Error == nil {
			return answerError(CodeMalformedResponse, StepDeclare, status, body, secrets, err)
		}
		e := answerError(CodeRefused, StepDeclare, status, body, secrets, nil)
		e.RemoteCode, e.RemoteMessage, e.Retryable = answer.Error.Code, answer.Error.Message, false
		if answer.Error.Code == "ERR_WS_DEC_REF" {
			e.Code = CodeIncorrectDeclarant
		}
		return e
	}
	var answer declareAnswer
	if err := xml.Unmarshal(body, &answer); err != nil {
		return answerError(CodeMalformedResponse, StepDeclare, status, body, secrets, err)
	}
	nb, err := strconv.Atoi(strings.TrimSpace(answer.Header.DecNb))
	if err != nil || answer.Header.DecRef == "" {
		return answerError(CodeMalformedResponse, StepDeclare, status, body, secrets, errors.New("no dec_ref or dec_nb in the answer header"))
	}
	receipt.DecRef, receipt.DecNb, receipt.SacdDate = strings.TrimSpace(answer.Header.DecRef), nb, strings.TrimSpace(answer.Header.SacdDate)
	var rejections []Representation
	for _, r := range answer.Representations {
		line := Representation{Reference: r.Reference, Number: r.Number, Field: r.Field, Message: r.Message}
		switch strings.TrimSpace(r.Status) {
		case "KO":
			rejections = append(rejections, line)
		case "WARNING":
			receipt.Warnings = append(receipt.Warnings, line)
		}
	}
	if len(rejections) > 0 {
		e := answerError(CodeUnsuccessful, StepDeclare, status, body, secrets, nil)
		e.Rejections, e.Retryable = rejections, false
		return e
	}
	return nil
}
