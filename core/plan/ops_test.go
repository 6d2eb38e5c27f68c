package plan_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/plan"
)

// now is Wednesday 25 November 2026, 15:00 in Moscow.
var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

var wed = core.Date{Year: 2026, Month: 11, Day: 25}

type bundle struct {
	db          *coretest.TestDB
	anna, boris uuid.UUID
}

func setup(t *testing.T) *bundle {
	t.Helper()
	db, anna, boris := coretest.Pair(t, now)
	return &bundle{db: db, anna: anna, boris: boris}
}

func TestCreateTaskPicksTheDay(t *testing.T) {
	t.Parallel()
	b := setup(t)
	at := func(h int) *core.ClockTime { c := core.NewClockTime(h, 0); return &c }
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		for _, c := range []struct {
			name string
			task core.Task
			want core.Date
		}{
			{"no date, no time: today", core.Task{Title: "a"}, wed},
			{"a time still ahead: today", core.Task{Title: "b", ScheduledTime: at(18)}, wed},
			{"a time already past: tomorrow", core.Task{Title: "c", ScheduledTime: at(9)}, wed.AddDays(1)},
			{"a date given: that date", core.Task{Title: "d", ScheduledDate: wed.AddDays(5), ScheduledTime: at(9)}, wed.AddDays(5)},
			{"every day at 9, said at 15: from tomorrow", core.Task{Title: "e", ScheduledDate: wed, ScheduledTime: at(9), Recurrence: "FREQ=DAILY"}, wed.AddDays(1)},
			{"every Monday: the date the rule gives", core.Task{Title: "f", ScheduledDate: wed.AddDays(5), Recurrence: "FREQ=WEEKLY;BYDAY=MO"}, wed.AddDays(5)},
		} {
			got, err := plan.CreateTask(ctx, tx, u, c.task)
			if err != nil {
				return err
			}
			if got.ScheduledDate != c.want || got.ID == uuid.Nil || got.Priority != 3 || !got.CreatedAt.Equal(now) {
				t.Errorf("%s: %+v, want %s", c.name, got, c.want)
			}
		}
		if _, err := plan.CreateTask(ctx, tx, u, core.Task{Title: "x", Priority: 9}); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("priority 9: %v", err)
		}
		return nil
	})
}

// TestRebalanceAndMoveAcrossUsers: a proposal made from the stored tasks (the overdue task and "today
// a" fit today, the low-priority one moves on), its moves made, stored; another user's proposal sees
// none of it, and moving or deleting another user's task is not found.
func TestRebalanceAndMoveAcrossUsers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	minutes := func(m int) *int { return &m }
	var ids map[string]uuid.UUID
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		ids = map[string]uuid.UUID{}
		for _, task := range []core.Task{
			{Title: "overdue", ScheduledDate: wed.AddDays(-2), EstimatedMin: minutes(120)},
			{Title: "today a", ScheduledDate: wed, EstimatedMin: minutes(180)},
			{Title: "today b", ScheduledDate: wed, EstimatedMin: minutes(180), Priority: 4},
		} {
			if err := tx.CreateTask(ctx, &task); err != nil {
				return err
			}
			ids[task.Title] = task.ID
		}
		return nil
	})
	var moves []plan.Move
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		r, err := plan.ProposeRebalance(ctx, tx, u)
		if err != nil {
			return err
		}
		moves = r.Moves
		for _, m := range moves {
			to := m.To
			if _, err := plan.MoveTask(ctx, tx, m.Task.ID, &to, nil); err != nil {
				return err
			}
		}
		return nil
	})
	got := map[string]core.Date{}
	for _, m := range moves {
		got[m.Task.Title] = m.To
	}
	// six hours a day: the overdue task and "today a" fit today, the low-priority one moves on
	if len(moves) != 2 || got["overdue"] != wed || got["today b"] != wed.AddDays(1) {
		t.Fatalf("moves: %v", got)
	}
	var stored string
	if err := b.db.Super.QueryRow(context.Background(), `SELECT string_agg(title || '=' || scheduled_date, ', ' ORDER BY title) FROM tasks`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != "overdue=2026-11-25, today a=2026-11-25, today b=2026-11-26" {
		t.Fatalf("stored: %s", stored)
	}
	b.db.As(t, b.boris, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if r, err := plan.ProposeRebalance(ctx, tx, u); err != nil || len(r.Moves) != 0 {
			t.Errorf("Boris's rebalancing moves %d tasks: %v", len(r.Moves), err)
		}
		later := wed.AddDays(9)
		if _, err := plan.MoveTask(ctx, tx, ids["today a"], &later, nil); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("moving another user's task: %v, want ENOTFOUND", err)
		}
		if _, err := plan.DeleteTask(ctx, tx, ids["today a"]); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("deleting another user's task: %v, want ENOTFOUND", err)
		}
		return nil
	})
}

