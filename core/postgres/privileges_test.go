package postgres_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
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
		`INSERT INTO identities (user_id, provider, external_id, private_at) VALUES ('` + w.a.String() + `', 'telegram', '1001', now())`,
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
			{"reply to own update not handled in this transaction", `SELECT enqueue_reply('telegram:1:1', '1001', '{}')`},
			{"claim an unregistered Telegram id", `INSERT INTO identities (user_id, provider, external_id) VALUES (auth.uid(), 'telegram', '31337')`},
			{"move own identity to another account", `UPDATE identities SET external_id = '31337' WHERE user_id = auth.uid()`},
			{"delete own identity", `DELETE FROM identities WHERE user_id = auth.uid()`},
			{"rewrite the workspace id", `UPDATE teams SET slack_team_id = 'TEVIL'`},
			{"rewrite the sealed bot token", `UPDATE teams SET bot_token = '\x00', bot_token_key = 'evil'`},
			{"read the sealed bot token", `SELECT bot_token FROM teams`},
			{"find where another user's pushes go", `SELECT * FROM push_address('` + w.b.String() + `')`},
			{"push a message editing another", `SELECT enqueue_push('morning', '2026-12-07', now(), '{"reply": {"edit_ref": "5"}}')`},
			{"push into a thread", `SELECT enqueue_push('morning', '2026-12-07', now(), '{"thread_id": "1.5"}')`},
			{"push under a made-up kind", `SELECT enqueue_push('morning:` + w.b.String() + `', 'x', now(), '{}')`},
			{"write a personal message as the team's report", `SELECT enqueue_team_report('` + w.team.String() + `', 'w', now(), '{"reply": {}}')`},
			{"answer one person with the team's report", `SELECT enqueue_team_report('` + w.team.String() + `', 'w', now(), '{"reply": {"team": true}, "user_id": "U2"}')`},
			{"give own goal to another user", `UPDATE goals SET user_id = '` + w.b.String() + `' WHERE user_id = auth.uid()`},
			{"move the planner's clock", `UPDATE scheduler_passes SET ran_until = now()`},
			{"read the planner's clock", `SELECT * FROM scheduler_passes`},
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
		} {
			if n := affected(t, tx, c.sql); n != c.want {
				t.Errorf("%s: %d rows, want %d", c.name, n, c.want)
			}
		}
		// a push goes to the user's own private chat, once per key
		for i, want := range []int{1, 0} {
			if n := count(t, tx, `SELECT count(*) FROM outbox WHERE user_id = auth.uid()`); n != i {
				t.Fatalf("outbox rows %d", n)
			}
			if n := count(t, tx, `SELECT CASE WHEN enqueue_push('morning', '2026-12-07', now(), '{"reply": {}}') THEN 1 ELSE 0 END`); n != want {
				t.Errorf("push %d: %d, want %d", i, n, want)
			}
		}
	})
	// a team's report goes to the channel chosen, once per key; nowhere while there is none
	w.asUser(t, w.a, func(tx pgx.Tx) {
		report := `SELECT coalesce(enqueue_team_report('` + w.team.String() + `', '2026-11-30', now(), '{"reply": {"team": true}}')::text, 'none')`
		for i, want := range []string{"none", "true", "false"} {
			channel := map[int]string{0: `NULL`, 1: `'C1'`}[i]
			if channel != "" {
				affected(t, tx, `UPDATE teams SET report_channel = `+channel)
			}
			var got string
			if err := tx.QueryRow(ctx, report).Scan(&got); err != nil || got != want {
				t.Errorf("team report %d: %s %v, want %s", i, got, err, want)
			}
		}
	})
	var reports int
	if err := w.db.Super.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE chat = 'C1' AND workspace = 'T1' AND provider = 'slack' AND user_id IS NULL`).Scan(&reports); err != nil || reports != 1 {
		t.Errorf("%d team reports in C1, nobody's: %v", reports, err)
	}
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
		if n := affected(t, tx, `UPDATE goals SET title = 'mine' WHERE id = '`+w.goalATeam.String()+`'`); n != 0 {
			t.Error("a plain member edited a team goal")
		}
	})
	// B is in no team: the view shows nobody, and B writes no team's report
	w.asUser(t, w.b, func(tx pgx.Tx) {
		if !refused(t, tx, `SELECT enqueue_team_report('`+w.team.String()+`', 'x', now(), '{"reply": {"team": true}}')`) {
			t.Error("a stranger wrote the team's report")
		}
		if n := count(t, tx, `SELECT count(*) FROM teammates`); n != 0 {
			t.Errorf("a stranger sees %d teammates", n)
		}
	})
}

// TestRepliesAnswerOnlyTheUpdateBeingHandled: within the transaction that claimed the update, a
// reply may point only at what that update itself names — its message, callback, thread and
// response_url — and always goes to its sender: the reply can't be made someone else's App Home
// or ephemeral message, or edit another message of the chat.
func TestRepliesAnswerOnlyTheUpdateBeingHandled(t *testing.T) {
	t.Parallel()
	w := setupWorld(t)
	ctx := context.Background()
	if _, err := w.db.Super.Exec(ctx, `INSERT INTO identities (user_id, provider, workspace, external_id) VALUES ($1, 'slack', 'T1', 'UA')`, w.a); err != nil {
		t.Fatal(err)
	}
	update := `{"provider": "slack", "workspace": "T1", "chat_id": "C1", "external_user_id": "UA", "message_ref": "1700.1",
		"callback_id": "", "thread_id": "1700.0", "response_url": "https://hooks.slack.com/actions/T1/1/a"}`
	try := func(body string) error {
		tx, err := w.db.Super.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx) //nolint:errcheck // a test transaction
		// claimed in this transaction, as the store does, then answered as the user
		if _, err := tx.Exec(ctx, `INSERT INTO inbound_updates (key, payload, processed_at) VALUES ('slack:T1:act:1', $1, now())`, update); err != nil {
			t.Fatal(err)
		}
		claims := `{"role": "authenticated", "sub": "` + w.a.String() + `"}`
		if _, err := tx.Exec(ctx, `SELECT set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)`, claims); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `SELECT enqueue_reply('slack:T1:act:1', 'C1', $1)`, body); err != nil {
			return err
		}
		var user string
		if err := tx.QueryRow(ctx, `SELECT payload->>'user_id' FROM outbox`).Scan(&user); err != nil || user != "UA" {
			t.Errorf("%s: the reply is for %q, %v; want its sender UA", body, user, err)
		}
		return nil
	}
	for _, body := range []string{
		`{"reply": {"text": [{"t": "hi"}], "edit_ref": "1700.1", "ephemeral": true}, "user_id": "UA", "response_url": "https://hooks.slack.com/actions/T1/1/a", "thread_id": "1700.0"}`,
		`{"reply": {"text": [{"t": "hi"}], "home": true}, "user_id": "UB"}`, // the sender's own, whatever it says
		`{"reply": {"text": [{"t": "hi"}]}}`,
	} {
		if err := try(body); err != nil {
			t.Errorf("%s: refused: %v", body, err)
		}
	}
	for _, body := range []string{
		`{"reply": {"text": [{"t": "hi"}], "edit_ref": "1699.9"}}`,
		`{"reply": {"text": [{"t": "hi"}]}, "callback_id": "cbq-of-someone"}`,
		`{"reply": {"text": [{"t": "hi"}]}, "thread_id": "1600.0"}`,
		`{"reply": {"text": [{"t": "hi"}]}, "response_url": "https://hooks.slack.com/actions/T1/9/z"}`,
	} {
		if err := try(body); err == nil {
			t.Errorf("%s: not refused", body)
		}
	}
}

// TestTeamGoalRulesHoldInTheDatabase: what the chat refuses on a team goal, PostgreSQL refuses
// too, in raw SQL: a member adds but never sets a total, plans or changes roles; an entry is
// undone once, by its author or an admin; not even the goal's creator rewrites who was credited.
func TestTeamGoalRulesHoldInTheDatabase(t *testing.T) {
	t.Parallel()
	w := setupWorld(t)
	goal, team := w.goalATeam.String(), w.team.String()
	var memberEntry, ownerEntry int64
	w.asUser(t, w.c, func(tx pgx.Tx) { // C, a member
		if err := tx.QueryRow(context.Background(), `SELECT add_team_progress($1, 3, current_date, '')`, goal).Scan(&memberEntry); err != nil {
			t.Fatalf("a member's increment: %v", err)
		}
		for name, sql := range map[string]string{
			"set the total":          `SELECT set_team_progress('` + goal + `', 100, current_date, '')`,
			"plan a milestone":       `INSERT INTO milestones (goal_id, title) VALUES ('` + goal + `', 'Q1')`,
			"make themselves admin":  `SELECT set_team_role('` + team + `', 'telegram', '', 'x', 'admin')`,
			"write an entry by hand": `INSERT INTO goal_progress (goal_id, user_id, date, value, delta) VALUES ('` + goal + `', auth.uid(), current_date, 1000, 1000)`,
		} {
			if !refused(t, tx, sql) {
				t.Errorf("a member may %s", name)
			}
		}
	})
	w.asUser(t, w.a, func(tx pgx.Tx) { // A, the owner and the goal's creator
		if err := tx.QueryRow(context.Background(), `SELECT add_team_progress($1, 5, current_date, '')`, goal).Scan(&ownerEntry); err != nil {
			t.Fatal(err)
		}
		for name, sql := range map[string]string{
			"move a member's credit to themselves": `UPDATE goal_progress SET user_id = auth.uid() WHERE goal_id = '` + goal + `'`,
			"delete a member's entry":              `DELETE FROM goal_progress WHERE goal_id = '` + goal + `'`,
		} {
			if !refused(t, tx, sql) && affected(t, tx, sql) != 0 {
				t.Errorf("the goal's creator may %s", name)
			}
		}
	})
	w.asUser(t, w.c, func(tx pgx.Tx) {
		if !refused(t, tx, `SELECT undo_team_progress($1)`, ownerEntry) {
			t.Error("a member undid someone else's entry")
		}
		if _, err := tx.Exec(context.Background(), `SELECT undo_team_progress($1)`, memberEntry); err != nil {
			t.Errorf("a member could not undo their own entry: %v", err)
		}
	})
	w.asUser(t, w.a, func(tx pgx.Tx) {
		if !refused(t, tx, `SELECT undo_team_progress($1)`, memberEntry) {
			t.Error("an entry was undone twice")
		}
		if n := count(t, tx, `SELECT current_value::int FROM goals WHERE id = $1`, goal); n != 5 {
			t.Errorf("the goal stands at %d after +3, +5 and one undo of the 3, want 5", n)
		}
	})
}

// TestLaterRepliesFollowOnlyARecentUpdateOfTheUser: a job's reply (enqueue_later_reply) follows
// an update of its own user handled within a day, as a new message to its chat or sender, in its
// thread; it can't edit, answer a callback or use a response_url, and no one else's update lets
// it write anywhere.
func TestLaterRepliesFollowOnlyARecentUpdateOfTheUser(t *testing.T) {
	t.Parallel()
	w := setupWorld(t)
	ctx := context.Background()
	if _, err := w.db.Super.Exec(ctx, `INSERT INTO identities (user_id, provider, workspace, external_id) VALUES ($1, 'slack', 'T1', 'UA'), ($2, 'slack', 'T1', 'UB')`, w.a, w.b); err != nil {
		t.Fatal(err)
	}
	update := `{"provider": "slack", "workspace": "T1", "chat_id": "C1", "external_user_id": "UA", "message_ref": "1700.1",
		"callback_id": "cb1", "thread_id": "1700.0", "response_url": "https://hooks.slack.com/actions/T1/1/a"}`
	if _, err := w.db.Super.Exec(ctx, `INSERT INTO inbound_updates (key, payload, processed_at) VALUES
		('slack:T1:1', $1, now() - interval '2 hours'), ('slack:T1:old', $1, now() - interval '2 days'), ('slack:T1:new', $1, NULL)`, update); err != nil {
		t.Fatal(err)
	}
	try := func(as uuid.UUID, key, chat, body string) error {
		return w.db.InUserTx(ctx, as, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `SELECT enqueue_later_reply($1, $2, $3)`, key, chat, body)
			return err
		})
	}
	plain := `{"reply": {"text": [{"t": "plan"}]}}`
	for _, c := range []struct{ chat, body string }{
		{"C1", plain}, {"UA", plain}, {"C1", `{"reply": {"text": [{"t": "plan"}]}, "thread_id": "1700.0"}`},
	} {
		if err := try(w.a, "slack:T1:1", c.chat, c.body); err != nil {
			t.Errorf("%s %s: refused: %v", c.chat, c.body, err)
		}
	}
	for _, c := range []struct {
		name          string
		as            uuid.UUID
		key, chat, bd string
	}{
		{"another user's update", w.b, "slack:T1:1", "C1", plain},
		{"an update two days old", w.a, "slack:T1:old", "C1", plain},
		{"an update not handled yet", w.a, "slack:T1:new", "C1", plain},
		{"another chat", w.a, "slack:T1:1", "C2", plain},
		{"an edit", w.a, "slack:T1:1", "C1", `{"reply": {"text": [{"t": "x"}], "edit_ref": "1700.1"}}`},
		{"a callback answer", w.a, "slack:T1:1", "C1", `{"reply": {"text": [{"t": "x"}]}, "callback_id": "cb1"}`},
		{"a response_url", w.a, "slack:T1:1", "C1", `{"reply": {"text": [{"t": "x"}]}, "response_url": "https://hooks.slack.com/actions/T1/1/a"}`},
		{"another thread", w.a, "slack:T1:1", "C1", `{"reply": {"text": [{"t": "x"}]}, "thread_id": "1600.0"}`},
	} {
		if err := try(c.as, c.key, c.chat, c.bd); err == nil {
			t.Errorf("%s: not refused", c.name)
		}
	}
	if n := w.db.Scalar(t, `SELECT count(*) FROM outbox WHERE user_id = $1 AND payload->>'user_id' = 'UA'`, w.a); n != "3" {
		t.Errorf("%s follow-ups in the outbox, want 3", n)
	}
}
