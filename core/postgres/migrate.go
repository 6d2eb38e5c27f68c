package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for goose
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/migrations"
)

// Migrator applies the embedded migrations. It connects as the schema owner (DATABASE_ADMIN_URL),
// never as the runtime role.
type Migrator struct {
	db       *sql.DB
	provider *goose.Provider
}

// NewMigrator opens a connection to adminURL for migrations. Several instances may migrate at
// once: a Postgres advisory lock serialises them.
func NewMigrator(adminURL string, logger *slog.Logger) (*Migrator, error) {
	db, err := sql.Open("pgx", adminURL)
	if err != nil {
		return nil, fmt.Errorf("migrate: open: %w", err)
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: locker: %w", err)
	}
	opts := []goose.ProviderOption{goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true),
		goose.WithGoMigrations(riverMigration())}
	if logger != nil {
		opts = append(opts, goose.WithSlog(logger))
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS, opts...)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return &Migrator{db: db, provider: p}, nil
}

// Close closes the migrator's connection.
func (m *Migrator) Close() error { return m.db.Close() }

// Up applies every pending migration and returns how many it applied; River's schema is then
// brought to the version this binary's River needs (a no-op when it is).
func (m *Migrator) Up(ctx context.Context) (int, error) {
	res, err := m.provider.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("migrate up: %w", err)
	}
	if err := m.locked(ctx, migrateRiver); err != nil {
		return len(res), fmt.Errorf("migrate up: %w", err)
	}
	return len(res), nil
}

// riverLock is the advisory lock instances hold while they bring River's schema up to date.
const riverLock = 7405124

// locked runs fn holding riverLock on a connection of its own, so that instances migrating at
// once take turns.
func (m *Migrator) locked(ctx context.Context, fn func(context.Context, *sql.DB) error) error {
	conn, err := m.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, riverLock); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, riverLock) //nolint:errcheck
	return fn(ctx, m.db)
}

// Down rolls back the latest migration.
func (m *Migrator) Down(ctx context.Context) error {
	if _, err := m.provider.Down(ctx); err != nil {
		return fmt.Errorf("migrate down: %w", err)
	}
	return nil
}

// Reset rolls back every migration.
func (m *Migrator) Reset(ctx context.Context) (int, error) {
	res, err := m.provider.DownTo(ctx, 0)
	if err != nil {
		return len(res), fmt.Errorf("migrate reset: %w", err)
	}
	return len(res), nil
}

// MigrationState is one migration and whether it is applied.
type MigrationState struct {
	Version int64
	Name    string
	Applied bool
}

// Status lists every migration with its state.
func (m *Migrator) Status(ctx context.Context) ([]MigrationState, error) {
	st, err := m.provider.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate status: %w", err)
	}
	out := make([]MigrationState, 0, len(st))
	for _, s := range st {
		out = append(out, MigrationState{
			Version: s.Source.Version,
			Name:    s.Source.Path,
			Applied: s.State == goose.StateApplied,
		})
	}
	return out, nil
}

// LatestVersion returns the version of the newest migration, SQL or Go.
func LatestVersion() (int64, error) {
	files, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil || len(files) == 0 {
		return 0, fmt.Errorf("migrate: no embedded migrations")
	}
	latest := int64(riverMigrationVersion)
	for _, f := range files {
		v, err := goose.NumericComponent(f)
		if err != nil {
			return 0, fmt.Errorf("migrate: %s: %w", f, err)
		}
		latest = max(latest, v)
	}
	return latest, nil
}

// Ready reports whether the database answers and its schema is at the newest embedded migration.
// The error says why not.
func (db *DB) Ready(ctx context.Context) error {
	want, err := LatestVersion()
	if err != nil {
		return err
	}
	var have int64
	err = db.InServiceTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx,
			`SELECT coalesce(max(version_id), 0) FROM goose_db_version WHERE is_applied`).Scan(&have)
	})
	if err != nil {
		// the cause names hosts and users: it goes to the log, the message to the probe
		return errors.Join(core.Errorf(core.EUNAVAILABLE, "database unavailable"), err)
	}
	if have != want {
		return core.Errorf(core.EUNAVAILABLE, "database schema at version %d, binary expects %d: run `bizconnect migrate up`", have, want)
	}
	return nil
}
