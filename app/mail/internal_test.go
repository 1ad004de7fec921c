package mail

import (
	"fmt"
	"testing"
	"time"
)

func TestRetryDelay(t *testing.T) {
	tests := []struct {
		attempts int
		want     time.Duration
	}{
		{1, 30 * time.Second},
		{2, time.Minute},
		{3, 2 * time.Minute},
		{6, 16 * time.Minute},
		{7, 30 * time.Minute},
		{50, 30 * time.Minute},
	}
	for _, tt := range tests {
		if got := retryDelay(tt.attempts); got != tt.want {
			t.Errorf("retryDelay(%d) = %v, want %v", tt.attempts, got, tt.want)
		}
	}
}

func TestCatcherKeepsTheLastMessages(t *testing.T) {
	c := &Catcher{}
	for i := range catcherCapacity + 7 {
		c.add(CaughtMail{Subject: fmt.Sprint(i)})
	}
	got := c.Messages()
	if len(got) != catcherCapacity {
		t.Fatalf("kept %d messages, want %d", len(got), catcherCapacity)
	}
	if newest, oldest := got[0].Subject, got[len(got)-1].Subject; newest != fmt.Sprint(catcherCapacity+6) || oldest != "7" {
		t.Errorf("kept %s…%s, want the newest first down to 7", newest, oldest)
	}
}

func TestFrenchDate(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), "1er mars 2026"},
		{time.Date(2026, 8, 14, 22, 30, 0, 0, time.UTC), "15 août 2026"}, // after midnight in Paris
		{time.Date(2026, 12, 31, 22, 59, 0, 0, time.UTC), "31 décembre 2026"},
	}
	for _, tt := range tests {
		if got := frenchDate(tt.in); got != tt.want {
			t.Errorf("frenchDate(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
