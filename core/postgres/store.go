package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bizconnect/bizconnect/core"
)

// Store implements core.Store.
type Store struct {
	db *DB
}

// NewStore returns a Store on db.
func NewStore(db *DB) *Store { return &Store{db: db} }

var _ core.Store = (*Store)(nil)

// querier is what both a pgx.Tx and a pooled connection inside BEGIN offer.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

const userColumns = `u.id, u.name, u.timezone, u.locale::text, u.settings, u.created_at`

func scanUser(row pgx.Row, u *core.User) error {
	var settings []byte
	if err := row.Scan(&u.ID, &u.Name, &u.Timezone, &u.Locale, &settings, &u.CreatedAt); err != nil {
		return err
	}
	return json.Unmarshal(settings, &u.Settings)
}

const (
	claimSQL = `INSERT INTO inbound_updates (key, processed_at) VALUES ($1, now())
		ON CONFLICT (key) DO UPDATE SET processed_at = now(), lease_until = NULL
		WHERE inbound_updates.processed_at IS NULL RETURNING true`
	findUserSQL = `SELECT ` + userColumns + `, u.unreachable_at IS NOT NULL,
			(SELECT m.team_id FROM teams t JOIN team_members m ON m.team_id = t.id AND m.user_id = u.id
			  WHERE $2 <> '' AND t.slack_team_id = $2)
		FROM identities i JOIN users u ON u.id = i.user_id
		WHERE i.provider = $1 AND i.workspace = $2 AND i.external_id = $3`
	// joinTeamSQL makes the user a member of their workspace's team, creating the team on the
	// workspace's first message (single-workspace mode); the team's first member owns it.
	joinTeamSQL = `WITH t AS (
			INSERT INTO teams (name, slack_team_id) VALUES ($1, $1)
			ON CONFLICT (slack_team_id) DO UPDATE SET slack_team_id = excluded.slack_team_id RETURNING id
		), m AS (
			INSERT INTO team_members (team_id, user_id, role)
			SELECT t.id, $2, CASE WHEN EXISTS (SELECT FROM team_members x WHERE x.team_id = t.id) THEN 'member'::team_role ELSE 'owner' END
			FROM t ON CONFLICT DO NOTHING
		)
		SELECT id FROM t`
	createUserSQL = `WITH u AS (
			INSERT INTO users (name, timezone, locale) VALUES ($4, $5, $6) RETURNING *
		), i AS (
			INSERT INTO identities (user_id, provider, workspace, external_id, display_name)
			SELECT id, $1, $2, $3, $4 FROM u ON CONFLICT DO NOTHING RETURNING user_id
		)
		SELECT ` + userColumns + `, EXISTS (SELECT FROM i) FROM u`
	dialogSQL = `SELECT state FROM conversations WHERE user_id = $1 AND chat = $2`
)

// errIdentityRace means another transaction created the same identity first; retrying finds it.
var errIdentityRace = errors.New("identity created concurrently")

// Inbound implements core.Store. It talks to PostgreSQL in few round trips: BEGIN, the role switch,
// the claim and the user lookup go in one batch; the switch to the user and the dialog in another.
func (s *Store) Inbound(ctx context.Context, sc core.InboundScope, fn func(context.Context, core.Tx, *core.Session) error) (bool, error) {
	for attempt := 0; ; attempt++ {
		ok, err := s.inbound(ctx, sc, fn)
		if errors.Is(err, errIdentityRace) && attempt < 3 {
			continue
		}
		return ok, err
	}
}

