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
	db   *DB
	jobs *Jobs
}

// NewStore returns a Store on db.
func NewStore(db *DB) *Store { return &Store{db: db} }

// WithJobs returns a store whose transactions schedule jobs (Tx.Later) on jobs.
func (s *Store) WithJobs(jobs *Jobs) *Store { return &Store{db: s.db, jobs: jobs} }

func (s *Store) newTx(conn *pgxpool.Conn) *tx {
	t := newTx(conn, s.db.now())
	t.conn, t.jobs = conn.Conn(), s.jobs
	return t
}

var _ core.Store = (*Store)(nil)

// querier is what both a pgx.Tx and a pooled connection inside BEGIN offer.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

const userColumns = `u.id, u.name, u.timezone, u.locale::text, u.settings, u.subscription_tier::text, u.created_at, u.suspended_at IS NOT NULL,
	EXISTS (SELECT FROM integration_connections c WHERE c.user_id = u.id AND c.service = 'google_calendar'), u.email_confirmed_at IS NOT NULL`

const (
	// claimSQL marks the update processed. An update processed without being accepted first
	// (straight from Assistant.Process) records where it came from, which is where enqueue_reply
	// lets its replies go.
	claimSQL = `INSERT INTO inbound_updates (key, processed_at, payload)
		VALUES ($1, now(), jsonb_build_object('provider', $2::text, 'workspace', $3::text, 'chat_id', $4::text, 'external_user_id', $5::text))
		ON CONFLICT (key) DO UPDATE SET processed_at = now(), lease_until = NULL, leased_by = NULL
		WHERE inbound_updates.processed_at IS NULL RETURNING true`
	findUserSQL = `SELECT ` + userColumns + `, u.unreachable_at IS NOT NULL, i.private_at IS NULL, m.team_id, coalesce(m.role::text, '')
		FROM identities i JOIN users u ON u.id = i.user_id
		LEFT JOIN (team_members m JOIN teams t ON t.id = m.team_id) ON m.user_id = u.id AND $2 <> '' AND t.slack_team_id = $2
		WHERE i.provider = $1 AND i.workspace = $2 AND i.external_id = $3`
	// joinTeamSQL makes the user a member of their workspace's team, creating the team on the
	// workspace's first message (single-workspace mode). Slack's own owners and admins ($3) are the
	// team's admins, and the first of them owns a team that has no owner yet (no OAuth installer):
	// whoever merely writes first does not.
	joinTeamSQL = `WITH t AS (
			INSERT INTO teams (name, slack_team_id) VALUES ($1, $1)
			ON CONFLICT (slack_team_id) DO UPDATE SET slack_team_id = excluded.slack_team_id RETURNING id
		), m AS (
			INSERT INTO team_members (team_id, user_id, role)
			SELECT t.id, $2, CASE
				WHEN $3 = '' THEN 'member'::team_role
				WHEN NOT EXISTS (SELECT FROM team_members x WHERE x.team_id = t.id AND x.role = 'owner') THEN 'owner'
				ELSE 'admin' END
			FROM t ON CONFLICT (team_id, user_id) DO UPDATE SET role = team_members.role RETURNING role::text
		)
		SELECT t.id, (SELECT role FROM m) FROM t`
	createUserSQL = `WITH u AS (
			INSERT INTO users (name, timezone, locale) VALUES ($4, $5, $6) RETURNING *
		), i AS (
			INSERT INTO identities (user_id, provider, workspace, external_id, display_name, private_at)
			SELECT id, $1, $2, $3, $4, CASE WHEN $7 THEN now() END FROM u ON CONFLICT DO NOTHING RETURNING user_id
		)
		SELECT ` + userColumns + `, EXISTS (SELECT FROM i) FROM u`
	dialogSQL = `SELECT state FROM conversations WHERE user_id = $1 AND chat = $2`
	// dialogByIdentitySQL and becomeUserSQL let the first batch load the dialog and switch to the
	// user before the user's id is known to Go.
	// The dialog is locked until the message's transaction ends, so a job following up an
	// earlier message (LoadDialog … FOR UPDATE) and this message change it one after the other.
	dialogByIdentitySQL = `SELECT c.state FROM identities i JOIN conversations c ON c.user_id = i.user_id
		WHERE i.provider = $1 AND i.workspace = $2 AND i.external_id = $3 AND c.chat = $4 FOR UPDATE OF c`
	becomeUserSQL = `SELECT set_config('request.jwt.claims', json_build_object('role', 'authenticated', 'sub',
			(SELECT user_id FROM identities WHERE provider = $1 AND workspace = $2 AND external_id = $3))::text, true),
		set_config('role', 'authenticated', true)`
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

func (s *Store) inbound(ctx context.Context, sc core.InboundScope, fn func(context.Context, core.Tx, *core.Session) error) (bool, error) {
	conn, err := s.db.pool.Acquire(ctx)
	if err != nil {
		return false, fmt.Errorf("postgres: acquire: %w", err)
	}
	t := s.newTx(conn)
	defer t.finish(ctx, conn)

	// One round trip for a known user: begin, claim the update, find the user and the dialog (as
	// service_role, by identity), then become that user.
	id := sc.Identity
	b := &pgx.Batch{}
	b.Queue(`BEGIN`)
	b.Queue(setRoleSQL, "service_role", "")
	if sc.Key != "" {
		b.Queue(claimSQL, sc.Key, id.Provider, id.Workspace, sc.ChatID, id.ExternalID)
	}
	b.Queue(findUserSQL, id.Provider, id.Workspace, id.ExternalID)
	b.Queue(dialogByIdentitySQL, id.Provider, id.Workspace, id.ExternalID, sc.Chat)
	b.Queue(becomeUserSQL, id.Provider, id.Workspace, id.ExternalID)
	br := conn.SendBatch(ctx, b)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return false, fmt.Errorf("postgres: begin: %w", err)
	}
	t.open = true
	if _, err := br.Exec(); err != nil {
		return false, fmt.Errorf("postgres: set role: %w", err)
	}
	if sc.Key != "" {
		var claimed bool
		if err := br.QueryRow().Scan(&claimed); errors.Is(err, pgx.ErrNoRows) {
			return false, nil // handled before
		} else if err != nil {
			return false, fmt.Errorf("postgres: claim update: %w", err)
		}
	}
	sess := &core.Session{User: &core.User{}}
	var unreachable bool
	found := scanUser(br.QueryRow(), sess.User, &unreachable, &sess.NoPrivateChat, &sess.TeamID, &sess.TeamRole)
	if found != nil && !errors.Is(found, pgx.ErrNoRows) {
		return false, fmt.Errorf("postgres: find user: %w", found)
	}
	if err := scanDialog(br.QueryRow(), &sess.Dialog); err != nil {
		return false, fmt.Errorf("postgres: load dialog: %w", err)
	}
	if _, err := br.Exec(); err != nil {
		return false, fmt.Errorf("postgres: become user: %w", err)
	}
	if err := br.Close(); err != nil {
		return false, fmt.Errorf("postgres: begin: %w", err)
	}

	// Rare system work: a new user, a user who had blocked the bot, a first private message, a
	// first message from a team.
	created := errors.Is(found, pgx.ErrNoRows)
	firstPrivate := !created && sess.NoPrivateChat && sc.Private
	sess.NoPrivateChat = sess.NoPrivateChat || (unreachable && !sc.Private) // blocked: as good as none
	if created || unreachable || firstPrivate || (id.Workspace != "" && sess.TeamID == nil) {
		if err := t.systemWork(ctx, sc, sess, created, unreachable, firstPrivate); err != nil {
			return false, err
		}
	}
	t.user, t.key, t.team, t.teamRole = sess.User, sc.Key, sess.TeamID, sess.TeamRole
	if err := fn(ctx, t, sess); err != nil {
		return false, err
	}
	return true, t.commit(ctx)
}

