package synchronization

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"assistant-declaration/app/ticketing"
)

// Sealer encrypts ticketing credentials at rest with AES-256-GCM (decision T10, docs/decisions.md). Each value gets
// its own random nonce, stored in front of the ciphertext, and is bound to its ticketing system id
// (additional data) so that a sealed value copied onto another row does not open.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer builds a Sealer from the 32-byte key of the configuration.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("synchronization: the secrets encryption key must be 32 bytes, got %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("synchronization: new cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("synchronization: new GCM: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

// sealedCredentials is the plaintext layout; short keys keep the sealed value small.
type sealedCredentials struct {
	AccessKey string `json:"a,omitempty"`
	SecretKey string `json:"s"`
}

// Seal encrypts the credentials of the ticketing system id.
func (s *Sealer) Seal(id uuid.UUID, c ticketing.Credentials) ([]byte, error) {
	plain, err := json.Marshal(sealedCredentials{AccessKey: c.AccessKey, SecretKey: c.SecretKey})
	if err != nil {
		return nil, fmt.Errorf("synchronization: seal the credentials of %s: %w", id, err)
	}
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("synchronization: nonce for the credentials of %s: %w", id, err)
	}
	return s.aead.Seal(nonce, nonce, plain, id[:]), nil
}

// errUnreadableCredentials hides why opening failed: the cause is never useful to a user and
// must not help an attacker.
var errUnreadableCredentials = errors.New("synchronization: stored credentials cannot be decrypted")

// Open decrypts what Seal produced for the same id.
func (s *Sealer) Open(id uuid.UUID, sealed []byte) (ticketing.Credentials, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return ticketing.Credentials{}, errUnreadableCredentials
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], id[:])
	if err != nil {
		return ticketing.Credentials{}, errUnreadableCredentials
	}
	var c sealedCredentials
	if err := json.Unmarshal(plain, &c); err != nil {
		return ticketing.Credentials{}, errUnreadableCredentials
	}
	return ticketing.Credentials{AccessKey: c.AccessKey, SecretKey: c.SecretKey}, nil
}
