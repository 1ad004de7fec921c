package declarations

import (
	"encoding/json"
	"html/template"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
	"assistant-declaration/config"
)

// Handlers serves the declaration page of a serie: routes under
// /dashboard/organization/:organizationId go through
// organizations.RequireCollaborator, the admin view through web.RequireAdmin.
type Handlers struct {
	db        bun.IDB
	companies organizations.CompanyDirectory
	addresses organizations.AddressDirectory
	now       func() time.Time
	// Attachments gives the page the attachments panel of a serie (package
	// attachments, rendered by partials/attachments/panel); set by the app.
	// readOnly is true once the declaration can no longer change; admin is
	// the back office's view (its downloads go through the admin route).
	Attachments func(c *fiber.Ctx, organizationID, serieID uuid.UUID, readOnly, admin bool) (any, error)
}

// NewHandlers builds the handlers; the producer and address look-ups are the
// organization creation's directories (real APIs or their mock, by cfg).
func NewHandlers(cfg *config.Config, idb bun.IDB) *Handlers {
	companies, addresses := organizations.NewDirectories(cfg)
	return &Handlers{db: idb, companies: companies, addresses: addresses, now: time.Now}
}

// Field groups: the fields a change posts together because a rule ties them
// (an HT/TTC pair, the expenses, a place), each rendered by its own partial.
const (
	GroupOrganisms   = "organisms"
	GroupIdentifiers = "identifiers"
	GroupGeneral     = "general"
	GroupExpenses    = "expenses"
	GroupDefaults    = "defaults"
	// A performance's groups are "e-<id>-<kind>".
	EventGroupTicketing = "ticketing"
	EventGroupRevenues  = "revenues"
	EventGroupGeneral   = "general"
)

var placeFieldNames = []string{FieldPlaceName, FieldPlaceStreet, FieldPlacePostalCode, FieldPlaceCity}

var serieGroups = map[string][]string{
	GroupOrganisms:   {FieldOrganisms},
	GroupIdentifiers: {FieldSacemID, FieldSacdID},
	GroupGeneral:     {FieldPerformanceType, FieldProducerOfficialID, FieldProducerName},
	GroupExpenses:    {FieldIntroductionFeesExcl, FieldIntroductionFeesIncl, FieldCircusExcl, FieldCircusIncl, FieldExpensesExcl, FieldExpensesIncl},
	GroupDefaults:    append(append([]string{FieldAudience, FieldTicketingRevenueTaxRate}, placeFieldNames...), FieldPlaceCapacity),
}

var eventGroups = map[string][]string{
	EventGroupTicketing: {FieldFreeTickets, FieldPaidTickets, FieldTicketingTaxRateOverride, FieldTicketingExcl, FieldTicketingIncl},
	EventGroupRevenues: {
		RevenuePairs[0].Excl, RevenuePairs[0].Incl, RevenuePairs[1].Excl, RevenuePairs[1].Incl,
		RevenuePairs[2].Excl, RevenuePairs[2].Incl, RevenuePairs[3].Excl, RevenuePairs[3].Incl,
	},
	EventGroupGeneral: append(append([]string{FieldAudienceOverride}, placeFieldNames...), FieldPlaceCapacityOverride),
}

// EventGroup is the id of a performance's group.
func EventGroup(id uuid.UUID, kind string) string { return "e-" + id.String() + "-" + kind }

// groupFields are the form names of the fields of group.
func groupFields(group string) []string {
	if names, ok := serieGroups[group]; ok {
		return names
	}
	rest, ok := strings.CutPrefix(group, "e-")
	if !ok || len(rest) < 38 {
		return nil
	}
	id, err := uuid.Parse(rest[:36])
	if err != nil {
		return nil
	}
	names := eventGroups[rest[37:]]
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = EventField(id, n)
	}
	return out
}

