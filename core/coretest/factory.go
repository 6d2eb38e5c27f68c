package coretest

import (
	"cmp"
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// UserOpts describe a user made by User; zero fields get defaults.
type UserOpts struct {
	Name     string // "Anna"
	Timezone string // Europe/Moscow
	Locale   string // ru
}

// User inserts a user directly, as the system would create one, and returns its id.
func User(t testing.TB, db *TestDB, o UserOpts) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	err := db.Super.QueryRow(context.Background(), `INSERT INTO users (name, timezone, locale) VALUES ($1, $2, $3) RETURNING id`,
		cmp.Or(o.Name, "Anna"), cmp.Or(o.Timezone, "Europe/Moscow"), cmp.Or(o.Locale, "ru")).Scan(&id)
	if err != nil {
		t.Fatalf("coretest: user: %v", err)
	}
	return id
}

// Pair is a fresh database whose store's clock stands at now, with two users who share nothing.
func Pair(t testing.TB, now time.Time) (db *TestDB, anna, boris uuid.UUID) {
	t.Helper()
	db = NewDB(t)
	db.NowFunc = func() time.Time { return now }
	return db, User(t, db, UserOpts{Name: "Anna"}), User(t, db, UserOpts{Name: "Boris"})
}

// Team inserts a team with its members (the first is the owner) and returns its id.
func Team(t testing.TB, db *TestDB, name string, members ...uuid.UUID) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	var id uuid.UUID
	if err := db.Super.QueryRow(ctx, `INSERT INTO teams (name) VALUES ($1) RETURNING id`, name).Scan(&id); err != nil {
		t.Fatalf("coretest: team: %v", err)
	}
	for i, m := range members {
		role := "member"
		if i == 0 {
			role = "owner"
		}
		if _, err := db.Super.Exec(ctx, `INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, $3)`, id, m, role); err != nil {
			t.Fatalf("coretest: team member: %v", err)
		}
	}
	return id
}

// As runs fn in one transaction of user id through the real store, failing t on error.
func (d *TestDB) As(t testing.TB, id uuid.UUID, fn func(ctx context.Context, tx core.Tx, u *core.User) error) {
	t.Helper()
	if err := d.TryAs(id, fn); err != nil {
		t.Fatal(err)
	}
}

// TryAs runs fn in one transaction of user id through the real store and returns its error,
// for attempts that PostgreSQL is expected to refuse (which end the transaction).
func (d *TestDB) TryAs(id uuid.UUID, fn func(ctx context.Context, tx core.Tx, u *core.User) error) error {
	return postgres.NewStore(d.DB).InUser(context.Background(), id, fn)
}

// Scalar reads one value as text with the superuser, bypassing RLS, to check what was stored.
func (d *TestDB) Scalar(t testing.TB, sql string, args ...any) string {
	t.Helper()
	var s string
	if err := d.Super.QueryRow(context.Background(), sql, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

// Identity gives user an account on provider (in workspace, for Slack) that has written to the
// bot privately, so pushes can reach it.
func Identity(t testing.TB, db *TestDB, user uuid.UUID, provider, workspace, externalID string) {
	t.Helper()
	if _, err := db.Super.Exec(context.Background(), `INSERT INTO identities (user_id, provider, workspace, external_id, private_at)
		VALUES ($1, $2, $3, $4, now())`, user, provider, workspace, externalID); err != nil {
		t.Fatalf("coretest: identity: %v", err)
	}
}
