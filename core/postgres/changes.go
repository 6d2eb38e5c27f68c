package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
)

// ChangesSince implements core.Tx; row-level security keeps it to the user's own events.
func (t *tx) ChangesSince(ctx context.Context, after int64, limit int) ([]core.ChangeEvent, error) {
	rows, err := t.q.Query(ctx, `SELECT id, entity, entity_id, op, at FROM change_events WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
		t.user.ID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: changes: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (core.ChangeEvent, error) {
		var e core.ChangeEvent
		err := r.Scan(&e.ID, &e.Entity, &e.EntityID, &e.Op, &e.At)
		return e, err
	})
}

// LastChange implements core.Tx.
func (t *tx) LastChange(ctx context.Context) (int64, error) {
	var id int64
	err := t.q.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM change_events WHERE user_id = $1`, t.user.ID).Scan(&id)
	return id, err
}

// Changes listens for the change events' notifications on one connection of the instance and
// wakes each user's subscribers: the streams then read what is new themselves, under the
// user's row security. A lost connection is reopened; the streams lose nothing meanwhile,
// since they read from the table, not from the notification.
type Changes struct {
	db     *DB
	logger *slog.Logger

	mu   sync.Mutex
	subs map[uuid.UUID]map[chan struct{}]struct{}
}

// NewChanges returns the listener on db; Run listens.
func NewChanges(db *DB, logger *slog.Logger) *Changes {
	return &Changes{db: db, logger: logger, subs: map[uuid.UUID]map[chan struct{}]struct{}{}}
}

// Subscribe returns a channel that is signalled (coalesced) when user has new events, and the
// function that ends the subscription.
func (c *Changes) Subscribe(user uuid.UUID) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	c.mu.Lock()
	if c.subs[user] == nil {
		c.subs[user] = map[chan struct{}]struct{}{}
	}
	c.subs[user][ch] = struct{}{}
	c.mu.Unlock()
	return ch, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.subs[user], ch)
		if len(c.subs[user]) == 0 {
			delete(c.subs, user)
		}
	}
}

// Subscribers is how many streams of user are open here.
func (c *Changes) Subscribers(user uuid.UUID) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.subs[user])
}

// wake signals every subscriber of user, and all of them when user is uuid.Nil (after a
// reconnect, when notifications may have been missed).
func (c *Changes) wake(user uuid.UUID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for u, chans := range c.subs {
		if user != uuid.Nil && u != user {
			continue
		}
		for ch := range chans {
			select {
			case ch <- struct{}{}:
			default: // a wake-up is pending already
			}
		}
	}
}

// Run listens until ctx ends.
func (c *Changes) Run(ctx context.Context) {
	for backoff := time.Second; ctx.Err() == nil; {
		err := c.listen(ctx)
		if ctx.Err() != nil {
			return
		}
		c.logger.Warn("changes: listening stopped, reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

func (c *Changes) listen(ctx context.Context) error {
	conn, err := c.db.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `LISTEN bc_changes`); err != nil {
		return err
	}
	defer conn.Exec(context.WithoutCancel(ctx), `UNLISTEN bc_changes`) //nolint:errcheck // the connection goes back to the pool
	c.wake(uuid.Nil)                                                   // anything missed while not listening
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			return err
		}
		user, _, _ := strings.Cut(n.Payload, " ")
		if id, err := uuid.Parse(user); err == nil {
			c.wake(id)
		}
	}
}
