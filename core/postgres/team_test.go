package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/core/vault"
)

func TestWorkspacesSealTokensAndStatesAreSingleUse(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	v, err := vault.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	ws := postgres.NewWorkspaces(db.DB, v)
	ctx := context.Background()
	if err := ws.Save(ctx, core.Installation{TeamID: "T1", TeamName: "Acme", BotToken: "xoxb-secret-1", InstallerUserID: "U1", InstallerName: "Anna"}); err != nil {
		t.Fatal(err)
	}
	var raw []byte
	var owner string
	if err := db.Super.QueryRow(ctx, `SELECT t.bot_token, m.role::text FROM teams t JOIN team_members m ON m.team_id = t.id`).Scan(&raw, &owner); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("xoxb")) || owner != "owner" {
		t.Fatalf("stored token in clear or installer not owner: %q %s", raw, owner)
	}
	if tok, err := ws.Token(ctx, "T1"); err != nil || tok != "xoxb-secret-1" {
		t.Fatalf("Token = %q, %v", tok, err)
	}
	// reinstalling updates the token and keeps one team
	if err := ws.Save(ctx, core.Installation{TeamID: "T1", TeamName: "Acme", BotToken: "xoxb-secret-2", InstallerUserID: "U1"}); err != nil {
		t.Fatal(err)
	}
	if tok, _ := ws.Token(ctx, "T1"); tok != "xoxb-secret-2" {
		t.Fatalf("token after reinstall = %q", tok)
	}
	if err := ws.Disable(ctx, "T1"); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Token(ctx, "T1"); !errors.Is(err, core.ErrUnreachable) {
		t.Fatalf("token of a disabled workspace: %v", err)
	}
	if _, err := ws.Token(ctx, "T404"); !errors.Is(err, core.ErrUnreachable) {
		t.Fatalf("token of an unknown workspace: %v", err)
	}

	for _, c := range []struct {
		state string
		want  bool
	}{{"s1", true}, {"s1", false}, {"s2", true}} {
		if ok, err := ws.ConsumeState(ctx, c.state, time.Now().Add(time.Minute)); err != nil || ok != c.want {
			t.Errorf("ConsumeState(%s) = %v, %v; want %v", c.state, ok, err, c.want)
		}
	}
}