// TestPlanProposalAcceptedIntoMilestonesAndTasks: a plan is proposed and stored as a ready
// version, creating nothing; accepted, its milestones and tasks exist, linked to the goal and on
// working days; accepted twice, nothing doubles; a goal without a deadline is proposed one;
// another user can neither see nor accept it.
func TestPlanProposalAcceptedIntoMilestonesAndTasks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	target := 100.0
	var planID uuid.UUID
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		g := core.Goal{Title: "100 клиентов", TargetValue: &target, EndDate: wed.AddDays(35)}
		if err := tx.CreateGoal(ctx, &g); err != nil {
			return err
		}
		p, err := plan.ProposePlan(ctx, tx, u, g, plan.Adjust{})
		if err != nil || len(p.Draft.Milestones) != 4 || p.Draft.Milestones[3].Due != g.EndDate || *p.Draft.Milestones[3].Target != 100 ||
			p.Draft.Milestones[0].Title != "достичь 25" || p.Draft.Kind != plan.KindCustomers {
			t.Fatalf("proposal: %+v %v", p.Draft, err)
		}
		if stored, _ := tx.FindMilestones(ctx, g.ID); len(stored) != 0 {
			t.Fatalf("a proposal created %d milestones before it was accepted", len(stored))
		}
		planID = p.ID
		accepted, ms, err := plan.AcceptPlan(ctx, tx, u, p.ID)
		if err != nil || len(ms) != 4 {
			t.Fatalf("accept: %d milestones, %v", len(ms), err)
		}
		tasks, err := tx.FindTasks(ctx, core.TaskFilter{OpenOnly: true, From: wed, To: g.EndDate})
		if err != nil || len(tasks) != len(accepted.Draft.Tasks) {
			t.Fatalf("tasks after accepting: %d of %d, %v", len(tasks), len(accepted.Draft.Tasks), err)
		}
		for _, task := range tasks {
			if task.GoalID == nil || *task.GoalID != g.ID || task.MilestoneID == nil || task.EstimatedMin == nil || task.ScheduledDate.After(g.EndDate) {
				t.Errorf("a plan task: %+v", task)
			}
		}
		if _, _, err := plan.AcceptPlan(ctx, tx, u, p.ID); !errors.Is(err, plan.ErrPlanGone) {
			t.Errorf("accepted twice: %v, want ErrPlanGone", err)
		}
		// planned again and accepted: the new plan replaces the old one's milestones and open tasks
		again, err := plan.ProposePlan(ctx, tx, u, g, plan.Adjust{Fewer: true})
		if err != nil {
			return err
		}
		if _, ms, err := plan.AcceptPlan(ctx, tx, u, again.ID); err != nil || len(ms) != 4 {
			t.Fatalf("accepting a second plan: %d milestones, %v", len(ms), err)
		}
		if stored, _ := tx.FindMilestones(ctx, g.ID); len(stored) != 4 {
			t.Fatalf("a second plan left %d milestones, want its 4", len(stored))
		}
		gid := g.ID
		if open, _ := tx.FindTasks(ctx, core.TaskFilter{OpenOnly: true, GoalID: &gid, From: wed, To: g.EndDate}); len(open) != len(again.Draft.Tasks) {
			t.Fatalf("a second plan left %d open tasks, want its %d", len(open), len(again.Draft.Tasks))
		}
		open := core.Goal{Title: "запустить онлайн-курс"}
		if err := tx.CreateGoal(ctx, &open); err != nil {
			return err
		}
		p, err = plan.ProposePlan(ctx, tx, u, open, plan.Adjust{Fewer: true})
		if err != nil || !p.Draft.ProposedDeadline || p.Draft.Kind != plan.KindLaunch || len(p.Draft.Tasks) != 5 {
			t.Fatalf("a goal without a deadline: %+v %v", p.Draft, err)
		}
		if p, _, err = plan.AcceptPlan(ctx, tx, u, p.ID); err != nil || p.Goal.EndDate != p.Draft.Deadline {
			t.Fatalf("the proposed deadline was not taken: %s vs %s, %v", p.Goal.EndDate, p.Draft.Deadline, err)
		}
		return nil
	})
	b.db.As(t, b.boris, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if _, _, err := plan.AcceptPlan(ctx, tx, u, planID); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("Boris accepting Anna's plan: %v, want ENOTFOUND", err)
		}
		return nil
	})
	var applied int
	if err := b.db.Super.QueryRow(context.Background(), `SELECT count(*) FROM ai_plans WHERE provider = 'offline' AND status = 'applied'`).Scan(&applied); err != nil || applied != 2 { // the second plan of the first goal superseded its first
		t.Fatalf("applied plans: %d %v", applied, err)
	}
}