// formView is the declaration page and each of its fragments.
type formView struct {
	web.Layout
	OrganizationID uuid.UUID
	D              *Declaration
	// Values are shown in the inputs (stored, or as typed after an error);
	// Was are the stored values the page started from (see Changed).
	Values, Was  Values
	Errors       derrors.Fields
	Saved        map[string]bool
	Propagations []Propagation
	Totals       Totals
	Suggestions  *Suggestions
	History      []Change
	// Admin is the back office's read-only view.
	Admin bool
	// Summary lists the errors of a whole-form post at the top.
	Summary bool
	// Group is the group an htmx save answers with.
	Group string
	// Attachments is the attachments panel (package attachments), wired by the app.
	Attachments any

	optionCache map[string][]option
	labelCache  map[string]string
}

// ReadOnly reports whether the form cannot be changed: every chosen organism
// accepted it (decision D12, docs/decisions.md), or an admin looks at it.
func (v *formView) ReadOnly() bool { return v.Admin || v.D.State.ReadOnly() }

// NeedsOrganisms reports whether the organisms must be chosen before the rest.
func (v *formView) NeedsOrganisms() bool {
	return len(v.D.Serie.ExpectedDeclarationTypes) == 0 && !v.ReadOnly()
}

// Chose reports whether organism o is chosen.
func (v *formView) Chose(o string) bool { return v.D.Serie.Chose(Organism(o)) }

// Organisms are the organisms offered.
func (v *formView) Organisms() []Organism { return Organisms }

// OrganismChecked reports whether o is checked in the organisms fieldset.
func (v *formView) OrganismChecked(o Organism) bool {
	chosen, _ := ParseOrganisms(v.Values[FieldOrganisms])
	return containsOrganism(chosen, o)
}

// OrganismLocked reports whether o accepted: it cannot be unchecked.
func (v *formView) OrganismLocked(o Organism) bool { return v.D.State.Accepted(o) }

// FormURL is where the whole form posts.
func (v *formView) FormURL() string { return paths.To.DeclarationSave(v.OrganizationID, v.D.Serie.ID) }

// FieldsURL is where a group posts.
func (v *formView) FieldsURL() string {
	return paths.To.DeclarationFields(v.OrganizationID, v.D.Serie.ID)
}

// AddressesURL is the place address look-up.
func (v *formView) AddressesURL() string {
	return paths.To.DeclarationAddresses(v.OrganizationID, v.D.Serie.ID)
}

// CompaniesURL is the producer look-up.
func (v *formView) CompaniesURL() string {
	return paths.To.DeclarationCompanies(v.OrganizationID, v.D.Serie.ID)
}

// OrganizationURL is the organization's page, back to the list.
func (v *formView) OrganizationURL() string {
	if v.Admin {
		return paths.To.AdminOrganization(v.OrganizationID)
	}
	return paths.To.Organization(v.OrganizationID)
}

// Params are the parameters a group's htmx request sends: only its own
// fields, not the whole form around them.
func (v *formView) Params(group string) string {
	return strings.Join(append([]string{"_group", "_was." + group}, groupFields(group)...), ",")
}

// WasOf is the hidden record of the values group showed when rendered.
func (v *formView) WasOf(group string) string {
	q := url.Values{}
	for _, name := range groupFields(group) {
		q.Set(name, v.Was[name])
	}
	return q.Encode()
}

// GroupSaved reports whether a field of group was just saved.
func (v *formView) GroupSaved(group string) bool {
	for _, name := range groupFields(group) {
		if v.Saved[name] {
			return true
		}
	}
	return false
}

// GroupErrors reports whether a field of group is in error.
func (v *formView) GroupErrors(group string) bool {
	for _, name := range groupFields(group) {
		if _, bad := v.Errors[name]; bad {
			return true
		}
	}
	return false
}

