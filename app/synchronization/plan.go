package synchronization

import (
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"assistant-declaration/app/declarations"
	"assistant-declaration/app/ticketing"
)

// DefaultSerieTaxRate is the ticketing VAT rate of a new serie (5.5 %); only users change it later.
var DefaultSerieTaxRate = decimal.RequireFromString("0.055")

// window is the "from" of a system's next synchronization (rule S9, docs/decisions.md): the last
// synchronization, moved earlier by an operator's force_next_synchronization_from, or 13 months
// back for a first synchronization.
func window(s *System, now time.Time) time.Time {
	from := now.AddDate(0, -13, 0)
	switch {
	case s.LastSynchronizedAt != nil && s.ForceNextSynchronizationFrom != nil:
		from = *s.LastSynchronizedAt
		if s.ForceNextSynchronizationFrom.Before(from) {
			from = *s.ForceNextSynchronizationFrom
		}
	case s.ForceNextSynchronizationFrom != nil:
		from = *s.ForceNextSynchronizationFrom
	case s.LastSynchronizedAt != nil:
		from = *s.LastSynchronizedAt
	}
	return from
}

// plan is every write one system's synchronization makes; an empty plan writes nothing.
type plan struct {
	// reattach are stored series of a former connection of the same provider, moved to the
	// current system (decision T5, docs/decisions.md).
	reattach  []uuid.UUID
	newSeries []declarations.SynchronizedSerieRow
	renamed   []declarations.SynchronizedSerieRow
	newEvents []declarations.SynchronizedEventRow
	updated   []declarations.SynchronizedEventRow
	// flag are hand-edited events the system no longer lists: kept and flagged (decision T4, docs/decisions.md);
	// unflag are flagged events listed again.
	flag    []uuid.UUID
	unflag  []uuid.UUID
	deleted []uuid.UUID
	// changedSeries counts the series the plan adds or changes (the run tells the user how many).
	changedSeries int
}

func (p *plan) empty() bool { return p.writes() == 0 }

// writes is how many rows the plan writes.
func (p *plan) writes() int {
	return len(p.reattach) + len(p.newSeries) + len(p.renamed) + len(p.newEvents) + len(p.updated) +
		len(p.flag) + len(p.unflag) + len(p.deleted)
}

// buildPlan diffs what the system returned against what is stored (rule S10, docs/decisions.md).
// stored holds at most one serie per remote id, found across the organization's connections of
// this provider; events holds the events of the stored series that are not frozen. A serie with
// a declaration row (declared or being declared, rule S11 in docs/decisions.md) is frozen: the remote copy
// is ignored. Series the system no longer returns are never deleted. newID makes the ids of
// inserted rows.
func buildPlan(systemID uuid.UUID, remote []ticketing.Serie, stored []serieRow, events map[uuid.UUID][]eventRow, newID func() uuid.UUID) plan {
	var p plan
	byRemoteID := make(map[string]*serieRow, len(stored))
	for i := range stored {
		byRemoteID[stored[i].InternalID] = &stored[i]
	}
	seen := make(map[string]bool, len(remote))
	for _, rs := range remote {
		if seen[rs.RemoteID] {
			continue // a connector listing a serie twice must not insert it twice
		}
		seen[rs.RemoteID] = true
		ss := byRemoteID[rs.RemoteID]
		if ss == nil {
			row := declarations.SynchronizedSerieRow{ID: newID(), TicketingSystemID: systemID, InternalID: rs.RemoteID, Name: rs.Name, TaxRate: DefaultSerieTaxRate}
			p.newSeries = append(p.newSeries, row)
			p.changedSeries++
			for _, e := range uniqueEvents(rs.Events) {
				ev := normalize(e, row.TaxRate)
				ev.ID, ev.EventSerieID = newID(), row.ID
				p.newEvents = append(p.newEvents, ev)
			}
			continue
		}
		if ss.Frozen {
			continue
		}
		writes := p.writes()
		if ss.TicketingSystemID != systemID {
			p.reattach = append(p.reattach, ss.ID)
		}
		if ss.Name != rs.Name {
			renamed := ss.SynchronizedSerieRow
			renamed.Name = rs.Name
			p.renamed = append(p.renamed, renamed)
		}
		p.diffEvents(ss, rs.Events, events[ss.ID], newID)
		if p.writes() > writes {
			p.changedSeries++
		}
	}
	return p
}

