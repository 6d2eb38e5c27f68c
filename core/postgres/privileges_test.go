package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestOwnRowPrivileges tries, in raw SQL as `authenticated` with the user's own claims, what a
// user may not do even to their own rows; PostgreSQL itself must refuse each, whoever holds the
// role (a REST API, PostgREST), not just our Go code.
func TestOwnRowPrivileges(t *testing.T) {
	t.Parallel()
	w := setupWorld(t)
	ctx := context.Background()
	for _, sql := range []string{
		`INSERT INTO identities (user_id, provider, external_id) VALUES ('` + w.a.String() + `', 'telegram', '1001')`,
		`INSERT INTO identities (user_id, provider, external_id) VALUES ('` + w.b.String() + `', 'telegram', '2002')`,
		`UPDATE teams SET slack_team_id = 'T1', bot_token = '\x00ff', bot_token_key = 'k1'`,
		`INSERT INTO inbound_updates (key, payload) VALUES
			('telegram:1:1', '{"provider": "telegram", "chat_id": "1001", "external_user_id": "1001"}'),
			('telegram:1:2', '{"provider": "telegram", "chat_id": "-500", "external_user_id": "2002"}')`,
		`UPDATE users SET email = lower(name) || '@example.com', password_hash = 'argon2id$secret'`,
	} {
		if _, err := w.db.Super.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	w.asUser(t, w.a, func(tx pgx.Tx) {
		for _, c := range []struct{ name, sql string }{
			{"raise own subscription tier", `UPDATE users SET subscription_tier = 'business' WHERE id = auth.uid()`},
			{"change own subscription status", `UPDATE users SET subscription_status = 'active' WHERE id = auth.uid()`},
			{"clear own unreachable mark", `UPDATE users SET unreachable_at = NULL WHERE id = auth.uid()`},
			{"set own password hash", `UPDATE users SET password_hash = 'x' WHERE id = auth.uid()`},
			{"read own password hash", `SELECT password_hash FROM users WHERE id = auth.uid()`},
			{"write an outbox row to any chat", `INSERT INTO outbox (user_id, provider, chat, payload) VALUES (auth.uid(), 'telegram', '777', '{}')`},
			{"reply to an update that isn't there", `SELECT enqueue_reply('telegram:1:404', '1001', '{}')`},
			{"reply to another user's update", `SELECT enqueue_reply('telegram:1:2', '-500', '{}')`},
			{"reply to own update in another chat", `SELECT enqueue_reply('telegram:1:1', '777', '{}')`},
			{"claim an unregistered Telegram id", `INSERT INTO identities (user_id, provider, external_id) VALUES (auth.uid(), 'telegram', '31337')`},
			{"move own identity to another account", `UPDATE identities SET external_id = '31337' WHERE user_id = auth.uid()`},
			{"delete own identity", `DELETE FROM identities WHERE user_id = auth.uid()`},
			{"rewrite the workspace id", `UPDATE teams SET slack_team_id = 'TEVIL'`},
			{"rewrite the sealed bot token", `UPDATE teams SET bot_token = '\x00', bot_token_key = 'evil'`},
			{"read the sealed bot token", `SELECT bot_token FROM teams`},
		} {
			if !refused(t, tx, c.sql) {
				t.Errorf("%s: not refused", c.name)
			}
		}
		// what a user may do stays possible
		for _, c := range []struct {
			name, sql string
			want      int64
		}{
			{"rename self", `UPDATE users SET name = 'Anna', timezone = 'Europe/Berlin', locale = 'ru', settings = '{}' WHERE id = auth.uid()`, 1},
			{"owner renames the team", `UPDATE teams SET name = 'Growth'`, 1},
			{"owner picks the report channel", `UPDATE teams SET report_channel = 'C1'`, 1},
			{"reply to own update in its chat", `SELECT enqueue_reply('telegram:1:1', '1001', '{}')`, 1},
		} {
			if n := affected(t, tx, c.sql); n != c.want {
				t.Errorf("%s: %d rows, want %d", c.name, n, c.want)
			}
		}
		if n := count(t, tx, `SELECT count(*) FROM outbox WHERE chat = '1001' AND provider = 'telegram' AND user_id = auth.uid()`); n != 1 {
			t.Errorf("the allowed reply is not in the outbox: %d", n)
		}
	})
	// C shares team T with A: a name, not an email or a password hash
	w.asUser(t, w.c, func(tx pgx.Tx) {
		if n := count(t, tx, `SELECT count(*) FROM users WHERE email IS NOT NULL AND id <> auth.uid()`); n != 0 {
			t.Errorf("a teammate reads emails: %d", n)
		}
		if refused(t, tx, `SELECT name, role FROM teammates`) {
			t.Error("teammates view refused")
		}
		if !refused(t, tx, `SELECT password_hash FROM users`) {
			t.Error("password hashes readable")
		}
		if n := count(t, tx, `SELECT count(*) FROM teammates WHERE name = 'Anna' AND role = 'owner'`); n != 1 {
			t.Errorf("teammates shows the owner: %d", n)
		}
		if !refused(t, tx, `UPDATE teams SET name = 'mine'`) && affected(t, tx, `UPDATE teams SET name = 'mine'`) != 0 {
			t.Error("a plain member renamed the team")
		}
	})
	// B is in no team: the view shows nobody
	w.asUser(t, w.b, func(tx pgx.Tx) {
		if n := count(t, tx, `SELECT count(*) FROM teammates`); n != 0 {
			t.Errorf("a stranger sees %d teammates", n)
		}
	})
}
