package transmissions

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"assistant-declaration/app/db"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/sacd"
)

// OrganismState is where the declaration to one organism stands, for the declarant.
type OrganismState string

// States of an organism, from its declaration row and the latest transmission.
const (
	StateNotSent  OrganismState = "notSent"
	StateQueued   OrganismState = "queued"
	StateSending  OrganismState = "sending"
	StateRetrying OrganismState = "retrying"
	StateAccepted OrganismState = "accepted"
	StateFailed   OrganismState = "failed"
)

// LabelKey is the state as a badge.
func (s OrganismState) LabelKey() string { return "transmissions.state." + string(s) }

// Tone is the DSFR badge variant of the state.
func (s OrganismState) Tone() string {
	switch s {
	case StateAccepted:
		return "success"
	case StateFailed:
		return "error"
	case StateRetrying:
		return "warning"
	case StateNotSent:
		return "new"
	}
	return "info"
}

// OrganismView is one organism of the panel.
type OrganismView struct {
	Organism   declarations.Organism
	State      OrganismState
	AcceptedAt time.Time
	// ErrorCode is the last failure (StateFailed).
	ErrorCode string
	// Rejections are SACD's KO remarks of the last failure; RemoteCode its
	// own error code.
	Rejections []RejectionView
	RemoteCode string
	// Steps are the attempts of the latest transmission to this organism.
	Steps []Attempt
}

// RejectionView is one representation SACD refused.
type RejectionView struct{ Field, Message string }

// Accepted reports whether the organism accepted the declaration.
func (o OrganismView) Accepted() bool { return o.State == StateAccepted }

// Failed reports whether the last attempt failed.
func (o OrganismView) Failed() bool { return o.State == StateFailed }

// ErrorKey translates the failure (the messages of the original platform).
func (o OrganismView) ErrorKey() string { return ErrorKey(o.ErrorCode) }

// HintKey says what to do about the failure.
func (o OrganismView) HintKey() string { return HintKey(o.ErrorCode) }

// errorKeys maps the error codes an attempt records to their message keys;
// any other code reads transmissions.errors.transmissionFailed.
var errorKeys = func() map[string]string {
	keys := map[string]string{}
	for _, code := range sacd.Codes() {
		keys[string(code)] = sacd.MessageKey(code)
	}
	for _, code := range []string{CodeSacemAgencyNotFound, CodeSacdAgencyNotFound} {
		keys[code] = "agencies." + code
	}
	for _, code := range []string{CodeSacemUnsuccessful, CodeSacdAttachmentsUnsuccessful, CodeInterrupted} {
		keys[code] = "transmissions.errors." + code
	}
	return keys
}()

// ErrorKey is the message key of a recorded error code.
func ErrorKey(code string) string {
	if key, ok := errorKeys[code]; ok {
		return key
	}
	return "transmissions.errors.transmissionFailed"
}

// ErrorCodes are the error codes an attempt records, CodeInternal included,
// in a stable order.
func ErrorCodes() []string {
	return append(slices.Sorted(maps.Keys(errorKeys)), CodeInternal)
}

// HintKey is what the declarant can do about a recorded error code.
func HintKey(code string) string {
	switch code {
	case CodeSacemAgencyNotFound, CodeSacdAgencyNotFound:
		return "transmissions.hint.postalCode"
	case string(sacd.CodeIncorrectDeclarant):
		return "transmissions.hint.sacdId"
	case string(sacd.CodeUnsuccessful), string(sacd.CodeRefused):
		return "transmissions.hint.contactSacd"
	}
	return "transmissions.hint.retry"
}

// StepStateKey is an attempt's outcome as the step list says it.
func (a Attempt) StateKey() string {
	if a.Outcome == OutcomeWaiting && a.ErrorCode == CodeSMTPRetrying {
		return "transmissions.outcome.retrying"
	}
	return "transmissions.outcome." + string(a.Outcome)
}