// diffEvents adds to p the event writes of one stored, non-frozen serie.
func (p *plan) diffEvents(ss *serieRow, remote []ticketing.Event, stored []eventRow, newID func() uuid.UUID) {
	byRemoteID := make(map[string]*eventRow, len(stored))
	for i := range stored {
		byRemoteID[stored[i].InternalID] = &stored[i]
	}
	listed := make(map[string]bool, len(remote))
	for _, e := range uniqueEvents(remote) {
		listed[e.RemoteID] = true
		want := normalize(e, ss.TaxRate)
		se := byRemoteID[e.RemoteID]
		switch {
		case se == nil:
			want.ID, want.EventSerieID = newID(), ss.ID
			p.newEvents = append(p.newEvents, want)
		case se.LastManualUpdate != nil:
			// The user's figures win over the system's (rule S12, docs/decisions.md).
			if se.RemovedAt != nil {
				p.unflag = append(p.unflag, se.ID)
			}
		case !sameTicketingData(se.SynchronizedEventRow, want):
			want.ID, want.EventSerieID = se.ID, ss.ID
			p.updated = append(p.updated, want)
		}
	}
	for _, se := range stored {
		switch {
		case listed[se.InternalID]:
		case se.LastManualUpdate == nil:
			p.deleted = append(p.deleted, se.ID)
		case se.RemovedAt == nil:
			p.flag = append(p.flag, se.ID)
		}
	}
}

// uniqueEvents drops repeated remote ids, keeping the first.
func uniqueEvents(events []ticketing.Event) []ticketing.Event {
	seen := make(map[string]bool, len(events))
	out := events[:0:0]
	for _, e := range events {
		if !seen[e.RemoteID] {
			seen[e.RemoteID] = true
			out = append(out, e)
		}
	}
	return out
}

// normalize turns a connector event into the stored shape: amounts rounded to cents, instants
// at the database's microsecond precision, and a rate override only when the connector's rate
// differs from the serie's (rule S10, docs/decisions.md).
func normalize(e ticketing.Event, serieRate decimal.Decimal) declarations.SynchronizedEventRow {
	row := declarations.SynchronizedEventRow{
		InternalID:  e.RemoteID,
		StartAt:     e.StartAt.UTC().Truncate(time.Microsecond),
		Incl:        e.RevenueIncludingTaxes.Round(2),
		Excl:        e.RevenueExcludingTaxes.Round(2),
		FreeTickets: e.FreeTickets,
		PaidTickets: e.PaidTickets,
	}
	if e.EndAt != nil {
		end := e.EndAt.UTC().Truncate(time.Microsecond)
		row.EndAt = &end
	}
	if e.TaxRate.Valid && !e.TaxRate.Decimal.Equal(serieRate) {
		row.TaxRateOverride = decimal.NewNullDecimal(e.TaxRate.Decimal.Round(4))
	}
	return row
}

// sameTicketingData compares what the synchronization owns on an event.
func sameTicketingData(a, b declarations.SynchronizedEventRow) bool {
	return a.StartAt.Equal(b.StartAt) && sameInstant(a.EndAt, b.EndAt) &&
		a.Incl.Equal(b.Incl) && a.Excl.Equal(b.Excl) &&
		a.TaxRateOverride.Valid == b.TaxRateOverride.Valid &&
		(!a.TaxRateOverride.Valid || a.TaxRateOverride.Decimal.Equal(b.TaxRateOverride.Decimal)) &&
		a.FreeTickets == b.FreeTickets && a.PaidTickets == b.PaidTickets
}

func sameInstant(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}
