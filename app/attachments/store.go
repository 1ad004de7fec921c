package attachments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// Store keeps the bytes of the documents, by attachment id. The rows of the
// attachments table are written first: Put comes after the row of id exists,
// Delete after it is gone (Delete of an unknown id is not an error).
type Store interface {
	Put(ctx context.Context, id uuid.UUID, content []byte) error
	Get(ctx context.Context, id uuid.UUID) ([]byte, error)
	Delete(ctx context.Context, id uuid.UUID) error
}

// PGStore keeps the bytes in PostgreSQL (attachment_contents). Its rows go
// with their attachment's (ON DELETE CASCADE), in the same transaction, so
// its Delete is only there for the stores that cannot.
type PGStore struct {
	DB bun.IDB
}

// Put stores content under id.
func (s PGStore) Put(ctx context.Context, id uuid.UUID, content []byte) error {
	_, err := s.DB.NewRaw(`INSERT INTO attachment_contents (attachment_id, content) VALUES (?, ?)
ON CONFLICT (attachment_id) DO UPDATE SET content = EXCLUDED.content`, id, content).Exec(ctx)
	if err != nil {
		return fmt.Errorf("attachments: store %s: %w", id, err)
	}
	return nil
}

// Get returns the bytes of id; derrors.ErrNotFound when there are none.
func (s PGStore) Get(ctx context.Context, id uuid.UUID) ([]byte, error) {
	var content []byte
	err := s.DB.NewRaw(`SELECT content FROM attachment_contents WHERE attachment_id = ?`, id).Scan(ctx, &content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("attachments: content of %s: %w", id, derrors.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("attachments: read %s: %w", id, err)
	}
	return content, nil
}

// Delete removes the bytes of id, if any.
func (s PGStore) Delete(ctx context.Context, id uuid.UUID) error {
	if _, err := s.DB.NewRaw(`DELETE FROM attachment_contents WHERE attachment_id = ?`, id).Exec(ctx); err != nil {
		return fmt.Errorf("attachments: delete content of %s: %w", id, err)
	}
	return nil
}
