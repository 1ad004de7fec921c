package declarations

import (
	"strings"
	"time"

	"assistant-declaration/app/locale"
)

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
