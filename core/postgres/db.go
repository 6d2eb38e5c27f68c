package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DB is the connection pool of the runtime role.
type DB struct {
	pool *pgxpool.Pool
	// NowFunc is the clock of every user transaction: read once when it begins, it stamps what
	// the transaction writes and tells the user's "today". time.Now when nil; tests move it.
	NowFunc func() time.Time
}

// now reads the clock, to the microsecond PostgreSQL keeps.
func (db *DB) now() time.Time {
	if db.NowFunc != nil {
		return db.NowFunc().Truncate(time.Microsecond)
	}
	return time.Now().Truncate(time.Microsecond)
}

// Open connects to databaseURL and checks the connection.
func Open(ctx context.Context, databaseURL string) (*DB, error) { return open(ctx, databaseURL, nil) }

// open is Open with the pool's configuration changed by tune, when not nil.
func open(ctx context.Context, databaseURL string, tune func(*pgxpool.Config)) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse DATABASE_URL: %w", err)
	}
	if !strings.Contains(databaseURL, "pool_max_conns") {
		cfg.MaxConns = 32 // enough in-flight transactions for group commit to pay off
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	if tune != nil {
		tune(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	return &DB{pool: pool}, nil
}

// Close closes every connection of the pool.
func (db *DB) Close() { db.pool.Close() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.pool.Ping(ctx) }

// claims is the JWT-shaped payload auth.uid() reads from request.jwt.claims.
type claims struct {
	Sub  string `json:"sub"`
	Role string `json:"role"`
}

const setRoleSQL = `SELECT set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`

// InUserTx runs fn in a transaction as `authenticated` with userID's claims: Row Level Security
// limits fn to the rows userID may see. fn's error rolls the transaction back.
func (db *DB) InUserTx(ctx context.Context, userID uuid.UUID, fn func(tx pgx.Tx) error) error {
	return db.inTx(ctx, "authenticated", userID, fn)
}

// InServiceTx runs fn in a transaction as `service_role`, for system work (identity lookup,
// scheduler, delivery) that spans users.
func (db *DB) InServiceTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return db.inTx(ctx, "service_role", uuid.Nil, fn)
}

// serviceOne runs one statement as service_role in a transaction of its own, in a single
// round trip (BEGIN, the role, the statement and COMMIT sent together); with scan, its row is
// read by scan (pgx.ErrNoRows when there is none), otherwise it is executed and tag says what
// it did.
func (db *DB) serviceOne(ctx context.Context, scan func(pgx.Row) error, sql string, args ...any) (tag pgconn.CommandTag, err error) {
	b := &pgx.Batch{}
	b.Queue(`BEGIN`)
	b.Queue(setRoleSQL, "service_role", "")
	var fnErr error
	q := b.Queue(sql, args...)
	if scan != nil {
		q.QueryRow(func(row pgx.Row) error { fnErr = scan(row); return nil })
	} else {
		q.Exec(func(t pgconn.CommandTag) error { tag = t; return nil })
	}
	b.Queue(`COMMIT`)
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return tag, err
	}
	return tag, fnErr
}

func (db *DB) inTx(ctx context.Context, role string, userID uuid.UUID, fn func(tx pgx.Tx) error) error {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if err := SetRole(ctx, tx, role, userID); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}

// SetRole switches the current transaction to role ("authenticated", "service_role" or "anon")
// with userID's claims (none when userID is uuid.Nil). It lasts until the transaction ends.
func SetRole(ctx context.Context, tx pgx.Tx, role string, userID uuid.UUID) error {
	c := ""
	if userID != uuid.Nil {
		b, _ := json.Marshal(claims{Sub: userID.String(), Role: role})
		c = string(b)
	}
	if _, err := tx.Exec(ctx, setRoleSQL, role, c); err != nil {
		return fmt.Errorf("postgres: set role %s: %w", role, err)
	}
	return nil
}
