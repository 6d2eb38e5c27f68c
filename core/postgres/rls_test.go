package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/bizconnect/bizconnect/core/coretest"
)

// world is a small population: A and B are strangers; A and C share team T; D is alone.
type world struct {
	db                        *coretest.TestDB
	a, b, c, d                uuid.UUID
	team                      uuid.UUID
	goalA, goalAPublic        uuid.UUID
	goalATeam, goalB          uuid.UUID
	goalBPublic, taskA, taskB uuid.UUID
}

func setupWorld(t *testing.T) *world {
	t.Helper()
	w := &world{db: coretest.NewDB(t)}
	ctx := context.Background()
	q := func(sql string, args ...any) uuid.UUID {
		t.Helper()
		var id uuid.UUID
		if err := w.db.Super.QueryRow(ctx, sql, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return id
	}
	user := `INSERT INTO users (name) VALUES ($1) RETURNING id`
	w.a, w.b, w.c, w.d = q(user, "A"), q(user, "B"), q(user, "C"), q(user, "D")
	w.team = q(`INSERT INTO teams (name) VALUES ('T') RETURNING id`)
	q(`INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, 'owner') RETURNING team_id`, w.team, w.a)
	q(`INSERT INTO team_members (team_id, user_id) VALUES ($1, $2) RETURNING team_id`, w.team, w.c)
	goal := `INSERT INTO goals (user_id, title, visibility, team_id) VALUES ($1, $2, $3, $4) RETURNING id`
	w.goalA = q(goal, w.a, "A private", "private", nil)
	w.goalAPublic = q(goal, w.a, "A public", "public", nil)
	w.goalATeam = q(goal, w.a, "A team", "team", w.team)
	w.goalB = q(goal, w.b, "B private", "private", nil)
	w.goalBPublic = q(goal, w.b, "B public", "public", nil)
	for _, g := range []uuid.UUID{w.goalA, w.goalAPublic, w.goalATeam, w.goalB, w.goalBPublic} {
		q(`INSERT INTO milestones (goal_id, title) VALUES ($1, 'm') RETURNING goal_id`, g)
		q(`INSERT INTO goal_progress (goal_id, user_id, date, value) SELECT id, user_id, current_date, 1 FROM goals WHERE id = $1 RETURNING goal_id`, g)
	}
	q(`INSERT INTO ai_plans (goal_id, user_id, version, provider) VALUES ($1, $2, 1, 'offline') RETURNING id`, w.goalB, w.b)
	w.taskA = q(`INSERT INTO tasks (user_id, title) VALUES ($1, 'task A') RETURNING id`, w.a)
	w.taskB = q(`INSERT INTO tasks (user_id, title) VALUES ($1, 'task B') RETURNING id`, w.b)
	for _, u := range []uuid.UUID{w.a, w.b} {
		q(`INSERT INTO daily_progress (user_id, date, business_load) VALUES ($1, current_date, 50) RETURNING user_id`, u)
		q(`INSERT INTO recommendations (user_id, type, content) VALUES ($1, 'focus', 'x') RETURNING id`, u)
		q(`INSERT INTO llm_usage (user_id, job, model, prompt_tokens, completion_tokens, ok) VALUES ($1, 'goal_plan', 'm', 100, 50, true) RETURNING user_id`, u)
	}
	return w
}

// asUser runs fn as `authenticated` with id's claims (uuid.Nil: no claims at all).
func (w *world) asUser(t *testing.T, id uuid.UUID, fn func(tx pgx.Tx)) {
	t.Helper()
	err := w.db.InUserTx(context.Background(), id, func(tx pgx.Tx) error { fn(tx); return nil })
	if err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, tx pgx.Tx, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := tx.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func affected(t *testing.T, tx pgx.Tx, sql string, args ...any) int64 {
	t.Helper()
	tag, err := tx.Exec(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return tag.RowsAffected()
}

// refused runs sql in a savepoint and reports whether Postgres refused it for RLS or privileges.
func refused(t *testing.T, tx pgx.Tx, sql string, args ...any) bool {
	t.Helper()
	ctx := context.Background()
	sp, err := tx.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Rollback(ctx) //nolint:errcheck
	_, err = sp.Exec(ctx, sql, args...)
	var pgErr *pgconn.PgError
	// 42501: insufficient_privilege, raised for RLS WITH CHECK violations too
	return errors.As(err, &pgErr) && pgErr.Code == "42501"
}

func TestRLSUserCannotReachAnotherUsersRows(t *testing.T) {
	t.Parallel()
	w := setupWorld(t)
	w.asUser(t, w.a, func(tx pgx.Tx) {
		for _, c := range []struct {
			name string
			sql  string
			want int
		}{
			{"own and public goals", `SELECT count(*) FROM goals WHERE true`, 4}, // 3 own + B's public
			{"B's private goal", `SELECT count(*) FROM goals WHERE id = $1`, 0},
			{"B's tasks", `SELECT count(*) FROM tasks WHERE user_id = $2`, 0},
			{"own tasks", `SELECT count(*) FROM tasks WHERE true`, 1},
			{"B's private milestones", `SELECT count(*) FROM milestones WHERE goal_id = $1`, 0},
			{"B's private progress", `SELECT count(*) FROM goal_progress WHERE goal_id = $1`, 0},
			{"B's daily progress", `SELECT count(*) FROM daily_progress WHERE user_id = $2`, 0},
			{"B's recommendations", `SELECT count(*) FROM recommendations WHERE user_id = $2`, 0},
			{"B's LLM usage", `SELECT count(*) FROM llm_usage WHERE user_id = $2`, 0},
			{"B's plans", `SELECT count(*) FROM ai_plans WHERE true`, 0},
			{"own LLM usage", `SELECT count(*) FROM llm_usage WHERE true`, 1},
			{"B's user row", `SELECT count(*) FROM users WHERE id = $2`, 0},
			{"B in the dashboard", `SELECT count(*) FROM dashboard_metrics WHERE user_id = $2`, 0},
			{"B's load data", `SELECT count(*) FROM business_load_data WHERE user_id = $2`, 0},
		} {
			if got := count(t, tx, c.sql+` AND $1::uuid IS NOT NULL AND $2::uuid IS NOT NULL`, w.goalB, w.b); got != c.want {
				t.Errorf("%s: %d rows, want %d", c.name, got, c.want)
			}
		}
		for _, c := range []struct{ name, sql string }{
			{"update B's goal", `UPDATE goals SET title = 'x' WHERE id = $1 OR id = $2`},
			{"delete B's goal", `DELETE FROM goals WHERE id = $1 OR id = $2`},
			{"update B's task", `UPDATE tasks SET title = 'x' WHERE id = $3`},
			{"delete B's task", `DELETE FROM tasks WHERE id = $3`},
			{"update B's milestones", `UPDATE milestones SET title = 'x' WHERE goal_id IN ($1, $2)`},
			{"delete B's milestones", `DELETE FROM milestones WHERE goal_id IN ($1, $2)`},
			{"delete B's progress", `DELETE FROM goal_progress WHERE goal_id IN ($1, $2)`},
			{"update B's daily progress", `UPDATE daily_progress SET business_load = 1 WHERE user_id = $4`},
			{"delete B's recommendations", `DELETE FROM recommendations WHERE user_id = $4`},
		} {
			if n := affected(t, tx, c.sql+` AND $1::uuid IS NOT NULL AND $2::uuid IS NOT NULL AND $3::uuid IS NOT NULL AND $4::uuid IS NOT NULL`, w.goalB, w.goalBPublic, w.taskB, w.b); n != 0 {
				t.Errorf("%s: %d rows affected, want 0", c.name, n)
			}
		}
		for _, c := range []struct{ name, sql string }{
			{"insert a goal for B", `INSERT INTO goals (user_id, title) VALUES ($1, 'x')`},
			{"insert a task for B", `INSERT INTO tasks (user_id, title) VALUES ($1, 'x')`},
			{"insert a recommendation for B", `INSERT INTO recommendations (user_id, type, content) VALUES ($1, 'focus', 'x')`},
			{"charge B's LLM budget", `INSERT INTO llm_usage (user_id, job, model, prompt_tokens, completion_tokens, ok) VALUES ($1, 'x', 'm', 1, 1, true)`},
			{"reset own LLM budget", `DELETE FROM llm_usage WHERE $1::uuid IS NOT NULL`},
			{"a plan for B's goal", `INSERT INTO ai_plans (goal_id, user_id, version, provider) SELECT id, auth.uid(), 9, 'x' FROM goals WHERE user_id = $1`},
			{"shrink own LLM usage", `UPDATE llm_usage SET prompt_tokens = 0 WHERE $1::uuid IS NOT NULL`},
			{"move own task to B", `UPDATE tasks SET user_id = $1 WHERE user_id = auth.uid()`},
		} {
			if !refused(t, tx, c.sql, w.b) {
				t.Errorf("%s: not refused", c.name)
			}
		}
		if !refused(t, tx, `INSERT INTO milestones (goal_id, title) VALUES ($1, 'x')`, w.goalBPublic) {
			t.Error("milestone on B's public goal: not refused")
		}
		if !refused(t, tx, `INSERT INTO goal_progress (goal_id, user_id, date, value) VALUES ($1, auth.uid(), current_date, 1)`, w.goalBPublic) {
			t.Error("progress on B's public goal: not refused")
		}
		if !refused(t, tx, `INSERT INTO task_history (task_id, user_id, changes) VALUES ($1, auth.uid(), '{}')`, w.taskA) {
			t.Error("forging task history: not refused")
		}
	})
	// B's rows are all still there, untouched.
	var n int
	if err := w.db.Super.QueryRow(context.Background(),
		`SELECT (SELECT count(*) FROM goals WHERE user_id = $1 AND title LIKE 'B %') + (SELECT count(*) FROM tasks WHERE user_id = $1 AND title = 'task B')
		      + (SELECT count(*) FROM milestones m JOIN goals g ON g.id = m.goal_id WHERE g.user_id = $1 AND m.title = 'm')
		      + (SELECT count(*) FROM goal_progress gp JOIN goals g ON g.id = gp.goal_id WHERE g.user_id = $1)
		      + (SELECT count(*) FROM daily_progress WHERE user_id = $1 AND business_load = 50)
		      + (SELECT count(*) FROM recommendations WHERE user_id = $1)
		      + (SELECT count(*) FROM llm_usage WHERE prompt_tokens = 100)`, w.b).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 11 {
		t.Errorf("B's rows (and A's LLM usage) after A's attempts: %d, want 11", n)
	}
}

func TestRLSWithoutClaimsNothingIsVisible(t *testing.T) {
	t.Parallel()
	w := setupWorld(t)
	w.asUser(t, uuid.Nil, func(tx pgx.Tx) {
		for _, table := range []string{"users", "goals", "milestones", "tasks", "goal_progress", "daily_progress",
			"recommendations", "teams", "team_members", "identities", "outbox", "dashboard_metrics", "llm_usage"} {
			if got := count(t, tx, `SELECT count(*) FROM `+table); got != 0 {
				t.Errorf("%s: %d rows visible without claims", table, got)
			}
		}
		if !refused(t, tx, `INSERT INTO tasks (user_id, title) VALUES ($1, 'x')`, w.a) {
			t.Error("insert without claims: not refused")
		}
	})
	// anon has no privileges on user tables at all
	err := w.db.InServiceTx(context.Background(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(context.Background(), `SET LOCAL ROLE anon`); err != nil {
			return err
		}
		_, err := tx.Exec(context.Background(), `SELECT count(*) FROM goals`)
		return err
	})
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		t.Errorf("anon reading goals: err = %v, want permission denied", err)
	}
}

func TestRLSPublicAndTeamVisibility(t *testing.T) {
	t.Parallel()
	w := setupWorld(t)
	// C is in A's team: sees the team goal with its milestone and progress, and A's public goal,
	// but not A's private goal; C cannot change the team goal.
	w.asUser(t, w.c, func(tx pgx.Tx) {
		if got := count(t, tx, `SELECT count(*) FROM goals WHERE id = $1`, w.goalATeam); got != 1 {
			t.Errorf("team member sees team goal: %d", got)
		}
		if got := count(t, tx, `SELECT count(*) FROM milestones WHERE goal_id = $1`, w.goalATeam); got != 1 {
			t.Errorf("team member sees team milestone: %d", got)
		}
		if got := count(t, tx, `SELECT count(*) FROM goal_progress WHERE goal_id = $1`, w.goalATeam); got != 1 {
			t.Errorf("team member sees team progress: %d", got)
		}
		if got := count(t, tx, `SELECT count(*) FROM goals WHERE id = $1`, w.goalA); got != 0 {
			t.Errorf("team member sees private goal: %d", got)
		}
		if got := count(t, tx, `SELECT count(*) FROM goals WHERE visibility = 'public'`); got != 2 {
			t.Errorf("public goals visible: %d, want 2", got)
		}
		if got := count(t, tx, `SELECT count(*) FROM users WHERE id = $1`, w.a); got != 0 {
			t.Errorf("team member reads a teammate's user row (email, settings): %d", got)
		}
		if got := count(t, tx, `SELECT count(*) FROM teammates WHERE user_id = $1 AND name <> ''`, w.a); got != 1 {
			t.Errorf("team member sees teammate's name in teammates: %d", got)
		}
		if n := affected(t, tx, `UPDATE goals SET title = 'x' WHERE id = $1`, w.goalATeam); n != 0 {
			t.Errorf("team member updated the owner's team goal")
		}
	})
	// D is in no team: public goals only.
	w.asUser(t, w.d, func(tx pgx.Tx) {
		if got := count(t, tx, `SELECT count(*) FROM goals`); got != 2 {
			t.Errorf("outsider sees %d goals, want the 2 public ones", got)
		}
		if got := count(t, tx, `SELECT count(*) FROM milestones WHERE goal_id = $1`, w.goalATeam); got != 0 {
			t.Errorf("outsider sees team milestone")
		}
		if got := count(t, tx, `SELECT count(*) FROM teams`); got != 0 {
			t.Errorf("outsider sees the team")
		}
	})
}

func TestServiceRoleSeesEverything(t *testing.T) {
	t.Parallel()
	w := setupWorld(t)
	err := w.db.InServiceTx(context.Background(), func(tx pgx.Tx) error {
		for table, want := range map[string]int{"users": 4, "goals": 5, "tasks": 2, "milestones": 5, "goal_progress": 5, "daily_progress": 2, "recommendations": 2} {
			if got := count(t, tx, `SELECT count(*) FROM `+table); got != want {
				t.Errorf("service_role: %s has %d rows, want %d", table, got, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRuntimeRoleIsNeitherSuperuserNorOwner(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db.URL) // the runtime role, as the product connects
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var super bool
	var owned int
	err = conn.QueryRow(ctx, `SELECT rolsuper, (SELECT count(*) FROM pg_class WHERE relowner = r.oid) FROM pg_roles r WHERE rolname = current_user`).Scan(&super, &owned)
	if err != nil {
		t.Fatal(err)
	}
	if super || owned != 0 {
		t.Fatalf("runtime role: superuser=%v, owns %d relations", super, owned)
	}
	// outside InUserTx/InServiceTx it can read nothing
	if _, err := conn.Exec(ctx, `SELECT count(*) FROM goals`); err == nil {
		t.Fatal("runtime role read goals without switching role")
	}
}

func TestTaskHistoryTrigger(t *testing.T) {
	t.Parallel()
	w := setupWorld(t)
	w.asUser(t, w.a, func(tx pgx.Tx) {
		affected(t, tx, `UPDATE tasks SET status = 'done', completed_at = now(), priority = 1 WHERE id = $1`, w.taskA)
		affected(t, tx, `UPDATE tasks SET title = 'renamed' WHERE id = $1`, w.taskA) // not tracked
		var changes string
		if err := tx.QueryRow(context.Background(), `SELECT changes::text FROM task_history WHERE task_id = $1`, w.taskA).Scan(&changes); err != nil {
			t.Fatal(err)
		}
		if changes != `{"status": ["todo", "done"], "priority": [3, 1]}` {
			t.Errorf("history = %s", changes)
		}
	})
}
