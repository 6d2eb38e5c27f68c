package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/hooks"
)

// Hooks is the store of the outgoing webhooks, as service_role: endpoints, events and their
// deliveries, and the dispatch of new events to River jobs.
type Hooks struct {
	db   *DB
	jobs *Jobs
	opts river.InsertOpts
}

// NewHooks returns the webhooks store on db, scheduling deliveries on jobs with attempts
// attempts each.
func NewHooks(db *DB, jobs *Jobs, attempts int) *Hooks {
	opts := deliveryOpts
	opts.MaxAttempts = attempts
	return &Hooks{db: db, jobs: jobs, opts: opts}
}

var (
	_ hooks.Store     = (*Hooks)(nil)
	_ hooks.Endpoints = (*Hooks)(nil)
)

// HookQueue is the River queue of deliveries: many at once, since each waits on a receiver.
const HookQueue = "hooks"

// deliveryOpts make a delivery job unique while it waits or runs.
var deliveryOpts = river.InsertOpts{Queue: HookQueue, UniqueOpts: insertOpts.UniqueOpts}

// endpointColumns are an endpoint's, of webhook_endpoints as w.
const endpointColumns = `w.id, w.url, w.events, w.description, w.enabled, coalesce(w.disabled_why, ''), w.failing_since, w.created_at, w.secret_sealed, w.secret_key`

func scanEndpoint(row pgx.Row) (hooks.Endpoint, error) {
	var e hooks.Endpoint
	err := row.Scan(&e.ID, &e.URL, &e.Events, &e.Description, &e.Enabled, &e.DisabledWhy, &e.FailingSince, &e.CreatedAt, &e.Sealed, &e.KeyID)
	if errors.Is(err, pgx.ErrNoRows) {
		return e, core.Errorf(core.ENOTFOUND, "no such webhook endpoint")
	}
	return e, err
}

