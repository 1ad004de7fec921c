package ticketing

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/shopspring/decimal"

	"assistant-declaration/app/derrors"
)

// helloasso is the HelloAsso connector (rule C3 and decision T6, docs/decisions.md).
type helloasso struct {
	r     *remote
	base  string
	creds Credentials
	now   func() time.Time
}

// helloassoPageSize is fixed by the contract; every collection must echo it.
const helloassoPageSize = 100

func newHelloAsso(creds Credentials, cfg Config) *helloasso {
	return &helloasso{r: newRemote(HelloAsso, cfg, creds.AccessKey, creds.SecretKey), base: cfg.HelloAssoBaseURL, creds: creds, now: cfg.Now}
}

type haToken struct {
	AccessToken  string `json:"access_token"`
	ExpiresIn    *int   `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
}

func (t *haToken) validate() error {
	var c checks
	c.need(t.AccessToken != "", "access_token missing")
	c.need(t.ExpiresIn != nil && *t.ExpiresIn >= 0, "expires_in must be ≥ 0")
	c.need(t.RefreshToken != "", "refresh_token missing")
	c.need(t.TokenType == "bearer", "token_type must be bearer")
	return c.err()
}

type haOrganization struct {
	OrganizationSlug string `json:"organizationSlug"`
}

func (o *haOrganization) validate() error {
	var c checks
	c.need(o.OrganizationSlug != "", "organizationSlug missing")
	return c.err()
}

type haPagination struct {
	PageSize          int    `json:"pageSize"`
	TotalPages        int    `json:"totalPages"`
	ContinuationToken string `json:"continuationToken"`
}

// haPage is an H2 or H4 page; only the fields the algorithm uses are decoded.
type haPage[T any, PT interface {
	*T
	validator
}] struct {
	Data       []T           `json:"data"`
	Pagination *haPagination `json:"pagination"`
}

func (p *haPage[T, PT]) validate() error {
	if p.Data == nil || p.Pagination == nil {
		return fmt.Errorf("data and pagination are required")
	}
	return validateAll[T, PT](p.Data)
}

type haOrder struct {
	FormSlug string `json:"formSlug"`
}

func (o *haOrder) validate() error {
	var c checks
	c.need(o.FormSlug != "", "formSlug missing")
	return c.err()
}

type haItem struct {
	TierID int     `json:"tierId"`
	Amount *number `json:"amount"`
}

func (i *haItem) validate() error {
	var c checks
	c.need(i.TierID != 0, "tierId missing")
	c.need(i.Amount != nil && i.Amount.set && !i.Amount.v.IsNegative(), "amount must be ≥ 0")
	return c.err()
}

type haTier struct {
	ID       int     `json:"id"`
	TierType string  `json:"tierType"`
	Price    *number `json:"price"`
	VatRate  number  `json:"vatRate"`
}

type haForm struct {
	FormSlug  string   `json:"formSlug"`
	Title     string   `json:"title"`
	Currency  string   `json:"currency"`
	StartDate isoTime  `json:"startDate"`
	EndDate   isoTime  `json:"endDate"`
	Tiers     []haTier `json:"tiers"`
}

func (f *haForm) validate() error {
	var c checks
	c.need(f.FormSlug != "", "formSlug missing")
	c.need(f.Title != "", "title missing")
	if f.StartDate.valid {
		// A dated form is a show: it must be sold in euros. An undated one is skipped anyway.
		c.euro(f.Currency, "form "+f.FormSlug)
	}
	for _, t := range f.Tiers {
		c.need(t.Price == nil || !t.Price.v.IsNegative(), "tier %d price must be ≥ 0", t.ID)
		c.need(!t.VatRate.v.IsNegative(), "tier %d vatRate must be ≥ 0", t.ID)
	}
	return c.err()
}

func parseHelloAssoToken(body []byte) (haToken, error) { return decode[haToken](body) }
func parseHelloAssoOrganizations(body []byte) ([]haOrganization, error) {
	return decodeList[haOrganization](body)
}
func parseHelloAssoOrders(body []byte) (haPage[haOrder, *haOrder], error) {
	return decode[haPage[haOrder, *haOrder]](body)
}
func parseHelloAssoItems(body []byte) (haPage[haItem, *haItem], error) {
	return decode[haPage[haItem, *haItem]](body)
}
func parseHelloAssoForm(body []byte) (haForm, error) { return decode[haForm](body) }

// session is an authenticated HelloAsso access: a token is fetched for every operation (no
// caching), as the original did.
type haSession struct {
	*helloasso
	header http.Header
	org    string
}

func (h *helloasso) login(ctx context.Context) (*haSession, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {h.creds.AccessKey}, "client_secret": {h.creds.SecretKey}}
	tok, err := getJSON(ctx, h.r, request{method: http.MethodPost, url: h.base + "/oauth2/token", form: form, unpaced: true}, parseHelloAssoToken)
	if err != nil {
		return nil, err
	}
	h.r.secrets = append(h.r.secrets, tok.AccessToken, tok.RefreshToken)
	s := &haSession{helloasso: h, header: http.Header{"Authorization": {"Bearer " + tok.AccessToken}}}
	orgs, err := getJSON(ctx, h.r, s.get("/v5/users/me/organizations", nil), parseHelloAssoOrganizations)
	if err != nil {
		return nil, err
	}
	if len(orgs) != 1 {
		return nil, &RemoteError{System: HelloAsso, Code: CodeNotSingleOrganization,
			Message: fmt.Sprintf("the credentials are linked to %d organizations, exactly one is required", len(orgs))}
	}
	s.org = orgs[0].OrganizationSlug
	return s, nil
}

func (s *haSession) get(path string, q query) request {
	return request{method: http.MethodGet, url: withQuery(s.base, path, q), header: s.header}
}

// collect follows HelloAsso continuation tokens. The API returns a token even on the last page,
// so the loop also stops on a single page, a repeated token or an empty page (rule C3, docs/decisions.md).
func haCollect[T any, PT interface {
	*T
	validator
}](ctx context.Context, s *haSession, path string, q query, parse func([]byte) (haPage[T, PT], error)) ([]T, error) {
	return paginate(ctx, HelloAsso, path, "", func(ctx context.Context, token string) (page[string, T], error) {
		pq := q
		if token != "" {
			pq = append(q[:len(q):len(q)], [2]string{"continuationToken", token})
		}
		p, err := getJSON(ctx, s.r, s.get(path, pq), parse)
		if err != nil {
			return page[string, T]{}, err
		}
		if p.Pagination.PageSize != helloassoPageSize {
			return page[string, T]{}, &RemoteError{System: HelloAsso, Code: CodeInconsistentData, Path: path,
				Message: "something seems wrong with pagination result: pageSize is not echoed"}
		}
		next := p.Pagination.ContinuationToken
		more := next != "" && next != token && p.Pagination.TotalPages != 1 && len(p.Data) > 0
		return page[string, T]{items: p.Data, next: next, more: more}, nil
	})
}

// TestConnection authenticates, checks the single organization and reads one order page.
func (h *helloasso) TestConnection(ctx context.Context) (err error) {
	defer derrors.Wrap(&err, "ticketing: test the HelloAsso connection")
	s, err := h.login(ctx)
	if err != nil {
		return err
	}
	future := isoMillis(h.now().AddDate(2, 0, 0))
	_, err = getJSON(ctx, h.r, s.get("/v5/organizations/"+url.PathEscape(s.org)+"/orders",
		query{{"formTypes", "Event"}, {"from", future}, {"to", future}, {"pageSize", "1"}}), parseHelloAssoOrders)
	return err
}

// FetchSeries follows the algorithm of rule C3 (docs/decisions.md).
func (h *helloasso) FetchSeries(ctx context.Context, from, to time.Time) (_ []Serie, err error) {
	defer derrors.Wrap(&err, "ticketing: fetch the HelloAsso series changed from %s", from)
	s, err := h.login(ctx)
	if err != nil {
		return nil, err
	}
	orgPath := "/v5/organizations/" + url.PathEscape(s.org)
	q := query{{"formTypes", "Event"}, {"from", isoMillis(from)}}
	if !to.IsZero() {
		q = q.add("to", isoMillis(to))
	}
	q = append(q, query{{"sortOrder", "Desc"}, {"withCount", "true"}, {"pageSize", fmt.Sprint(helloassoPageSize)}}...)
	orders, err := haCollect(ctx, s, orgPath+"/orders", q, parseHelloAssoOrders)
	if err != nil {
		return nil, err
	}
	var series []Serie
	for _, slug := range firstSeen(orders, func(o haOrder) string { return o.FormSlug }) {
		serie, ok, err := s.serie(ctx, orgPath+"/forms/Event/"+url.PathEscape(slug))
		if err != nil {
			return nil, err
		}
		if ok {
			series = append(series, serie)
		}
	}
	return series, nil
}

// serie computes one form; ok is false for undated forms, which are not shows. A dated form sold
// in another currency than the euro is refused with CodeForeignCurrency (haForm.validate).
func (s *haSession) serie(ctx context.Context, formPath string) (_ Serie, ok bool, _ error) {
	form, err := getJSON(ctx, s.r, s.get(formPath+"/public", nil), parseHelloAssoForm)
	if err != nil {
		return Serie{}, false, err
	}
	if !form.StartDate.valid {
		return Serie{}, false, nil
	}
	rates := map[int]decimal.Decimal{}
	var entries []rateEntry
	for _, t := range form.Tiers {
		if t.TierType != "Registration" {
			continue
		}
		rate := percent(t.VatRate.v)
		if _, dup := rates[t.ID]; !dup {
			// Decision T6 (docs/decisions.md): a free tier is an amount of 0, so a free 0 % tier aligns with the paid rate.
			entries = append(entries, rateEntry{rate: rate, free: t.Price != nil && t.Price.v.IsZero()})
		}
		rates[t.ID] = rate
	}
	items, err := haCollect(ctx, s, formPath+"/items", query{{"tierTypes", "Registration"}, {"itemStates", "Processed"},
		{"itemStates", "Registered"}, {"sortField", "UpdateDate"}, {"sortOrder", "Desc"}, {"withCount", "true"},
		{"pageSize", fmt.Sprint(helloassoPageSize)}}, parseHelloAssoItems)
	if err != nil {
		return Serie{}, false, err
	}
	var t tally
	for _, it := range items {
		price := cents(it.Amount.v)
		rate, known := rates[it.TierID]
		if !price.IsZero() && !known {
			return Serie{}, false, &RemoteError{System: HelloAsso, Code: CodeMissingTier, Path: formPath,
				Message: fmt.Sprintf("tier %d of a sold item is absent from the public form", it.TierID)}
		}
		t.add(price, rate)
	}
	return Serie{RemoteID: form.FormSlug, Name: form.Title, Events: []Event{
		t.event(form.FormSlug, form.StartDate.t, form.EndDate.ptr(), indicativeRate(entries)),
	}}, true, nil
}
