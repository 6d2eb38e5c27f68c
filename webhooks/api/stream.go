package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/webhooks/problem"
)

// Changes wakes a user's streams when they have new change events (postgres.Changes: one
// LISTEN connection per instance, fanned out here).
type Changes interface {
	Subscribe(user uuid.UUID) (<-chan struct{}, func())
	Subscribers(user uuid.UUID) int
}

// The stream's bounds.
const (
	maxStreams    = 5                // per user and instance
	streamBatch   = 500              // events read at a time
	keepAlive     = 15 * time.Second // a comment line this often keeps proxies from closing it
	writeDeadline = 30 * time.Second // a client that reads nothing for this long is dropped
)

// stream serves GET /api/v1/stream: the user's change events as server-sent events.
func (s *Server) stream(c *gin.Context) {
	ctx := c.Request.Context()
	user, ok := ctx.Value(userKey{}).(uuid.UUID)
	if !ok || s.Changes == nil {
		problem.Write(c, problem.New(http.StatusNotFound, "no stream here"))
		return
	}
	if s.Changes.Subscribers(user) >= maxStreams {
		problem.Write(c, problem.New(http.StatusTooManyRequests, fmt.Sprintf("at most %d streams at a time", maxStreams)))
		return
	}
	last, err := s.lastEventID(ctx, c.GetHeader("Last-Event-ID"))
	if err != nil {
		problem.Write(c, err)
		return
	}
	wake, stop := s.Changes.Subscribe(user) // before the first read: a change between the two still wakes us
	defer stop()
	rc := http.NewResponseController(c.Writer)
	c.Header("Content-Type", "text/event-stream")
	c.Header("Cache-Control", "no-store")
	c.Header("X-Accel-Buffering", "no") // nginx: don't buffer the stream
	c.Status(http.StatusOK)
	write := func(text string) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(writeDeadline))
		if _, err := c.Writer.WriteString(text); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !write(": stream of changes\n\n") {
		return
	}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		var events []core.ChangeEvent
		if err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
			var err error
			events, err = tx.ChangesSince(ctx, last, streamBatch)
			return err
		}); err != nil {
			if ctx.Err() == nil {
				_ = c.Error(err)
			}
			return // the client reconnects with its Last-Event-ID
		}
		for _, e := range events {
			data, _ := json.Marshal(e)
			if !write("id: " + strconv.FormatInt(e.ID, 10) + "\nevent: change\ndata: " + string(data) + "\n\n") {
				return
			}
			last = e.ID
		}
		if len(events) == streamBatch {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-s.Closing:
			return // the client reconnects, to another instance or this one restarted
		case <-wake:
		case <-tick.C:
			if !write(": keep-alive\n\n") {
				return
			}
		}
	}
}

// lastEventID is where the stream resumes: after the event a reconnecting client names, or after
// the user's newest one.
func (s *Server) lastEventID(ctx context.Context, header string) (int64, error) {
	if header = strings.TrimSpace(header); header != "" {
		n, err := strconv.ParseInt(header, 10, 64)
		if err != nil || n < 0 {
			return 0, core.Errorf(core.EINVALID, "Last-Event-ID is an event's id")
		}
		return n, nil
	}
	var last int64
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		var err error
		last, err = tx.LastChange(ctx)
		return err
	})
	return last, err
}