// CreateEndpoint stores e (its ID, URL, events, description and sealed secret).
func (h *Hooks) CreateEndpoint(ctx context.Context, e hooks.Endpoint) (hooks.Endpoint, error) {
	var out hooks.Endpoint
	err := h.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = scanEndpoint(tx.QueryRow(ctx, `INSERT INTO webhook_endpoints AS w (id, url, events, description, secret_sealed, secret_key)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+endpointColumns, e.ID, e.URL, e.Events, e.Description, e.Sealed, e.KeyID))
		return err
	})
	return out, err
}

// Endpoints lists the endpoints, oldest first.
func (h *Hooks) Endpoints(ctx context.Context) ([]hooks.Endpoint, error) {
	var out []hooks.Endpoint
	err := h.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints w ORDER BY w.created_at, w.id LIMIT 1000`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEndpoint(rows)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// UpdateEndpoint changes endpoint id.
func (h *Hooks) UpdateEndpoint(ctx context.Context, id uuid.UUID, u hooks.EndpointUpdate) (hooks.Endpoint, error) {
	var out hooks.Endpoint
	err := h.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = scanEndpoint(tx.QueryRow(ctx, `UPDATE webhook_endpoints w SET url = coalesce($2, url), events = coalesce($3, events),
			description = coalesce($4, description), enabled = coalesce($5, enabled),
			disabled_why = CASE WHEN $5 THEN NULL ELSE disabled_why END, failing_since = CASE WHEN $5 THEN NULL ELSE failing_since END,
			updated_at = now() WHERE id = $1 RETURNING `+endpointColumns, id, u.URL, u.Events, u.Description, u.Enabled))
		return err
	})
	return out, err
}

// DeleteEndpoint removes endpoint id and its deliveries.
func (h *Hooks) DeleteEndpoint(ctx context.Context, id uuid.UUID) error {
	return h.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM webhook_endpoints WHERE id = $1`, id)
		if err == nil && tag.RowsAffected() == 0 {
			return core.Errorf(core.ENOTFOUND, "no such webhook endpoint")
		}
		return err
	})
}

// Dispatch turns up to limit new events into deliveries, one River job each, in one
// transaction: an event is dispatched exactly once, however many instances run the pass.
func (h *Hooks) Dispatch(ctx context.Context, limit int) (int, error) {
	n := 0
	err := h.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `WITH batch AS (
			  SELECT id FROM webhook_events WHERE NOT dispatched ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED),
			marked AS (UPDATE webhook_events e SET dispatched = true FROM batch WHERE e.id = batch.id RETURNING e.id, e.type)
			INSERT INTO webhook_deliveries (event_id, endpoint_id)
			SELECT m.id, w.id FROM marked m JOIN webhook_endpoints w ON w.enabled AND m.type = ANY (w.events)
			ON CONFLICT DO NOTHING RETURNING event_id, endpoint_id`, limit)
		if err != nil {
			return err
		}
		n, err = h.schedule(ctx, tx, rows)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: dispatch webhook events: %w", err)
	}
	return n, nil
}

// Replay delivers again to endpoint (every endpoint when nil) the events of ids, or those
// created in [from, to): their deliveries go back to pending and get a job each. It returns how
// many.
func (h *Hooks) Replay(ctx context.Context, endpoint *uuid.UUID, ids []int64, from, to time.Time) (int, error) {
	n := 0
	err := h.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		if endpoint != nil {
			var enabled bool
			err := tx.QueryRow(ctx, `SELECT enabled FROM webhook_endpoints WHERE id = $1`, *endpoint).Scan(&enabled)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				return core.Errorf(core.ENOTFOUND, "no such webhook endpoint")
			case err != nil:
				return err
			case !enabled:
				return core.Errorf(core.ECONFLICT, "the endpoint is disabled: enable it to replay to it")
			}
		}
		rows, err := tx.Query(ctx, `WITH picked AS (
			  SELECT e.id, w.id AS endpoint FROM webhook_events e JOIN webhook_endpoints w ON w.enabled AND e.type = ANY (w.events)
			   WHERE ($1::uuid IS NULL OR w.id = $1) AND (CASE WHEN cardinality($2::bigint[]) > 0 THEN e.id = ANY ($2)
			         ELSE e.created_at >= $3 AND e.created_at < $4 END)
			   ORDER BY e.id LIMIT 10000)
			INSERT INTO webhook_deliveries (event_id, endpoint_id) SELECT id, endpoint FROM picked
			ON CONFLICT (event_id, endpoint_id) DO UPDATE SET status = 'pending', attempts = 0, last_error = NULL, updated_at = now()
			RETURNING event_id, endpoint_id`, endpoint, ids, from, to)
		if err != nil {
			return err
		}
		n, err = h.schedule(ctx, tx, rows)
		return err
	})
	return n, err
}

// schedule inserts a delivery job for each (event, endpoint) row of rows.
func (h *Hooks) schedule(ctx context.Context, tx pgx.Tx, rows pgx.Rows) (int, error) {
	jobs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (river.InsertManyParams, error) {
		var j hooks.DeliveryJob
		err := r.Scan(&j.Event, &j.Endpoint)
		return river.InsertManyParams{Args: j, InsertOpts: &h.opts}, err
	})
	if err != nil || len(jobs) == 0 {
		return 0, err
	}
	_, err = h.jobs.client.InsertManyTx(ctx, tx, jobs)
	return len(jobs), err
}

// Delivery implements hooks.Store.
func (h *Hooks) Delivery(ctx context.Context, event int64, endpoint uuid.UUID) (hooks.Delivery, error) {
	var d hooks.Delivery
	var data []byte
	_, err := h.db.serviceOne(ctx, func(row pgx.Row) error {
		e := &d.Endpoint
		return row.Scan(&d.Event, &d.Type, &data, &d.CreatedAt, &d.Status,
			&e.ID, &e.URL, &e.Events, &e.Description, &e.Enabled, &e.DisabledWhy, &e.FailingSince, &e.CreatedAt, &e.Sealed, &e.KeyID)
	}, `SELECT e.id, e.type, e.data, e.created_at, d.status, `+endpointColumns+` FROM webhook_deliveries d
		JOIN webhook_events e ON e.id = d.event_id JOIN webhook_endpoints w ON w.id = d.endpoint_id
		WHERE d.event_id = $1 AND d.endpoint_id = $2`, event, endpoint)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, core.Errorf(core.ENOTFOUND, "no such delivery")
	}
	d.Data = json.RawMessage(data)
	return d, err
}

// Delivered implements hooks.Store.
func (h *Hooks) Delivered(ctx context.Context, event int64, endpoint uuid.UUID, status int) error {
	_, err := h.db.serviceOne(ctx, nil, `WITH d AS (UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = $3,
			last_error = NULL, delivered_at = now(), updated_at = now() WHERE event_id = $1 AND endpoint_id = $2)
		UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $2 AND failing_since IS NOT NULL`, event, endpoint, status)
	return err
}

// Failed implements hooks.Store.
func (h *Hooks) Failed(ctx context.Context, event int64, endpoint uuid.UUID, status int, cause string, final bool, disableAfter time.Duration) (bool, error) {
	disabled := false
	err := h.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		next := "pending"
		if final {
			next = "failed"
		}
		if _, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET status = $3, attempts = attempts + 1, last_status = nullif($4, 0),
			last_error = left($5, 500), updated_at = now() WHERE event_id = $1 AND endpoint_id = $2`, event, endpoint, next, status, cause); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, now()),
			enabled = enabled AND coalesce(failing_since, now()) > now() - $2::interval,
			disabled_why = CASE WHEN coalesce(failing_since, now()) > now() - $2::interval THEN disabled_why
			                    ELSE 'every delivery failed for ' || $2::interval END
			WHERE id = $1 RETURNING NOT enabled`, endpoint, disableAfter).Scan(&disabled)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err == nil && disabled {
			_, err = tx.Exec(ctx, `UPDATE webhook_deliveries SET status = 'dropped', updated_at = now() WHERE endpoint_id = $1 AND status = 'pending'`, endpoint)
		}
		return err
	})
	return disabled, err
}

// Gone implements hooks.Store.
func (h *Hooks) Gone(ctx context.Context, endpoint uuid.UUID, why string) error {
	return h.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE webhook_endpoints SET enabled = false, disabled_why = coalesce(nullif($2, ''), disabled_why),
			updated_at = now() WHERE id = $1`, endpoint, why); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET status = 'dropped', updated_at = now() WHERE endpoint_id = $1 AND status = 'pending'`, endpoint)
		return err
	})
}
