package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/calendar"
)

// CalendarLink implements core.Tx: the user's Google Calendar connection, without its tokens
// (which the user's role may not read).
func (t *tx) CalendarLink(ctx context.Context) (core.CalendarLink, error) {
	var l core.CalendarLink
	err := t.q.QueryRow(ctx, `SELECT status, $2 = ANY(scopes), time_blocking, synced_at FROM integration_connections
		WHERE user_id = $1 AND service = 'google_calendar'`, t.user.ID, calendar.EventsScope).Scan(&l.Status, &l.CanBlock, &l.TimeBlocking, &l.SyncedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return l, core.Errorf(core.ENOTFOUND, "no calendar connected")
	}
	if err != nil {
		return l, fmt.Errorf("postgres: calendar link: %w", err)
	}
	return l, nil
}

// SetTimeBlocking implements core.Tx; the table's CHECK refuses "on" without the grant.
func (t *tx) SetTimeBlocking(ctx context.Context, on bool) error {
	tag, err := t.q.Exec(ctx, `UPDATE integration_connections SET time_blocking = $2
		WHERE user_id = $1 AND service = 'google_calendar' AND status = 'active'`, t.user.ID, on)
	if err != nil {
		return fmt.Errorf("postgres: time blocking: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return core.Errorf(core.ENOTFOUND, "no calendar connected")
	}
	return nil
}

// DisconnectCalendar implements core.Tx.
func (t *tx) DisconnectCalendar(ctx context.Context) error {
	tag, err := t.q.Exec(ctx, `UPDATE integration_connections SET status = 'disconnected', time_blocking = false
		WHERE user_id = $1 AND service = 'google_calendar'`, t.user.ID)
	if err != nil {
		return fmt.Errorf("postgres: disconnect calendar: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return core.Errorf(core.ENOTFOUND, "no calendar connected")
	}
	return nil
}

// BusyMinutes implements core.Tx; a user without a calendar (as the transaction began) has none.
func (t *tx) BusyMinutes(ctx context.Context, from, to core.Date) (map[core.Date]int, error) {
	if !t.user.Calendar {
		return map[core.Date]int{}, nil // no calendar: no round trip
	}
	rows, err := t.q.Query(ctx, `SELECT date::text, sum(busy_min)::int FROM calendar_busy
		WHERE user_id = $1 AND date BETWEEN $2::date AND $3::date GROUP BY date`, t.user.ID, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("postgres: busy minutes: %w", err)
	}
	out := map[core.Date]int{}
	var day string
	var m int
	_, err = pgx.ForEachRow(rows, []any{&day, &m}, func() error {
		d, err := core.ParseDate(day)
		out[d] = m
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: busy minutes: %w", err)
	}
	return out, nil
}

// Calendars is the calendar connections as the sync sees them (service_role).
type Calendars struct{ db *DB }

// NewCalendars returns the connections store on db.
func NewCalendars(db *DB) *Calendars { return &Calendars{db: db} }

var _ calendar.Store = (*Calendars)(nil)

// Connect implements calendar.Store: the row is locked (or its id chosen) before the tokens are
// sealed under its id, so two grants given at once can't seal under the wrong one.
func (c *Calendars) Connect(ctx context.Context, user uuid.UUID, blocking bool, seal func(id uuid.UUID) (calendar.Connection, error)) error {
	err := c.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		id := uuid.New()
		err := tx.QueryRow(ctx, `SELECT id FROM integration_connections WHERE user_id = $1 AND service = 'google_calendar' FOR UPDATE`, user).Scan(&id)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		conn, err := seal(id)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO integration_connections AS i
			  (id, user_id, service, access_token, refresh_token, key_id, expires_at, scopes, time_blocking, status, created_at)
			VALUES ($1, $2, 'google_calendar', $3, $4, $5, $6, $7, $8, 'active', clock_timestamp())
			ON CONFLICT (user_id, service) DO UPDATE SET access_token = excluded.access_token, refresh_token = excluded.refresh_token,
			  key_id = excluded.key_id, expires_at = excluded.expires_at, scopes = excluded.scopes, status = 'active',
			  time_blocking = excluded.time_blocking OR (i.time_blocking AND $9 = ANY(excluded.scopes)),
			  synced_at = NULL, revoked_at = NULL, failures = 0, retry_at = NULL, created_at = clock_timestamp()`,
			id, user, conn.Access, conn.Refresh, conn.KeyID, nullTime(conn.Expiry), conn.Scopes, blocking, calendar.EventsScope)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: connect calendar: %w", err)
	}
	return nil
}

// Connection implements calendar.Store.
func (c *Calendars) Connection(ctx context.Context, user uuid.UUID) (calendar.Connection, error) {
	conn := calendar.Connection{User: user}
	var expires *time.Time
	_, err := c.db.serviceOne(ctx, func(row pgx.Row) error {
		return row.Scan(&conn.ID, &conn.Status, &conn.Scopes, &conn.TimeBlocking, &conn.Access, &conn.Refresh, &conn.KeyID, &expires,
			&conn.SyncedAt, &conn.ConnectedAt, &conn.RevokedAt)
	}, `SELECT id, status, scopes, time_blocking, coalesce(access_token, ''::bytea), coalesce(refresh_token, ''::bytea), key_id, expires_at,
		       synced_at, created_at, revoked_at
		  FROM integration_connections WHERE user_id = $1 AND service = 'google_calendar'`, user)
	if errors.Is(err, pgx.ErrNoRows) {
		return conn, core.Errorf(core.ENOTFOUND, "no calendar connected")
	}
	if err != nil {
		return conn, fmt.Errorf("postgres: calendar connection: %w", err)
	}
	if expires != nil {
		conn.Expiry = *expires
	}
	return conn, nil
}

// SaveSync implements calendar.Store, in one transaction: a crash between the calendar's
// writes and this leaves blocks the next sync finds by their ids.
func (c *Calendars) SaveSync(ctx context.Context, conn calendar.Connection, from, to core.Date, days map[core.Date]calendar.Busy, at time.Time,
	put []calendar.Block, gone []uuid.UUID) error {
	err := c.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE integration_connections SET access_token = $2, refresh_token = $3, key_id = $4, expires_at = $5,
			  synced_at = $6, failures = 0, retry_at = NULL
			WHERE id = $1 AND status = 'active' AND created_at = $7`, conn.ID, conn.Access, conn.Refresh, conn.KeyID, nullTime(conn.Expiry), at, conn.ConnectedAt)
		if err != nil || tag.RowsAffected() == 0 { // given again or disconnected meanwhile: this sync's grant is not the one kept
			return err
		}
		b := &pgx.Batch{}
		b.Queue(`DELETE FROM calendar_busy WHERE connection_id = $1 AND date BETWEEN $2::date AND $3::date`, conn.ID, from.String(), to.String())
		for d, busy := range days {
			b.Queue(`INSERT INTO calendar_busy (connection_id, user_id, date, busy_min, events) VALUES ($1, $2, $3::date, $4, $5)`,
				conn.ID, conn.User, d.String(), min(busy.Minutes, 24*60), busy.Events)
		}
		for _, bl := range put {
			b.Queue(`INSERT INTO calendar_blocks (task_id, connection_id, user_id, event_id, starts_at, ends_at, summary)
				SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM tasks WHERE id = $1 AND user_id = $3)
				ON CONFLICT (task_id) DO UPDATE SET event_id = excluded.event_id, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
				  summary = excluded.summary, updated_at = now()`, bl.Task, conn.ID, conn.User, bl.EventID, bl.Start, bl.End, bl.Summary)
		}
		if len(gone) > 0 {
			b.Queue(`DELETE FROM calendar_blocks WHERE connection_id = $1 AND task_id = ANY($2)`, conn.ID, gone)
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("postgres: save calendar sync: %w", err)
	}
	return nil
}

// Revoke implements calendar.Store.
func (c *Calendars) Revoke(ctx context.Context, conn calendar.Connection, at time.Time) (bool, error) {
	var first bool
	err := c.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE integration_connections SET status = 'revoked', revoked_at = $2, time_blocking = false,
			access_token = NULL WHERE id = $1 AND status = 'active' AND created_at = $3`, conn.ID, at, conn.ConnectedAt)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		first = true
		_, err = tx.Exec(ctx, `DELETE FROM calendar_busy WHERE connection_id = $1 AND date >= current_date`, conn.ID) // no longer known
		return err
	})
	if err != nil {
		return false, fmt.Errorf("postgres: revoke calendar: %w", err)
	}
	return first, nil
}

// Failed implements calendar.Store: the next try waits 2, 4, 8 … minutes, at most 6 hours.
func (c *Calendars) Failed(ctx context.Context, conn calendar.Connection, at time.Time) (int, error) {
	n := 0
	_, err := c.db.serviceOne(ctx, func(row pgx.Row) error { return row.Scan(&n) },
		`UPDATE integration_connections SET failures = failures + 1,
		   retry_at = $2::timestamptz + least(interval '6 hours', interval '1 minute' * power(2, least(failures + 1, 20)))
		 WHERE id = $1 RETURNING failures`, conn.ID, at)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("postgres: calendar sync failed: %w", err)
	}
	return n, nil
}

// Remove implements calendar.Store; the busy days and blocks go with the connection, and it
// leaves nothing to clean up in Google (the sync did).
func (c *Calendars) Remove(ctx context.Context, conn calendar.Connection) error {
	err := c.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('bizconnect.calendar_removed', $1, true)`, conn.ID.String()); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM integration_connections WHERE id = $1`, conn.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: remove calendar: %w", err)
	}
	return nil
}

// Leftovers implements calendar.Store.
func (c *Calendars) Leftovers(ctx context.Context, n int) ([]calendar.Leftover, error) {
	var out []calendar.Leftover
	err := c.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT connection_id, coalesce(access_token, ''::bytea), refresh_token, key_id, event_ids, created_at
			FROM calendar_leftovers ORDER BY created_at LIMIT $1`, n)
		if err != nil {
			return err
		}
		var l calendar.Leftover
		_, err = pgx.ForEachRow(rows, []any{&l.Connection.ID, &l.Connection.Access, &l.Connection.Refresh, &l.Connection.KeyID, &l.EventIDs, &l.Since},
			func() error { out = append(out, l); return nil })
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: calendar leftovers: %w", err)
	}
	return out, nil
}

