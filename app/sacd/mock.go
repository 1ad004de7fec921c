package sacd

import (
	"context"
	"errors"
	"time"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
)

// Mock is the client used outside production: it builds the declaration
// (so an undeclarable one still fails), waits, and accepts it without
// sending anything.
type Mock struct {
	cfg Config
}

// NewMock builds the mock; cfg.MockDelay is its answer time.
func NewMock(cfg Config) *Mock { return &Mock{cfg: cfg.withDefaults()} }

// MockAnswer is the Answer of the mock's receipts.
const MockAnswer = "mock: nothing was sent to SACD"

// Declare waits MockDelay and accepts d.
func (m *Mock) Declare(ctx context.Context, d Declaration) (_ *Receipt, err error) {
	defer derrors.Wrap(&err, "sacd: declare serie %s (mock)", d.Serie.ID)
	doc, err := d.XML(m.cfg.Now())
	if err != nil {
		return nil, err
	}
	if m.cfg.MockDelay > 0 {
		t := time.NewTimer(m.cfg.MockDelay)
		defer t.Stop()
		select {
		case <-ctx.Done():
			code := CodeTimeout
			if errors.Is(ctx.Err(), context.Canceled) {
				code = CodeCanceled
			}
			return nil, &Error{Code: code, Step: StepDeclare, Retryable: true, Err: ctx.Err()}
		case <-t.C:
		}
	}
	return &Receipt{
		DecRef:   d.DeclarantID,
		DecNb:    len(d.Performances),
		SacdDate: m.cfg.Now().In(locale.Paris).Format("2006/01/02 15:04:05"),
		XML:      doc,
		Answer:   MockAnswer,
	}, nil
}