// TestStalePlanProposalIsRefused: a proposal made yesterday can't be accepted today (its first
// tasks would already be late), and one made with the goal's deadline leaves a deadline the user
// changed since alone.
func TestStalePlanProposalIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	target := 20.0
	var id uuid.UUID
	var goal core.Goal
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		goal = core.Goal{Title: "20 клиентов", TargetValue: &target, EndDate: wed.AddDays(60)}
		if err := tx.CreateGoal(ctx, &goal); err != nil {
			return err
		}
		p, err := plan.ProposePlan(ctx, tx, u, goal, plan.Adjust{})
		id = p.ID
		return err
	})
	later := wed.AddDays(90)
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		_, err := tx.UpdateGoal(ctx, goal.ID, core.GoalUpdate{EndDate: &later}) // the user moved the deadline
		return err
	})
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		p, _, err := plan.AcceptPlan(ctx, tx, u, id)
		if err != nil || p.Goal.EndDate != later {
			t.Errorf("accepting kept deadline %s (want %s), %v", p.Goal.EndDate, later, err)
		}
		return nil
	})
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		p, err := plan.ProposePlan(ctx, tx, u, goal, plan.Adjust{})
		id = p.ID
		return err
	})
	tomorrow := now.Add(24 * time.Hour)
	b.db.NowFunc = func() time.Time { return tomorrow }
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if _, _, err := plan.AcceptPlan(ctx, tx, u, id); !errors.Is(err, plan.ErrPlanStale) {
			t.Errorf("a proposal of yesterday accepted: %v", err)
		}
		return nil
	})
}

// TestTeamGoalPlanVersionsAcrossManagers: the owner and an admin of a team both plan its team
// goal: their proposals are versions 1 and 2 of one plan, the newer replaces the older, and the
// one accepted supersedes whatever was in force, whoever made it.
func TestTeamGoalPlanVersionsAcrossManagers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	team := coretest.Team(t, b.db, "T", b.anna, b.boris)
	if _, err := b.db.Super.Exec(context.Background(), `UPDATE team_members SET role = 'admin' WHERE user_id = $1`, b.boris); err != nil {
		t.Fatal(err)
	}
	target := 100.0
	g := core.Goal{Title: "100 клиентов", TargetValue: &target, EndDate: wed.AddDays(35), TeamID: &team, Visibility: core.TeamVisible}
	var first, second plan.Proposal
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if err := tx.CreateGoal(ctx, &g); err != nil {
			return err
		}
		var err error
		first, err = plan.ProposePlan(ctx, tx, u, g, plan.Adjust{})
		return err
	})
	b.db.As(t, b.boris, func(ctx context.Context, tx core.Tx, u *core.User) error {
		var err error
		second, err = plan.ProposePlan(ctx, tx, u, g, plan.Adjust{Fewer: true})
		return err
	})
	b.db.As(t, b.anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if _, _, err := plan.AcceptPlan(ctx, tx, u, first.ID); !errors.Is(err, plan.ErrPlanGone) {
			t.Errorf("the replaced proposal accepted: %v", err)
		}
		return nil
	})
	b.db.As(t, b.boris, func(ctx context.Context, tx core.Tx, u *core.User) error {
		_, _, err := plan.AcceptPlan(ctx, tx, u, second.ID)
		return err
	})
	if got := b.db.Scalar(t, `SELECT string_agg(version || ':' || status, ',' ORDER BY version) FROM ai_plans`); got != "1:superseded,2:applied" {
		t.Errorf("plan versions: %s", got)
	}
}