// DropLeftover implements calendar.Store.
func (c *Calendars) DropLeftover(ctx context.Context, connection uuid.UUID) error {
	if _, err := c.db.serviceOne(ctx, nil, `DELETE FROM calendar_leftovers WHERE connection_id = $1`, connection); err != nil {
		return fmt.Errorf("postgres: drop calendar leftover: %w", err)
	}
	return nil
}

// Blocks implements calendar.Store.
func (c *Calendars) Blocks(ctx context.Context, conn calendar.Connection) ([]calendar.Block, error) {
	var out []calendar.Block
	err := c.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT task_id, event_id, starts_at, ends_at, summary FROM calendar_blocks WHERE connection_id = $1
			ORDER BY starts_at LIMIT 1000`, conn.ID)
		if err != nil {
			return err
		}
		var b calendar.Block
		_, err = pgx.ForEachRow(rows, []any{&b.Task, &b.EventID, &b.Start, &b.End, &b.Summary}, func() error {
			out = append(out, b)
			return nil
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: calendar blocks: %w", err)
	}
	return out, nil
}

// Due implements calendar.Store. A task changed within the days a sync blocks makes its
// connection due at once; a task deleted or moved beyond them waits for the half-hourly sync.
func (c *Calendars) Due(ctx context.Context, staleBefore time.Time, n int) ([]uuid.UUID, error) {
	var out []uuid.UUID
	err := c.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT c.user_id FROM integration_connections c
			WHERE c.service = 'google_calendar' AND (c.retry_at IS NULL OR c.retry_at <= now())
			  AND (c.status = 'disconnected' OR c.status = 'active' AND (
			        c.synced_at IS NULL OR c.synced_at < $1
			        OR c.time_blocking AND EXISTS (SELECT 1 FROM tasks t -- on tasks_user_date_idx: the days a sync blocks
			                 WHERE t.user_id = c.user_id AND t.deleted_at IS NULL AND t.scheduled_date BETWEEN current_date - 1 AND current_date + 15
			                   AND t.updated_at > c.synced_at)))
			ORDER BY c.synced_at NULLS FIRST LIMIT $2`, staleBefore, n)
		if err != nil {
			return err
		}
		var id uuid.UUID
		_, err = pgx.ForEachRow(rows, []any{&id}, func() error { out = append(out, id); return nil })
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: calendars due: %w", err)
	}
	return out, nil
}