func (s *Store) inbound(ctx context.Context, sc core.InboundScope, fn func(context.Context, core.Tx, *core.Session) error) (handled bool, err error) {
	conn, err := s.db.pool.Acquire(ctx)
	if err != nil {
		return false, fmt.Errorf("postgres: acquire: %w", err)
	}
	t := &tx{q: conn, chat: sc.Chat}
	defer t.finish(ctx, conn)

	id := sc.Identity
	b := &pgx.Batch{}
	b.Queue(`BEGIN`)
	b.Queue(setRoleSQL, "service_role", "")
	if sc.Key != "" {
		b.Queue(claimSQL, sc.Key)
	}
	b.Queue(findUserSQL, id.Provider, id.Workspace, id.ExternalID)
	br := conn.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		br.Close()
		return false, fmt.Errorf("postgres: begin: %w", err)
	}
	t.open = true
	if _, err := br.Exec(); err != nil {
		br.Close()
		return false, fmt.Errorf("postgres: set role: %w", err)
	}
	if sc.Key != "" {
		var claimed bool
		if err := br.QueryRow().Scan(&claimed); errors.Is(err, pgx.ErrNoRows) {
			br.Close()
			return false, nil
		} else if err != nil {
			br.Close()
			return false, fmt.Errorf("postgres: claim update: %w", err)
		}
	}
	sess := &core.Session{User: &core.User{}}
	var unreachable bool
	err = scanUserFlag(br.QueryRow(), sess.User, &unreachable, &sess.TeamID)
	if cerr := br.Close(); err == nil && cerr != nil {
		err = cerr
	}
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		d := sc.Defaults
		var inserted bool
		err = scanUserFlag(conn.QueryRow(ctx, createUserSQL, id.Provider, id.Workspace, id.ExternalID, d.Name, d.Timezone, d.Locale), sess.User, &inserted, nil)
		if err != nil {
			return false, fmt.Errorf("postgres: create user: %w", err)
		}
		if !inserted {
			return false, errIdentityRace
		}
		sess.Created = true
	case err != nil:
		return false, fmt.Errorf("postgres: find user: %w", err)
	case unreachable:
		if _, err := conn.Exec(ctx, `UPDATE users SET unreachable_at = NULL WHERE id = $1`, sess.User.ID); err != nil {
			return false, fmt.Errorf("postgres: mark reachable: %w", err)
		}
	}

	if id.Workspace != "" && sess.TeamID == nil {
		var team uuid.UUID
		if err := conn.QueryRow(ctx, joinTeamSQL, id.Workspace, sess.User.ID).Scan(&team); err != nil {
			return false, fmt.Errorf("postgres: join team: %w", err)
		}
		sess.TeamID = &team
	}

	b = &pgx.Batch{}
	b.Queue(setRoleSQL, "authenticated", claimsOf(sess.User.ID, "authenticated"))
	b.Queue(dialogSQL, sess.User.ID, sc.Chat)
	br = conn.SendBatch(ctx, b)
	_, err = br.Exec()
	if err == nil {
		err = scanDialog(br.QueryRow(), &sess.Dialog)
	}
	if cerr := br.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return false, fmt.Errorf("postgres: load dialog: %w", err)
	}
	t.user, t.dialog = sess.User, sess.Dialog
	if err := fn(ctx, t, sess); err != nil {
		return false, err
	}
	return true, t.commit(ctx)
}

// scanUserFlag scans a user, a flag and, when team is not nil, the user's team in the workspace.
func scanUserFlag(row pgx.Row, u *core.User, flag *bool, team **uuid.UUID) error {
	var settings []byte
	dest := []any{&u.ID, &u.Name, &u.Timezone, &u.Locale, &settings, &u.CreatedAt, flag}
	if team != nil {
		dest = append(dest, team)
	}
	if err := row.Scan(dest...); err != nil {
		return err
	}
	return json.Unmarshal(settings, &u.Settings)
}

func scanDialog(row pgx.Row, d *core.Dialog) error {
	var state []byte
	err := row.Scan(&state)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return json.Unmarshal(state, d)
}

func claimsOf(id uuid.UUID, role string) string {
	b, _ := json.Marshal(claims{Sub: id.String(), Role: role})
	return string(b)
}

// InUser implements core.Store.
func (s *Store) InUser(ctx context.Context, userID uuid.UUID, fn func(context.Context, core.Tx, *core.User) error) (err error) {
	conn, err := s.db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: acquire: %w", err)
	}
	t := &tx{q: conn}
	defer t.finish(ctx, conn)
	b := &pgx.Batch{}
	b.Queue(`BEGIN`)
	b.Queue(setRoleSQL, "authenticated", claimsOf(userID, "authenticated"))
	b.Queue(`SELECT `+userColumns+` FROM users u WHERE u.id = $1`, userID)
	br := conn.SendBatch(ctx, b)
	_, err = br.Exec()
	t.open = err == nil
	if err == nil {
		_, err = br.Exec()
	}
	u := &core.User{}
	if err == nil {
		err = scanUser(br.QueryRow(), u)
	}
	if cerr := br.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return core.Errorf(core.ENOTFOUND, "user not found")
	}
	if err != nil {
		return fmt.Errorf("postgres: load user: %w", err)
	}
	t.user = u
	if err := fn(ctx, t, u); err != nil {
		return err
	}
	return t.commit(ctx)
}

// tx is a transaction on a pooled connection, begun by a batch.
type tx struct {
	q      querier
	open   bool
	user   *core.User
	chat   string
	dialog core.Dialog
	// writes queued until commit: replies and the dialog, in one round trip
	deferred pgx.Batch
}

// commit sends the deferred writes and COMMIT in one round trip.
func (t *tx) commit(ctx context.Context) error {
	n := t.deferred.Len()
	t.deferred.Queue(`COMMIT`)
	br := t.q.SendBatch(ctx, &t.deferred)
	var tag pgconn.CommandTag
	var err error
	for i := 0; i <= n && err == nil; i++ {
		tag, err = br.Exec()
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	if tag.String() != "COMMIT" { // an aborted transaction "commits" as ROLLBACK
		return fmt.Errorf("postgres: commit: transaction was rolled back")
	}
	t.open = false
	return nil
}

// finish rolls back an unfinished transaction and returns the connection to the pool; a
// connection in an unknown state is closed instead.
func (t *tx) finish(ctx context.Context, conn *pgxpool.Conn) {
	if t.open {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, rerr := conn.Exec(rctx, `ROLLBACK`); rerr != nil {
			conn.Conn().Close(rctx) //nolint:errcheck // the pool drops closed connections
		}
	}
	conn.Release()
}
