package ticketing

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/time/rate"
)

// maxBodySize bounds what we read from a remote: the largest real bodies (Mapado pages of 10 000
// tickets) stay far below it.
const maxBodySize = 64 << 20

// newHTTPClient builds a default client. Timeouts are applied per attempt by the remote client,
// so the http.Client itself has none. refusePrivate checks every address dialled
// (refusePrivateAddress) and goes to it directly: through a proxy, the check would see the proxy.
func newHTTPClient(forceIPv4, refusePrivate bool) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	if refusePrivate {
		dialer.Control = refusePrivateAddress
		transport.Proxy = nil
	}
	network := "tcp"
	if forceIPv4 {
		network = "tcp4"
	}
	transport.DialContext = func(ctx context.Context, _, addr string) (net.Conn, error) {
		return dialer.DialContext(ctx, network, addr)
	}
	return &http.Client{Transport: transport}
}

// errPrivateAddress refuses to dial an address of our own network.
var errPrivateAddress = errors.New("refusing to dial a loopback, private or link-local address")

// sharedAddressSpace is RFC 6598's carrier-grade NAT range, private in practice.
var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

// refusePrivateAddress is a net.Dialer Control hook: it runs on the resolved address about to be
// dialled (every address a name resolves to, at every connection), so neither a domain resolving
// to 127.0.0.1 or 169.254.169.254 nor a DNS answer changing after a first check gets through.
func refusePrivateAddress(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return err
	}
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || sharedAddressSpace.Contains(ip) {
		return fmt.Errorf("%w: %s", errPrivateAddress, ip)
	}
	return nil
}

// remote is the one HTTP mechanism every connector uses: per-attempt timeout, bounded retries of
// idempotent requests, Retry-After, client-side pacing, error classification and redaction.
type remote struct {
	system        System
	client        *http.Client
	timeout       time.Duration
	maxRetries    int
	backoff       time.Duration
	maxRetryAfter time.Duration
	limiter       *rate.Limiter
	slots         chan struct{}
	pause         time.Duration
	secrets       []string
	// classify lets a connector recognise its own error bodies; "" falls back to the generic rules.
	classify func(status int, body []byte) ErrorCode
}

func newRemote(system System, cfg Config, secrets ...string) *remote {
	p := cfg.pacing(system)
	r := &remote{
		system:        system,
		client:        cfg.HTTPClient,
		timeout:       cfg.RequestTimeout,
		maxRetries:    cfg.MaxRetries,
		backoff:       cfg.RetryBackoff,
		maxRetryAfter: cfg.MaxRetryAfter,
		pause:         p.Pause,
		secrets:       secrets,
	}
	if p.Requests > 0 && p.Window > 0 {
		r.limiter = rate.NewLimiter(rate.Every(p.Window/time.Duration(p.Requests)), p.Requests)
	}
	if p.MaxConcurrent > 0 {
		r.slots = make(chan struct{}, p.MaxConcurrent)
	}
	return r
}

// request is one call. Only GET is retried on 5xx/timeouts; 429 is retried for any method since
// the remote did not process it.
type request struct {
	method string
	url    string
	header http.Header
	form   url.Values
	// unpaced requests skip the rate limiter (HelloAsso's token endpoint is not limited).
	unpaced bool
}

func get(u string) request { return request{method: http.MethodGet, url: u} }

func (r *remote) fail(code ErrorCode, req request, status int, body []byte, err error) *RemoteError {
	path := req.url
	if u, perr := url.Parse(req.url); perr == nil {
		path = u.Path
	}
	return &RemoteError{System: r.system, Code: code, Status: status, Path: path, Excerpt: excerpt(body, r.secrets), Err: err}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// wait is the connector-level Pause of the system's pacing.
func (r *remote) wait(ctx context.Context) error {
	if err := sleep(ctx, r.pause); err != nil {
		return r.fail(contextCode(err), request{}, 0, nil, err)
	}
	return nil
}

func contextCode(err error) ErrorCode {
	if errors.Is(err, context.Canceled) {
		return CodeCanceled
	}
	return CodeTimeout
}

// do performs req and returns the body of a 2xx JSON response.
func (r *remote) do(ctx context.Context, req request) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		body, retryAfter, err := r.attempt(ctx, req)
		if err == nil {
			return body, nil
		}
		if ctx.Err() != nil {
			return nil, r.fail(contextCode(ctx.Err()), req, 0, nil, ctx.Err())
		}
		if attempt >= r.maxRetries || !r.retryable(req, err) {
			return nil, err
		}
		wait := r.backoff << attempt
		if err.Code == CodeRateLimited && retryAfter >= 0 {
			if retryAfter > r.maxRetryAfter {
				return nil, err
			}
			wait = retryAfter
		}
		if serr := sleep(ctx, wait); serr != nil {
			return nil, r.fail(contextCode(serr), req, 0, nil, serr)
		}
	}
}

