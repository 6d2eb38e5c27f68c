package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
)

// Inbox is the intake's queue of accepted updates, as service_role.
type Inbox struct{ db *DB }

// Inbox returns the queue of accepted updates.
func (q *Queues) Inbox() *Inbox { return &Inbox{db: q.db} }

// Lease implements core.Inbox.
func (q *Inbox) Lease(ctx context.Context, owner string, n, maxAttempts int, d time.Duration) ([]core.Leased, error) {
	var out []core.Leased
	err := q.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		exhausted, err := leaseCrashLoops(ctx, tx, owner, maxAttempts, d)
		if err != nil {
			return err
		}
		out = append(out, exhausted...)
		rows, err := tx.Query(ctx, `UPDATE inbound_updates SET lease_until = now() + $2::interval, leased_by = $3, attempts = attempts + 1
			WHERE key IN (
				SELECT key FROM inbound_updates
				WHERE processed_at IS NULL AND payload IS NOT NULL AND attempts < $4 AND (lease_until IS NULL OR lease_until < now())
				ORDER BY received_at LIMIT $1 FOR UPDATE SKIP LOCKED)
			RETURNING key, payload, attempts, received_at`, n, d.String(), owner, maxAttempts)
		if err != nil {
			return err
		}
		type row struct {
			key      string
			payload  []byte
			attempts int
			received time.Time
		}
		leased, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
			var l row
			return l, r.Scan(&l.key, &l.payload, &l.attempts, &l.received)
		})
		if err != nil {
			return err
		}
		// RETURNING has no order: a chat's updates are processed in the order they arrived
		slices.SortStableFunc(leased, func(a, b row) int { return a.received.Compare(b.received) })
		for _, l := range leased {
			var in core.Inbound
			if err := json.Unmarshal(l.payload, &in); err != nil {
				if _, err := tx.Exec(ctx, `UPDATE inbound_updates SET processed_at = now(), failed_at = now(), leased_by = NULL,
					last_error = $2 WHERE key = $1`, l.key, "undecodable: "+err.Error()); err != nil {
					return err
				}
				continue
			}
			out = append(out, core.Leased{Inbound: in, Attempts: l.attempts})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: lease updates: %w", err)
	}
	return out, nil
}

// leaseCrashLoops leases to owner the updates whose leases ran out maxAttempts times without an
// outcome (each attempt crashed its worker), marked Exhausted: the intake closes them with an
// apology instead of trying again.
func leaseCrashLoops(ctx context.Context, tx pgx.Tx, owner string, maxAttempts int, d time.Duration) ([]core.Leased, error) {
	rows, err := tx.Query(ctx, `UPDATE inbound_updates SET lease_until = now() + $3::interval, leased_by = $2
		WHERE key IN (
			SELECT key FROM inbound_updates
			WHERE processed_at IS NULL AND payload IS NOT NULL AND attempts >= $1 AND (lease_until IS NULL OR lease_until < now())
			FOR UPDATE SKIP LOCKED)
		RETURNING payload, attempts`, maxAttempts, owner, d.String())
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (core.Leased, error) {
		l := core.Leased{Exhausted: true}
		var payload []byte
		if err := r.Scan(&payload, &l.Attempts); err != nil {
			return l, err
		}
		_ = json.Unmarshal(payload, &l.Inbound) // its key and address are all the apology needs
		return l, nil
	})
}

// Retry implements core.Inbox: the update becomes available again at at.
func (q *Inbox) Retry(ctx context.Context, key string, at time.Time, cause string) error {
	return exec1(ctx, q.db, `UPDATE inbound_updates SET lease_until = $2, leased_by = NULL, last_error = $3
		WHERE key = $1 AND processed_at IS NULL`, key, at, cause)
}

// GiveUp implements core.Inbox: the update is closed without effects and the user is sent
// replies (an apology) instead, in the same transaction.
func (q *Inbox) GiveUp(ctx context.Context, key, cause string, replies []core.Outgoing) error {
	return q.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE inbound_updates SET processed_at = now(), failed_at = now(), leased_by = NULL, last_error = $2
			WHERE key = $1 AND processed_at IS NULL`, key, cause)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		return enqueueSystem(ctx, tx, replies)
	})
}

// Renew implements core.Leases.
func (q *Inbox) Renew(ctx context.Context, owner string, d time.Duration) error {
	return exec1(ctx, q.db, `UPDATE inbound_updates SET lease_until = now() + $2::interval WHERE leased_by = $1 AND processed_at IS NULL`, owner, d.String())
}

// Release implements core.Leases.
func (q *Inbox) Release(ctx context.Context, owner string) (int, error) {
	return release(ctx, q.db, `UPDATE inbound_updates SET lease_until = NULL, leased_by = NULL WHERE leased_by = $1 AND processed_at IS NULL`, owner)
}
