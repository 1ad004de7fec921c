package declarations

import (
	"html"
	"html/template"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// option is one choice of a select.
type option struct {
	Value, Label string
}

// fieldView is one field of the form (see HTML), and a line of the errors'
// summary.
type fieldView struct {
	ID, Name, Label, Value string
	// base is the field's name without a performance's key.
	base string
	// Error is the message key of the field's error (the summary's too);
	// ErrorText and SavedText are the messages the field shows.
	Error, ErrorText, SavedText string
	Kind                        string // amount, count, text, select
	Options                     []option
	// Select is a select, whose options are written at once (OptionsHTML).
	Select          bool
	OptionsHTML     template.HTML
	List            string // id of a datalist of suggestions
	Saved, Disabled bool
	Autocomplete    string
	MaxLength       int
}

// groupClass is the class of the field's group: its state shows there.
func (f *fieldView) groupClass() string {
	group := "fr-input-group"
	if f.Select {
		group = "fr-select-group"
	}
	switch {
	case f.Error != "":
		return group + " " + group + "--error"
	case f.Saved:
		return group + " " + group + "--valid"
	}
	return group
}

// HTML is the whole field, written at once rather than by a partial: a page
// renders thousands of fields and each template action costs. Label, hint,
// control (input or select), then its message: the error, or "Enregistré"
// once saved. Every value is escaped here; the rest are constants of this
// package or numbers.
func (f *fieldView) HTML(v *formView) template.HTML {
	var b strings.Builder
	b.Grow(1024)
	f.write(&b, v)
	return template.HTML(b.String()) //nolint:gosec // escaped by write
}

// write writes the field (see HTML) to b.
func (f *fieldView) write(b *strings.Builder, v *formView) {
	id := html.EscapeString(f.ID)
	b.WriteString(`<div class="` + f.groupClass() + `">` + "\n" + `  <label class="fr-label" for="` + id + `">`)
	b.WriteString(v.labelHTML(f.base))
	if f.Select {
		b.WriteString("\n  <select")
		f.control(b, id)
		b.WriteString(`>`)
		b.WriteString(string(f.OptionsHTML))
		b.WriteString(`</select>`)
	} else {
		b.WriteString("\n  <input")
		f.control(b, id)
		b.WriteString(`>`)
	}
	b.WriteString("\n" + `  <div class="fr-messages-group" id="` + id + `-messages" aria-live="polite">`)
	switch {
	case f.ErrorText != "":
		b.WriteString(`<p class="fr-message fr-message--error" id="` + id + `-error">` + html.EscapeString(f.ErrorText) + `</p>`)
	case f.SavedText != "":
		b.WriteString(`<p class="fr-message fr-message--valid">` + html.EscapeString(f.SavedText) + `</p>`)
	}
	b.WriteString("</div>\n</div>")
}

// control writes every attribute of the input or select; id is escaped.
func (f *fieldView) control(b *strings.Builder, id string) {
	if f.Select {
		b.WriteString(` class="fr-select`)
		if f.Error != "" {
			b.WriteString(` fr-select--error`)
		}
	} else {
		b.WriteString(` type="text" class="fr-input`)
		if f.Error != "" {
			b.WriteString(` fr-input--error`)
		}
	}
	b.WriteString(`" id="` + id + `" name="` + html.EscapeString(f.Name) + `"`)
	if !f.Select {
		b.WriteString(` value="` + html.EscapeString(f.Value) + `"`)
	}
	switch f.Kind {
	case "amount":
		b.WriteString(` inputmode="decimal" data-amount`)
	case "count":
		b.WriteString(` inputmode="numeric"`)
	}
	if f.List != "" {
		b.WriteString(` list="` + f.List + `"`)
	}
	if f.MaxLength > 0 {
		b.WriteString(` maxlength="` + strconv.Itoa(f.MaxLength) + `"`)
	}
	if f.Autocomplete != "" {
		b.WriteString(` autocomplete="` + f.Autocomplete + `"`)
	}
	b.WriteString(` aria-describedby="` + id + `-messages"`)
	if f.Error != "" {
		b.WriteString(` aria-invalid="true"`)
	}
	if f.Disabled {
		b.WriteString(` disabled`)
	}
}

// labelHTML is the end of the label of field name: its text and hint,
// escaped, written once per view as every performance repeats them.
func (v *formView) labelHTML(name string) string {
	if h, ok := v.labelHTMLCache[name]; ok {
		return h
	}
	h := html.EscapeString(v.label(FieldLabelKey(name)))
	if hints[name] {
		h += `<span class="fr-hint-text">` + html.EscapeString(v.label(fieldHintPrefix+name)) + `</span>`
	}
	h += `</label>`
	if v.labelHTMLCache == nil {
		v.labelHTMLCache = map[string]string{}
	}
	v.labelHTMLCache[name] = h
	return h
}

// Message prefixes of the fields' labels and hints.
const (
	fieldLabelPrefix = "declarations.field."
	fieldHintPrefix  = "declarations.hint."
)

// FieldLabelKey is the label of a field (its base name, without a
// performance's prefix), also used by the history.
func FieldLabelKey(name string) string { return fieldLabelPrefix + name }

// hints are the fields with a hint under their label.
var hints = map[string]bool{
	FieldIntroductionFeesExcl: true, FieldIntroductionFeesIncl: true, FieldCircusExcl: true, FieldCircusIncl: true,
	FieldExpensesExcl: true, FieldExpensesIncl: true, FieldSacemID: true, FieldProducerOfficialID: true,
}

func fieldKind(name string) string {
	switch name {
	case FieldPerformanceType, FieldAudience, FieldAudienceOverride, FieldTicketingRevenueTaxRate, FieldTicketingTaxRateOverride:
		return "select"
	case FieldPlaceCapacity, FieldPlaceCapacityOverride, FieldFreeTickets, FieldPaidTickets:
		return "count"
	case FieldSacemID, FieldSacdID, FieldProducerOfficialID, FieldProducerName, FieldPlaceName, FieldPlaceStreet, FieldPlacePostalCode, FieldPlaceCity:
		return "text"
	}
	return "amount"
}

// FieldHTML is a serie-level field, written whole (see fieldView.HTML).
func (v *formView) FieldHTML(name string) template.HTML {
	f := v.field(name, name, name)
	return f.HTML(v)
}

// eventField is field name of the i-th performance, named on the page by
// its short key (see pageField).
func (v *formView) eventField(i int, name string) *fieldView {
	return v.field(EventField(v.D.Events[i].ID, name), pageField(i, name), name)
}

// field is the field of form name full (the stored values', errors' and
// saves' key), named page on the page, of base name name.
func (v *formView) field(full, page, name string) *fieldView {
	f := &fieldView{
		ID: "f-" + strings.ReplaceAll(page, ".", "-"), Name: page, Label: v.label(FieldLabelKey(name)), base: name,
		Value: v.Values[full], Error: v.Errors[full], Kind: fieldKind(name), Saved: v.Saved[full], Disabled: v.ReadOnly(),
	}
	if f.Error != "" {
		f.ErrorText = v.L.T(f.Error)
	} else if f.Saved {
		f.SavedText = v.label("declarations.savedField")
	}
	switch name {
	case FieldPerformanceType, FieldAudience, FieldAudienceOverride, FieldTicketingRevenueTaxRate, FieldTicketingTaxRateOverride:
		f.Options = v.options(name)
		if rate, _ := ParseRate(f.Value); rate.Valid && fieldIsRate(name) {
			f.Value = rate.Decimal.String()
			if !listed(f.Options, f.Value) {
				f.Options = append(f.Options, option{Value: f.Value, Label: RateLabel(rate.Decimal)})
			}
		}
	case FieldPlaceName:
		f.List, f.MaxLength = "suggested-places", 200
	case FieldPlaceCapacity, FieldPlaceCapacityOverride:
		f.List = "suggested-capacities"
	case FieldProducerName:
		f.List = "suggested-producer-names"
	case FieldProducerOfficialID:
		f.List = "suggested-producer-ids"
	case FieldSacemID, FieldSacdID:
		f.MaxLength = 10
	case FieldPlaceStreet:
		f.Autocomplete = "off"
	}
	if f.Options != nil {
		f.Select = true
		f.OptionsHTML = v.optionsHTML(name, f.Value, f.Options)
	}
	return f
}

// label is the translation of key, kept for the view: every performance
// repeats the same labels.
func (v *formView) label(key string) string {
	if l, ok := v.labelCache[key]; ok {
		return l
	}
	if v.labelCache == nil {
		v.labelCache = map[string]string{}
	}
	l := v.L.T(key)
	v.labelCache[key] = l
	return l
}

func fieldIsRate(name string) bool {
	return name == FieldTicketingRevenueTaxRate || name == FieldTicketingTaxRateOverride
}

// optionsHTML writes the options of a select with value selected. Every
// performance has the same lists: each is written once per view.
func (v *formView) optionsHTML(name, value string, opts []option) template.HTML {
	key := optionKind(name) + "=" + value
	if h, ok := v.optionsHTMLCache[key]; ok {
		return h
	}
	var b strings.Builder
	for _, o := range opts {
		b.WriteString(`<option value="` + html.EscapeString(o.Value) + `"`)
		if o.Value == value {
			b.WriteString(` selected`)
		}
		b.WriteString(`>` + html.EscapeString(o.Label) + `</option>`)
	}
	h := template.HTML(b.String()) //nolint:gosec // escaped above
	if v.optionsHTMLCache == nil {
		v.optionsHTMLCache = map[string]template.HTML{}
	}
	v.optionsHTMLCache[key] = h
	return h
}

// optionKind is the list of choices of a select: an override offers the
// serie's.
func optionKind(name string) string {
	switch name {
	case FieldAudienceOverride:
		return FieldAudience
	case FieldTicketingTaxRateOverride:
		return FieldTicketingRevenueTaxRate
	}
	return name
}

// options are the choices of a select, built once per view: sorting by the
// French labels needs a collator, too costly to build for every performance.
// Fields share them: the capacity is capped so that appending (an unlisted
// rate) copies.
func (v *formView) options(name string) []option {
	kind := optionKind(name)
	if v.optionCache == nil {
		v.optionCache = map[string][]option{}
	}
	opts, ok := v.optionCache[kind]
	if !ok {
		switch kind {
		case FieldPerformanceType:
			opts = append(opts, option{Value: "", Label: v.L.T("declarations.choose")})
			for _, p := range PerformanceTypes {
				opts = append(opts, option{Value: string(p), Label: v.L.T(p.LabelKey())})
			}
			sortOptions(opts[1:])
		case FieldAudience:
			for _, a := range Audiences {
				opts = append(opts, option{Value: string(a), Label: v.L.T(a.LabelKey())})
			}
			sortOptions(opts)
		default:
			for _, r := range TaxRates {
				opts = append(opts, option{Value: r.String(), Label: RateLabel(r)})
			}
		}
		v.optionCache[kind] = opts
	}
	return opts[:len(opts):len(opts)]
}

func listed(opts []option, value string) bool {
	for _, o := range opts {
		if o.Value == value {
			return true
		}
	}
	return false
}

// sortOptions sorts enum options by their label, as French readers look
// for them.
func sortOptions(opts []option) {
	c := collate.New(language.French, collate.IgnoreCase)
	sort.SliceStable(opts, func(i, j int) bool { return c.CompareString(opts[i].Label, opts[j].Label) < 0 })
}
