package attachments

import (
	"github.com/gabriel-vasile/mimetype"
)

// allowed are the content types accepted, as mimetype names them: PDF, JPEG,
// PNG and the office documents of Microsoft (DOCX, XLSX, PPTX) and
// OpenDocument (ODT, ODS, ODP).
var allowed = map[string]bool{
	"application/pdf": true,
	"image/jpeg":      true,
	"image/png":       true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         true,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": true,
	"application/vnd.oasis.opendocument.text":                                   true,
	"application/vnd.oasis.opendocument.spreadsheet":                            true,
	"application/vnd.oasis.opendocument.presentation":                           true,
}

func init() {
	// mimetype reads 4 KiB by default, too few to tell a DOCX from any ZIP:
	// the entries naming the format may come later in the archive. Files are
	// at most MaxFileSize and already in memory, so let it see all of them.
	// The setting is process-wide; this package is mimetype's only user.
	mimetype.SetLimit(MaxFileSize)
}

// detect returns the content type of content, recognized by its bytes alone
// (the name and the type the browser declared are not trusted), and whether
// it is one of the allowed types. A variant of an allowed type (a PNG that is
// an APNG, an ODT template) counts as that type.
func detect(content []byte) (string, bool) {
	for m := mimetype.Detect(content); m != nil; m = m.Parent() {
		if allowed[m.String()] {
			return m.String(), true
		}
	}
	return "", false
}
