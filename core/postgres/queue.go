package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/bizconnect/bizconnect/core"
)

// Queues are the relay's inbox and outbox on PostgreSQL, as service_role: Accept records an
// update, Inbox and Outbox are what the intake and delivery workers take from.
type Queues struct {
	db *DB
	// UnreadableReplyFunc is what the sender of an update the database refused is told (nil:
	// nothing). The chat's texts live above storage, so they are handed in.
	UnreadableReplyFunc func(core.Inbound) core.Reply
}

// NewQueues returns the queues on db.
func NewQueues(db *DB) *Queues { return &Queues{db: db} }

var (
	_ core.Inbox     = (*Inbox)(nil)
	_ core.Outbox    = (*Outbox)(nil)
	_ core.Retention = (*Queues)(nil)
)

// exec1 runs one statement as service_role in its own transaction: BEGIN, the role switch, the
// statement and COMMIT go to the server in a single round trip.
func exec1(ctx context.Context, db *DB, sql string, args ...any) error {
	b := &pgx.Batch{}
	b.Queue(`BEGIN`)
	b.Queue(setRoleSQL, "service_role", "")
	b.Queue(sql, args...)
	b.Queue(`COMMIT`)
	return db.pool.SendBatch(ctx, b).Close()
}

// release runs an UPDATE that gives leases back and reports how many rows it touched.
func release(ctx context.Context, db *DB, sql, owner string) (int, error) {
	var n int64
	err := db.InServiceTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, sql, owner)
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: release leases: %w", err)
	}
	return int(n), nil
}

// Accept durably records an update for the intake (the adapters' AcceptFunc) in one round trip;
// a key seen before changes nothing. The update is cleaned first (core.Inbound.Clean). An update
// the database still refuses as data (a poison pill) is recorded as failed with the reason and its
// sender is asked to write again, so that neither the webhook nor polling is stuck on it.
func (q *Queues) Accept(ctx context.Context, in core.Inbound) error {
	in = in.Clean()
	if in.Key == "" {
		return errors.New("postgres: accept update: no key (adapters derive one when the platform gives none)")
	}
	payload, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("postgres: encode update: %w", err)
	}
	err = exec1(ctx, q.db, `INSERT INTO inbound_updates (key, payload) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, in.Key, payload)
	if isDataError(err) {
		return q.reject(ctx, in, err)
	}
	if err != nil {
		return fmt.Errorf("postgres: accept update: %w", err)
	}
	return nil
}

// reject records an update the database refused, and an apology to its sender when that can be
// stored at all.
func (q *Queues) reject(ctx context.Context, in core.Inbound, cause error) error {
	reason := "refused by the database: " + cause.Error()
	err := q.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO inbound_updates (key, processed_at, failed_at, last_error)
			VALUES ($1, now(), now(), $2) ON CONFLICT (key) DO NOTHING`, in.Key, reason)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		if q.UnreadableReplyFunc == nil {
			return nil
		}
		return enqueueSystem(ctx, tx, core.Addressed(in, []core.Reply{q.UnreadableReplyFunc(in)}))
	})
	if isDataError(err) { // even the address is unstorable: record the failure alone
		err = exec1(ctx, q.db, `INSERT INTO inbound_updates (key, processed_at, failed_at, last_error)
			VALUES ($1, now(), now(), $2) ON CONFLICT (key) DO NOTHING`, in.Key, reason)
	}
	if err != nil {
		return fmt.Errorf("postgres: record refused update: %w", err)
	}
	return nil
}

// isDataError reports whether PostgreSQL refused a value itself (SQLSTATE class 22, data
// exception, or 54, program limit exceeded), which retrying can't change.
func isDataError(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code[:2] == "22" || pe.Code[:2] == "54")
}

func enqueueSystem(ctx context.Context, tx pgx.Tx, msgs []core.Outgoing) error {
	for _, m := range msgs {
		payload, err := json.Marshal(payloadOf(m))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO outbox (provider, workspace, chat, payload) VALUES ($1, $2, $3, $4)`,
			m.Provider, m.Workspace, m.ChatID, payload); err != nil {
			return err
		}
	}
	return nil
}

// Purge implements core.Retention: processed updates and finished deliveries older than before.
func (q *Queues) Purge(ctx context.Context, before time.Time) (core.Purged, error) {
	var p core.Purged
	err := q.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM inbound_updates WHERE processed_at < $1`, before)
		if err != nil {
			return err
		}
		p.Updates = tag.RowsAffected()
		if tag, err = tx.Exec(ctx, `DELETE FROM outbox WHERE status IN ('sent', 'failed', 'dropped') AND created_at < $1`, before); err != nil {
			return err
		}
		p.Deliveries = tag.RowsAffected()
		// the pacer's slots of chats idle for an hour limit nothing any more
		if _, err = tx.Exec(ctx, `DELETE FROM send_pacer WHERE next_at < now() - interval '1 hour'`); err != nil {
			return err
		}
		// a stream resumes from an event of the last days, a POST is retried within them
		if _, err = tx.Exec(ctx, `DELETE FROM change_events WHERE at < $1`, before); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, before)
		return err
	})
	if err != nil {
		return p, fmt.Errorf("postgres: purge: %w", err)
	}
	return p, nil
}