// systemWork creates the user, clears an unreachable mark or joins the workspace's team, as
// service_role, then becomes the user again.
func (t *tx) systemWork(ctx context.Context, sc core.InboundScope, sess *core.Session, create, unreachable, firstPrivate bool) error {
	id := sc.Identity
	if _, err := t.raw.Exec(ctx, setRoleSQL, "service_role", ""); err != nil {
		return fmt.Errorf("postgres: set role: %w", err)
	}
	if create {
		d := sc.Defaults
		var inserted bool
		row := t.raw.QueryRow(ctx, createUserSQL, id.Provider, id.Workspace, id.ExternalID, d.Name, d.Timezone, d.Locale, sc.Private)
		if err := scanUser(row, sess.User, &inserted); err != nil {
			return fmt.Errorf("postgres: create user: %w", err)
		}
		if !inserted {
			return errIdentityRace
		}
		sess.Created, sess.NoPrivateChat = true, !sc.Private
	}
	if firstPrivate {
		if _, err := t.raw.Exec(ctx, `UPDATE identities SET private_at = now() WHERE provider = $1 AND workspace = $2 AND external_id = $3`,
			id.Provider, id.Workspace, id.ExternalID); err != nil {
			return fmt.Errorf("postgres: first private message: %w", err)
		}
		sess.NoPrivateChat = false
	}
	if unreachable {
		if _, err := t.raw.Exec(ctx, `UPDATE users SET unreachable_at = NULL WHERE id = $1`, sess.User.ID); err != nil {
			return fmt.Errorf("postgres: mark reachable: %w", err)
		}
	}
	if id.Workspace != "" && sess.TeamID == nil {
		var team uuid.UUID
		if err := t.raw.QueryRow(ctx, joinTeamSQL, id.Workspace, sess.User.ID, sc.PlatformRole).Scan(&team, &sess.TeamRole); err != nil {
			return fmt.Errorf("postgres: join team: %w", err)
		}
		sess.TeamID = &team
	}
	if _, err := t.raw.Exec(ctx, setRoleSQL, "authenticated", claimsOf(sess.User.ID, "authenticated")); err != nil {
		return fmt.Errorf("postgres: set role: %w", err)
	}
	return nil
}

