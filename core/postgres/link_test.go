package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
)

// TestLinkingMergesWithoutLossOrDoubles: redeeming a chat user's code moves all their rows to
// the web account; where both had a row for the same key (a day's reflection, an achievement, a
// team's membership) one remains, holding what both said. A code works once, not for its maker,
// and not after it expired.
func TestLinkingMergesWithoutLossOrDoubles(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	chatUser := coretest.User(t, db, coretest.UserOpts{Name: "Anna", Timezone: "Europe/Moscow"})
	web := coretest.User(t, db, coretest.UserOpts{Name: ""})
	coretest.Identity(t, db, chatUser, "telegram", "", "1001")
	team := coretest.Team(t, db, "Acme", chatUser, web)
	for _, sql := range []string{ // $1 the chat user, $2 the web account, $3 the team
		`INSERT INTO daily_progress (user_id, date, stress, reflection_notes) VALUES ($1, '2026-12-02', 3, 'тяжело')`,
		`INSERT INTO daily_progress (user_id, date, energy) VALUES ($2, '2026-12-02', 4)`,
		`INSERT INTO daily_progress (user_id, date, energy) VALUES ($1, '2026-12-01', 2)`,
		`INSERT INTO achievements (user_id, kind, key, title) VALUES ($1, 'first_goal', '', 'a'), ($2, 'first_goal', '', 'b'), ($1, 'streak_7', '', 'c')`,
		`INSERT INTO goals (user_id, title, team_id, visibility) VALUES ($1, 'командная', $3, 'team'), ($1, 'своя', NULL, 'private')`,
		`INSERT INTO goal_progress (goal_id, user_id, date, value) SELECT id, $1, '2026-12-02', 5 FROM goals WHERE title = 'своя'`,
		`INSERT INTO tasks (user_id, title) VALUES ($1, 'позвонить'), ($2, 'написать')`,
	} {
		sql = strings.NewReplacer("$1", "'"+chatUser.String()+"'", "$2", "'"+web.String()+"'", "$3", "'"+team.String()+"'").Replace(sql)
		if _, err := db.Super.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	db.As(t, chatUser, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if err := tx.CreateLinkCode(ctx, "OLDCODE1", time.Now().Add(-time.Minute)); err != nil {
			return err
		}
		return tx.CreateLinkCode(ctx, "ABCD2345", time.Now().Add(10*time.Minute))
	})
	db.As(t, chatUser, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if _, _, err := tx.RedeemLinkCode(ctx, "ABCD2345"); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("its maker redeemed the code: %v", err)
		}
		return nil
	})
	db.As(t, web, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if _, _, err := tx.RedeemLinkCode(ctx, "OLDCODE1"); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("an expired code: %v", err)
		}
		from, _, err := tx.RedeemLinkCode(ctx, "ABCD2345")
		if err != nil || from != chatUser {
			t.Errorf("redeem: %v %v", from, err)
		}
		return nil
	})
	db.As(t, web, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if _, _, err := tx.RedeemLinkCode(ctx, "ABCD2345"); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("a used code: %v", err)
		}
		return nil
	})
	for sql, want := range map[string]string{
		`SELECT count(*) FROM users WHERE id = $1 OR id <> $1`: "1",
		`SELECT string_agg(date || ':' || coalesce(stress::text, '-') || '/' || coalesce(energy::text, '-') || '/' || reflection_notes, ' ' ORDER BY date) FROM daily_progress WHERE user_id = $1`: "2026-12-01:-/2/ 2026-12-02:3/4/тяжело",
		`SELECT string_agg(kind, ',' ORDER BY kind) FROM achievements WHERE user_id = $1`:                                                                                                          "first_goal,streak_7",
		`SELECT count(*) FROM team_members WHERE user_id = $1`:                                                                                                                                     "1",
		`SELECT string_agg(title, ',' ORDER BY title) FROM goals WHERE user_id = $1`:                                                                                                               "командная,своя",
		`SELECT count(*) FROM goal_progress WHERE user_id = $1`:                                                                                                                                    "1",
		`SELECT string_agg(title, ',' ORDER BY title) FROM tasks WHERE user_id = $1`:                                                                                                               "написать,позвонить",
		`SELECT (user_id = $1)::text FROM identities WHERE external_id = '1001'`:                                                                                                                   "true",
		`SELECT name || ' ' || timezone FROM users WHERE id = $1`:                                                                                                                                  "Anna Europe/Moscow",
	} {
		if got := db.Scalar(t, sql, web); got != want {
			t.Errorf("%s\n  = %q, want %q", sql, got, want)
		}
	}
}