// PanelView is the transmission panel of the declaration page
// (partials/transmissions/panel), also the polled fragment and the body of
// the progress page.
type PanelView struct {
	OrganizationID, SerieID uuid.UUID
	SerieName               string
	Organisms               []OrganismView
	Transmission            *Transmission
	// CSRF is the token of the "Déclarer" form; Admin: the back office's
	// view, without buttons nor polling.
	CSRF  string
	Admin bool
	// Plural: several organisms were chosen (the success wording).
	Plural bool
	// Poll: the fragment polls itself while the transmission is active.
	Poll bool
}

// Active reports whether a transmission is under way.
func (v *PanelView) Active() bool { return v.Transmission != nil && v.Transmission.Status.Active() }

// Succeeded reports whether the latest transmission is over and every chosen
// organism accepted: the §3.5 success message.
func (v *PanelView) Succeeded() bool {
	if v.Transmission == nil || v.Active() || len(v.Organisms) == 0 {
		return false
	}
	for _, o := range v.Organisms {
		if o.State != StateAccepted {
			return false
		}
	}
	return true
}

// Failed reports whether some organism failed: "Réessayer" is offered.
func (v *PanelView) Failed() bool {
	for _, o := range v.Organisms {
		if o.State == StateFailed {
			return true
		}
	}
	return false
}

// CanTransmit reports whether "Déclarer" is offered: some chosen organism
// has not accepted, none failed, nothing is under way.
func (v *PanelView) CanTransmit() bool {
	if v.Admin || v.Active() || v.Failed() {
		return false
	}
	for _, o := range v.Organisms {
		if o.State != StateAccepted {
			return true
		}
	}
	return false
}

// ChoseSacem reports whether SACEM was chosen: its PDF can be downloaded.
func (v *PanelView) ChoseSacem() bool {
	for _, o := range v.Organisms {
		if o.Organism == declarations.SACEM {
			return true
		}
	}
	return false
}

// TransmitURL is where "Déclarer" and "Réessayer" post.
func (v *PanelView) TransmitURL() string { return paths.To.Transmit(v.OrganizationID, v.SerieID) }

// ProgressURL is the polled fragment and the progress page.
func (v *PanelView) ProgressURL() string { return paths.To.Transmission(v.OrganizationID, v.SerieID) }

// PDFURL is the SACEM PDF.
func (v *PanelView) PDFURL() string { return paths.To.DeclarationSacemPDF(v.OrganizationID, v.SerieID) }

// DeclarationURL is the declaration page.
func (v *PanelView) DeclarationURL() string { return paths.To.Declaration(v.OrganizationID, v.SerieID) }

// LatestJSON is the SQL expression of the latest transmission of the serie
// whose id is serie (a column or a placeholder) with the steps of its
// attempts the panel shows, as the JSON decodeLatest reads, NULL before the
// first: the declaration page reads it within its own statement.
func LatestJSON(serie string) string {
	return `(SELECT json_build_object('id', t.id, 'status', t.status, 'organisms', t.organisms, 'created_at', t.created_at,
    'started_at', t.started_at, 'finished_at', t.finished_at,
    'attempts', (SELECT coalesce(json_agg(json_build_object('id', a.id, 'organism', a.organism, 'step', a.step,
        'started_at', a.started_at, 'finished_at', a.finished_at, 'outcome', a.outcome, 'error_code', a.error_code,
        'remote_code', a.remote_code, 'rejections', a.rejections) ORDER BY a.started_at, a.id), '[]')
      FROM transmission_attempts AS a WHERE a.transmission_id = t.id))
  FROM transmissions AS t WHERE t.event_serie_id = ` + serie + ` ORDER BY t.created_at DESC LIMIT 1)`
}

// decodeLatest reads what LatestJSON wrote: the transmission, nil for none,
// and its attempts.
func decodeLatest(b []byte) (*Transmission, []Attempt, error) {
	if len(b) == 0 {
		return nil, nil, nil
	}
	var latest struct {
		Transmission
		Attempts []Attempt `json:"attempts"`
	}
	if err := json.Unmarshal(b, &latest); err != nil {
		return nil, nil, fmt.Errorf("transmissions: decode the latest transmission: %w", err)
	}
	return &latest.Transmission, latest.Attempts, nil
}