// scanUser scans a user's columns, then extra values after them.
func scanUser(row pgx.Row, u *core.User, extra ...any) error {
	var settings []byte
	if err := row.Scan(append([]any{&u.ID, &u.Name, &u.Timezone, &u.Locale, &settings, &u.Tier, &u.CreatedAt, &u.Suspended, &u.Calendar, &u.MailConfirmed}, extra...)...); err != nil {
		return err
	}
	return json.Unmarshal(settings, &u.Settings)
}

func scanDialog(row pgx.Row, state *json.RawMessage) error {
	err := row.Scan(state)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	return err
}

func claimsOf(id uuid.UUID, role string) string {
	b, _ := json.Marshal(claims{Sub: id.String(), Role: role})
	return string(b)
}

// InUser implements core.Store.
func (s *Store) InUser(ctx context.Context, userID uuid.UUID, fn func(context.Context, core.Tx, *core.User) error) error {
	return s.inUser(ctx, userID, "", fn)
}

// FollowUp implements core.Store.
func (s *Store) FollowUp(ctx context.Context, userID uuid.UUID, key string, fn func(context.Context, core.Tx, *core.User) error) error {
	if key == "" {
		return errors.New("postgres: follow-up: no update to follow up")
	}
	return s.inUser(ctx, userID, key, fn)
}

func (s *Store) inUser(ctx context.Context, userID uuid.UUID, key string, fn func(context.Context, core.Tx, *core.User) error) (err error) {
	conn, err := s.db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: acquire: %w", err)
	}
	t := s.newTx(conn)
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
	t.user, t.key, t.followUp = u, key, key != ""
	if err := fn(ctx, t, u); err != nil {
		return err
	}
	return t.commit(ctx)
}

