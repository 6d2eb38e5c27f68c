package scheduler

import (
	"cmp"
	"context"
	"log/slog"
	"time"

	"github.com/bizconnect/bizconnect/core"
)

// Janitor keeps the delivery bookkeeping small: processed updates and finished deliveries are
// needed only while a platform may still redeliver or a person may still look into a failure,
// and used OAuth states only until they expire.
type Janitor struct {
	// Stores are purged in turn: the queues, the workspaces' OAuth states.
	Stores  []core.Retention
	Keep    time.Duration // default 14 days
	NowFunc func() time.Time
	Logger  *slog.Logger
}

// RunOnce removes what is older than Keep and returns what it removed.
func (j *Janitor) RunOnce(ctx context.Context) (core.Purged, error) {
	now := time.Now
	if j.NowFunc != nil {
		now = j.NowFunc
	}
	before := now().Add(-cmp.Or(j.Keep, 14*24*time.Hour))
	var total core.Purged
	for _, s := range j.Stores {
		p, err := s.Purge(ctx, before)
		if err != nil {
			return total, err
		}
		total = total.Add(p)
	}
	if j.Logger != nil && total != (core.Purged{}) {
		j.Logger.Info("janitor: purged", "updates", total.Updates, "deliveries", total.Deliveries, "states", total.States, "calendar", total.Calendar)
	}
	return total, nil
}
