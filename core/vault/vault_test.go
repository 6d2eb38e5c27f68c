package vault

import (
	"bytes"
	"testing"
)

func TestSealOpenRotate(t *testing.T) {
	oldKey, newKey := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	v1, err := New(oldKey)
	if err != nil {
		t.Fatal(err)
	}
	sealed, id, err := v1.Seal([]byte("xoxb-secret"), []byte("T1"))
	if err != nil || bytes.Contains(sealed, []byte("xoxb")) {
		t.Fatalf("seal: %v %q", err, sealed)
	}
	v2, _ := New(newKey, oldKey) // rotated: the old ciphertext still opens
	plain, err := v2.Open(sealed, id, []byte("T1"))
	if err != nil || string(plain) != "xoxb-secret" {
		t.Fatalf("open after rotation: %q %v", plain, err)
	}
	if _, err := v2.Open(sealed, id, []byte("T2")); err == nil {
		t.Fatal("opened with the wrong owner")
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := v2.Open(sealed, id, []byte("T1")); err == nil {
		t.Fatal("opened tampered data")
	}
	if _, id2, _ := v2.Seal([]byte("x"), nil); id2 != KeyID(newKey) {
		t.Fatal("new secrets must use the current key")
	}
	if _, err := New([]byte("short")); err == nil {
		t.Fatal("accepted a short key")
	}
}

func TestSealUsesAFreshRandomNonce(t *testing.T) {
	v, err := New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	zero := make([]byte, 12)
	for range 100 {
		sealed, _, err := v.Seal([]byte("the same token"), []byte("T1"))
		if err != nil {
			t.Fatal(err)
		}
		nonce := sealed[:12]
		if bytes.Equal(nonce, zero) {
			t.Fatal("an all-zero nonce")
		}
		if seen[string(nonce)] {
			t.Fatal("a nonce used twice: GCM with a repeated nonce leaks the key stream")
		}
		seen[string(nonce)] = true
	}
}
