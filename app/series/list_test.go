package series

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/locale"
	"assistant-declaration/app/paths"
)

var now = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

func ptr(t time.Time) *time.Time { return &t }

func TestClassify(t *testing.T) {
	past, future := ptr(now.Add(-48*time.Hour)), ptr(now.Add(48*time.Hour))
	tests := []struct {
		name string
		s    Serie
		want Status
	}{
		{"over, no declaration", Serie{EventCount: 2, StartAt: past, EndAt: past}, StatusToDeclare},
		{"ends in the future", Serie{EventCount: 2, StartAt: past, EndAt: future}, StatusUpcoming},
		{"ends right now is not over", Serie{EventCount: 1, StartAt: past, EndAt: ptr(now)}, StatusUpcoming},
		{"no performance (decision D9)", Serie{}, StatusNoEvents},
		{"pending without transmission", Serie{EventCount: 1, EndAt: past, Declared: true, PendingUntransmitted: 1}, StatusAlert},
		{"declared", Serie{EventCount: 1, EndAt: past, Declared: true}, StatusDeclared},
		{"declared before the end", Serie{EventCount: 1, EndAt: future, Declared: true}, StatusDeclared},
		{"no performance but in alert", Serie{Declared: true, PendingUntransmitted: 1}, StatusAlert},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := classify(&tt.s, now); got != tt.want {
				t.Errorf("classify = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFilterCountsAndSorts(t *testing.T) {
	day := func(d int) *time.Time { return ptr(now.AddDate(0, 0, d)) }
	all := []Serie{
		{Name: "b-old", EventCount: 1, StartAt: day(-30), EndAt: day(-30)},
		{Name: "a-recent", EventCount: 1, StartAt: day(-3), EndAt: day(-2)},
		{Name: "empty"},
		{Name: "future", EventCount: 1, StartAt: day(3), EndAt: day(3)},
		{Name: "alert", EventCount: 1, EndAt: day(-10), Declared: true, PendingUntransmitted: 1},
		{Name: "done", EventCount: 1, EndAt: day(-20), Declared: true},
		{Name: "a-old", EventCount: 1, StartAt: day(-30), EndAt: day(-30)},
	}
	tests := []struct {
		f    Filter
		want []string
	}{
		{All, []string{"future", "a-recent", "alert", "done", "a-old", "b-old", "empty"}},
		{ToDeclare, []string{"a-recent", "a-old", "b-old"}},
		{InAlert, []string{"alert"}},
		{Declared, []string{"done"}},
	}
	for _, tt := range tests {
		l := filter(slices.Clone(all), tt.f, now)
		var got []string
		for _, s := range l.Series {
			got = append(got, s.Name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.f, got, tt.want)
		}
		want := map[Filter]int{All: 7, ToDeclare: 3, InAlert: 1, Declared: 1}
		for f, n := range want {
			if l.Counts[f] != n {
				t.Errorf("%s: count of %s = %d, want %d", tt.f, f, l.Counts[f], n)
			}
		}
		if l.Total != 7 {
			t.Errorf("total = %d", l.Total)
		}
	}
}

func TestParseFilter(t *testing.T) {
	for in, want := range map[string]Filter{"": ToDeclare, "all": All, "alert": InAlert, "declared": Declared, "to-declare": ToDeclare, "nope": ToDeclare} {
		if got := ParseFilter(in); got != want {
			t.Errorf("ParseFilter(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestSameDayIsInParis(t *testing.T) {
	// 23:30 UTC on the 14th of June is already the 15th in Paris.
	start := time.Date(2026, 6, 14, 23, 30, 0, 0, time.UTC)
	s := Serie{StartAt: &start, EndAt: ptr(time.Date(2026, 6, 15, 21, 0, 0, 0, time.UTC))}
	if !s.SameDay() {
		t.Error("not the same day in Paris")
	}
	s.EndAt = ptr(time.Date(2026, 6, 15, 22, 30, 0, 0, time.UTC)) // 00:30 on the 16th in Paris
	if s.SameDay() {
		t.Error("same day")
	}
}

func TestValidate(t *testing.T) {
	valid := EventForm{StartAt: "2026-03-01T20:00", EndAt: "2026-03-01T22:00"}
	tests := []struct {
		name string
		form Form
		want map[string]string
	}{
		{"valid", Form{Name: "Show", Events: []EventForm{valid, {StartAt: "2026-03-02T20:00"}}}, nil},
		{"name required", Form{Events: []EventForm{valid}}, map[string]string{"name": "series.errors.nameRequired"}},
		{"name too long", Form{Name: string(make([]rune, 201)), Events: []EventForm{valid}}, map[string]string{"name": "series.errors.nameTooLong"}},
		{"no event", Form{Name: "Show"}, map[string]string{"events": "series.errors.atLeastOneEvent"}},
		{"start required", Form{Name: "Show", Events: []EventForm{{EndAt: "2026-03-01T22:00"}}}, map[string]string{"events.0.startAt": "series.errors.startAtRequired"}},
		{"invalid date", Form{Name: "Show", Events: []EventForm{valid, {StartAt: "01/03/2026"}}}, map[string]string{"events.1.startAt": "series.errors.invalidDate"}},
		{"seconds accepted", Form{Name: "Show", Events: []EventForm{{StartAt: "2026-03-01T20:00:00"}}}, nil},
		{"before 2020", Form{Name: "Show", Events: []EventForm{{StartAt: "2019-12-31T23:59"}}}, map[string]string{"events.0.startAt": "series.errors.dateOutOfRange"}},
		{"after 2050", Form{Name: "Show", Events: []EventForm{{StartAt: "2026-03-01T20:00", EndAt: "2050-01-01T00:01"}}}, map[string]string{"events.0.endAt": "series.errors.dateOutOfRange"}},
		{"end before start", Form{Name: "Show", Events: []EventForm{{StartAt: "2026-03-01T20:00", EndAt: "2026-03-01T19:59"}}}, map[string]string{"events.0.endAt": "series.errors.eventEndDateMustBeAfterStartDate"}},
		{"end equal to start", Form{Name: "Show", Events: []EventForm{{StartAt: "2026-03-01T20:00", EndAt: "2026-03-01T20:00"}}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, errs := tt.form.Validate()
			if len(errs) != len(tt.want) {
				t.Fatalf("errors %v, want %v", errs, tt.want)
			}
			for k, v := range tt.want {
				if errs[k] != v {
					t.Errorf("%s: %q, want %q", k, errs[k], v)
				}
			}
			if errs.Any() {
				return
			}
			if len(s.Events) != len(tt.form.Events) {
				t.Fatalf("events %d", len(s.Events))
			}
			if got := s.Events[0].StartAt; !got.Equal(time.Date(2026, 3, 1, 20, 0, 0, 0, locale.Paris)) {
				t.Errorf("start %v", got)
			}
		})
	}
}

func TestFormRoundTripsThroughParis(t *testing.T) {
	start := time.Date(2026, 7, 14, 20, 30, 0, 0, time.UTC) // 22:30 in Paris (summer time)
	e := Editable{Name: "Show", Events: []ManualEvent{{StartAt: start}}}
	f := e.Form()
	if f.Events[0].StartAt != "2026-07-14T22:30" || f.Events[0].EndAt != "" {
		t.Fatalf("form %+v", f.Events[0])
	}
	s, errs := f.Validate()
	if errs.Any() || !s.Events[0].StartAt.Equal(start) || s.Events[0].EndAt != nil {
		t.Fatalf("%v %+v", errs, s.Events[0])
	}
}

// A tab shows its count, a red badge only on the alerts' tab when there are
// some (capped at "99+"), and links to the page and the fragment under it.
func TestTabs(t *testing.T) {
	org := uuid.New()
	for _, tt := range []struct {
		alerts int
		badge  string
	}{{0, ""}, {2, "2"}, {99, "99"}, {100, "99+"}} {
		l := &List{Filter: Declared, Counts: map[Filter]int{All: 7 + tt.alerts, InAlert: tt.alerts, Declared: 7}}
		got := tabs(org, l)
		if len(got) != len(Filters) {
			t.Fatalf("%d tabs, want %d", len(got), len(Filters))
		}
		for i, tab := range got {
			f := Filters[i]
			want := Tab{Filter: f, URL: paths.To.OrganizationFiltered(org, string(f)), FragmentURL: paths.To.Series(org, string(f)),
				Count: l.Counts[f], Current: f == Declared}
			if f == InAlert {
				want.Badge = tt.badge
			}
			if tab != want {
				t.Errorf("%d alerts: tab %s = %+v, want %+v", tt.alerts, f, tab, want)
			}
		}
	}
}
