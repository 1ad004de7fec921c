package token

import "testing"

func TestNewIsRandomAndHashIsStable(t *testing.T) {
	a, b := New(), New()
	if a == b || len(a) != 43 {
		t.Fatalf("New() = %q, %q", a, b)
	}
	h := Hash(a)
	if h != Hash(string([]byte(a))) || h == Hash(b) || len(h) != 64 {
		t.Fatalf("Hash(%q) = %q", a, h)
	}
}
