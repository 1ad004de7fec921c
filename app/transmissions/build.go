package transmissions

import (
	"bytes"
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"assistant-declaration/app/db"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/sacd"
	"assistant-declaration/app/sacempdf"
)

// declarant is who transmits: the PDF's signatory, the Reply-To of the
// agencies' e-mails and the recipient of the receipt.
type declarant struct {
	ID                         uuid.UUID
	FirstName, LastName, Email string
}

func (p declarant) fullName() string {
	return sacempdf.Person{FirstName: p.FirstName, LastName: p.LastName}.FullName()
}

// loadDeclarant reads user id, or keeps the recorded e-mail when the user is gone.
func loadDeclarant(ctx context.Context, idb bun.IDB, id *uuid.UUID, email string) (declarant, error) {
	p := declarant{Email: email}
	if id == nil {
		return p, nil
	}
	p.ID = *id
	err := idb.NewSelect().Table("users").Column("first_name", "last_name", "email").Where("id = ?", *id).
		Scan(ctx, &p.FirstName, &p.LastName, &p.Email)
	if err != nil && !db.IsNoRows(err) {
		return p, err
	}
	return p, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// serieAddress is the serie's default place and its address (empty when none).
func serieAddress(d *declarations.Declaration) (name string, a declarations.Address) {
	if p := d.Serie.Place; p != nil {
		name = p.Name
		if p.Address != nil {
			a = *p.Address
		}
	}
	return name, a
}

// effective are a performance's place, capacity (0 when none) and audience
// (declarations.Declaration.Effective).
func effective(d *declarations.Declaration, e *declarations.Event) (*declarations.Place, int, declarations.Audience) {
	place, capacity, audience := d.Effective(e)
	if capacity == nil {
		return place, 0, audience
	}
	return place, *capacity, audience
}

// sacdDeclaration is what SACD's web service receives of d.
func sacdDeclaration(d *declarations.Declaration) sacd.Declaration {
	placeName, addr := serieAddress(d)
	s := d.Serie
	out := sacd.Declaration{
		DeclarantID:  deref(d.Organization.SacdID),
		Organization: sacd.Organization{Name: d.Organization.Name, SIREN: d.Organization.OfficialID},
		Serie: sacd.Serie{
			ID: s.ID, Name: s.Name,
			Producer: sacd.Producer{Name: deref(s.ProducerName), SIREN: deref(s.ProducerOfficialID)},
			Place: sacd.Place{Name: placeName, Address: sacd.Address{Street: addr.Street, PostalCode: addr.PostalCode,
				City: addr.City, CountryCode: addr.CountryCode}},
			ExpensesExcludingTaxes:                 s.ExpensesExcludingTaxes,
			CircusSpecificExpensesExcludingTaxes:   s.CircusSpecificExpensesExcludingTaxes.Decimal,
			IntroductionFeesExpensesExcludingTaxes: s.IntroductionFeesExpensesExcludingTaxes,
		},
	}
	for i := range d.Events {
		e := &d.Events[i]
		place, capacity, _ := effective(d, e)
		p := sacd.Performance{ID: e.ID, StartAt: e.StartAt, EndAt: e.EndAt,
			TicketingRevenueExcludingTaxes: e.TicketingRevenueExcludingTaxes, TicketingRevenueIncludingTaxes: e.TicketingRevenueIncludingTaxes,
			PaidTickets: e.PaidTickets, FreeTickets: e.FreeTickets, PlaceCapacity: capacity}
		if place != nil {
			p.PlaceName = place.Name
		}
		out.Performances = append(out.Performances, p)
	}
	return out
}

func pdfPlace(p *declarations.Place) sacempdf.Place {
	if p == nil {
		return sacempdf.Place{}
	}
	out := sacempdf.Place{Name: p.Name}
	if a := p.Address; a != nil {
		out.Street, out.PostalCode, out.City = a.Street, a.PostalCode, a.City
	}
	return out
}

func amounts(excl, incl decimal.Decimal) sacempdf.Amounts {
	return sacempdf.Amounts{Excl: excl, Incl: incl}
}

// sacemPDF writes the SACEM PDF of d, signed by p and generated at at.
func sacemPDF(d *declarations.Declaration, p declarant, homeURL string, at time.Time) (_ []byte, err error) {
	defer derrors.Wrap(&err, "transmissions: SACEM PDF of serie %s", d.Serie.ID)
	fr := locale.For("fr")
	s := d.Serie
	doc := sacempdf.Declaration{
		Organization: sacempdf.Organization{Name: d.Organization.Name, SacemID: deref(d.Organization.SacemID)},
		Declarant:    sacempdf.Person{FirstName: p.FirstName, LastName: p.LastName, Email: p.Email},
		Serie: sacempdf.Serie{
			Name:             s.Name,
			Producer:         sacempdf.Producer{Name: deref(s.ProducerName), OfficialID: deref(s.ProducerOfficialID)},
			Place:            pdfPlace(s.Place),
			Expenses:         amounts(s.ExpensesExcludingTaxes, s.ExpensesIncludingTaxes),
			IntroductionFees: amounts(s.IntroductionFeesExpensesExcludingTaxes, s.IntroductionFeesExpensesIncludingTaxes),
		},
		GeneratedAt: at,
		HomeURL:     homeURL,
	}
	if s.PerformanceType != nil {
		doc.Serie.PerformanceType = fr.T(s.PerformanceType.LabelKey())
	}
	for i := range d.Events {
		e := &d.Events[i]
		place, capacity, audience := effective(d, e)
		perf := sacempdf.Performance{
			StartAt: e.StartAt, Audience: fr.T(audience.LabelKey()), Place: pdfPlace(place), Capacity: capacity,
			FreeTickets: e.FreeTickets, PaidTickets: e.PaidTickets,
			Ticketing:    amounts(e.TicketingRevenueExcludingTaxes, e.TicketingRevenueIncludingTaxes),
			Consumptions: amounts(e.ConsumptionsRevenueExcludingTaxes, e.ConsumptionsRevenueIncludingTaxes),
			Catering:     amounts(e.CateringRevenueExcludingTaxes, e.CateringRevenueIncludingTaxes),
			ProgramSales: amounts(e.ProgramSalesRevenueExcludingTaxes, e.ProgramSalesRevenueIncludingTaxes),
			Other:        amounts(e.OtherRevenueExcludingTaxes, e.OtherRevenueIncludingTaxes),
		}
		if e.EndAt != nil {
			perf.EndAt = *e.EndAt
		}
		doc.Performances = append(doc.Performances, perf)
	}
	doc.Totals = sacempdf.Sum(doc.Performances)
	var b bytes.Buffer
	if err := sacempdf.Write(&b, doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
