package attachments

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
)

// Upload is one file sent by the user: its name as the browser gave it and
// its bytes.
type Upload struct {
	Name    string
	Content io.Reader
}

// Refusal is a file not added, and why: a message key taking the file's name
// as "name".
type Refusal struct {
	Name string
	Key  string
}

// Messages of the refusals.
const (
	refusedNoFile      = "attachments.error.noFile"
	refusedTooLarge    = "attachments.error.tooLarge"
	refusedType        = "attachments.error.type"
	refusedTooMany     = "attachments.error.tooMany"
	refusedInfected    = "attachments.error.infected"
	refusedUnavailable = "attachments.error.scanUnavailable"
)

// checkedFile is a file that passed every check; content is dropped once stored.
type checkedFile struct {
	id          uuid.UUID
	name        string
	contentType string
	content     []byte
}

// Upload adds files to the serie's documents, as OTHER. Each file is checked
// on its own (size, type recognized by content, antivirus, the limit of
// MaxPerSerie): the refused ones are returned with their reason, the others
// are added. The error is for the serie (unknown, frozen) or the storage.
func (s *Service) Upload(ctx context.Context, organizationID, serieID uuid.UUID, files []Upload, by audit.Actor) (added []Attachment, refused []Refusal, err error) {
	defer derrors.Wrap(&err, "attachments: upload to serie %s", serieID)
	if err := editableSerie(ctx, s.DB, organizationID, serieID, false); err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		return nil, []Refusal{{Key: refusedNoFile}}, nil
	}
	// A first count spares storing and scanning files the limit refuses; the
	// one that decides is taken under the serie's lock, below.
	held, err := s.DB.NewSelect().Model((*Attachment)(nil)).Where("event_serie_id = ?", serieID).Count(ctx)
	if err != nil {
		return nil, nil, err
	}
	var checked []checkedFile
	for _, f := range files {
		file, key, err := s.check(ctx, f, int(held)+len(checked))
		if err != nil {
			return nil, nil, err
		}
		if key != "" {
			refused = append(refused, Refusal{Name: file.name, Key: key})
			continue
		}
		// Stored at once, so one file at a time is held in memory. The row
		// exists, unlinked, before the bytes: whatever fails from here leaves
		// rows the purge finds (see PurgeUnlinked), never bytes nothing
		// points to.
		a := &Attachment{ID: file.id, Name: file.name, ContentType: file.contentType, Size: int64(len(file.content)), Type: Other}
		if _, err := s.DB.NewInsert().Model(a).ExcludeColumn("created_at", "updated_at").Exec(ctx); err != nil {
			return nil, nil, err
		}
		if err := s.Store.Put(ctx, file.id, file.content); err != nil {
			return nil, nil, err
		}
		file.content = nil
		checked = append(checked, file)
	}
	if len(checked) == 0 {
		return nil, refused, nil
	}
	var over []checkedFile
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := editableSerie(ctx, tx, organizationID, serieID, true); err != nil {
			return err
		}
		n, err := tx.NewSelect().Model((*Attachment)(nil)).Where("event_serie_id = ?", serieID).Count(ctx)
		if err != nil {
			return err
		}
		room := max(MaxPerSerie-int(n), 0)
		linked := checked[:min(room, len(checked))]
		over = checked[len(linked):]
		for _, f := range linked {
			a := Attachment{}
			err := tx.NewUpdate().Model(&a).Set("event_serie_id = ?", serieID).Set("updated_at = now()").
				Where("id = ?", f.id).Returning("*").Scan(ctx)
			if err != nil {
				return err
			}
			if err := s.Recorder.RecordAttachmentChange(ctx, tx, serieID, by, FieldFile, "", a.Name); err != nil {
				return err
			}
			added = append(added, a)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	for _, f := range over {
		refused = append(refused, Refusal{Name: f.name, Key: refusedTooMany})
		if err := s.remove(ctx, f.id); err != nil {
			return nil, nil, err
		}
	}
	return added, refused, nil
}

// check reads and checks one file, held being the number of documents the
// serie would already have. It returns the message key of a refusal, or an
// error when the file cannot be read or checked at all.
func (s *Service) check(ctx context.Context, f Upload, held int) (checkedFile, string, error) {
	file := checkedFile{id: uuid.New(), name: cleanName(f.Name)}
	if held >= MaxPerSerie {
		return file, refusedTooMany, nil
	}
	// One byte more than allowed tells a file too large without reading it all.
	content, err := io.ReadAll(io.LimitReader(f.Content, MaxFileSize+1))
	if err != nil {
		return file, "", fmt.Errorf("read %q: %w", file.name, err)
	}
	if len(content) > MaxFileSize {
		return file, refusedTooLarge, nil
	}
	contentType, ok := detect(content)
	if !ok {
		return file, refusedType, nil
	}
	if s.Scanner != nil {
		err := s.Scanner.Scan(ctx, content)
		switch {
		case isInfected(err):
			return file, refusedInfected, nil
		case err != nil:
			// The user is told to retry; the operator, that clamd is away.
			if s.Logger != nil {
				s.Logger.WarnContext(ctx, "antivirus unavailable", "error", err.Error())
			}
			return file, refusedUnavailable, nil
		}
	}
	file.contentType, file.content = contentType, content
	return file, "", nil
}

// remove deletes an attachment row and its bytes.
func (s *Service) remove(ctx context.Context, id uuid.UUID) error {
	if _, err := s.DB.NewDelete().Model((*Attachment)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("attachments: delete %s: %w", id, err)
	}
	return s.Store.Delete(ctx, id)
}

// cleanName keeps the last part of the name the browser sent (some send a
// whole Windows path), without control characters, at most 255 characters.
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > 255 {
		name = string(r[:255])
	}
	if name == "" || name == "." || name == ".." {
		return "document"
	}
	return name
}