// ErrorList is the summary of a whole-form post: each field in error with
// its message, in the form's order.
func (v *formView) ErrorList() []fieldView {
	var out []fieldView
	for _, group := range []string{GroupIdentifiers, GroupGeneral, GroupExpenses, GroupDefaults} {
		for _, name := range groupFields(group) {
			if _, bad := v.Errors[name]; bad {
				out = append(out, v.Field(name))
			}
		}
	}
	for i := range v.D.Events {
		for _, kind := range []string{EventGroupTicketing, EventGroupRevenues, EventGroupGeneral} {
			for _, name := range groupFields(EventGroup(v.D.Events[i].ID, kind)) {
				if _, bad := v.Errors[name]; bad {
					f := v.EventField(&v.D.Events[i], baseName(name))
					f.Label = v.PerformanceTitle(&v.D.Events[i]) + " : " + f.Label
					out = append(out, f)
				}
			}
		}
	}
	return out
}

func baseName(full string) string {
	if _, name, ok := splitEventField(full); ok {
		return name
	}
	return full
}

// PerformanceTitle is "Séance du 21/11/2026, 20:30" (Europe/Paris).
func (v *formView) PerformanceTitle(e *Event) string {
	return v.L.T("declarations.performance.title", "date", locale.Date(e.StartAt), "time", locale.Time(e.StartAt))
}

// EventCtx is what a performance's partials get.
func (v *formView) EventCtx(e Event) *eventCtx { return &eventCtx{V: v, E: v.D.Event(e.ID)} }

type eventCtx struct {
	V *formView
	E *Event
	// OOB marks the performance's groups swapped out of band.
	OOB bool
}

// EventOOB is the context of a performance's groups sent out of band.
func (v *formView) EventOOB(e Event) *eventCtx {
	return &eventCtx{V: v, E: v.D.Event(e.ID), OOB: true}
}

// PrefilledOpen reports whether the performance's pre-filled data must show
// open: one of them is in error.
func (c *eventCtx) PrefilledOpen() bool {
	return c.V.GroupErrors(c.Group(EventGroupGeneral)) || (!c.V.D.Serie.Manual() && c.V.GroupErrors(c.Group(EventGroupTicketing)))
}

// RevenuePairs are the pairs of the revenues outside ticketing.
func (c *eventCtx) RevenuePairs() []Pair { return RevenuePairs }

// PickAddress is the hx-vals of an address found for the serie's place.
func (v *formView) PickAddress(a organizations.Address) string {
	return pickValues(FieldPlaceStreet, a.Street, FieldPlacePostalCode, a.PostalCode, FieldPlaceCity, a.City, "_group", GroupDefaults)
}

// PickCompany is the hx-vals of a company found for the producer.
func (v *formView) PickCompany(company organizations.Company) string {
	return pickValues(FieldProducerOfficialID, company.OfficialID, FieldProducerName, company.Name, "_group", GroupGeneral)
}

// Group is the id of the performance's group kind.
func (c *eventCtx) Group(kind string) string { return EventGroup(c.E.ID, kind) }

// Field is a field of the performance.
func (c *eventCtx) Field(name string) fieldView { return c.V.EventField(c.E, name) }

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// fieldView is what partials/declarations/field renders.
type fieldView struct {
	ID, Name, Label, Hint, Value string
	// Error is the message key of the field's error (the summary's too);
	// ErrorText and SavedText are the messages the field shows.
	Error, ErrorText, SavedText string
	Kind                        string // amount, count, text, select
	Options                     []option
	List                        string // id of a datalist of suggestions
	Saved, Disabled             bool
	Autocomplete                string
	MaxLength                   int
}

