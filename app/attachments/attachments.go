// Package attachments owns the supporting documents of a serie's declaration
// (decision D6 in docs/decisions.md): their upload, recognized by content and
// optionally scanned by an antivirus, their type, their deletion, their
// authorized download and the purge of the uploads never linked to a serie. It
// owns the attachments and attachment_contents tables.
//
// The bytes live behind Store (PostgreSQL by default, PGStore), so another
// storage can be plugged in without touching the rules here. Every change is
// recorded in the declaration's history through a ChangeRecorder (decision
// Decision D11 (docs/decisions.md)).
package attachments

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
)

// MaxFileSize is the largest file accepted: 5 MiB.
const MaxFileSize = 5 << 20

// MaxPerSerie is how many files a serie may hold (decision D6 in docs/decisions.md: the resulting
// set counts, not what one request adds to what exists).
const MaxPerSerie = 100

// Type is what a document is for the organisms.
type Type string

// Types of documents. New files are OTHER.
const (
	ArtisticContract     Type = "ARTISTIC_CONTRACT"
	PerformedWorkProgram Type = "PERFORMED_WORK_PROGRAM"
	RevenueStatement     Type = "REVENUE_STATEMENT"
	Other                Type = "OTHER"
)

// Types lists every type.
var Types = []Type{ArtisticContract, PerformedWorkProgram, RevenueStatement, Other}

// Valid reports whether t is one of Types.
func (t Type) Valid() bool {
	for _, v := range Types {
		if t == v {
			return true
		}
	}
	return false
}

// LabelKey is the message key of the type's label.
func (t Type) LabelKey() string {
	switch t {
	case ArtisticContract:
		return "attachments.types.artisticContract"
	case PerformedWorkProgram:
		return "attachments.types.performedWorkProgram"
	case RevenueStatement:
		return "attachments.types.revenueStatement"
	}
	return "attachments.types.otherDocument"
}

// Attachment is a document of a serie, without its bytes.
type Attachment struct {
	bun.BaseModel `bun:"table:attachments"`

	ID          uuid.UUID  `bun:"id,pk"`
	SerieID     *uuid.UUID `bun:"event_serie_id"`
	Name        string     `bun:"name"`
	ContentType string     `bun:"content_type"`
	Size        int64      `bun:"size"`
	Type        Type       `bun:"type"`
	CreatedAt   time.Time  `bun:"created_at,nullzero,default:now()"`
	UpdatedAt   time.Time  `bun:"updated_at,nullzero,default:now()"`
}

// Service runs the attachment rules. Scanner is nil when no antivirus is
// configured: files are then not scanned. Logger, when set, is told when the
// antivirus cannot be reached.
type Service struct {
	DB       bun.IDB
	Store    Store
	Scanner  Scanner
	Recorder ChangeRecorder
	Logger   *slog.Logger
}

// List returns the documents of a serie, oldest first.
func List(ctx context.Context, idb bun.IDB, serieID uuid.UUID) ([]Attachment, error) {
	var list []Attachment
	err := idb.NewSelect().Model(&list).Where("event_serie_id = ?", serieID).Order("created_at", "name", "id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("attachments: list serie %s: %w", serieID, err)
	}
	return list, nil
}

// ListJSON is the SQL expression of the documents of the serie whose id is
// serie (a column or a placeholder), oldest first, as the JSON DecodeList
// reads: the declaration page reads them within its own statement.
func ListJSON(serie string) string {
	return `(SELECT coalesce(json_agg(json_build_object('id', a.id, 'name', a.name, 'size', a.size, 'type', a.type)
    ORDER BY a.created_at, a.name, a.id), '[]') FROM attachments AS a WHERE a.event_serie_id = ` + serie + `)`
}

// DecodeList reads the documents ListJSON wrote: their id, name, size and
// type, what the panel shows.
func DecodeList(b []byte) ([]Attachment, error) {
	var list []Attachment
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("attachments: decode a list: %w", err)
	}
	return list, nil
}

// ErrFrozen refuses changes once every organism chosen for the serie has
// accepted its declaration (decision D12 in docs/decisions.md).
var ErrFrozen = derrors.New(derrors.ErrConflict, "attachments.error.frozen")

// Editable reports whether the documents of the serie may still change. A
// serie of another organization is ErrNotFound.
func Editable(ctx context.Context, idb bun.IDB, organizationID, serieID uuid.UUID) (_ bool, err error) {
	defer derrors.Wrap(&err, "attachments: editable serie %s", serieID)
	frozen, err := serieFrozen(ctx, idb, organizationID, serieID, false)
	return !frozen, err
}

// serieFrozen finds the serie in its organization, locking it (FOR UPDATE of
// the serie row) when lock is set, so the changes of one serie run one at a
// time and the limit of MaxPerSerie holds.
func serieFrozen(ctx context.Context, idb bun.IDB, organizationID, serieID uuid.UUID, lock bool) (bool, error) {
	q := `SELECT ` + declarations.AcceptedByAllSQL("s") + ` FROM event_series AS s JOIN ticketing_systems AS ts ON ts.id = s.ticketing_system_id
WHERE s.id = ? AND ts.organization_id = ?`
	if lock {
		q += ` FOR UPDATE OF s`
	}
	var frozen bool
	err := idb.NewRaw(q, serieID, organizationID).Scan(ctx, &frozen)
	if errors.Is(err, sql.ErrNoRows) {
		return false, derrors.ErrNotFound
	}
	if err != nil {
		return false, fmt.Errorf("attachments: find serie %s of %s: %w", serieID, organizationID, err)
	}
	return frozen, nil
}

// editableSerie is serieFrozen as an error: ErrFrozen when the serie is.
func editableSerie(ctx context.Context, idb bun.IDB, organizationID, serieID uuid.UUID, lock bool) error {
	frozen, err := serieFrozen(ctx, idb, organizationID, serieID, lock)
	if err != nil {
		return err
	}
	if frozen {
		return ErrFrozen
	}
	return nil
}

// ChangeRecorder writes a change of a serie's documents into the history of
// its declaration (decision D11, docs/decisions.md), inside the caller's transaction. field is
// one of FieldFile and FieldType; old and new are empty for "none".
type ChangeRecorder interface {
	RecordAttachmentChange(ctx context.Context, idb bun.IDB, serieID uuid.UUID, actor audit.Actor, field, old, new string) error
}

// Fields of the history entries.
const (
	// FieldFile is a document added (old empty, new its name) or deleted (old
	// its name, new empty).
	FieldFile = "attachments"
	// FieldType is a document's type changed: old and new are "name: TYPE".
	FieldType = "attachmentType"
)

// typeValue is how a type change names the document and its type in the history.
func typeValue(name string, t Type) string { return name + ": " + string(t) }
