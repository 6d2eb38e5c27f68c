package scheduler

import (
	"context"
	"log/slog"
	"time"
)

// Purged counts what a retention pass removed.
type Purged struct {
	Updates    int64 // processed inbound updates
	Deliveries int64 // sent, failed or dropped outbox rows
	States     int64 // expired OAuth states
}

// Retention removes records that have served their purpose.
type Retention interface {
	Purge(ctx context.Context, before time.Time) (Purged, error)
}

// Janitor keeps the delivery bookkeeping small: processed updates and finished deliveries are
// needed only while a platform may still redeliver or a person may still look into a failure.
type Janitor struct {
	Store   Retention
	Keep    time.Duration // default 14 days
	NowFunc func() time.Time
	Logger  *slog.Logger
	// Last is what the latest pass removed.
	Last Purged
}

// RunOnce removes what is older than Keep.
func (j *Janitor) RunOnce(ctx context.Context) error {
	now, keep := time.Now, j.Keep
	if j.NowFunc != nil {
		now = j.NowFunc
	}
	if keep == 0 {
		keep = 14 * 24 * time.Hour
	}
	p, err := j.Store.Purge(ctx, now().Add(-keep))
	if err != nil {
		return err
	}
	j.Last = p
	if j.Logger != nil && (p.Updates > 0 || p.Deliveries > 0) {
		j.Logger.Info("janitor: purged", "updates", p.Updates, "deliveries", p.Deliveries, "states", p.States)
	}
	return nil
}
