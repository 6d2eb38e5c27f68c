// Package vault seals secrets that must be stored (workspace bot tokens, integration tokens) with
// AES-256-GCM. The key id is stored beside each ciphertext, so keys can rotate: new secrets are
// sealed with the current key, old ones still open with the key they name. Keys never enter the
// database.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// Vault seals with its current key and opens with any key it knows.
type Vault struct {
	current string
	aeads   map[string]cipher.AEAD
}

// KeyID names a key: the first 8 hex digits of its SHA-256.
func KeyID(key []byte) string {
	sum := sha256.Sum256(key)
	return hex.EncodeToString(sum[:4])
}

// New returns a Vault sealing with current (32 bytes) and also opening with old keys.
func New(current []byte, old ...[]byte) (*Vault, error) {
	v := &Vault{aeads: map[string]cipher.AEAD{}}
	for i, k := range append([][]byte{current}, old...) {
		if len(k) != 32 {
			return nil, errors.New("vault: a key must be 32 bytes")
		}
		block, err := aes.NewCipher(k)
		if err != nil {
			return nil, fmt.Errorf("vault: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("vault: %w", err)
		}
		id := KeyID(k)
		v.aeads[id] = aead
		if i == 0 {
			v.current = id
		}
	}
	return v, nil
}

// Seal encrypts plaintext with the current key; the result is nonce || ciphertext, and keyID
// names the key. additional binds the ciphertext to its owner (e.g. the workspace id), so a sealed
// token copied to another row does not open.
func (v *Vault) Seal(plaintext, additional []byte) (sealed []byte, keyID string, err error) {
	aead := v.aeads[v.current]
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, "", fmt.Errorf("vault: nonce: %w", err)
	}
	return aead.Seal(nonce, nonce, plaintext, additional), v.current, nil
}

// Open decrypts what Seal produced with the key keyID.
func (v *Vault) Open(sealed []byte, keyID string, additional []byte) ([]byte, error) {
	aead, ok := v.aeads[keyID]
	if !ok {
		return nil, fmt.Errorf("vault: unknown key %q", keyID)
	}
	if len(sealed) < aead.NonceSize() {
		return nil, errors.New("vault: ciphertext too short")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], additional)
	if err != nil {
		return nil, errors.New("vault: cannot open: wrong key or tampered data")
	}
	return plain, nil
}
