// Package admin holds what the operators' API works with: admin keys and their scopes, the
// audit log, users and teams as an operator sees them, activity by day, and broadcasts to a
// segment of users. core/postgres stores them; webhooks/admin serves them.
package admin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
)

// Key is an admin key as stored: its secret only as a hash.
type Key struct {
	ID         uuid.UUID
	Name       string
	Prefix     string
	Hash       []byte
	Scopes     []string
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
	LastUsedAt *time.Time
}

// AuditEntry is one admin action.
type AuditEntry struct {
	ID      int64
	KeyID   uuid.UUID
	KeyName string
	Action  string
	Target  string
	Detail  map[string]any
	Address string
	At      time.Time
}

// User is a user as an operator sees them.
type User struct {
	ID           uuid.UUID
	Name         string
	Email        string
	Locale       string
	Timezone     string
	Tier         string
	Platforms    []string
	SuspendedAt  *time.Time
	LastActiveAt *time.Time
	CreatedAt    time.Time
	Goals        int
	OpenTasks    int
}

// UserQuery finds users: q is part of the name or email, or a platform's user id; tier and
// platform narrow it; the page starts after the cursor (created_at, id), newest first.
type UserQuery struct {
	Q, Tier, Platform string
	After             *core.Cursor
	Limit             int
}

// Team is a team as an operator sees it.
type Team struct {
	ID          uuid.UUID
	Name        string
	SlackTeamID string
	Members     int
	DisabledAt  *time.Time
	CreatedAt   time.Time
}

// DayStats is a day's activity (UTC).
type DayStats struct {
	Date                                     core.Date
	ActiveUsers, Messages, Pushes, LLMTokens int
}

// Segment is who a broadcast goes to: every condition given holds (none: everyone reachable).
type Segment struct {
	Tiers            []string `json:"tiers,omitempty"`
	Languages        []string `json:"languages,omitempty"`
	Platforms        []string `json:"platforms,omitempty"`
	ActiveWithinDays int      `json:"active_within_days,omitempty"`
}

// Broadcast is a message to a segment and how far it went.
type Broadcast struct {
	ID                 uuid.UUID
	Status             string
	Segment            Segment
	Recipients, Queued int
	Sent, Dropped      int
	CreatedAt          time.Time
	FinishedAt         *time.Time
}

// BroadcastJob queues a broadcast's messages, a batch at a time, from where it stopped.
type BroadcastJob struct {
	Broadcast uuid.UUID `json:"broadcast"`
}

// Kind implements core.Job.
func (BroadcastJob) Kind() string { return "broadcast" }

// Scopes an admin key may have: read (users, teams, stats, the audit log), write (change users,
// run jobs), broadcast, webhooks (the outgoing webhooks' endpoints).
var Scopes = []string{"read", "write", "broadcast", "webhooks"}

// Store is what the admin API reads and changes (core/postgres).
type Store interface {
	// KeyByPrefix finds the key a secret's prefix names (ENOTFOUND).
	KeyByPrefix(ctx context.Context, prefix string) (Key, error)
	Audit(ctx context.Context, e AuditEntry) error
	AuditLog(ctx context.Context, before int64, limit int) ([]AuditEntry, error)
	Users(ctx context.Context, q UserQuery) ([]User, error)
	User(ctx context.Context, id uuid.UUID) (User, error)
	UpdateUser(ctx context.Context, id uuid.UUID, tier *string, suspended *bool) (User, error)
	Teams(ctx context.Context, after *core.Cursor, limit int) ([]Team, error)
	Stats(ctx context.Context, from, to core.Date) ([]DayStats, error)
	CreateBroadcast(ctx context.Context, key uuid.UUID, en, ru string, seg Segment) (Broadcast, error)
	Broadcast(ctx context.Context, id uuid.UUID) (Broadcast, error)
	CancelBroadcast(ctx context.Context, id uuid.UUID) (Broadcast, error)
}

// Jobs are the jobs an operator may run at once (the app wires them to the scheduler's).
type Jobs interface {
	// WeeklyReport sends a user their weekly report now; false when this week's went already or waits.
	WeeklyReport(ctx context.Context, user uuid.UUID) (bool, error)
	// RecomputeLoad records every user's Business Load of day again and says how many.
	RecomputeLoad(ctx context.Context, day core.Date) (int, error)
}

// keyPrefix starts every admin key, so that a leaked one is recognised (secret scanners).
const keyPrefix = "bca_"

// NewKey makes an admin key: bca_, an 8-character id the store finds it by, _, and 32 random
// bytes. Only its hash is stored; the key is shown once.
func NewKey() (key, prefix string, hash []byte) {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	p := make([]byte, 8)
	for i := range p {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		p[i] = alphabet[n.Int64()]
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	key = keyPrefix + string(p) + "_" + base64.RawURLEncoding.EncodeToString(secret)
	h := sha256.Sum256([]byte(key))
	return key, string(p), h[:]
}

// ParseKey reads a key's prefix and hash; false when it is not shaped like one.
func ParseKey(key string) (prefix string, hash []byte, ok bool) {
	rest, found := strings.CutPrefix(key, keyPrefix)
	if !found || len(key) > 100 {
		return "", nil, false
	}
	prefix, secret, found := strings.Cut(rest, "_")
	if !found || len(prefix) != 8 || len(secret) < 40 {
		return "", nil, false
	}
	h := sha256.Sum256([]byte(key))
	return prefix, h[:], true
}

// Valid reports whether k may be used at now with hash (from ParseKey) and has scope.
func (k Key) Valid(hash []byte, scope string, now time.Time) bool {
	return subtle.ConstantTimeCompare(hash, k.Hash) == 1 && k.RevokedAt == nil && (k.ExpiresAt == nil || now.Before(*k.ExpiresAt)) &&
		(scope == "" || slices.Contains(k.Scopes, scope))
}
