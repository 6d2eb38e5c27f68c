package core

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// CalendarLink is a user's calendar connection as they see it: its tokens never leave the
// service that syncs it.
type CalendarLink struct {
	Status       string // CalendarActive, CalendarRevoked or CalendarDisconnected
	CanBlock     bool   // the grant lets the assistant write events (time blocking)
	TimeBlocking bool   // scheduled tasks become events in the calendar
	SyncedAt     *time.Time
}

// The states of a calendar connection.
const (
	CalendarActive       = "active"
	CalendarRevoked      = "revoked"      // the provider refused the token: the user must connect again
	CalendarDisconnected = "disconnected" // the user disconnected it; the sync removes it
)

// CalendarStore is the user's calendar connection and the busy time it brings.
type CalendarStore interface {
	// CalendarLink is the user's calendar connection; ENOTFOUND when there is none.
	CalendarLink(ctx context.Context) (CalendarLink, error)
	// SetTimeBlocking turns time blocking on or off; the database refuses "on" without the grant.
	SetTimeBlocking(ctx context.Context, on bool) error
	// DisconnectCalendar marks the connection for removal: the next sync deletes the events it
	// wrote, revokes the grant and removes it.
	DisconnectCalendar(ctx context.Context) error
	// BusyMinutes are the minutes the calendar holds on each day from..to (inclusive); days
	// with none are missing.
	BusyMinutes(ctx context.Context, from, to Date) (map[Date]int, error)
}

// CalendarSyncJob reads a user's calendar now (and writes their time blocks, or removes a
// disconnected connection); one waits or runs per user at a time.
type CalendarSyncJob struct {
	User uuid.UUID `json:"user" river:"unique"`
}

// Kind implements Job.
func (CalendarSyncJob) Kind() string { return "calendar_sync" }

// FreeMinutes is the time a day leaves for tasks when busy minutes of it are in the calendar.
func (s Settings) FreeMinutes(busy int) int {
	return max(0, s.Capacity()-busy)
}