// Name is the name of a user, for the page before a calendar's consent.
func (c *Calendars) Name(ctx context.Context, user uuid.UUID) (string, error) {
	var name string
	_, err := c.db.serviceOne(ctx, func(row pgx.Row) error { return row.Scan(&name) }, `SELECT name FROM users WHERE id = $1`, user)
	if err != nil {
		return "", fmt.Errorf("postgres: user name: %w", err)
	}
	return name, nil
}

// UseState records a calendar OAuth state as used until it expires and reports whether this
// was its first use.
func (c *Calendars) UseState(ctx context.Context, state string, expires time.Time) (bool, error) {
	tag, err := c.db.serviceOne(ctx, nil, `INSERT INTO oauth_states (state, expires_at) VALUES ($1, $2) ON CONFLICT (state) DO NOTHING`, state, expires)
	if err != nil {
		return false, fmt.Errorf("postgres: calendar oauth state: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// CalendarKeep is how long busy days and past time blocks are kept: beyond the Business Load's
// six weeks of history, a quarter.
const CalendarKeep = 90 * 24 * time.Hour

// Purge implements core.Retention, on its own bound (CalendarKeep): the janitor's is shorter
// than the load's history.
func (c *Calendars) Purge(ctx context.Context, _ time.Time) (core.Purged, error) {
	var p core.Purged
	err := c.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		before := time.Now().Add(-CalendarKeep)
		tag, err := tx.Exec(ctx, `DELETE FROM calendar_busy WHERE date < $1::date`, core.DateOf(before).String())
		if err != nil {
			return err
		}
		p.Calendar = tag.RowsAffected()
		tag, err = tx.Exec(ctx, `DELETE FROM calendar_blocks WHERE ends_at < $1`, before)
		p.Calendar += tag.RowsAffected()
		return err
	})
	if err != nil {
		return p, fmt.Errorf("postgres: purge calendar: %w", err)
	}
	return p, nil
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
