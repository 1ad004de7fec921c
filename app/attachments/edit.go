package attachments

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
)

// ErrInvalidType is a type that is not one of Types.
var ErrInvalidType = derrors.New(derrors.ErrInvalid, "attachments.error.invalidType")

// ChangeType sets the type of a document of the serie.
func (s *Service) ChangeType(ctx context.Context, organizationID, serieID, attachmentID uuid.UUID, t Type, by audit.Actor) (err error) {
	defer derrors.Wrap(&err, "attachments: change type of %s", attachmentID)
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// The serie first: another organization's is not found, whatever the type.
		if err := editableSerie(ctx, tx, organizationID, serieID, true); err != nil {
			return err
		}
		if !t.Valid() {
			return ErrInvalidType
		}
		var a Attachment
		err := tx.NewSelect().Model(&a).Where("id = ? AND event_serie_id = ?", attachmentID, serieID).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return derrors.ErrNotFound
		}
		if err != nil || a.Type == t {
			return err
		}
		_, err = tx.NewUpdate().Model(&a).Set("type = ?", t).Set("updated_at = now()").WherePK().Exec(ctx)
		if err != nil {
			return err
		}
		return s.Recorder.RecordAttachmentChange(ctx, tx, serieID, by, FieldType, typeValue(a.Name, a.Type), typeValue(a.Name, t))
	})
}

// Delete deletes a document of the serie, bytes included.
func (s *Service) Delete(ctx context.Context, organizationID, serieID, attachmentID uuid.UUID, by audit.Actor) (err error) {
	defer derrors.Wrap(&err, "attachments: delete %s", attachmentID)
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := editableSerie(ctx, tx, organizationID, serieID, true); err != nil {
			return err
		}
		var name string
		err := tx.NewRaw(`DELETE FROM attachments WHERE id = ? AND event_serie_id = ? RETURNING name`, attachmentID, serieID).Scan(ctx, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return derrors.ErrNotFound
		}
		if err != nil {
			return err
		}
		return s.Recorder.RecordAttachmentChange(ctx, tx, serieID, by, FieldFile, name, "")
	})
	if err != nil {
		return err
	}
	// After the commit: a store outside the database cannot roll back.
	return s.Store.Delete(ctx, attachmentID)
}
