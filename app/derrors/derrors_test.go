package derrors

import (
	"errors"
	"fmt"
	"testing"
)

func TestMessageIsItsKindAndCause(t *testing.T) {
	cause := errors.New("duplicate key")
	m := &Message{Kind: ErrConflict, Key: "organizations.sirenTaken", Err: cause}
	wrapped := fmt.Errorf("organizations: create: %w", m)
	if !errors.Is(wrapped, ErrConflict) {
		t.Error("a wrapped Message is not of its kind")
	}
	if !errors.Is(wrapped, cause) {
		t.Error("a wrapped Message lost its cause")
	}
	if errors.Is(wrapped, ErrNotFound) {
		t.Error("a ErrConflict is also ErrNotFound")
	}
	var got *Message
	if !errors.As(wrapped, &got) || got.Key != "organizations.sirenTaken" {
		t.Errorf("errors.As found %v", got)
	}
}

func TestFields(t *testing.T) {
	f := Fields{}
	if f.Err() != nil {
		t.Fatal("empty Fields is an error")
	}
	f.Add("email", "accounts.emailInvalid")
	f.Add("email", "accounts.emailTaken")
	if f["email"] != "accounts.emailInvalid" {
		t.Errorf("Add replaced the first error: %q", f["email"])
	}
	err := fmt.Errorf("accounts: sign up: %w", f.Err())
	if !errors.Is(err, ErrInvalid) {
		t.Error("Fields is not of kind ErrInvalid")
	}
	got, ok := AsFields(err)
	if !ok || got["email"] != "accounts.emailInvalid" {
		t.Errorf("AsFields = %v, %v", got, ok)
	}
}

func TestWrap(t *testing.T) {
	run := func(fail bool) (err error) {
		defer Wrap(&err, "declarations: save serie %s", "42")
		if fail {
			return ErrNotFound
		}
		return nil
	}
	if err := run(false); err != nil {
		t.Errorf("Wrap made nil an error: %v", err)
	}
	err := run(true)
	if err == nil || err.Error() != "declarations: save serie 42: not found" || !errors.Is(err, ErrNotFound) {
		t.Errorf("Wrap gave %v", err)
	}
}
