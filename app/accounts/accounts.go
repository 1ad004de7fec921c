// Package accounts owns the users' accounts: sign-up and email confirmation,
// sign-in with lockout, sign-out, forgotten and changed passwords, profile,
// account deletion, rate limits on the anonymous forms, the welcome dashboard,
// the admin command, demo users, the optional ProConnect sign-in and the
// retention of unused accounts (retention.go).
//
// Domain rules are plain methods of Service (testable without HTTP); the
// Handlers only parse forms, call them and render.
package accounts

import (
	"strings"
	"time"

	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/users"
)

// Lifetimes and thresholds of the account rules (decisions P4, P5, docs/decisions.md).
const (
	ConfirmationTokenTTL = 14 * 24 * time.Hour
	ResetTokenTTL        = 60 * time.Minute
	MaxFailedSignIns     = 10
	LockDuration         = 15 * time.Minute
)

// Errors of the account rules. Handlers show most of them next to the form
// (alerts, field errors); as business errors with their kind and message, any
// other caller still gets the right status and text from web's error handler.
var (
	ErrBadCredentials       = derrors.New(derrors.ErrInvalid, "accounts.signIn.noMatch")
	ErrNotConfirmed         = derrors.New(derrors.ErrForbidden, "accounts.signIn.notConfirmed")
	ErrWrongToken           = users.ErrTokenUnknown
	ErrExpiredToken         = users.ErrTokenExpired
	ErrAlreadyConfirmed     = derrors.New(derrors.ErrConflict, "accounts.confirm.already")
	ErrWrongCurrentPassword = derrors.New(derrors.ErrInvalid, "accounts.settings.wrongCurrentPassword")
	ErrInvalidEmail         = derrors.New(derrors.ErrInvalid, "accounts.errors.email")
)

// Service applies the account rules on the database.
type Service struct {
	db      bun.IDB
	baseURL string
	now     func() time.Time
}

// NewService returns the account rules over db; baseURL prefixes the links
// sent by email.
func NewService(db bun.IDB, baseURL string) *Service {
	return &Service{db: db, baseURL: strings.TrimRight(baseURL, "/"), now: time.Now}
}

// SetClock replaces the clock (tests of expiries and locks).
func (s *Service) SetClock(now func() time.Time) { s.now = now }
