package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/admin"
)

// Admin is the store of the admin API and its keys, as service_role: it reads and changes
// every user's records, so only an admin key's checked request reaches it.
type Admin struct {
	db   *DB
	jobs *Jobs
}

// NewAdmin returns the admin store on db; jobs queue its broadcasts and triggered jobs.
func NewAdmin(db *DB, jobs *Jobs) *Admin { return &Admin{db: db, jobs: jobs} }

const keyColumns = `id, name, prefix, secret_hash, scopes, created_at, expires_at, revoked_at, last_used_at`

func scanKey(row pgx.Row) (admin.Key, error) {
	var k admin.Key
	err := row.Scan(&k.ID, &k.Name, &k.Prefix, &k.Hash, &k.Scopes, &k.CreatedAt, &k.ExpiresAt, &k.RevokedAt, &k.LastUsedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return k, core.Errorf(core.ENOTFOUND, "no such admin key")
	}
	return k, err
}

// CreateKey stores a key.
func (a *Admin) CreateKey(ctx context.Context, k admin.Key) (admin.Key, error) {
	var out admin.Key
	err := a.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = scanKey(tx.QueryRow(ctx, `INSERT INTO admin_keys (name, prefix, secret_hash, scopes, expires_at) VALUES ($1, $2, $3, $4, $5)
			RETURNING `+keyColumns, k.Name, k.Prefix, k.Hash, k.Scopes, k.ExpiresAt))
		return err
	})
	return out, err
}

// KeyByPrefix finds a key by the prefix its secret starts with, and marks it used (at most once
// a minute).
func (a *Admin) KeyByPrefix(ctx context.Context, prefix string) (admin.Key, error) {
	var k admin.Key
	err := a.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		var err error
		k, err = scanKey(tx.QueryRow(ctx, `SELECT `+keyColumns+` FROM admin_keys WHERE prefix = $1`, prefix))
		if err == nil && (k.LastUsedAt == nil || time.Since(*k.LastUsedAt) > time.Minute) {
			_, err = tx.Exec(ctx, `UPDATE admin_keys SET last_used_at = now() WHERE id = $1`, k.ID)
		}
		return err
	})
	return k, err
}

// Keys lists every key, newest first.
func (a *Admin) Keys(ctx context.Context) ([]admin.Key, error) {
	var out []admin.Key
	err := a.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+keyColumns+` FROM admin_keys ORDER BY created_at DESC`)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (admin.Key, error) { return scanKey(r) })
		return err
	})
	return out, err
}

// RevokeKey revokes the key whose id or prefix is ref; false when there is no such live key.
func (a *Admin) RevokeKey(ctx context.Context, ref string) (bool, error) {
	var n int64
	err := a.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE admin_keys SET revoked_at = now() WHERE (id::text = $1 OR prefix = $1) AND revoked_at IS NULL`, ref)
		n = tag.RowsAffected()
		return err
	})
	return n > 0, err
}

// Audit records an action.
func (a *Admin) Audit(ctx context.Context, e admin.AuditEntry) error {
	detail, err := json.Marshal(e.Detail)
	if err != nil || len(detail) > 8000 {
		detail = []byte(`{"detail":"too large to keep"}`)
	}
	return a.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO admin_audit (key_id, action, target, detail, address) VALUES ($1, left($2, 100), left($3, 200), $4, left($5, 100))`,
			e.KeyID, e.Action, e.Target, detail, e.Address)
		return err
	})
}

