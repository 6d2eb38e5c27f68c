package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/admin"
)

// segmentSQL selects the reachable users of the segment $1 (jsonb) after the user $2, by id,
// with where their pushes go; suspended and unreachable users are never in it, nor the
// terminal chat's (no server delivers to it).
const segmentSQL = `SELECT u.id, u.locale::text, a.provider, a.workspace, a.external_id FROM users u CROSS JOIN LATERAL push_address(u.id) a
	WHERE u.suspended_at IS NULL AND u.unreachable_at IS NULL AND u.id > $2 AND a.provider IN ('telegram', 'slack')
	  AND (NOT $1 ? 'tiers' OR u.subscription_tier::text IN (SELECT jsonb_array_elements_text($1->'tiers')))
	  AND (NOT $1 ? 'languages' OR u.locale::text IN (SELECT jsonb_array_elements_text($1->'languages')))
	  AND (NOT $1 ? 'platforms' OR a.provider::text IN (SELECT jsonb_array_elements_text($1->'platforms')))
	  AND (NOT $1 ? 'active_within_days' OR EXISTS (SELECT FROM conversations c WHERE c.user_id = u.id
	       AND c.updated_at > now() - make_interval(days => ($1->>'active_within_days')::int)))`

// CreateBroadcast stores a broadcast by key and schedules its job, in one transaction.
func (a *Admin) CreateBroadcast(ctx context.Context, key uuid.UUID, en, ru string, seg admin.Segment) (admin.Broadcast, error) {
	s, err := json.Marshal(seg)
	if err != nil {
		return admin.Broadcast{}, err
	}
	var id uuid.UUID
	err = a.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		var recipients int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM (`+segmentSQL+`) s`, s, uuid.Nil).Scan(&recipients); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO broadcasts (key_id, text_en, text_ru, segment, recipients) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			key, en, ru, s, recipients).Scan(&id); err != nil {
			return err
		}
		_, err := a.jobs.client.InsertTx(ctx, tx, admin.BroadcastJob{Broadcast: id}, &insertOpts)
		return err
	})
	if err != nil {
		return admin.Broadcast{}, fmt.Errorf("postgres: create broadcast: %w", err)
	}
	return a.Broadcast(ctx, id)
}

// Broadcast reads a broadcast, its counts from the outbox.
func (a *Admin) Broadcast(ctx context.Context, id uuid.UUID) (admin.Broadcast, error) {
	var b admin.Broadcast
	err := a.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		var seg []byte
		err := tx.QueryRow(ctx, `SELECT b.id, b.status, b.segment, b.recipients, b.queued, b.created_at, b.finished_at,
			(SELECT count(*) FROM outbox o WHERE o.broadcast_id = b.id AND o.status = 'sent'),
			(SELECT count(*) FROM outbox o WHERE o.broadcast_id = b.id AND o.status = 'dropped')
			FROM broadcasts b WHERE b.id = $1`, id).Scan(&b.ID, &b.Status, &seg, &b.Recipients, &b.Queued, &b.CreatedAt, &b.FinishedAt, &b.Sent, &b.Dropped)
		if errors.Is(err, pgx.ErrNoRows) {
			return core.Errorf(core.ENOTFOUND, "no such broadcast")
		}
		if err != nil {
			return err
		}
		return json.Unmarshal(seg, &b.Segment)
	})
	return b, err
}

// CancelBroadcast stops a broadcast: nothing more is queued, and what waits in the outbox is
// dropped before it goes (a message a worker is handing to the platform at that moment may
// still go).
func (a *Admin) CancelBroadcast(ctx context.Context, id uuid.UUID) (admin.Broadcast, error) {
	err := a.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE broadcasts SET status = 'cancelled', finished_at = coalesce(finished_at, now())
			WHERE id = $1 AND status <> 'cancelled'`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM broadcasts WHERE id = $1)`, id).Scan(&exists); err != nil || !exists {
				return cmpErr(err, core.Errorf(core.ENOTFOUND, "no such broadcast"))
			}
		}
		_, err = tx.Exec(ctx, `UPDATE outbox SET status = 'dropped', last_error = 'the broadcast was cancelled'
			WHERE broadcast_id = $1 AND status = 'pending' AND sending_at IS NULL`, id)
		return err
	})
	if err != nil {
		return admin.Broadcast{}, err
	}
	return a.Broadcast(ctx, id)
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// broadcastBatch is how many messages one step of a broadcast job queues.
const broadcastBatch = 500

// QueueBroadcast queues the next batch of a broadcast's messages into the outbox (priority 2:
// after replies and pushes; each once, by its key) and reports whether it is done. The batch,
// the cursor and the count move in one transaction, so a crash repeats nothing.
func (a *Admin) QueueBroadcast(ctx context.Context, id uuid.UUID) (done bool, err error) {
	err = a.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		var status string
		var seg []byte
		var cursor *uuid.UUID
		var en, ru string
		if err := tx.QueryRow(ctx, `SELECT status, segment, cursor, text_en, text_ru FROM broadcasts WHERE id = $1 FOR UPDATE`, id).
			Scan(&status, &seg, &cursor, &en, &ru); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				done = true
				return nil
			}
			return err
		}
		if status == "cancelled" || status == "sent" {
			done = true
			return nil
		}
		after := uuid.Nil
		if cursor != nil {
			after = *cursor
		}
		var n int
		var last *uuid.UUID
		err := tx.QueryRow(ctx, `WITH batch AS (`+segmentSQL+` ORDER BY u.id LIMIT $3),
			queued AS (INSERT INTO outbox (user_id, provider, workspace, chat, payload, dedupe_key, priority, broadcast_id)
			  SELECT id, provider, workspace, external_id,
			         jsonb_build_object('reply', jsonb_build_object('text', jsonb_build_array(jsonb_build_object('t',
			           CASE WHEN locale = 'ru' THEN $5 ELSE $4 END))), 'user_id', external_id),
			         'broadcast:' || $6::text || ':' || id, 2, $6::uuid FROM batch
			  ON CONFLICT (dedupe_key) DO NOTHING)
			SELECT count(*), max(id::text)::uuid FROM batch`, seg, after, broadcastBatch, en, ru, id).Scan(&n, &last)
		if err != nil {
			return err
		}
		done = n < broadcastBatch
		_, err = tx.Exec(ctx, `UPDATE broadcasts SET queued = queued + $2, cursor = coalesce($3, cursor),
			status = CASE WHEN $4 THEN 'sent' ELSE 'sending' END, finished_at = CASE WHEN $4 THEN now() END WHERE id = $1`, id, n, last, done)
		return err
	})
	return done, err
}
