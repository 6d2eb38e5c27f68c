package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/relay"
	"github.com/bizconnect/bizconnect/scheduler"
)

// Queues implements the relay's inbox and outbox on PostgreSQL, as service_role.
type Queues struct {
	db *DB
}

// NewQueues returns the queues on db.
func NewQueues(db *DB) *Queues { return &Queues{db: db} }

var (
	_ relay.Inbox  = (*Queues)(nil)
	_ relay.Outbox = (*Queues)(nil)
)

// Accept durably records an update for the intake (the adapters' AcceptFunc): BEGIN, the role switch, one INSERT and COMMIT go to the server
// in a single round trip; a key seen before changes nothing.
func (q *Queues) Accept(ctx context.Context, in core.Inbound) error {
	payload, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("postgres: encode update: %w", err)
	}
	b := &pgx.Batch{}
	b.Queue(`BEGIN`)
	b.Queue(setRoleSQL, "service_role", "")
	b.Queue(`INSERT INTO inbound_updates (key, payload) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, in.Key, payload)
	b.Queue(`COMMIT`)
	if err := q.db.pool.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("postgres: accept update: %w", err)
	}
	return nil
}

// Lease implements relay.Inbox: up to n unprocessed updates, oldest first, leased for d so no
// other worker takes them meanwhile.
func (q *Queues) Lease(ctx context.Context, n int, d time.Duration) ([]relay.Leased, error) {
	var out []relay.Leased
	err := q.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE inbound_updates SET lease_until = now() + $2::interval, attempts = attempts + 1
			WHERE key IN (
				SELECT key FROM inbound_updates
				WHERE processed_at IS NULL AND payload IS NOT NULL AND (lease_until IS NULL OR lease_until < now())
				ORDER BY received_at LIMIT $1 FOR UPDATE SKIP LOCKED)
			RETURNING payload, attempts`, n, d.String())
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (relay.Leased, error) {
			var l relay.Leased
			var payload []byte
			if err := r.Scan(&payload, &l.Attempts); err != nil {
				return l, err
			}
			return l, json.Unmarshal(payload, &l.Inbound)
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: lease updates: %w", err)
	}
	return out, nil
}

// Retry implements relay.Inbox: the update becomes available again at at.
func (q *Queues) Retry(ctx context.Context, key string, at time.Time, cause string) error {
	return q.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE inbound_updates SET lease_until = $2, last_error = $3 WHERE key = $1 AND processed_at IS NULL`, key, at, cause)
		return err
	})
}

// GiveUp implements relay.Inbox: the update is closed without effects and the user is sent
// replies (an apology) instead, in the same transaction.
func (q *Queues) GiveUp(ctx context.Context, key, cause string, replies []core.Outgoing) error {
	return q.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE inbound_updates SET processed_at = now(), last_error = $2 WHERE key = $1 AND processed_at IS NULL`, key, cause)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		return enqueueSystem(ctx, tx, replies)
	})
}

func enqueueSystem(ctx context.Context, tx pgx.Tx, msgs []core.Outgoing) error {
	for _, m := range msgs {
		payload, err := json.Marshal(outboxPayload{Reply: m.Reply, ThreadID: m.ThreadID, UserID: m.UserID, CallbackID: m.CallbackID})
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

// Claim implements relay.Outbox: up to n pending messages due now, oldest first, leased for d.
func (q *Queues) Claim(ctx context.Context, n int, d time.Duration) ([]relay.Pending, error) {
	var out []relay.Pending
	err := q.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE outbox SET available_at = now() + $2::interval, attempts = attempts + 1
			WHERE id IN (
				SELECT id FROM outbox WHERE status = 'pending' AND available_at <= now()
				  AND NOT EXISTS (SELECT FROM users u WHERE u.id = outbox.user_id AND u.unreachable_at IS NOT NULL)
				ORDER BY available_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
			RETURNING id, provider::text, workspace, chat, payload, attempts`, n, d.String())
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (relay.Pending, error) {
			var p relay.Pending
			var payload []byte
			var provider string
			if err := r.Scan(&p.Msg.ID, &provider, &p.Msg.Workspace, &p.Msg.ChatID, &payload, &p.Attempts); err != nil {
				return p, err
			}
			p.Msg.Provider = core.Provider(provider)
			var op outboxPayload
			if err := json.Unmarshal(payload, &op); err != nil {
				return p, err
			}
			p.Msg.Reply, p.Msg.ThreadID, p.Msg.UserID, p.Msg.CallbackID = op.Reply, op.ThreadID, op.UserID, op.CallbackID
			return p, nil
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: claim outbox: %w", err)
	}
	// oldest first per chat: the worker sends a chat's messages in this order
	return out, nil
}

// Sent implements relay.Outbox.
func (q *Queues) Sent(ctx context.Context, id int64, externalID string) error {
	return q.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE outbox SET status = 'sent', sent_at = now(), external_id = $2, last_error = NULL WHERE id = $1`, id, externalID)
		return err
	})
}

// RetryAt implements relay.Outbox.
func (q *Queues) RetryAt(ctx context.Context, id int64, at time.Time, cause string) error {
	return q.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE outbox SET available_at = $2, last_error = $3 WHERE id = $1 AND status = 'pending'`, id, at, cause)
		return err
	})
}

// Failed implements relay.Outbox: the message is given up.
func (q *Queues) Failed(ctx context.Context, id int64, cause string) error {
	return q.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE outbox SET status = 'failed', last_error = $2 WHERE id = $1`, id, cause)
		return err
	})
}

// Unreachable implements relay.Outbox: the recipient blocked the bot. The user is marked
// unreachable and every pending message to that chat is dropped; writing again clears the mark.
func (q *Queues) Unreachable(ctx context.Context, id int64, cause string) error {
	return q.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `WITH m AS (SELECT provider, workspace, chat, user_id FROM outbox WHERE id = $1),
			u AS (UPDATE users SET unreachable_at = now() WHERE id = (SELECT user_id FROM m) AND unreachable_at IS NULL)
			UPDATE outbox o SET status = 'dropped', last_error = $2
			FROM m WHERE o.provider = m.provider AND o.workspace = m.workspace AND o.chat = m.chat
			  AND (o.status = 'pending' OR o.id = $1)`, id, cause)
		return err
	})
}

// Purge implements scheduler.Retention: processed updates and finished deliveries older than
// before, and expired OAuth states, are deleted.
func (q *Queues) Purge(ctx context.Context, before time.Time) (scheduler.Purged, error) {
	var p scheduler.Purged
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
		if tag, err = tx.Exec(ctx, `DELETE FROM oauth_states WHERE expires_at < now()`); err != nil {
			return err
		}
		p.States = tag.RowsAffected()
		return nil
	})
	if err != nil {
		return p, fmt.Errorf("postgres: purge: %w", err)
	}
	return p, nil
}
