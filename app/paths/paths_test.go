package paths

import "testing"

func TestFill(t *testing.T) {
	tests := []struct {
		pattern string
		values  []string
		want    string
	}{
		{"/dashboard", nil, "/dashboard"},
		{"/dashboard/organization/:organizationId", []string{"42"}, "/dashboard/organization/42"},
		{"/a/:x/b/:y", []string{"1 2", "é/"}, "/a/1%202/b/%C3%A9%2F"},
	}
	for _, tt := range tests {
		if got := Fill(tt.pattern, tt.values...); got != tt.want {
			t.Errorf("Fill(%q, %q) = %q, want %q", tt.pattern, tt.values, got, tt.want)
		}
	}
}

func TestFillPanicsOnMissingValue(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Fill with a missing value did not panic")
		}
	}()
	Fill("/a/:x/:y", "1")
}

func TestWithQuery(t *testing.T) {
	if got := WithQuery("/admin", "q", "théâtre", "page", ""); got != "/admin?q=th%C3%A9%C3%A2tre" {
		t.Errorf("WithQuery = %q", got)
	}
	if got := WithQuery("/admin"); got != "/admin" {
		t.Errorf("WithQuery without pairs = %q", got)
	}
}

func TestConnectionGuide(t *testing.T) {
	if got := To.ConnectionGuide("MAPADO"); got != "/docs/mapado-connection" {
		t.Errorf("Mapado guide = %q", got)
	}
	if got := To.ConnectionGuide("UNKNOWN"); got != To.Docs() {
		t.Errorf("guide of an unknown system = %q, want the documentation's entry", got)
	}
}
