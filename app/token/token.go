// Package token makes the application's secret tokens (session cookies, CSRF,
// OIDC state and nonce, emailed links) and what the database keeps of them. It
// has no HTTP dependency, so every domain can make and check its own tokens.
package token

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// New returns 32 random bytes, URL-safe.
func New() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Hash is what the database stores of a secret token: its SHA-256, so a
// database leak does not leak usable tokens.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
