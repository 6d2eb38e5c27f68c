package core

import (
	"crypto/rand"
	"strings"
)

// codeAlphabet leaves out the letters and digits people confuse (0/O, 1/I/L).
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// NewCode is a random one-time code of 8 characters people can read out and type: a /link code,
// a team invite. It is shown as ABCD-EFGH.
func NewCode() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return CodeFrom(b), nil
}

// CodeFrom is the code of 8 characters that seed's first 8 bytes spell, for a code that must be
// made again from what made it (an invite retried with its Idempotency-Key) without being stored.
func CodeFrom(seed []byte) string {
	b := make([]byte, 8)
	for i := range b {
		b[i] = codeAlphabet[int(seed[i%len(seed)])%len(codeAlphabet)]
	}
	return string(b)
}

// ShowCode is code as people see it: ABCD-EFGH.
func ShowCode(code string) string {
	if len(code) != 8 {
		return code
	}
	return code[:4] + "-" + code[4:]
}

// NormalizeCode is a code as stored: upper case, without the dash and spaces people type.
func NormalizeCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(code)))
}