// tx is a transaction on a pooled connection, begun by a batch.
type tx struct {
	conn *pgx.Conn // the connection, as River's view of the transaction needs it
	raw  querier   // the connection
	q    querier   // the connection, after the deferred writes: what every statement uses
	open bool
	now  time.Time // the transaction's one clock reading
	user *core.User
	key  string // the update being answered: replies may only go where it came from
	// followUp means the update was handled before and a job finishes what it asked: replies
	// are new messages only (enqueue_later_reply).
	followUp bool
	jobs     *Jobs // where Later schedules jobs; nil when the store has none
	// team and teamRole are the session's workspace team and the user's role in it
	team     *uuid.UUID
	teamRole string
	// Writes that need no answer (new tasks, replies, the dialog) wait here and go with the next
	// statement or with COMMIT, in its round trip.
	deferred pgx.Batch
	broken   bool               // deferred writes failed: commit refuses
	earned   []core.Achievement // awarded by this transaction
}

func newTx(conn querier, now time.Time) *tx {
	t := &tx{raw: conn, now: now}
	t.q = flushing{t}
	return t
}

// Now implements core.Tx.
func (t *tx) Now() time.Time { return t.now }

// flushing sends a transaction's deferred writes before each statement, in the same round trip,
// so the statement sees them.
type flushing struct{ t *tx }

// send sends the deferred writes and then sql; it returns the batch with the statement's result
// next, or nil when nothing was deferred.
func (f flushing) send(ctx context.Context, sql string, args []any) (pgx.BatchResults, error) {
	n := f.t.deferred.Len()
	if n == 0 {
		return nil, nil
	}
	b := f.t.deferred
	f.t.deferred = pgx.Batch{}
	b.Queue(sql, args...)
	br := f.t.raw.SendBatch(ctx, &b)
	for range n {
		if _, err := br.Exec(); err != nil {
			br.Close()
			f.t.broken = true // writes went missing: the transaction must not commit
			return nil, fmt.Errorf("postgres: deferred writes: %w", err)
		}
	}
	return br, nil
}

func (f flushing) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	br, err := f.send(ctx, sql, args)
	if err != nil || br == nil {
		if err == nil {
			return f.t.raw.Exec(ctx, sql, args...)
		}
		return pgconn.CommandTag{}, err
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

func (f flushing) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	br, err := f.send(ctx, sql, args)
	if err != nil || br == nil {
		if err == nil {
			return f.t.raw.Query(ctx, sql, args...)
		}
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		br.Close()
		return nil, err
	}
	return &batchRows{Rows: rows, br: br}, nil
}

func (f flushing) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if f.t.deferred.Len() == 0 {
		return f.t.raw.QueryRow(ctx, sql, args...)
	}
	rows, err := f.Query(ctx, sql, args...)
	return rowOf{rows, err}
}

// SendBatch sends the deferred writes ahead of b in the same round trip and reads their results,
// so the caller reads b's results as its own.
func (f flushing) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	n := f.t.deferred.Len()
	merged := f.t.deferred
	f.t.deferred = pgx.Batch{}
	merged.QueuedQueries = append(merged.QueuedQueries, b.QueuedQueries...)
	br := f.t.raw.SendBatch(ctx, &merged)
	for range n {
		if _, err := br.Exec(); err != nil {
			f.t.broken = true // the transaction is aborted: b's statements fail too
		}
	}
	return br
}

// batchRows are the rows of a batch's last statement: the batch closes with them, at the latest
// when they run out, so the connection is free again however the caller reads them.
type batchRows struct {
	pgx.Rows
	br  pgx.BatchResults
	err error
}

func (r *batchRows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.Close()
	return false
}

func (r *batchRows) Close() {
	if r.br != nil {
		r.Rows.Close()
		r.err, r.br = r.br.Close(), nil
	}
}

func (r *batchRows) Err() error {
	if err := r.Rows.Err(); err != nil {
		return err
	}
	return r.err
}

// rowOf is the first row of rows, as pgx's QueryRow gives it.
type rowOf struct {
	rows pgx.Rows
	err  error
}

func (r rowOf) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}

// commit sends the deferred writes and COMMIT in one round trip.
func (t *tx) commit(ctx context.Context) error {
	if t.broken {
		return errors.New("postgres: commit: deferred writes failed")
	}
	n := t.deferred.Len()
	t.deferred.Queue(`COMMIT`)
	br := t.raw.SendBatch(ctx, &t.deferred)
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
