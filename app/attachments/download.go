package attachments

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/google/uuid"

	"assistant-declaration/app/derrors"
)

// Open returns a document of a serie of the organization and its bytes;
// derrors.ErrNotFound when the organization has no such serie or the serie no
// such document. The caller has checked who may see the organization's
// documents (its collaborators, the admins).
func (s *Service) Open(ctx context.Context, organizationID, serieID, attachmentID uuid.UUID) (a Attachment, content []byte, err error) {
	defer derrors.Wrap(&err, "attachments: open %s", attachmentID)
	err = s.DB.NewSelect().Model(&a).
		Where("attachment.id = ? AND attachment.event_serie_id = ?", attachmentID, serieID).
		Where(`EXISTS (SELECT 1 FROM event_series AS s JOIN ticketing_systems AS ts ON ts.id = s.ticketing_system_id
			WHERE s.id = attachment.event_serie_id AND ts.organization_id = ?)`, organizationID).
		Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil, derrors.ErrNotFound
	}
	if err != nil {
		return a, nil, err
	}
	content, err = s.Store.Get(ctx, a.ID)
	return a, content, err
}

// ContentDisposition is the Content-Disposition of a download named name
// (RFC 6266): an ASCII filename for old clients and, when the name is not
// plain ASCII, its UTF-8 spelling in filename* (RFC 5987).
func ContentDisposition(name string) string {
	var ascii strings.Builder
	plain := true
	for _, r := range name {
		switch {
		case r == '"' || r == '\\' || r < 0x20 || r == 0x7f:
			ascii.WriteByte('_')
			plain = false
		case r > 0x7e:
			ascii.WriteByte('_')
			plain = false
		default:
			ascii.WriteRune(r)
		}
	}
	header := `attachment; filename="` + ascii.String() + `"`
	if !plain {
		header += "; filename*=UTF-8''" + encodeRFC5987(name)
	}
	return header
}

// encodeRFC5987 percent-encodes the UTF-8 bytes of s except attr-char.
func encodeRFC5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
