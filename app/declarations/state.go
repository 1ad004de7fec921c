package declarations

import (
	"sort"
	"time"

	"github.com/uptrace/bun"
)

// Transmission is the state of the declaration of a serie to one organism.
type Transmission struct {
	bun.BaseModel `bun:"table:event_serie_declarations,alias:declaration"`

	Type                  Organism   `bun:"type" json:"type"`
	Status                Status     `bun:"status" json:"status"`
	TransmittedAt         *time.Time `bun:"transmitted_at" json:"transmitted_at"`
	LastTransmissionError *string    `bun:"last_transmission_error" json:"last_transmission_error"`
}

// TransmittedDate is when the organism got the declaration (zero if never).
func (t Transmission) TransmittedDate() time.Time {
	if t.TransmittedAt == nil {
		return time.Time{}
	}
	return *t.TransmittedAt
}

// State is what the declaration rows of a serie decide about its form
// (decisions D1 and D12 in docs/decisions.md).
type State struct {
	Chosen        []Organism
	Transmissions []Transmission
}

// Accepted reports whether organism o accepted the declaration.
func (st State) Accepted(o Organism) bool {
	for _, t := range st.Transmissions {
		if t.Type == o && t.Status == StatusProcessed {
			return true
		}
	}
	return false
}

// AcceptedTransmissions are the organisms that accepted, for the banner.
func (st State) AcceptedTransmissions() []Transmission {
	var out []Transmission
	for _, t := range st.Transmissions {
		if t.Status == StatusProcessed {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Type > out[j].Type })
	return out
}

// Failed reports whether an attempt to some organism failed.
func (st State) Failed() bool {
	for _, t := range st.Transmissions {
		if t.Status == StatusPending && t.LastTransmissionError != nil {
			return true
		}
	}
	return false
}

// ReadOnly reports whether every chosen organism accepted: nothing is left to
// send, so the form no longer changes.
func (st State) ReadOnly() bool {
	if len(st.Chosen) == 0 {
		return false
	}
	for _, o := range st.Chosen {
		if !st.Accepted(o) {
			return false
		}
	}
	return true
}

// Action is what the series list offers for a serie.
type Action string

// The actions of the series list.
const (
	ActionDeclare  Action = "declare"
	ActionComplete Action = "complete"
	ActionView     Action = "view"
)

// LabelKey is the action's link text ("Déclarer", "Compléter", "Voir la
// déclaration").
func (a Action) LabelKey() string { return "declarations.action." + string(a) }

// StateKey is the state of the declaration the action stands for, as the
// back office lists it.
func (a Action) StateKey() string { return "declarations.adminState." + string(a) }

// ActionOf is a serie's action in the lists, from what a list query reads:
// read-only ones (every chosen organism accepted, AcceptedByAllSQL) are
// viewed, started ones (saved once, or with declaration rows, DeclaredSQL)
// completed, others declared.
func ActionOf(acceptedByAll, declared bool, lastManualUpdateAt *time.Time) Action {
	switch {
	case acceptedByAll:
		return ActionView
	case lastManualUpdateAt != nil || declared:
		return ActionComplete
	}
	return ActionDeclare
}
