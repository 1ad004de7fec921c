package statistics

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/shopspring/decimal"

	"assistant-declaration/app/locale"
	"assistant-declaration/app/web"
)

// impactMonths is the period of the public charts.
const impactMonths = 12

// impactView is the public impact page (decision P11 in docs/decisions.md).
type impactView struct {
	web.Layout
	Organizations string
	Declarations  string
	Amount        string
	Charts        []Chart
	RefreshedAt   time.Time
}

// since is before any figure: the totals count every month.
var since = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Impact shows the live figures of the service.
func (h *Handlers) Impact(c *fiber.Ctx) error {
	l := web.Localizer(c)
	last := MonthStart(time.Now())
	first := last.AddDate(0, -(impactMonths - 1), 0)
	figures, err := Load(c.UserContext(), h.db, since, last, OrganizationsCreated, DeclarationsAccepted, AmountsDeclared)
	if err != nil {
		return err
	}
	t := index(figures.Rows)
	orgs, accepted, amount := decimal.Zero, decimal.Zero, decimal.Zero
	for _, r := range figures.Rows {
		switch r.Metric {
		case OrganizationsCreated:
			orgs = orgs.Add(r.Value)
		case DeclarationsAccepted:
			accepted = accepted.Add(r.Value)
		case AmountsDeclared:
			amount = amount.Add(r.Value)
		}
	}
	months := Months(first, last)
	var perOrganism, amounts []Series
	for _, o := range organisms {
		perOrganism = append(perOrganism, series(o, t.values(DeclarationsAccepted, o, months), locale.Integer))
		amounts = append(amounts, series(o, t.values(AmountsDeclared, o, months), locale.Money))
	}
	v := &impactView{
		Layout:        web.Layout{Title: l.T("statistics.impact.title")},
		Organizations: locale.Integer(orgs), Declarations: locale.Integer(accepted), Amount: locale.Money(amount.Round(0)),
		RefreshedAt: figures.RefreshedAt,
		Charts: []Chart{
			NewChart("impact-accepted", l.T("statistics.chart.accepted"), l.T("statistics.desc.accepted"), l.T("statistics.unit.count"), months, perOrganism, false, integerAxis),
			NewChart("impact-amounts", l.T("statistics.chart.amounts"), l.T("statistics.desc.amounts"), l.T("statistics.unit.euros"), months, amounts, false, moneyAxis),
		},
	}
	return web.Render(c, 0, "pages/statistics/impact", "", v)
}