// Panel builds the panel of serie serieID in one statement: the organisms
// chosen, each with its state, the latest transmission's steps and the
// serie's name.
func Panel(ctx context.Context, idb bun.IDB, orgID, serieID uuid.UUID) (v *PanelView, err error) {
	defer derrors.Wrap(&err, "transmissions: panel of serie %s", serieID)
	var (
		name         string
		chosen       []declarations.Organism
		rows, latest []byte
	)
	if err := idb.NewRaw(`SELECT s.name, s.expected_declaration_types, `+declarations.TransmissionsJSON("s.id")+`, `+LatestJSON("s.id")+`
FROM event_series AS s JOIN ticketing_systems AS ts ON ts.id = s.ticketing_system_id WHERE s.id = ? AND ts.organization_id = ?`, serieID, orgID).
		Scan(ctx, &name, pgdialect.Array(&chosen), &rows, &latest); err != nil {
		if db.IsNoRows(err) {
			return nil, declarations.ErrSerieNotFound
		}
		return nil, err
	}
	state := declarations.State{Chosen: chosen}
	if state.Transmissions, err = declarations.DecodeTransmissions(rows); err != nil {
		return nil, err
	}
	v, err = panelOf(orgID, serieID, state, latest)
	if err != nil {
		return nil, err
	}
	v.SerieName = name
	return v, nil
}

// panelOf is the panel of serie serieID whose declaration is in state st,
// latest its latest transmission as LatestJSON wrote it.
func panelOf(orgID, serieID uuid.UUID, st declarations.State, latest []byte) (*PanelView, error) {
	t, attempts, err := decodeLatest(latest)
	if err != nil {
		return nil, err
	}
	v := &PanelView{OrganizationID: orgID, SerieID: serieID}
	chosen, rows := st.Chosen, st.Transmissions
	v.Transmission = t
	v.Plural = len(chosen) > 1
	for _, o := range []declarations.Organism{declarations.SACD, declarations.SACEM} {
		if !slices.Contains(chosen, o) {
			continue
		}
		ov := OrganismView{Organism: o, State: StateNotSent}
		for _, a := range attempts {
			if a.Organism == o {
				ov.Steps = append(ov.Steps, a)
			}
		}
		for _, r := range rows {
			if r.Type != o {
				continue
			}
			switch {
			case r.Status == declarations.StatusProcessed:
				ov.State, ov.AcceptedAt = StateAccepted, r.TransmittedDate()
			case r.LastTransmissionError != nil:
				ov.State, ov.ErrorCode = StateFailed, *r.LastTransmissionError
			}
		}
		if ov.State != StateAccepted && t != nil && t.Status.Active() && slices.Contains(t.Organisms, o) {
			ov.State = StateQueued
			for _, a := range ov.Steps {
				switch {
				case a.Outcome == OutcomeWaiting && a.ErrorCode == CodeSMTPRetrying:
					ov.State = StateRetrying
				case a.Outcome == OutcomeRunning || a.Outcome == OutcomeWaiting:
					if ov.State != StateRetrying {
						ov.State = StateSending
					}
				}
			}
		}
		if ov.State == StateFailed {
			for i := len(ov.Steps) - 1; i >= 0; i-- {
				if ov.RemoteCode == "" {
					ov.RemoteCode = ov.Steps[i].RemoteCode
				}
				for _, r := range ov.Steps[i].Rejections {
					ov.Rejections = append(ov.Rejections, RejectionView{Field: r.Field, Message: strings.TrimSpace(r.Message)})
				}
				if len(ov.Rejections) > 0 {
					break
				}
			}
		}
		v.Organisms = append(v.Organisms, ov)
	}
	return v, nil
}
