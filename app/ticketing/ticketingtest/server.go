// Package ticketingtest provides httptest fakes of the ticketing systems' APIs, serving the sample
// bodies of rule C8 (docs/decisions.md) by default. They check authentication, record requests, inject
// failures and can serve large generated data sets. It does not import package ticketing so that
// the connectors' own tests can use it.
package ticketingtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"sync"
	"testing"
	"time"
)

// Request is one request a fake received.
type Request struct {
	Method string
	// Path is normalized: "//" collapsed (rule S5, docs/decisions.md).
	Path  string
	Query url.Values
	// RawQuery is the query string as sent, to assert parameter order.
	RawQuery string
	Header   http.Header
	// Form is the parsed body of form-encoded POSTs.
	Form url.Values
	Host string
	At   time.Time
}

// FailureKind selects how a fake misbehaves.
type FailureKind int

// Failure kinds.
const (
	// Slow waits Failure.Delay (or until the client gives up) before answering normally.
	Slow FailureKind = iota + 1
	// ServerError answers 500.
	ServerError
	// RateLimited answers 429 with Retry-After: Failure.RetryAfter (whole seconds, rounded up)
	// unless Failure.Body replaces the default body.
	RateLimited
	// Cloudflare answers 403 with a Cloudflare JS challenge page.
	Cloudflare
	// Truncated answers the normal status with the first half of the normal body.
	Truncated
	// Unauthorized answers 401.
	Unauthorized
	// Status answers Failure.Status with Failure.Body.
	Status
)

// Failure is an injected misbehaviour.
type Failure struct {
	Kind FailureKind
	// Path restricts the failure to requests whose path contains it ("" = every request).
	Path string
	// Count is how many matching requests fail before the fake recovers (0 = all of them).
	Count      int
	Delay      time.Duration
	RetryAfter time.Duration
	Status     int
	Body       string
}

// CloudflareChallenge is the kind of page Cloudflare serves instead of the API.
const CloudflareChallenge = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head>` +
	`<body><div id="challenge-body-text">Checking if the site connection is secure</div>` +
	`<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8a1b2c3d4e5f"></script></body></html>`

// Server is the part every fake shares: recording, failure injection, path normalization.
type Server struct {
	// URL is the base URL of the fake (scheme://host:port).
	URL string
	ts  *httptest.Server

	mu       sync.Mutex
	requests []Request
	failures []*Failure
}

// newServer starts srv on a (TLS when tls is set) test server closed at the end of the test.
func newServer(t testing.TB, tls bool, handler http.HandlerFunc) *Server {
	s := &Server{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, handler) })
	if tls {
		s.ts = httptest.NewTLSServer(h)
	} else {
		s.ts = httptest.NewServer(h)
	}
	s.URL = s.ts.URL
	t.Cleanup(s.ts.Close)
	return s
}

// Requests returns a copy of the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	copy(out, s.requests)
	return out
}

// RequestsTo returns the recorded requests whose path ends with suffix.
func (s *Server) RequestsTo(suffix string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}

// FailWith adds an injected failure; the first matching active one applies.
func (s *Server) FailWith(f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, &f)
}

// Recover removes every injected failure.
func (s *Server) Recover() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = nil
}

func (s *Server) record(r *http.Request) (Request, *Failure) {
	p := path.Clean("/" + r.URL.Path)
	if strings.HasSuffix(r.URL.Path, "/") && p != "/" {
		p += "/"
	}
	rec := Request{Method: r.Method, Path: p, Query: r.URL.Query(), RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Host: r.Host, At: time.Now()}
	if r.Method == http.MethodPost {
		_ = r.ParseForm() // a malformed form is recorded empty, which the test sees
		rec.Form = r.PostForm
	}
	r.URL.Path = p
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, rec)
	for _, f := range s.failures {
		if f.Count < 0 || !strings.Contains(p, f.Path) {
			continue
		}
		if f.Count > 0 {
			f.Count--
			if f.Count == 0 {
				f.Count = -1 // spent
			}
		}
		return rec, f
	}
	return rec, nil
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, handler http.HandlerFunc) {
	_, f := s.record(r)
	if f == nil {
		handler(w, r)
		return
	}
	switch f.Kind {
	case Slow:
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return
		}
		handler(w, r)
	case ServerError:
		writeBody(w, http.StatusInternalServerError, "text/html", "<html><body>Internal Server Error</body></html>")
	case RateLimited:
		secs := int((f.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", fmt.Sprint(secs))
		body := f.Body
		if body == "" {
			body = `{"error":"too many requests"}`
		}
		writeBody(w, http.StatusTooManyRequests, "application/json", body)
	case Cloudflare:
		writeBody(w, http.StatusForbidden, "text/html; charset=UTF-8", CloudflareChallenge)
	case Truncated:
		rec := httptest.NewRecorder()
		handler(rec, r)
		body := rec.Body.Bytes()
		writeBody(w, rec.Code, rec.Header().Get("Content-Type"), string(body[:len(body)/2]))
	case Unauthorized:
		writeBody(w, http.StatusUnauthorized, "application/json", `{"error":"unauthorized"}`)
	case Status:
		writeBody(w, f.Status, "application/json", f.Body)
	}
}

func writeBody(w http.ResponseWriter, status int, contentType, body string) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body)) // a failed write is the client's failure, which the test sees
}

// writeJSON serves v (already-encoded JSON when it is a json.RawMessage) with status 200.
func writeJSON(w http.ResponseWriter, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		writeBody(w, http.StatusInternalServerError, "text/plain", err.Error())
		return
	}
	writeBody(w, http.StatusOK, "application/json", buf.String())
}

// Object is a JSON object as the fakes hold their data: tests can change any field, including
// to values of the wrong type, to exercise the connectors' parsers.
type Object = map[string]any

// objects decodes a JSON array literal of the sample data, keeping numbers exact.
func objects(js string) []Object {
	var out []Object
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		panic("ticketingtest: bad sample data: " + err.Error())
	}
	return out
}

// object decodes one JSON object literal of the sample data.
func object(js string) Object {
	return objects("[" + js + "]")[0]
}

// str reads a field of an Object as text, whatever its JSON type.
func str(o Object, key string) string {
	switch v := o[key].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

// ObjectsJSON decodes a JSON array of objects (numbers kept exact), for tests building data.
func ObjectsJSON(js string) []Object { return objects(js) }
