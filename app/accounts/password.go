package accounts

import (
	"unicode"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"

	"assistant-declaration/app/derrors"
)

// MinPasswordLength is the length the terms of use promise (decision P1, docs/decisions.md).
const MinPasswordLength = 12

// Password rules, in the order the form lists them. The names match the
// data-rule attributes static/app/app.js checks live in the browser.
const (
	RuleLength  = "length"
	RuleCase    = "case"
	RuleDigit   = "digit"
	RuleSpecial = "special"
)

// PasswordRules lists every rule, for the form's checklist.
var PasswordRules = []string{RuleLength, RuleCase, RuleDigit, RuleSpecial}

// FailedPasswordRules returns every rule the password breaks (all at once, so
// the user fixes them in one go). The checks mirror app.js: letters are any
// Unicode letter, "special" is anything that is neither a letter nor an ASCII
// digit (spaces and punctuation count).
func FailedPasswordRules(password string) []string {
	var failed []string
	if utf8.RuneCountInString(password) < MinPasswordLength {
		failed = append(failed, RuleLength)
	}
	var lower, upper, digit, special bool
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		case !unicode.IsLetter(r):
			special = true
		}
	}
	if !lower || !upper {
		failed = append(failed, RuleCase)
	}
	if !digit {
		failed = append(failed, RuleDigit)
	}
	if !special {
		failed = append(failed, RuleSpecial)
	}
	return failed
}

// hashParams follow OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane):
// strong enough against offline guessing while keeping a sign-in fast and
// memory-bounded under concurrent requests.
var hashParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// HashPassword hashes a password with argon2id and a random salt.
func HashPassword(password string) (_ string, err error) {
	defer derrors.Wrap(&err, "accounts: hash a password")
	return argon2id.CreateHash(password, hashParams)
}

// dummyHash is compared against when an account has no password (or does not
// exist), so such sign-ins take as long as real ones and timing does not tell
// which emails have an account.
var dummyHash = mustHash("not a real password, only for constant time")

func mustHash(p string) string {
	h, err := HashPassword(p)
	if err != nil {
		panic(err)
	}
	return h
}

// CheckPassword reports whether password matches hash; an empty hash never
// matches but costs the same time.
func CheckPassword(password, hash string) bool {
	if hash == "" {
		_, _ = argon2id.ComparePasswordAndHash(password, dummyHash) // only its duration matters
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}
