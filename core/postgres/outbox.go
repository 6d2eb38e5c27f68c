package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
)

// Outbox is the delivery's queue of replies, as service_role.
type Outbox struct {
	db        *DB
	providers []string // claimed only: nil is every platform's
	chat      string   // claimed only, when set
}

// Outbox returns the queue of replies.
func (q *Queues) Outbox() *Outbox { return &Outbox{db: q.db} }

// Of returns the queue of replies to the platforms named, and to chat alone when it is set: a
// delivery claims only what it has a Sender for (the terminal chat, its own user's replies).
func (q *Outbox) Of(chat string, providers ...core.Provider) *Outbox {
	o := &Outbox{db: q.db, chat: chat, providers: []string{}}
	for _, p := range providers {
		o.providers = append(o.providers, string(p))
	}
	return o
}

// Renew implements core.Leases.
func (q *Outbox) Renew(ctx context.Context, owner string, d time.Duration) error {
	return exec1(ctx, q.db, `UPDATE outbox SET available_at = now() + $2::interval WHERE leased_by = $1 AND status = 'pending'`, owner, d.String())
}

// Release implements core.Leases.
func (q *Outbox) Release(ctx context.Context, owner string) (int, error) {
	return release(ctx, q.db, `UPDATE outbox SET available_at = now(), leased_by = NULL WHERE leased_by = $1 AND status = 'pending'`, owner)
}

// Claim implements core.Outbox: up to n pending messages due now, oldest first, leased to owner
// for d. A row that can't be decoded is failed rather than left to block the queue.
func (q *Outbox) Claim(ctx context.Context, owner string, n int, d time.Duration) ([]core.Pending, error) {
	var out []core.Pending
	err := q.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE outbox SET available_at = now() + $2::interval, leased_by = $3, attempts = attempts + 1
			WHERE id IN (
				SELECT id FROM outbox WHERE status = 'pending' AND available_at <= now()
				  AND ($4::text[] IS NULL OR provider::text = ANY($4)) AND ($5 = '' OR chat = $5)
				  AND NOT EXISTS (SELECT FROM users u WHERE u.id = outbox.user_id AND u.unreachable_at IS NOT NULL)
				ORDER BY priority, available_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
			RETURNING id, provider::text, workspace, chat, payload, attempts, parts_sent, coalesce(external_id, ''), sending_at IS NOT NULL`,
			n, d.String(), owner, q.providers, q.chat)
		if err != nil {
			return err
		}
		var bad []int64
		for rows.Next() {
			var p core.Pending
			var payload []byte
			var provider string
			if err := rows.Scan(&p.Msg.ID, &provider, &p.Msg.Workspace, &p.Msg.ChatID, &payload, &p.Attempts,
				&p.Msg.PartsSent, &p.Msg.LastID, &p.InFlight); err != nil {
				return err
			}
			p.Msg.Provider = core.Provider(provider)
			var op outboxPayload
			if err := json.Unmarshal(payload, &op); err != nil {
				bad = append(bad, p.Msg.ID)
				continue
			}
			op.outgoing(&p.Msg)
			p.Push, p.Due = op.Push, op.Due
			out = append(out, p)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(bad) > 0 {
			_, err = tx.Exec(ctx, `UPDATE outbox SET status = 'failed', leased_by = NULL, last_error = 'undecodable payload' WHERE id = ANY($1)`, bad)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: claim outbox: %w", err)
	}
	// RETURNING has no order; the worker sends a chat's messages in this one, as enqueued
	slices.SortFunc(out, func(a, b core.Pending) int { return cmp.Compare(a.Msg.ID, b.Msg.ID) })
	return out, nil
}

// Sending implements core.Outbox.
func (q *Outbox) Sending(ctx context.Context, id int64) error {
	tag, err := q.db.serviceOne(ctx, nil, `UPDATE outbox SET sending_at = now() WHERE id = $1 AND status = 'pending'`, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return core.ErrWithdrawn // dropped meanwhile
	}
	return nil
}

// Progress implements core.Outbox.
func (q *Outbox) Progress(ctx context.Context, id int64, parts int, externalID string) error {
	return exec1(ctx, q.db, `UPDATE outbox SET parts_sent = $2, external_id = $3, sending_at = NULL WHERE id = $1`, id, parts, externalID)
}

// Sent implements core.Outbox.
func (q *Outbox) Sent(ctx context.Context, id int64, externalID string) error {
	return exec1(ctx, q.db, `UPDATE outbox SET status = 'sent', sent_at = now(), external_id = $2, last_error = NULL,
		sending_at = NULL, leased_by = NULL WHERE id = $1`, id, externalID)
}

// RetryAt implements core.Outbox. The platform answered (or the call never left), so nothing
// is in flight any more.
func (q *Outbox) RetryAt(ctx context.Context, id int64, at time.Time, cause string) error {
	return exec1(ctx, q.db, `UPDATE outbox SET available_at = $2, last_error = $3, sending_at = NULL, leased_by = NULL
		WHERE id = $1 AND status = 'pending'`, id, at, cause)
}

// Failed implements core.Outbox: the message is given up.
func (q *Outbox) Failed(ctx context.Context, id int64, cause string) error {
	return exec1(ctx, q.db, `UPDATE outbox SET status = 'failed', last_error = $2, sending_at = NULL, leased_by = NULL WHERE id = $1`, id, cause)
}

// Unreachable implements core.Outbox: the recipient blocked the bot. The user is marked
// unreachable and every pending message to that chat is dropped; writing again clears the mark.
func (q *Outbox) Unreachable(ctx context.Context, id int64, cause string) error {
	return exec1(ctx, q.db, `WITH m AS (SELECT provider, workspace, chat, user_id FROM outbox WHERE id = $1),
			u AS (UPDATE users SET unreachable_at = now() WHERE id = (SELECT user_id FROM m) AND unreachable_at IS NULL)
			UPDATE outbox o SET status = 'dropped', last_error = $2, sending_at = NULL, leased_by = NULL
			FROM m WHERE o.provider = m.provider AND o.workspace = m.workspace AND o.chat = m.chat
			  AND (o.status = 'pending' OR o.id = $1)`, id, cause)
}