func (r *remote) retryable(req request, err *RemoteError) bool {
	switch err.Code {
	case CodeRateLimited:
		return true
	case CodeServerError, CodeTimeout, CodeNetwork:
		return req.method == http.MethodGet
	}
	return false
}

// attempt makes one request; retryAfter is negative when the response had no usable header.
func (r *remote) attempt(ctx context.Context, req request) (body []byte, retryAfter time.Duration, _ *RemoteError) {
	retryAfter = -1
	if r.limiter != nil && !req.unpaced {
		if err := r.limiter.Wait(ctx); err != nil {
			return nil, retryAfter, r.fail(contextCode(err), req, 0, nil, err)
		}
	}
	if r.slots != nil {
		select {
		case r.slots <- struct{}{}:
			defer func() { <-r.slots }()
		case <-ctx.Done():
			return nil, retryAfter, r.fail(contextCode(ctx.Err()), req, 0, nil, ctx.Err())
		}
	}
	actx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	var reqBody io.Reader
	if req.form != nil {
		reqBody = strings.NewReader(req.form.Encode())
	}
	hreq, err := http.NewRequestWithContext(actx, req.method, req.url, reqBody)
	if err != nil {
		return nil, retryAfter, r.fail(CodeInvalidCredentials, req, 0, nil, errors.New("cannot build the request URL"))
	}
	for k, v := range req.header {
		hreq.Header[k] = v
	}
	hreq.Header.Set("Accept", "application/json")
	if req.form != nil {
		hreq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := r.client.Do(hreq)
	if err == nil {
		defer resp.Body.Close()
		body, err = io.ReadAll(io.LimitReader(resp.Body, maxBodySize))
	}
	if err != nil {
		var nerr net.Error
		if actx.Err() != nil || (errors.As(err, &nerr) && nerr.Timeout()) {
			return nil, retryAfter, r.fail(CodeTimeout, req, 0, nil, errors.New("no answer in time"))
		}
		// The *url.Error text repeats the URL and therefore the credentials: keep its cause only.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, retryAfter, r.fail(CodeNetwork, req, 0, nil, err)
	}
	status := resp.StatusCode
	code := ErrorCode("")
	if r.classify != nil {
		code = r.classify(status, body)
	}
	if code == "" {
		code = classify(status, body)
	}
	if code == "" {
		return body, retryAfter, nil
	}
	if code == CodeRateLimited {
		retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return nil, retryAfter, r.fail(code, req, status, body, nil)
}

// isChallenge recognises the Cloudflare challenge page served instead of the API.
func isChallenge(body []byte) bool {
	return bytes.Contains(body, []byte("cdn-cgi/challenge-platform"))
}

// classify is the generic mapping of a response to an error code ("" = usable 2xx JSON).
func classify(status int, body []byte) ErrorCode {
	trimmed := bytes.TrimSpace(body)
	switch {
	case isChallenge(body):
		return CodeFirewall
	case status == http.StatusTooManyRequests:
		return CodeRateLimited
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return CodeUnauthorized
	case status >= 500:
		return CodeServerError
	case status < 200 || status > 299:
		return CodeHTTPError
	case len(trimmed) > 0 && trimmed[0] == '<':
		// A 2xx HTML page is a proxy or firewall answering for the API.
		return CodeFirewall
	}
	return ""
}

// parseRetryAfter reads delta-seconds or an HTTP date; -1 when absent or invalid.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return -1
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return -1
}

// getJSON fetches req and parses its body; a parse failure becomes CodeMalformedResponse with an
// excerpt of the offending body.
func getJSON[T any](ctx context.Context, r *remote, req request, parse func([]byte) (T, error)) (T, error) {
	body, err := r.do(ctx, req)
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := parse(body)
	if err != nil {
		var re *RemoteError
		if errors.As(err, &re) {
			// A parser recognising an error object or refusing data cannot know the request:
			// complete it, and return it alone (a wrapping message was written without it).
			re.System, re.Path = r.system, r.fail("", req, 0, nil, nil).Path
			return v, re
		}
		return v, r.fail(CodeMalformedResponse, req, http.StatusOK, body, err)
	}
	return v, nil
}

// query is an ordered query string: some APIs want their parameters in a given order
// (Billetweb authentication first) or repeated (HelloAsso arrays).
type query [][2]string

func (q query) add(k, v string) query { return append(q, [2]string{k, v}) }

func (q query) encode() string {
	var b strings.Builder
	for i, kv := range q {
		if i > 0 {
			b.WriteByte('&')
		}
		// "@" is legal in a query; Mapado's own examples write "@id" unescaped.
		b.WriteString(strings.ReplaceAll(url.QueryEscape(kv[0]), "%40", "@") + "=" + url.QueryEscape(kv[1]))
	}
	return b.String()
}

// withQuery joins a base URL, a path and a query.
func withQuery(base, path string, q query) string {
	if len(q) == 0 {
		return base + path
	}
	return base + path + "?" + q.encode()
}
