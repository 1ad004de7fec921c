package ticketing

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"

	"assistant-declaration/app/derrors"
)

// supersoniks is the connector of Supersoniks and its white-label SoTicket (rule C6, docs/decisions.md).
type supersoniks struct {
	r      *remote
	system System
	base   string
	prefix string
	header http.Header
	now    func() time.Time
}

// newSupersoniks builds the connector of a customer domain (normalized: lower case), reached
// with the client of user-typed hosts; storedDomain is the domain as the connection stored it,
// from which the series ids derive.
func newSupersoniks(system System, creds Credentials, storedDomain string, cfg Config) *supersoniks {
	cfg.HTTPClient = cfg.userHostClient
	return &supersoniks{r: newRemote(system, cfg, creds.SecretKey), system: system,
		base:   strings.ReplaceAll(cfg.SupersoniksURLTemplate, "{domain}", creds.AccessKey),
		prefix: slugify(storedDomain), header: http.Header{"Authorization": {"Bearer " + creds.SecretKey}}, now: cfg.Now}
}

// slugify makes the per-customer id prefix: Supersoniks ids are only unique within a customer.
// camelCase is split, everything else than letters and digits becomes "-". It is given the
// domain as the connection stored it: lower case since domains are lower-cased when connecting,
// but a connection stored before kept its capitals, and its series ids their camelCase split
// ("MaSalle.com" is ma-salle-com, not masalle-com); slugging its lower-cased domain instead would
// give every series a new id, hence a duplicate, at its next synchronization.
func slugify(s string) string {
	var b strings.Builder
	prev := rune(0)
	dash := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
			b.WriteByte('-')
		}
	}
	for _, r := range s {
		if unicode.IsUpper(r) && unicode.IsLower(prev) {
			dash()
		}
		prev = r
		if r = unicode.ToLower(r); r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		} else {
			dash()
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

type ssPrice struct {
	Amount   *number `json:"amount"`
	Quantity *int    `json:"quantity"`
	Revenue  *number `json:"revenue"`
}

type ssStatement struct {
	Session *struct {
		ID           int64 `json:"id"`
		StartDate    int64 `json:"start_date"`
		EndDate      int64 `json:"end_date"`
		Multisession *struct {
			MultisessionID int64  `json:"multisession_id"`
			Title          string `json:"title"`
		} `json:"multisession"`
		Settings struct {
			Tax *struct {
				Rate number `json:"rate"`
			} `json:"tax"`
			Duration *int64 `json:"duration"`
		} `json:"settings"`
		Edito struct {
			Title string `json:"title"`
		} `json:"edito"`
		EntityType string `json:"entity_type"`
	} `json:"session"`
	InternalsPrices []ssPrice `json:"internals_prices"`
	ExternalsPrices []ssPrice `json:"externals_prices"`
}

func (s *ssStatement) validate() error {
	var c checks
	if s.Session == nil {
		return fmt.Errorf("session missing")
	}
	c.need(s.Session.StartDate > 0, "session %d: start_date must be > 0", s.Session.ID)
	c.need(s.Session.EndDate >= 0, "session %d: end_date must be ≥ 0", s.Session.ID)
	c.need(s.Session.Settings.Tax != nil && s.Session.Settings.Tax.Rate.set && !s.Session.Settings.Tax.Rate.v.IsNegative(), "session %d: settings.tax.rate must be ≥ 0", s.Session.ID)
	c.need(s.Session.Settings.Duration == nil || *s.Session.Settings.Duration >= 0, "session %d: duration must be ≥ 0", s.Session.ID)
	if m := s.Session.Multisession; m != nil {
		c.need(m.Title != "", "session %d: multisession title missing", s.Session.ID)
	} else {
		c.need(s.Session.Edito.Title != "", "session %d: edito title missing", s.Session.ID)
	}
	c.need(s.InternalsPrices != nil && s.ExternalsPrices != nil, "session %d: internals_prices and externals_prices are required", s.Session.ID)
	for _, p := range append(s.InternalsPrices[:len(s.InternalsPrices):len(s.InternalsPrices)], s.ExternalsPrices...) {
		c.need(p.Amount != nil && p.Revenue != nil && p.Quantity != nil && *p.Quantity >= 0, "session %d: price amount, revenue and quantity ≥ 0 are required", s.Session.ID)
	}
	return c.err()
}

type ssClosing struct {
	Success *bool         `json:"success"`
	Data    []ssStatement `json:"data"`
}

func (c *ssClosing) validate() error {
	if c.Success == nil {
		return fmt.Errorf("success missing")
	}
	if !*c.Success {
		return &RemoteError{Code: CodeHTTPError, Message: "supersoniks does not consider the response as successful"}
	}
	if c.Data == nil {
		return fmt.Errorf("data missing")
	}
	return validateAll(c.Data)
}

func parseSupersoniksClosing(body []byte) (ssClosing, error) { return decode[ssClosing](body) }

func (s *supersoniks) closing(ctx context.Context, from, to time.Time) (ssClosing, error) {
	q := query{{"bypass_closed", "true"}, {"from", unix(from)}, {"to", unix(to)}}
	return getJSON(ctx, s.r, request{method: http.MethodGet, url: withQuery(s.base, "/statement/closing", q), header: s.header}, parseSupersoniksClosing)
}

// TestConnection asks for the statements of a day in the future: empty but authenticated.
func (s *supersoniks) TestConnection(ctx context.Context) (err error) {
	defer derrors.Wrap(&err, "ticketing: test the %s connection", s.system)
	future := s.now().AddDate(2, 0, 0)
	_, err = s.closing(ctx, future, future)
	return err
}

// FetchSeries ignores from: the API filters by event date and gives totals only, so every run
// re-reads the window from 13 months ago to a year ahead.
func (s *supersoniks) FetchSeries(ctx context.Context, _, to time.Time) (_ []Serie, err error) {
	defer derrors.Wrap(&err, "ticketing: fetch the %s series closed until %s", s.system, to)
	now := s.now()
	if to.IsZero() {
		to = now.AddDate(1, 0, 0)
	}
	closing, err := s.closing(ctx, now.AddDate(0, -13, 0), to)
	if err != nil {
		return nil, err
	}
	var series []Serie
	index := map[string]int{}
	for _, st := range closing.Data {
		sess := st.Session
		key, name := "session_"+strconv.FormatInt(sess.ID, 10), sess.Edito.Title
		if m := sess.Multisession; m != nil {
			key, name = strconv.FormatInt(m.MultisessionID, 10), m.Title
		}
		i, ok := index[key]
		if !ok {
			i = len(series)
			index[key] = i
			series = append(series, Serie{RemoteID: s.prefix + "_" + key, Name: name, Events: []Event{}})
		}
		if sess.EntityType != "event" {
			continue // subscriptions, gift cards and extra products are not performances
		}
		start := time.Unix(sess.StartDate, 0)
		var end *time.Time
		switch {
		case sess.EndDate != 0:
			e := time.Unix(sess.EndDate, 0)
			end = &e
		case sess.Settings.Duration != nil:
			e := start.Add(time.Duration(*sess.Settings.Duration) * time.Minute)
			end = &e
		}
		rate := sess.Settings.Tax.Rate.v
		var t tally
		for _, p := range append(st.InternalsPrices[:len(st.InternalsPrices):len(st.InternalsPrices)], st.ExternalsPrices...) {
			if p.Amount.v.IsNegative() {
				continue // partial refunds have no quantity, they cannot be allocated
			}
			if p.Revenue.v.IsNegative() {
				return nil, &RemoteError{System: s.system, Code: CodeInconsistentData, Message: fmt.Sprintf("session %d has a negative revenue line", sess.ID)}
			}
			t.addLine(*p.Quantity, p.Amount.v, p.Revenue.v)
		}
		// The excluding-taxes amount is computed on the event total (rule S3, docs/decisions.md).
		ev := t.event(s.prefix+"_"+strconv.FormatInt(sess.ID, 10), start, end, decimal.NewNullDecimal(rate))
		ev.RevenueExcludingTaxes = roundCents(excludingTaxes(t.incl, rate))
		series[i].Events = append(series[i].Events, ev)
	}
	return series, nil
}
