package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/bizconnect/bizconnect/migrations"
)

// RiverSchema is where River's tables live: apart from the user tables of public (and their
// Row Level Security), reachable by service_role alone.
const RiverSchema = "river"

// riverMigrationVersion is the goose version that installs River's schema with ours. The next SQL
// migration is 00011: goose refuses two migrations of one version.
const riverMigrationVersion = 10

// riverMigration installs River's schema as goose version riverMigrationVersion; down drops it.
// Migrator.Up also brings River's schema up to date on every run, so a newer River migrates its
// tables without a migration of ours.
func riverMigration() *goose.Migration {
	down := func(ctx context.Context, db *sql.DB) error {
		if _, err := db.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+RiverSchema+` CASCADE`); err != nil {
			return fmt.Errorf("river schema: %w", err)
		}
		return nil
	}
	return goose.NewGoMigration(riverMigrationVersion, &goose.GoFunc{RunDB: migrateRiver}, &goose.GoFunc{RunDB: down})
}

// migrateRiver runs River's own migrations, at the version this binary's River needs, in schema
// river, and grants service_role what River's client does there (again, for tables a newer River
// adds). River's migrations run one transaction each, as River runs them: a later one uses an
// enum value an earlier one adds, which PostgreSQL allows only once that is committed.
func migrateRiver(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+RiverSchema); err != nil {
		return fmt.Errorf("river schema: %w", err)
	}
	m, err := rivermigrate.New(riverdatabasesql.New(db), &rivermigrate.Config{Schema: RiverSchema})
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	if _, err = db.ExecContext(ctx, RiverGrants); err != nil {
		return fmt.Errorf("river grants: %w", err)
	}
	return nil
}

// RiverGrants are the privileges on River's schema, granted again on every migration run.
// service_role does River's work. authenticated may only resolve names there, no table,
// sequence or function: a user's transaction switches to service_role for the one statement
// that schedules a job (Tx.Later), which PostgreSQL parses, in the same round trip, before the
// switch has run.
const RiverGrants = `
		REVOKE ALL ON SCHEMA ` + RiverSchema + ` FROM PUBLIC;
		REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ` + RiverSchema + ` FROM PUBLIC;
		GRANT USAGE ON SCHEMA ` + RiverSchema + ` TO service_role, authenticated;
		GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ` + RiverSchema + ` TO service_role;
		GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ` + RiverSchema + ` TO service_role;
		GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ` + RiverSchema + ` TO service_role`

// MigrationCount is how many migrations there are: the SQL files and River's.
func MigrationCount() int {
	files, _ := fs.Glob(migrations.FS, "*.sql")
	return len(files) + 1
}

// RiverVersion is the newest of River's own migrations, which the river migration installs.
func RiverVersion() int {
	m, err := rivermigrate.New(riverdatabasesql.New(nil), &rivermigrate.Config{Schema: RiverSchema})
	if err != nil {
		return 0
	}
	all := m.AllVersions()
	return all[len(all)-1].Version
}
