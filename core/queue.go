package core

import (
	"context"
	"time"
)

// The records and interfaces of the durable queues between the platforms and the assistant.
// The relay's workers use them and core/postgres implements them; both import only core.

// Leased is an accepted update a worker has leased.
type Leased struct {
	Inbound  Inbound
	Attempts int
	// Exhausted means every earlier attempt ended without an outcome (it crashed its worker):
	// the update is closed with an apology rather than tried again.
	Exhausted bool
}

// Leases are what both queues do with the rows a worker holds. A lease names its owner (the
// instance): a live worker renews its leases, a restarted one releases them at once, and a
// dead one's leases expire after their duration.
type Leases interface {
	// Renew extends every lease owner holds by d.
	Renew(ctx context.Context, owner string, d time.Duration) error
	// Release makes every row owner holds available again and reports how many there were.
	Release(ctx context.Context, owner string) (int, error)
}

// Inbox is the durable queue of accepted updates.
type Inbox interface {
	Leases
	// Lease takes up to n unprocessed updates for owner for d. Updates leased maxAttempts times
	// already (a crash loop) come Exhausted; updates that can't be decoded are failed with the
	// reason.
	Lease(ctx context.Context, owner string, n, maxAttempts int, d time.Duration) ([]Leased, error)
	Retry(ctx context.Context, key string, at time.Time, cause string) error
	GiveUp(ctx context.Context, key, cause string, replies []Outgoing) error
}

// Pending is an outbox message a worker has claimed.
type Pending struct {
	Msg      Outgoing
	Attempts int
	// InFlight means a part was being handed to the platform when the last worker stopped: it
	// may have gone out, and sending it again may duplicate it.
	InFlight bool
	// Push is the kind of a scheduled push ("morning"), "" for a reply; Due is when it was due.
	Push string
	Due  time.Time
}

// Outbox is the durable queue of replies to deliver.
type Outbox interface {
	Leases
	Claim(ctx context.Context, owner string, n int, d time.Duration) ([]Pending, error)
	// Sending records that the message's next part is being handed to the platform.
	Sending(ctx context.Context, id int64) error
	// Progress records that the first parts of a multi-part message were delivered, the last
	// with externalID.
	Progress(ctx context.Context, id int64, parts int, externalID string) error
	Sent(ctx context.Context, id int64, externalID string) error
	RetryAt(ctx context.Context, id int64, at time.Time, cause string) error
	Failed(ctx context.Context, id int64, cause string) error
	Unreachable(ctx context.Context, id int64, cause string) error
}

// Purged counts what a retention pass removed.
type Purged struct {
	Updates    int64 // processed inbound updates
	Deliveries int64 // sent, failed or dropped outbox rows
	States     int64 // expired OAuth states
	Calendar   int64 // busy days and time blocks long past
}

// Add returns the sum of p and o.
func (p Purged) Add(o Purged) Purged {
	return Purged{Updates: p.Updates + o.Updates, Deliveries: p.Deliveries + o.Deliveries, States: p.States + o.States, Calendar: p.Calendar + o.Calendar}
}

// Retention removes records that have served their purpose, older than before.
type Retention interface {
	Purge(ctx context.Context, before time.Time) (Purged, error)
}
