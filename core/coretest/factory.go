package coretest

import (
	"cmp"
	"context"
	"testing"

	"github.com/google/uuid"
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