// AuditLog is the entries before id before (all when 0), newest first.
func (a *Admin) AuditLog(ctx context.Context, before int64, limit int) ([]admin.AuditEntry, error) {
	var out []admin.AuditEntry
	err := a.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT a.id, a.key_id, k.name, a.action, a.target, a.detail, a.address, a.at FROM admin_audit a
			JOIN admin_keys k ON k.id = a.key_id WHERE $1 = 0 OR a.id < $1 ORDER BY a.id DESC LIMIT $2`, before, limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (admin.AuditEntry, error) {
			var e admin.AuditEntry
			err := r.Scan(&e.ID, &e.KeyID, &e.KeyName, &e.Action, &e.Target, &e.Detail, &e.Address, &e.At)
			return e, err
		})
		return err
	})
	return out, err
}

const adminUserSelect = `SELECT u.id, u.name, coalesce(u.email, ''), u.locale::text, u.timezone, u.subscription_tier::text,
	array(SELECT DISTINCT CASE WHEN i.provider IN ('google', 'yandex', 'apple', 'email') THEN 'web' ELSE i.provider::text END
	        FROM identities i WHERE i.user_id = u.id ORDER BY 1) || CASE WHEN u.password_hash IS NOT NULL AND NOT EXISTS
	        (SELECT FROM identities i WHERE i.user_id = u.id AND i.provider IN ('google', 'yandex', 'apple', 'email')) THEN ARRAY['web'] ELSE ARRAY[]::text[] END,
	u.suspended_at, (SELECT max(c.updated_at) FROM conversations c WHERE c.user_id = u.id), u.created_at,
	(SELECT count(*) FROM goals g WHERE g.user_id = u.id AND g.deleted_at IS NULL AND g.status = 'active'),
	(SELECT count(*) FROM tasks t WHERE t.user_id = u.id AND t.deleted_at IS NULL AND t.status IN ('todo', 'in_progress'))
	FROM users u`

func scanAdminUser(row pgx.Row) (admin.User, error) {
	var u admin.User
	err := row.Scan(&u.ID, &u.Name, &u.Email, &u.Locale, &u.Timezone, &u.Tier, &u.Platforms, &u.SuspendedAt, &u.LastActiveAt, &u.CreatedAt, &u.Goals, &u.OpenTasks)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, core.Errorf(core.ENOTFOUND, "no such user")
	}
	return u, err
}

// Users searches users.
func (a *Admin) Users(ctx context.Context, q admin.UserQuery) ([]admin.User, error) {
	var out []admin.User
	err := a.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		var at *time.Time
		var id *uuid.UUID
		if q.After != nil {
			at, id = &q.After.CreatedAt, &q.After.ID
		}
		rows, err := tx.Query(ctx, adminUserSelect+`
			WHERE ($1 = '' OR u.name ILIKE '%' || $1 || '%' OR u.email ILIKE '%' || $1 || '%'
			       OR EXISTS (SELECT FROM identities i WHERE i.user_id = u.id AND i.external_id = $1))
			  AND ($2 = '' OR u.subscription_tier::text = $2)
			  AND ($3 = '' OR ($3 = 'web' AND (u.password_hash IS NOT NULL OR EXISTS (SELECT FROM identities i WHERE i.user_id = u.id AND i.provider IN ('google', 'yandex', 'apple', 'email'))))
			       OR EXISTS (SELECT FROM identities i WHERE i.user_id = u.id AND i.provider::text = $3))
			  AND ($4::timestamptz IS NULL OR (u.created_at, u.id) < ($4, $5))
			ORDER BY u.created_at DESC, u.id DESC LIMIT $6`, q.Q, q.Tier, q.Platform, at, id, q.Limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (admin.User, error) { return scanAdminUser(r) })
		return err
	})
	return out, err
}

// User is one user.
func (a *Admin) User(ctx context.Context, id uuid.UUID) (admin.User, error) {
	var u admin.User
	err := a.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		var err error
		u, err = scanAdminUser(tx.QueryRow(ctx, adminUserSelect+` WHERE u.id = $1`, id))
		return err
	})
	return u, err
}

// UpdateUser changes a user's tier or suspends (true) or reinstates (false) them.
func (a *Admin) UpdateUser(ctx context.Context, id uuid.UUID, tier *string, suspended *bool) (admin.User, error) {
	err := a.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET subscription_tier = coalesce($2::subscription_tier, subscription_tier),
			suspended_at = CASE WHEN $3::boolean IS NULL THEN suspended_at WHEN $3 THEN coalesce(suspended_at, now()) END WHERE id = $1`, id, tier, suspended)
		if err == nil && tag.RowsAffected() == 0 {
			return core.Errorf(core.ENOTFOUND, "no such user")
		}
		if err == nil && suspended != nil && *suspended { // no session of theirs refreshes
			_, err = tx.Exec(ctx, `UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, id)
		}
		return err
	})
	if err != nil {
		return admin.User{}, err
	}
	return a.User(ctx, id)
}

// Teams is a page of teams, newest first, after the cursor.
func (a *Admin) Teams(ctx context.Context, after *core.Cursor, limit int) ([]admin.Team, error) {
	var out []admin.Team
	err := a.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		var at *time.Time
		var id *uuid.UUID
		if after != nil {
			at, id = &after.CreatedAt, &after.ID
		}
		rows, err := tx.Query(ctx, `SELECT t.id, t.name, coalesce(t.slack_team_id, ''), (SELECT count(*) FROM team_members m WHERE m.team_id = t.id),
			t.disabled_at, t.created_at FROM teams t WHERE $1::timestamptz IS NULL OR (t.created_at, t.id) < ($1, $2)
			ORDER BY t.created_at DESC, t.id DESC LIMIT $3`, at, id, limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (admin.Team, error) {
			var t admin.Team
			err := r.Scan(&t.ID, &t.Name, &t.SlackTeamID, &t.Members, &t.DisabledAt, &t.CreatedAt)
			return t, err
		})
		return err
	})
	return out, err
}

// Stats is the activity of each day from from to to. Messages and pushes are counted from the
// queues, which keep 14 days (docs/operations.md); LLM tokens from their own record.
func (a *Admin) Stats(ctx context.Context, from, to core.Date) ([]admin.DayStats, error) {
	var out []admin.DayStats
	err := a.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT d::date,
			(SELECT count(DISTINCT user_id) FROM inbound_updates WHERE received_at >= d AND received_at < d + interval '1 day'),
			(SELECT count(*) FROM inbound_updates WHERE received_at >= d AND received_at < d + interval '1 day'),
			(SELECT count(*) FROM outbox WHERE dedupe_key IS NOT NULL AND status = 'sent' AND sent_at >= d AND sent_at < d + interval '1 day'),
			(SELECT coalesce(sum(prompt_tokens + completion_tokens), 0) FROM llm_usage WHERE created_at >= d AND created_at < d + interval '1 day')
			FROM generate_series($1::date::timestamp AT TIME ZONE 'UTC', $2::date::timestamp AT TIME ZONE 'UTC', interval '1 day') d`, from.String(), to.String())
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (admin.DayStats, error) {
			var s admin.DayStats
			var day time.Time
			err := r.Scan(&day, &s.ActiveUsers, &s.Messages, &s.Pushes, &s.LLMTokens)
			s.Date = core.DateOf(day)
			return s, err
		})
		return err
	})
	return out, err
}

// PushNow schedules a push job (a weekly report) at once; false when the same one waits or ran.
func (j *Jobs) PushNow(ctx context.Context, job core.Job) (bool, error) {
	res, err := j.client.Insert(ctx, job, &pushOpts)
	if err != nil {
		return false, fmt.Errorf("postgres: push now: %w", err)
	}
	return !res.UniqueSkippedAsDuplicate, nil
}
