// Package derrors is the error vocabulary the domain packages share with the
// HTTP layer, without depending on it:
//
//   - kinds (ErrNotFound, ErrForbidden, ErrConflict, ErrInvalid, ErrUnavailable, ErrTooMany) that
//     app/web maps to an HTTP status;
//   - Message, a business failure the user is told about through a translated
//     message key;
//   - Fields, the validation errors of a form, field by field;
//   - Wrap, which adds what was being done, and for which id, to an error at a
//     package boundary.
//
// Domain functions return these; handlers turn them into pages.
package derrors

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Kinds of failure. Test with errors.Is; app/web maps each to its status.
var (
	// ErrNotFound: the record does not exist, or the caller may not know it does.
	ErrNotFound = errors.New("not found")
	// ErrForbidden: the caller may not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict: the request is valid but the current state refuses it.
	ErrConflict = errors.New("conflict")
	// ErrInvalid: the input is wrong.
	ErrInvalid = errors.New("invalid")
	// ErrUnavailable: a dependency (database, remote service) cannot answer now.
	ErrUnavailable = errors.New("unavailable")
	// ErrTooMany: a rate limit was reached.
	ErrTooMany = errors.New("too many requests")
)

// Message is a failure the user is told about: a kind and the message key of
// its translated explanation. Err, when set, is the cause: logged, never shown.
type Message struct {
	Kind error
	Key  string
	Args []any
	Err  error
}

// New builds a business failure of kind with a translated message.
func New(kind error, key string, args ...any) *Message {
	return &Message{Kind: kind, Key: key, Args: args}
}

func (m *Message) Error() string {
	s := fmt.Sprintf("%v: %s", m.Kind, m.Key)
	if m.Err != nil {
		s += ": " + m.Err.Error()
	}
	return s
}

// Unwrap lets errors.Is find the kind and the cause.
func (m *Message) Unwrap() []error {
	if m.Err != nil {
		return []error{m.Kind, m.Err}
	}
	return []error{m.Kind}
}

// Fields maps a form field name to the message key of its error. It is an
// error of kind ErrInvalid, so a domain function returns it as is and a handler
// re-renders the form with status 422, each message next to its field.
type Fields map[string]string

// Add records the first error of a field.
func (f Fields) Add(field, key string) {
	if _, exists := f[field]; !exists {
		f[field] = key
	}
}

// Any reports whether at least one field is in error.
func (f Fields) Any() bool { return len(f) > 0 }

// Err is f as an error, or nil when no field is in error.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return f
}

func (f Fields) Error() string {
	parts := make([]string, 0, len(f))
	for field, key := range f {
		parts = append(parts, field+"="+key)
	}
	sort.Strings(parts)
	return "invalid fields: " + strings.Join(parts, ", ")
}

// Is makes errors.Is(fields, ErrInvalid) true.
func (f Fields) Is(target error) bool { return target == ErrInvalid }

// AsFields returns the field errors carried by err, if any.
func AsFields(err error) (Fields, bool) {
	var f Fields
	if errors.As(err, &f) {
		return f, true
	}
	return nil, false
}

// Wrap adds context to *errp when it is not nil: what was being done, and for
// which id. Deferred at the top of a function, it wraps every return:
//
//	func (s *Store) Save(ctx context.Context, id uuid.UUID) (err error) {
//		defer derrors.Wrap(&err, "declarations: save serie %s", id)
//
// The cause stays reachable with errors.Is and errors.As.
func Wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}
