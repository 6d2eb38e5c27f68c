// Package coretest gives tests a real, isolated PostgreSQL database and factories for core types.
//
// Each test gets its own database, cloned in milliseconds from a template that is migrated once per
// schema version. BC_TEST_DATABASE_URL names a superuser connection to a throwaway cluster (`make
// test` starts one). Without it a test skips with a message, except under CI=true, where a
// missing database fails the test.
package coretest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/migrations"
)

// TestDB is one test's database.
type TestDB struct {
	// DB is the runtime role's pool: everything RLS applies to.
	*postgres.DB
	// Super is a superuser pool on the same database, for setup and for inspecting raw state.
	Super *pgxpool.Pool
	// URL connects as the runtime role (what DATABASE_URL holds in production).
	URL string
	// AdminURL connects as the schema owner (what DATABASE_ADMIN_URL holds).
	AdminURL string
	// Name is the database's name.
	Name string
}

var template struct {
	once sync.Once
	name string
	err  error
}

// ServerURL returns the superuser URL of the test cluster, skipping or failing t when it is unset.
func ServerURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("BC_TEST_DATABASE_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("BC_TEST_DATABASE_URL is not set under CI=true: the tests need a real PostgreSQL (run `make test`)")
		}
		t.Skip("BC_TEST_DATABASE_URL is not set: run `make test` to start a throwaway PostgreSQL")
	}
	return u
}

// NewDB creates an empty, fully migrated database for t and drops it when t ends.
func NewDB(t testing.TB) *TestDB {
	t.Helper()
	server := ServerURL(t)
	ctx := context.Background()
	template.once.Do(func() { template.name, template.err = ensureTemplate(ctx, server) })
	if template.err != nil {
		t.Fatalf("coretest: template database: %v", template.err)
	}
	name := "t_" + randomHex(6)
	if err := superExec(ctx, server, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s OWNER bizconnect`, name, template.name)); err != nil {
		t.Fatalf("coretest: create database: %v", err)
	}
	tdb := &TestDB{Name: name, URL: withUserDB(server, "bizconnect_app", name), AdminURL: withUserDB(server, "bizconnect", name)}
	var err error
	if tdb.DB, err = postgres.Open(ctx, tdb.URL); err != nil {
		t.Fatalf("coretest: %v", err)
	}
	if tdb.Super, err = pgxpool.New(ctx, withUserDB(server, "", name)); err != nil {
		t.Fatalf("coretest: %v", err)
	}
	t.Cleanup(func() {
		tdb.DB.Close()
		tdb.Super.Close()
		if err := superExec(context.Background(), server, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Logf("coretest: drop %s: %v", name, err)
		}
	})
	return tdb
}

// ensureTemplate builds the template database for the current migrations once per cluster;
// concurrent test binaries wait on an advisory lock instead of racing.
func ensureTemplate(ctx context.Context, server string) (string, error) {
	name := "bc_tpl_" + migrationsHash()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(7405123)`); err != nil {
		return "", err
	}
	defer conn.Exec(ctx, `SELECT pg_advisory_unlock(7405123)`) //nolint:errcheck
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil || exists {
		return name, err
	}
	build := name + "_build"
	if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+build+` WITH (FORCE)`); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+build+` OWNER bizconnect`); err != nil {
		return "", err
	}
	m, err := postgres.NewMigrator(withUserDB(server, "bizconnect", build), nil)
	if err != nil {
		return "", err
	}
	_, err = m.Up(ctx)
	m.Close()
	if err != nil {
		return "", err
	}
	_, err = conn.Exec(ctx, `ALTER DATABASE `+build+` RENAME TO `+name)
	return name, err
}

func migrationsHash() string {
	h := sha256.New()
	files, _ := fs.Glob(migrations.FS, "*.sql")
	for _, f := range files {
		b, _ := fs.ReadFile(migrations.FS, f)
		h.Write([]byte(f))
		h.Write(b)
	}
	fmt.Fprintf(h, "river %d %s", postgres.RiverVersion(), postgres.RiverGrants) // the Go migration installs River's schema
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func superExec(ctx context.Context, server, sql string) error {
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// withUserDB returns server with its user replaced (unless user is "") and its database set to db.
func withUserDB(server, user, db string) string {
	u, err := url.Parse(server)
	if err != nil {
		return server
	}
	if user != "" {
		u.User = url.User(user)
	}
	u.Path = "/" + db
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// NewEmptyDB creates a database with no schema at all, owned by the schema owner, and returns its
// owner URL (for migration tests). It is dropped when t ends.
func NewEmptyDB(t testing.TB) string {
	t.Helper()
	server := ServerURL(t)
	name := "e_" + randomHex(6)
	ctx := context.Background()
	if err := superExec(ctx, server, `CREATE DATABASE `+name+` OWNER bizconnect`); err != nil {
		t.Fatalf("coretest: create database: %v", err)
	}
	t.Cleanup(func() {
		if err := superExec(context.Background(), server, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Logf("coretest: drop %s: %v", name, err)
		}
	})
	return withUserDB(server, "bizconnect", name)
}

// SetAllowConnections opens or closes the test database to new connections and, when closing,
// ends the existing ones: the database is "down" for the application until it is opened again.
func (d *TestDB) SetAllowConnections(t testing.TB, allow bool) {
	t.Helper()
	ctx := context.Background()
	server := ServerURL(t)
	if err := superExec(ctx, server, fmt.Sprintf(`ALTER DATABASE %s ALLOW_CONNECTIONS %t`, d.Name, allow)); err != nil {
		t.Fatalf("coretest: %v", err)
	}
	if !allow {
		if err := superExec(ctx, server, fmt.Sprintf(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s' AND pid <> pg_backend_pid()`, d.Name)); err != nil {
			t.Fatalf("coretest: %v", err)
		}
	}
}
