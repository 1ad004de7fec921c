// Package transmissions sends a serie's declaration to the organisms it was
// made for (decisions D2, D3, D7 and D13 in docs/decisions.md): SACD through
// its web service, then the supporting documents e-mailed to the SACD agency;
// SACEM as an e-mail with its PDF and every document to the SACEM agency of
// the place's postal code. It owns the transmissions table (the queue: at
// most one active transmission per serie) and transmission_attempts (one row
// per step tried, kept for the audit).
//
// "Déclarer" checks the declaration against each organism's required fields
// and queues a transmission; the transmissions worker claims it (FOR UPDATE
// SKIP LOCKED), tries every step not yet done, records each outcome on the
// declaration's rows (package declarations) and in the history, and waits
// for SMTP to accept the e-mails before an organism counts as having accepted.
// A step that succeeded for a serie is never tried again, so a double click,
// two tabs, two instances or a retry never send an organism the declaration
// twice.
package transmissions

import (
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/declarations"
	"assistant-declaration/app/sacd"
)

// Status is where a transmission stands.
type Status string

// Statuses of a transmission.
const (
	// StatusPending: queued, no worker took it yet.
	StatusPending Status = "pending"
	// StatusRunning: a worker is attempting the organisms.
	StatusRunning Status = "running"
	// StatusWaiting: e-mails are in the outbox, SMTP has not accepted them all.
	StatusWaiting Status = "waiting"
	// StatusFinished: every organism was attempted and every e-mail sent.
	StatusFinished Status = "finished"
)

// Active reports whether the transmission is not over: the page follows it.
func (s Status) Active() bool { return s != StatusFinished }

// Transmission is one "Déclarer" (or "Réessayer") of a serie; its JSON keys
// are those LatestJSON writes.
type Transmission struct {
	bun.BaseModel `bun:"table:transmissions,alias:t"`

	ID               uuid.UUID               `bun:"id,pk,type:uuid,default:gen_random_uuid()" json:"id"`
	EventSerieID     uuid.UUID               `bun:"event_serie_id,type:uuid"`
	OrganizationID   uuid.UUID               `bun:"organization_id,type:uuid"`
	Organisms        []declarations.Organism `bun:"organisms,array" json:"organisms"`
	RequestedBy      *uuid.UUID              `bun:"requested_by,type:uuid"`
	RequestedByEmail string                  `bun:"requested_by_email"`
	AdminID          *uuid.UUID              `bun:"admin_id,type:uuid"`
	AdminEmail       string                  `bun:"admin_email"`
	Status           Status                  `bun:"status" json:"status"`
	CreatedAt        time.Time               `bun:"created_at,nullzero,default:now()" json:"created_at"`
	StartedAt        *time.Time              `bun:"started_at" json:"started_at"`
	FinishedAt       *time.Time              `bun:"finished_at" json:"finished_at"`
	UpdatedAt        time.Time               `bun:"updated_at,nullzero,default:now()"`
}

// Step is one thing sent to an organism.
type Step string

// Steps of the organisms, in the order they are tried.
const (
	// StepDeclare is the declaration posted to SACD's web service.
	StepDeclare Step = "declare"
	// StepAttachments is the e-mail of the artistic contracts and other
	// documents to the SACD agency.
	StepAttachments Step = "attachments"
	// StepEmail is the e-mail of the PDF and every document to the SACEM agency.
	StepEmail Step = "email"
)

// LabelKey names the step for the declarant.
func (s Step) LabelKey() string { return "transmissions.step." + string(s) }

// Outcome is how an attempt ended.
type Outcome string

// Outcomes of an attempt.
const (
	OutcomeRunning   Outcome = "running"
	OutcomeWaiting   Outcome = "waiting"
	OutcomeSucceeded Outcome = "succeeded"
	OutcomeFailed    Outcome = "failed"
)

// Attempt is one step tried for an organism; its JSON keys are those
// LatestJSON writes, the steps the panel shows.
type Attempt struct {
	bun.BaseModel `bun:"table:transmission_attempts,alias:a"`

	ID             uuid.UUID             `bun:"id,pk,type:uuid,default:gen_random_uuid()" json:"id"`
	TransmissionID uuid.UUID             `bun:"transmission_id,type:uuid"`
	EventSerieID   uuid.UUID             `bun:"event_serie_id,type:uuid"`
	Organism       declarations.Organism `bun:"organism" json:"organism"`
	Step           Step                  `bun:"step" json:"step"`
	StartedAt      time.Time             `bun:"started_at,nullzero,default:now()" json:"started_at"`
	FinishedAt     *time.Time            `bun:"finished_at" json:"finished_at"`
	Outcome        Outcome               `bun:"outcome" json:"outcome"`
	ErrorCode      string                `bun:"error_code" json:"error_code"`
	HTTPStatus     int                   `bun:"http_status"`
	Excerpt        string                `bun:"excerpt"`
	RemoteCode     string                `bun:"remote_code" json:"remote_code"`
	Rejections     []sacd.Representation `bun:"rejections,type:jsonb" json:"rejections"`
	DecRef         string                `bun:"dec_ref"`
	DecNb          int                   `bun:"dec_nb"`
	SacdDate       string                `bun:"sacd_date"`
	XMLSent        string                `bun:"xml_sent"`
	Answer         string                `bun:"answer"`
	OutboxIDs      []uuid.UUID           `bun:"outbox_ids,array,type:uuid[]"`
	Recipient      string                `bun:"recipient"`
	Document       []byte                `bun:"document,type:bytea"`
}

// Error codes recorded on an attempt besides SACD's and the agencies' own.
const (
	// CodeSMTPRetrying: the outbox could not hand the e-mail to SMTP yet; it
	// keeps trying ("envoi en attente"). Not a failure.
	CodeSMTPRetrying = "smtpRetrying"
	// CodeInterrupted: the worker stopped during the step; it is tried again.
	CodeInterrupted = "transmissionInterrupted"
	// CodeInternal: the step failed on our side (a bug, the database).
	CodeInternal = "transmissionFailed"
)
