package statistics

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/shopspring/decimal"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/web"
)

// maxMonths bounds the period of the admin page.
const maxMonths = 120

// monthLayout is the value of an <input type="month">.
const monthLayout = "2006-01"

// Period is the months the admin page shows.
type Period struct {
	From, To time.Time
}

// FromValue and ToValue are the form values of the period.
func (p Period) FromValue() string { return p.From.Format(monthLayout) }

// ToValue is the form value of the period's last month.
func (p Period) ToValue() string { return p.To.Format(monthLayout) }

// ParsePeriod reads from and to ("2026-01"); empty values give the twelve
// months up to now's.
func ParsePeriod(from, to string, now time.Time) (Period, derrors.Fields) {
	errs := derrors.Fields{}
	p := Period{To: MonthStart(now)}
	if to != "" {
		t, err := time.Parse(monthLayout, to)
		if err != nil {
			errs.Add("to", "statistics.errors.month")
		} else {
			p.To = t
		}
	}
	if from != "" {
		f, err := time.Parse(monthLayout, from)
		if err != nil {
			errs.Add("from", "statistics.errors.month")
		} else {
			p.From = f
		}
	} else {
		p.From = p.To.AddDate(0, -11, 0)
	}
	if !errs.Any() && p.From.After(p.To) {
		errs.Add("to", "statistics.errors.order")
	}
	if !errs.Any() && p.From.AddDate(0, maxMonths-1, 0).Before(p.To) {
		errs.Add("from", "statistics.errors.tooLong")
	}
	if errs.Any() {
		p.To = MonthStart(now)
		p.From = p.To.AddDate(0, -11, 0)
	}
	return p, errs
}

// adminView is the statistics page.
type adminView struct {
	web.Layout
	Period      Period
	Errors      derrors.Fields
	Charts      []Chart
	Failures    []Failure
	RefreshedAt time.Time
}

// Admin shows the monthly figures over the chosen period.
func (h *Handlers) Admin(c *fiber.Ctx) error {
	l := web.Localizer(c)
	period, errs := ParsePeriod(c.Query("from"), c.Query("to"), time.Now())
	months := Months(period.From, period.To)
	figures, err := Load(c.UserContext(), h.db, period.From, period.To)
	if err != nil {
		return err
	}
	t := index(figures.Rows)
	v := &adminView{Layout: web.AdminSection(c, "statistics.admin.title"), Period: period, Errors: errs, RefreshedAt: figures.RefreshedAt}
	v.Charts, v.Failures = adminCharts(l, t, months)
	status := 0
	if errs.Any() {
		status = fiber.StatusUnprocessableEntity
	}
	return web.Render(c, status, "pages/statistics/admin", "", v)
}

// adminCharts lays out the admin page's charts and the failures table.
func adminCharts(l *locale.Localizer, t table, months []time.Time) ([]Chart, []Failure) {
	count := l.T("statistics.unit.count")
	chart := func(id string, lines bool, unit string, format func(float64) string, s ...Series) Chart {
		title, desc := chartKeys(id)
		return NewChart(id, l.T(title), l.T(desc), unit, months, s, lines, format)
	}
	charts := []Chart{
		chart("created", false, count, integerAxis, series(l.T("statistics.series.organizations"), t.values(OrganizationsCreated, "", months), locale.Integer)),
		chart("active", false, count, integerAxis, series(l.T("statistics.series.organizations"), t.values(OrganizationsActive, "", months), locale.Integer)),
	}
	var systems []Series
	for _, d := range t.dimensions(TicketingSystems) {
		systems = append(systems, series(d, t.values(TicketingSystems, d, months), locale.Integer))
	}
	charts = append(charts, chart("systems", true, count, integerAxis, systems...))
	var accepted, amounts, rates []Series
	var failures []Failure
	for _, o := range organisms {
		ok := t.values(DeclarationsAccepted, o, months)
		accepted = append(accepted, series(o, ok, locale.Integer))
		amounts = append(amounts, series(o, t.values(AmountsDeclared, o, months), locale.Money))
		failed := make([]decimal.Decimal, len(months))
		var codes []Failure
		for _, d := range t.dimensions(DeclarationsFailed) {
			if organism, code, _ := strings.Cut(d, "|"); organism == o {
				values := t.values(DeclarationsFailed, d, months)
				for i, v := range values {
					failed[i] = failed[i].Add(v)
				}
				codes = append(codes, Failure{Organism: o, Code: code, Count: sum(values)})
			}
		}
		rate := make([]decimal.Decimal, len(months))
		for i := range months {
			if attempts := ok[i].Add(failed[i]); attempts.IsPositive() {
				rate[i] = failed[i].Div(attempts)
			}
		}
		rates = append(rates, series(o, rate, Percent))
		if attempts := sum(ok).Add(sum(failed)); attempts.IsPositive() {
			for i := range codes {
				codes[i].Rate = codes[i].Count.Div(attempts)
			}
		}
		failures = append(failures, codes...)
	}
	charts = append(charts,
		chart("accepted", false, count, integerAxis, accepted...),
		chart("amounts", false, l.T("statistics.unit.euros"), moneyAxis, amounts...),
		chart("failureRate", true, l.T("statistics.unit.percent"), percentAxis, rates...),
		chart("delay", true, l.T("statistics.unit.days"), daysAxis, series(l.T("statistics.series.median"), t.values(DelayMedianDays, "", months), OneDecimal)),
	)
	return charts, failures
}

// chartKeys are the translation keys of a chart's title and description.
func chartKeys(id string) (title, desc string) {
	return "statistics.chart." + id, "statistics.desc." + id
}
