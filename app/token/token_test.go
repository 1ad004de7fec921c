package token

import "testing"

func TestNewIsRandomAndHashIsStable(t *testing.T) {
	a, b := New(), New()
	if a == b || len(a) != 43 {
		t.Fatalf("New() = %q, %q", a, b)
	}
	if Hash(a) != Hash(a) || Hash(a) == Hash(b) || len(Hash(a)) != 64 {
		t.Fatalf("Hash(%q) = %q", a, Hash(a))
	}
}