// GroupClass is the class of the field's group: its state shows there.
func (f fieldView) GroupClass() string {
	group := "fr-input-group"
	if f.Options != nil {
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

// ControlClass is the class of the input or select.
func (f fieldView) ControlClass() string {
	control := "fr-input"
	if f.Options != nil {
		control = "fr-select"
	}
	if f.Error != "" {
		return control + " " + control + "--error"
	}
	return control
}

// Attrs are the control's other attributes. Their values are constants of
// this package or numbers, never user input, so they need no escaping.
func (f fieldView) Attrs() template.HTMLAttr {
	var b strings.Builder
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
	if f.Error != "" {
		b.WriteString(` aria-invalid="true"`)
	}
	if f.Disabled {
		b.WriteString(` disabled`)
	}
	return template.HTMLAttr(b.String()) //nolint:gosec // constants and numbers only, see above
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

// Field is a serie-level field.
func (v *formView) Field(name string) fieldView { return v.field(name, name) }

// EventField is a field of performance e.
func (v *formView) EventField(e *Event, name string) fieldView {
	return v.field(EventField(e.ID, name), name)
}

func (v *formView) field(full, name string) fieldView {
	f := fieldView{
		ID: "f-" + strings.ReplaceAll(full, ".", "-"), Name: full, Label: v.label(FieldLabelKey(name)),
		Value: v.Values[full], Error: v.Errors[full], Kind: fieldKind(name), Saved: v.Saved[full], Disabled: v.ReadOnly(),
	}
	if hints[name] {
		f.Hint = v.label(fieldHintPrefix + name)
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
	for i := range f.Options {
		f.Options[i].Selected = f.Options[i].Value == f.Value
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

// options are the choices of a select, built once per view: sorting by the
// French labels needs a collator, too costly to build for every performance.
// Each field gets its own copy, as Selected differs.
func (v *formView) options(name string) []option {
	kind := name
	switch name {
	case FieldAudienceOverride:
		kind = FieldAudience
	case FieldTicketingTaxRateOverride:
		kind = FieldTicketingRevenueTaxRate
	}
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
	return append([]option(nil), opts...)
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

// pickValues is the hx-vals of a suggestion that fills fields (an address,
// a producer): JSON of name/value pairs.
func pickValues(pairs ...string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// ShowsNonTicketing reports whether the revenues outside ticketing (SACEM) are asked.
func (v *formView) ShowsNonTicketing() bool { return v.D.Serie.Chose(SACEM) }

// HistoryLine is a line of the history as shown.
type HistoryLine struct {
	At                  time.Time
	Who, Impersonator   string
	Field, Old, New     string
	PerformanceStartsAt *time.Time
}

// HistoryLines are the history in French labels and formats.
func (v *formView) HistoryLines() []HistoryLine {
	out := make([]HistoryLine, 0, len(v.History))
	for _, c := range v.History {
		line := HistoryLine{At: c.CreatedAt, Who: c.UserEmail, Impersonator: c.ImpersonatorEmail, PerformanceStartsAt: c.EventStartAt}
		line.Field = v.L.T(FieldLabelKey(c.Field))
		line.Old, line.New = v.historyValue(c.Field, c.OldValue), v.historyValue(c.Field, c.NewValue)
		out = append(out, line)
	}
	return out
}

func (v *formView) historyValue(field, value string) string {
	if value == "" {
		return v.L.T("declarations.history.empty")
	}
	switch fieldKind(field) {
	case "amount":
		if a, key := ParseAmount(value); key == "" && a.Valid {
			return locale.Money(a.Decimal)
		}
	case "select":
		switch field {
		case FieldPerformanceType:
			return v.L.T(PerformanceType(value).LabelKey())
		case FieldAudience, FieldAudienceOverride:
			return v.L.T(Audience(value).LabelKey())
		default:
			if r, key := ParseRate(value); key == "" && r.Valid {
				return RateLabel(r.Decimal)
			}
		}
	}
	if field == FieldOrganisms {
		chosen, _ := ParseOrganisms(value)
		labels := make([]string, 0, len(chosen))
		for _, o := range chosen {
			labels = append(labels, v.L.T(o.LabelKey()))
		}
		return strings.Join(labels, ", ")
	}
	return value
}
