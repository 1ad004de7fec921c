package ticketingtest

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
)

// Supersoniks credentials and domain of the reference sample.
const (
	SupersoniksDomain = "billetterie.example.com"
	SupersoniksToken  = "ss-1"
)

const supersoniksForbidden = `{"success":false,"messages":[{"content":"Bearer token expired/invalid","status":"error","type":"public"}],"data":null}`

// Supersoniks fakes https://<domain>/api/v2 (rule C8, docs/decisions.md) over TLS. Give the connector
// Client() as its HTTP client and keep the default URL template: requests to any domain reach the
// fake, which records the Host so tests can check it.
type Supersoniks struct {
	*Server

	mu         sync.Mutex
	statements []Object
}

// NewSupersoniks starts a fake serving the reference sample.
func NewSupersoniks(t testing.TB) *Supersoniks {
	s := &Supersoniks{statements: objects(`[
 {"session":{"id":501,"start_date":1751392800,"end_date":0,"time_zone":"Europe/Paris",
   "multisession":{"id":77,"multisession_id":77,"title":"Tournée d'été"},
   "settings":{"tax":{"id":2,"title":"TVA 5,5 %","rate":0.055,"tax_id":2,"tax_name":"TVA 5,5 %","tax_value":5.5},
               "duration":120,"time_zone":"Europe/Paris","closing_date":0},
   "edito":{"title":"Tournée d'été — Lyon"},"entity_type":"event"},
  "revenue":70,"tax_amount":3.65,"sold":4,"gauge":200,"closing_date":0,"prices":[],
  "internals_prices":[{"amount":25,"quantity":2,"revenue":50,"title":"Plein"},
                      {"amount":0,"quantity":1,"revenue":0,"title":""},
                      {"amount":-10,"quantity":0,"revenue":-10,"title":"Remboursement partiel"}],
  "externals_prices":[{"amount":20,"quantity":1,"revenue":20,"title":"FNAC"}]},
 {"session":{"id":502,"start_date":1752001200,"end_date":1752008400,"time_zone":"Europe/Paris",
   "settings":{"tax":{"id":3,"title":"TVA 2,1 %","rate":0.021,"tax_id":3,"tax_name":"TVA 2,1 %","tax_value":2.1},
               "duration":null,"time_zone":"Europe/Paris","closing_date":0},
   "edito":{"title":"Solo"},"entity_type":"event"},
  "revenue":0,"tax_amount":0,"sold":0,"gauge":50,"closing_date":0,"prices":[],"internals_prices":[],"externals_prices":[]}]`)}
	s.Server = newServer(t, true, s.handle)
	return s
}

// SetStatements replaces the statements.
func (s *Supersoniks) SetStatements(statements []Object) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statements = statements
}

// Client returns an HTTP client that sends every request, whatever its host, to the fake and
// trusts its certificate.
func (s *Supersoniks) Client() *http.Client {
	transport := s.ts.Client().Transport.(*http.Transport).Clone()
	addr := s.ts.Listener.Addr().String()
	transport.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	// The test certificate is issued for example.com; the Host header still carries the domain.
	transport.TLSClientConfig = transport.TLSClientConfig.Clone()
	transport.TLSClientConfig.ServerName = "example.com"
	transport.TLSClientConfig.MinVersion = tls.VersionTLS12
	return &http.Client{Transport: transport}
}

func (s *Supersoniks) handle(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+SupersoniksToken {
		writeBody(w, http.StatusForbidden, "application/json", supersoniksForbidden)
		return
	}
	if r.URL.Path != "/api/v2/statement/closing" {
		writeBody(w, http.StatusNotFound, "application/json", `{"success":false,"messages":[],"data":null}`)
		return
	}
	q := r.URL.Query()
	from, err1 := strconv.ParseInt(q.Get("from"), 10, 64)
	to, err2 := strconv.ParseInt(q.Get("to"), 10, 64)
	if q.Get("bypass_closed") != "true" || err1 != nil || err2 != nil {
		writeBody(w, http.StatusBadRequest, "application/json", `{"success":false,"messages":[{"content":"bad parameters"}],"data":null}`)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	data := []Object{}
	for _, st := range s.statements {
		session, _ := st["session"].(Object)
		start, _ := strconv.ParseInt(str(session, "start_date"), 10, 64)
		if start >= from && start <= to {
			data = append(data, st)
		}
	}
	writeJSON(w, Object{"success": true, "messages": []any{}, "total": len(data), "data": data})
}
