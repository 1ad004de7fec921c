package admin

import (
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"assistant-declaration/app/derrors"
)

// maxReasonLength bounds the reason of an impersonation.
const maxReasonLength = 500

// ImpersonationRefusal is the message key explaining why admin adminID may
// not act as target (decision P9, docs/decisions.md), or "" when they may: admins are never impersonated
// (they have the back office), nor accounts that cannot sign in themselves.
func ImpersonationRefusal(adminID uuid.UUID, target *UserDetail) string {
	switch {
	case adminID == target.ID:
		return "admin.impersonation.self"
	case target.IsAdmin:
		return "admin.impersonation.targetIsAdmin"
	case target.Status != StatusConfirmed:
		return "admin.impersonation.targetNotConfirmed"
	}
	return ""
}

// validateReason checks the reason given for an impersonation.
func validateReason(reason string) derrors.Fields {
	errs := derrors.Fields{}
	switch {
	case reason == "":
		errs.Add("reason", "admin.impersonation.reasonRequired")
	case utf8.RuneCountInString(reason) > maxReasonLength:
		errs.Add("reason", "admin.impersonation.reasonTooLong")
	}
	return errs
}

// ImpersonationTTL is how long an impersonation lasts before it ends by itself.
const ImpersonationTTL = time.Hour
