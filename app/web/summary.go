package web

import (
	"fmt"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
)

// SummaryItem is one error in the summary at the top of a form
// (partials/forms/error-summary): the id of the field it links to, the
// field's label and its error's message, both translated.
type SummaryItem struct {
	ID      string
	Label   string
	Message string
}

// ErrorSummary lists the errors of a form in the order of its fields, given
// as triples: field name, id of its input, label key. A field without error
// is left out. Templates call it as errorSummary.
func ErrorSummary(l *locale.Localizer, errs derrors.Fields, fields ...string) ([]SummaryItem, error) {
	if len(fields)%3 != 0 {
		return nil, fmt.Errorf("errorSummary: fields come as (name, id, label key) triples")
	}
	var items []SummaryItem
	for i := 0; i < len(fields); i += 3 {
		if key, bad := errs[fields[i]]; bad {
			items = append(items, SummaryItem{ID: fields[i+1], Label: l.T(fields[i+2]), Message: l.T(key)})
		}
	}
	return items, nil
}
