package ticketingtest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// HelloAsso credentials the fake accepts and the token it issues.
const (
	HelloAssoClientID     = "cid"
	HelloAssoClientSecret = "csec"
	HelloAssoAccessToken  = "at-1"
)

// HelloAsso fakes https://api.helloasso.com (rule C8, docs/decisions.md). Point HelloAssoBaseURL at URL.
type HelloAsso struct {
	*Server

	mu            sync.Mutex
	organizations []Object
	orders        []Object
	forms         map[string]Object
	items         map[string][]Object
	pageSize      int
}

// NewHelloAsso starts a fake serving the reference sample.
func NewHelloAsso(t testing.TB) *HelloAsso {
	h := &HelloAsso{
		organizations: objects(`[{"organizationSlug":"asso-theatre","name":"Asso Théâtre","role":"OrganizationAdmin"}]`),
		orders: objects(`[{"id":9001,"date":"2025-05-02T10:00:00+02:00","formSlug":"spectacle-juin","formType":"Event",
          "amount":{"total":4000,"vat":0,"discount":0}}]`),
		forms: map[string]Object{"spectacle-juin": object(`{"formSlug":"spectacle-juin","formType":"Event","title":"Spectacle de juin","currency":"EUR",
 "startDate":"2025-06-20T20:00:00+02:00","endDate":"2025-06-20T22:00:00+02:00",
 "tiers":[{"id":501,"label":"Plein","tierType":"Registration","price":2000,"vatRate":5.5,"paymentFrequency":"Single"},
          {"id":502,"label":"Gratuit","tierType":"Registration","price":0,"vatRate":0,"paymentFrequency":"Single"},
          {"id":503,"label":"Don","tierType":"Donation","price":null,"vatRate":0,"paymentFrequency":"Single"}]}`)},
		items: map[string][]Object{"spectacle-juin": objects(`[{"id":1,"tierId":501,"amount":2000,"state":"Processed","type":"Registration"},
         {"id":2,"tierId":501,"amount":2000,"state":"Processed","type":"Registration"},
         {"id":3,"tierId":502,"amount":0,"state":"Registered","type":"Registration"}]`)},
		pageSize: 100,
	}
	h.Server = newServer(t, false, h.handle)
	return h
}

// SetOrganizations replaces the organizations the credentials are linked to.
func (h *HelloAsso) SetOrganizations(orgs []Object) { h.set(func() { h.organizations = orgs }) }

// SetOrders replaces the orders (filtered on "date" by from/to).
func (h *HelloAsso) SetOrders(orders []Object) { h.set(func() { h.orders = orders }) }

// SetForm replaces or adds the public form of a slug.
func (h *HelloAsso) SetForm(slug string, form Object) { h.set(func() { h.forms[slug] = form }) }

// SetItems replaces the items of a form.
func (h *HelloAsso) SetItems(slug string, items []Object) { h.set(func() { h.items[slug] = items }) }

// SetPageSize makes the fake serve n items per page (it still echoes the requested pageSize, as
// the connector expects), to exercise continuation tokens with small data.
func (h *HelloAsso) SetPageSize(n int) { h.set(func() { h.pageSize = n }) }

func (h *HelloAsso) set(f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f()
}

func (h *HelloAsso) handle(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if r.URL.Path == "/oauth2/token" && r.Method == http.MethodPost {
		if r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_id") != HelloAssoClientID ||
			r.PostForm.Get("client_secret") != HelloAssoClientSecret {
			writeBody(w, http.StatusUnauthorized, "application/json", `{"error":"unauthorized_client"}`)
			return
		}
		writeJSON(w, Object{"access_token": HelloAssoAccessToken, "expires_in": 1800, "refresh_token": "rt-1", "token_type": "bearer"})
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+HelloAssoAccessToken {
		writeBody(w, http.StatusUnauthorized, "application/json", `{"message":"Authorization has been denied for this request."}`)
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.URL.Path == "/v5/users/me/organizations":
		writeJSON(w, nonNil(h.organizations))
	case len(parts) == 4 && parts[1] == "organizations" && parts[3] == "orders":
		h.serveOrders(w, r)
	case len(parts) == 7 && parts[1] == "organizations" && parts[3] == "forms" && parts[4] == "Event" && parts[6] == "public":
		form, ok := h.forms[parts[5]]
		if !ok {
			writeBody(w, http.StatusNotFound, "application/json", `{"errors":[{"message":"form not found"}]}`)
			return
		}
		writeJSON(w, form)
	case len(parts) == 7 && parts[1] == "organizations" && parts[3] == "forms" && parts[4] == "Event" && parts[6] == "items":
		h.servePage(w, r, h.items[parts[5]])
	default:
		writeBody(w, http.StatusNotFound, "application/json", `{"errors":[{"message":"not found"}]}`)
	}
}

func (h *HelloAsso) serveOrders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, err1 := time.Parse(time.RFC3339, q.Get("from"))
	to := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	var err2 error
	if q.Get("to") != "" {
		to, err2 = time.Parse(time.RFC3339, q.Get("to"))
	}
	if err1 != nil || err2 != nil {
		writeBody(w, http.StatusBadRequest, "application/json", `{"errors":[{"message":"from/to must be dates"}]}`)
		return
	}
	var list []Object
	for _, o := range h.orders {
		date, err := time.Parse(time.RFC3339, str(o, "date"))
		if err == nil && !date.Before(from) && date.Before(to) {
			list = append(list, o)
		}
	}
	h.servePage(w, r, list)
}

// servePage paginates with continuation tokens "tok-<offset>". Like the real API it always
// returns a token, and answers the last token with an empty page and the same token.
func (h *HelloAsso) servePage(w http.ResponseWriter, r *http.Request, list []Object) {
	q := r.URL.Query()
	requested, err := strconv.Atoi(q.Get("pageSize"))
	if err != nil || requested < 1 {
		writeBody(w, http.StatusBadRequest, "application/json", `{"errors":[{"message":"pageSize is required"}]}`)
		return
	}
	size := min(h.pageSize, requested)
	offset := 0
	if tok := q.Get("continuationToken"); tok != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(tok, "tok-"))
		if err != nil || n > len(list) {
			writeBody(w, http.StatusBadRequest, "application/json", `{"errors":[{"message":"invalid continuation token"}]}`)
			return
		}
		offset = n
	}
	end := min(offset+size, len(list))
	writeJSON(w, Object{"data": nonNil(list[offset:end]), "pagination": Object{
		"pageSize": requested, "totalCount": len(list), "pageIndex": offset/max(size, 1) + 1,
		"totalPages": (len(list) + size - 1) / max(size, 1), "continuationToken": fmt.Sprintf("tok-%d", end)}})
}
