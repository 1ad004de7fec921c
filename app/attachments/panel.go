package attachments

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/paths"
)

// PanelView is the documents panel (views/partials/attachments/panel.html),
// a fragment the declaration page includes and htmx swaps.
type PanelView struct {
	L    *locale.Localizer
	CSRF string
	// Editable is false once the declaration is read-only: the list stays,
	// without the uploader, the type selects and the delete buttons.
	Editable  bool
	UploadURL string
	Items     []PanelItem
	Types     []TypeOption
	// Errors are the translated messages of the files just refused.
	Errors []string
	Max    int
}

// PanelItem is one document of the list.
type PanelItem struct {
	ID          uuid.UUID
	Name        string
	Size        string
	Type        Type
	DownloadURL string
	TypeURL     string
	DeleteURL   string
}

// TypeOption is an option of the type select.
type TypeOption struct {
	Value Type
	Label string
}

// NewPanelView builds the panel of the serie's documents, in the language of
// l; csrf is the session's token for the panel's forms. The caller has
// checked the serie belongs to the organization and tells whether the
// declaration is still editable.
func NewPanelView(ctx context.Context, idb bun.IDB, l *locale.Localizer, csrf string, organizationID, serieID uuid.UUID, editable bool) (_ *PanelView, err error) {
	defer derrors.Wrap(&err, "attachments: panel of serie %s", serieID)
	list, err := List(ctx, idb, serieID)
	if err != nil {
		return nil, err
	}
	return PanelOf(l, csrf, organizationID, serieID, editable, list), nil
}

// PanelOf is NewPanelView of the documents list, already read (the
// declaration page reads them with ListJSON).
func PanelOf(l *locale.Localizer, csrf string, organizationID, serieID uuid.UUID, editable bool, list []Attachment) *PanelView {
	v := &PanelView{
		L: l, CSRF: csrf, Editable: editable, Max: MaxPerSerie,
		UploadURL: paths.To.AttachmentsUpload(organizationID, serieID),
		Types:     typeOptions(l),
	}
	for _, a := range list {
		v.Items = append(v.Items, PanelItem{
			ID: a.ID, Name: a.Name, Size: FormatSize(l, a.Size), Type: a.Type,
			DownloadURL: paths.To.Attachment(organizationID, serieID, a.ID),
			TypeURL:     paths.To.AttachmentType(organizationID, serieID, a.ID),
			DeleteURL:   paths.To.AttachmentDelete(organizationID, serieID, a.ID),
		})
	}
	return v
}

// AdminPanelOf is the panel of the back office's read-only view of a
// declaration, of the documents list: the list alone, each document
// downloaded through the admin route.
func AdminPanelOf(l *locale.Localizer, organizationID, serieID uuid.UUID, list []Attachment) *PanelView {
	v := PanelOf(l, "", organizationID, serieID, false, list)
	for i := range v.Items {
		v.Items[i].DownloadURL = paths.To.AdminAttachment(organizationID, serieID, v.Items[i].ID)
	}
	return v
}

// SetRefused shows the messages of the files just refused.
func (v *PanelView) SetRefused(refused []Refusal) {
	for _, r := range refused {
		v.Errors = append(v.Errors, v.L.T(r.Key, "name", r.Name, "max", MaxPerSerie))
	}
}

// Count is the number of documents.
func (v *PanelView) Count() int { return len(v.Items) }

// Full reports whether the serie holds as many documents as allowed.
func (v *PanelView) Full() bool { return len(v.Items) >= MaxPerSerie }

// typeOptions lists the types sorted by their label in l's language.
func typeOptions(l *locale.Localizer) []TypeOption {
	opts := make([]TypeOption, len(Types))
	for i, t := range Types {
		opts[i] = TypeOption{Value: t, Label: l.T(t.LabelKey())}
	}
	c := collate.New(language.Make(l.Lang))
	sort.SliceStable(opts, func(i, j int) bool { return c.CompareString(opts[i].Label, opts[j].Label) < 0 })
	return opts
}

// FormatSize writes a size in bytes the way l's language does: "850 octets",
// "12 ko", "1,5 Mo" in French. A kilobyte is 1024 bytes, as file managers
// count, so the largest file allowed is "5 Mo".
func FormatSize(l *locale.Localizer, size int64) string {
	switch {
	case size < 1<<10:
		return l.T("attachments.size.bytes", "size", size)
	case size < 1<<20:
		return l.T("attachments.size.kilobytes", "size", decimal(l, float64(size)/(1<<10)))
	}
	return l.T("attachments.size.megabytes", "size", decimal(l, float64(size)/(1<<20)))
}

// decimal writes x with at most one decimal, French separator in French.
func decimal(l *locale.Localizer, x float64) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if l.Lang == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
