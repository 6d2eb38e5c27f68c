package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/load"
)

// restUserID is the id of the i-th user newRESTClients signed up.
func restUserID(t *testing.T, db *coretest.TestDB, i int) uuid.UUID {
	t.Helper()
	return uuid.MustParse(db.Scalar(t, `SELECT id FROM users WHERE email = $1`, fmt.Sprintf("user%d@example.com", i)))
}

// raw makes a GET whose answer is not JSON, validated against the document as do does, and
// returns its status, content type and body.
func (c *restClient) raw(path string) (int, string, []byte) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	c.validate(req, nil, resp, got)
	return resp.StatusCode, resp.Header.Get("Content-Type"), got
}

// goal creates a goal through the API and returns its id.
func (c *restClient) goal(body map[string]any) string {
	c.t.Helper()
	status, _, g := c.do("POST", "/goals", body)
	if status != 201 {
		c.t.Fatalf("create goal: %d %v", status, g)
	}
	return g["id"].(string)
}

func items(page map[string]any) []map[string]any {
	var out []map[string]any
	list, _ := page["items"].([]any)
	for _, it := range list {
		out = append(out, it.(map[string]any))
	}
	return out
}

// TestRESTMilestones: milestones are created (placed after the goal's others), listed by goal,
// read, changed under If-Match, marked reached (the milestone achievement, as the goal's value
// passing a target earns it) and deleted; a goal's progress reaches the milestones it passes,
// the same rule the chat's progress follows; a retried POST makes one milestone.
func TestRESTMilestones(t *testing.T) {
	t.Parallel()
	db, users := newRESTClients(t, 1)
	a := users[0]
	goal := a.goal(map[string]any{"title": "10 клиентов", "target_value": 10, "unit": "клиентов"})
	status, tag, m1 := a.do("POST", "/milestones", map[string]any{"goal_id": goal, "title": "первые 3", "target_value": 3})
	if status != 201 || tag == "" || m1["position"].(float64) != 1 || m1["reached"] != false || m1["status"] != "pending" {
		t.Fatalf("create milestone: %d %v", status, m1)
	}
	_, _, m2 := a.do("POST", "/milestones", map[string]any{"goal_id": goal, "title": "договор с партнёром", "deadline": "2027-02-01"})
	if m2["position"].(float64) != 2 || m2["deadline"] != "2027-02-01" {
		t.Errorf("the second milestone: %v", m2)
	}
	id1, id2 := m1["id"].(string), m2["id"].(string)
	for _, path := range []string{"/milestones?goal_id=" + goal, "/milestones", "/milestones?limit=1"} {
		_, _, page := a.do("GET", path, nil)
		want := 2
		if strings.Contains(path, "limit=1") {
			want = 1
			if page["next_cursor"] == nil {
				t.Errorf("%s: no next page", path)
			}
		}
		if len(items(page)) != want {
			t.Errorf("%s: %v", path, page)
		}
	}
	status, tag2, got := a.do("GET", "/milestones/"+id1, nil)
	if status != 200 || tag2 != tag || got["title"] != "первые 3" {
		t.Errorf("get milestone: %d %s %v", status, tag2, got)
	}
	if status, _, p := a.do("PATCH", "/milestones/"+id1, map[string]any{"title": "первые три"}, "If-Match", tag); status != 200 || p["title"] != "первые три" {
		t.Errorf("patch milestone: %d %v", status, p)
	}
	if status, _, _ := a.do("PATCH", "/milestones/"+id1, map[string]any{"title": "x"}, "If-Match", tag); status != 412 {
		t.Errorf("a patch from a stale version: %d", status)
	}
	if status, _, p := a.do("PATCH", "/milestones/"+id1, map[string]any{"title": ""}); status != 400 {
		t.Errorf("an empty title: %d %v", status, p)
	}
	status, _, r := a.do("PATCH", "/milestones/"+id2, map[string]any{"reached": true})
	if status != 200 || r["reached"] != true || r["status"] != "completed" || r["completed_at"] == nil {
		t.Errorf("reached: %d %v", status, r)
	}
	if n := db.Scalar(t, `SELECT count(*) FROM achievements WHERE kind = 'milestone' AND key = $1`, id2); n != "1" {
		t.Errorf("%s milestone achievements for marking it reached", n)
	}
	if status, _, p := a.do("POST", "/goals/"+goal+"/progress", map[string]any{"value": 4}); status != 201 || p["goal"].(map[string]any)["current_value"].(float64) != 4 {
		t.Fatalf("progress: %d %v", status, p)
	}
	if _, _, p := a.do("GET", "/milestones/"+id1, nil); p["reached"] != true {
		t.Errorf("the goal's value passed the milestone's target: %v", p)
	}
	if status, _, _ := a.do("DELETE", "/milestones/"+id2, nil); status != 204 {
		t.Errorf("delete: %d", status)
	}
	if status, _, p := a.do("GET", "/milestones/"+id2, nil); status != 404 {
		t.Errorf("a deleted milestone: %d %v", status, p)
	}
	body := map[string]any{"goal_id": goal, "title": "повтор"}
	_, _, first := a.do("POST", "/milestones", body, "Idempotency-Key", "m-1")
	status, _, again := a.do("POST", "/milestones", body, "Idempotency-Key", "m-1")
	if status != 201 || first["id"] == nil || first["id"] != again["id"] {
		t.Errorf("a retried POST: %v then %d %v", first, status, again)
	}
	if n := db.Scalar(t, `SELECT count(*) FROM milestones WHERE title = 'повтор'`); n != "1" {
		t.Errorf("%s milestones from one key", n)
	}
	if status, _, _ := a.do("POST", "/milestones", map[string]any{"goal_id": uuid.NewString(), "title": "x"}); status != 404 {
		t.Errorf("a milestone of no goal: %d", status)
	}
}

// TestRESTGoalProgress: progress logged through the API goes the chat's way (progress.LogProgress):
// increments add up, a total that meets the target completes the goal and earns the achievement,
// the history lists every entry with its percentage, page by page; a retried POST logs once.
func TestRESTGoalProgress(t *testing.T) {
	t.Parallel()
	db, users := newRESTClients(t, 1)
	a := users[0]
	goal := a.goal(map[string]any{"title": "Выручка 100к", "target_value": 100, "unit": "к"})
	for _, c := range []struct {
		body    map[string]any
		value   float64
		reached bool
	}{{map[string]any{"value": 30, "increment": true}, 30, false}, {map[string]any{"value": 20, "increment": true}, 50, false},
		{map[string]any{"value": 100}, 100, true}} {
		status, _, p := a.do("POST", "/goals/"+goal+"/progress", c.body)
		if status != 201 || p["goal"].(map[string]any)["current_value"].(float64) != c.value || p["reached"] != c.reached {
			t.Fatalf("%v: %d %v", c.body, status, p)
		}
	}
	_, _, page := a.do("GET", "/goals/"+goal+"/progress?limit=2", nil)
	list := items(page)
	if len(list) != 2 || list[0]["percent"].(float64) != 100 || list[1]["percent"].(float64) != 50 || list[1]["delta"].(float64) != 20 || page["next_cursor"] == nil {
		t.Fatalf("the history's first page: %v", page)
	}
	_, _, page = a.do("GET", "/goals/"+goal+"/progress?limit=2&cursor="+page["next_cursor"].(string), nil)
	if list := items(page); len(list) != 1 || list[0]["value"].(float64) != 30 || page["next_cursor"] != nil {
		t.Errorf("the history's second page: %v", page)
	}
	db.As(t, restUserID(t, db, 0), func(ctx context.Context, tx core.Tx, u *core.User) error { // what the chat reads
		g, err := tx.FindGoalByID(ctx, uuid.MustParse(goal))
		if err != nil || g.Status != core.GoalCompleted || g.CurrentValue != 100 {
			t.Errorf("the goal as the chat sees it: %+v %v", g, err)
		}
		as, err := tx.Achievements(ctx, time.Time{})
		if !hasAchievement(as, core.AchGoalAchieved) {
			t.Errorf("achievements after reaching the goal: %v %v", as, err)
		}
		return err
	})
	goal2 := a.goal(map[string]any{"title": "Клиенты", "target_value": 10})
	body := map[string]any{"value": 1, "increment": true}
	_, _, first := a.do("POST", "/goals/"+goal2+"/progress", body, "Idempotency-Key", "p-1")
	_, _, again := a.do("POST", "/goals/"+goal2+"/progress", body, "Idempotency-Key", "p-1")
	if first["goal"].(map[string]any)["current_value"].(float64) != 1 || again["goal"].(map[string]any)["current_value"].(float64) != 1 {
		t.Errorf("a retried POST: %v then %v", first, again)
	}
	if n := db.Scalar(t, `SELECT count(*) FROM goal_progress WHERE goal_id = $1`, goal2); n != "1" {
		t.Errorf("%s entries from one key", n)
	}
	if status, _, p := a.do("POST", "/goals/"+goal2+"/progress", map[string]any{"value": 2e15}); status != 400 {
		t.Errorf("a value out of range: %d %v", status, p)
	}
}

func hasAchievement(as []core.Achievement, kind string) bool {
	for _, a := range as {
		if a.Kind == kind {
			return true
		}
	}
	return false
}

// TestRESTReflections: today's check-in recorded through the API is the one the evening check-in
// records (progress.Reflect): notes add up over the day, and the day's load reads its stress as
// the chat's "как нагрузка?" does; the list is bounded; a retried POST records once.
func TestRESTReflections(t *testing.T) {
	t.Parallel()
	db, users := newRESTClients(t, 1)
	a := users[0]
	status, _, r := a.do("POST", "/reflections", map[string]any{"stress": 4, "energy": 2, "note": "устал"})
	if status != 201 || r["stress"].(float64) != 4 || r["energy"].(float64) != 2 || r["note"] != "устал" || r["date"] == nil {
		t.Fatalf("check-in: %d %v", status, r)
	}
	today := r["date"].(string)
	_, _, first := a.do("POST", "/reflections", map[string]any{"note": "созвон сорвался"}, "Idempotency-Key", "r-1")
	_, _, again := a.do("POST", "/reflections", map[string]any{"note": "созвон сорвался"}, "Idempotency-Key", "r-1")
	if first["note"] != "устал\nсозвон сорвался" || again["note"] != first["note"] || first["stress"].(float64) != 4 {
		t.Errorf("a second check-in, retried: %v then %v", first, again)
	}
	if got := db.Scalar(t, `SELECT reflection_notes FROM daily_progress WHERE date = $1::date`, today); got != "устал\nсозвон сорвался" {
		t.Errorf("the day's notes: %q", got)
	}
	_, _, list := a.do("GET", "/reflections", nil)
	if got := items(list); len(got) != 1 || got[0]["date"] != today {
		t.Errorf("the days: %v", list)
	}
	db.As(t, restUserID(t, db, 0), func(ctx context.Context, tx core.Tx, u *core.User) error {
		_, d, _, err := load.Today(ctx, tx, u)
		if d.Stress != 4 || d.Energy != 2 {
			t.Errorf("the day's load reads stress %d, energy %d", d.Stress, d.Energy)
		}
		return err
	})
	for _, bad := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/reflections", map[string]any{"stress": 6}}, {"POST", "/reflections", map[string]any{"note": ""}},
		{"GET", "/reflections?from=2026-02-01&to=2026-01-01", nil}, {"GET", "/reflections?from=2024-01-01&to=2026-01-01", nil},
	} {
		if status, _, p := a.do(bad.method, bad.path, bad.body); status != 400 {
			t.Errorf("%s %s %v: %d %v", bad.method, bad.path, bad.body, status, p)
		}
	}
}

// TestRESTLoad: today's figure is load.Today's, the chat's; the history scores the days before
// today (bounded at 366), the projection the days ahead from the tasks planned for them.
func TestRESTLoad(t *testing.T) {
	t.Parallel()
	db, users := newRESTClients(t, 1)
	a := users[0]
	var today, tomorrow core.Date
	db.As(t, restUserID(t, db, 0), func(ctx context.Context, tx core.Tx, u *core.User) error {
		today = core.Today(tx, u)
		tomorrow = today.AddDays(1)
		return nil
	})
	a.do("POST", "/tasks", map[string]any{"title": "отчёт", "estimated_min": 240, "scheduled_date": today.String()})
	a.do("POST", "/tasks", map[string]any{"title": "презентация", "estimated_min": 300, "scheduled_date": tomorrow.String()})
	status, _, day := a.do("GET", "/load/today", nil)
	if status != 200 || day["date"] != today.String() || day["planned_min"].(float64) != 240 || day["value"].(float64) <= 0 {
		t.Fatalf("today: %d %v", status, day)
	}
	db.As(t, restUserID(t, db, 0), func(ctx context.Context, tx core.Tx, u *core.User) error {
		s, _, _, err := load.Today(ctx, tx, u)
		if float64(s.Value) != day["value"].(float64) {
			t.Errorf("the chat's figure %d, the API's %v", s.Value, day["value"])
		}
		return err
	})
	_, _, hist := a.do("GET", "/load/history", nil)
	if got := items(hist); len(got) != 30 || got[29]["date"] != today.AddDays(-1).String() || got[0]["past"] != true {
		t.Errorf("the history: %d days, %v", len(got), hist)
	}
	if _, _, hist := a.do("GET", "/load/history?from="+today.AddDays(-366).String()+"&to="+today.AddDays(-1).String(), nil); len(items(hist)) != 366 {
		t.Errorf("a year's history: %d days", len(items(hist)))
	}
	for _, bad := range []string{"/load/history?from=" + today.AddDays(-367).String() + "&to=" + today.AddDays(-1).String(),
		"/load/history?to=" + today.String(), "/load/projection?days=40"} {
		if status, _, p := a.do("GET", bad, nil); status != 400 {
			t.Errorf("%s: %d %v", bad, status, p)
		}
	}
	_, _, proj := a.do("GET", "/load/projection?days=3", nil)
	got := items(proj)
	if len(got) != 3 || got[0]["date"] != tomorrow.String() || got[0]["projected"] != true || got[0]["planned_min"].(float64) != 300 {
		t.Errorf("the projection: %v", proj)
	}
}

// TestRESTAchievementsAdviceDashboard: the achievements the chat awards, the advice it gave
// with 👍/👎 recorded as the chat records them (and weighed by the advice that follows), a
// retried rating counted once; the dashboard sums the day.
func TestRESTAchievementsAdviceDashboard(t *testing.T) {
	t.Parallel()
	db, users := newRESTClients(t, 1)
	a := users[0]
	me := restUserID(t, db, 0)
	a.goal(map[string]any{"title": "Запуск"})
	_, _, ach := a.do("GET", "/achievements", nil)
	if got := items(ach); len(got) != 1 || got[0]["kind"] != "first_goal" || got[0]["name"] == "" {
		t.Errorf("achievements: %v", ach)
	}
	var rec core.Recommendation
	db.As(t, me, func(ctx context.Context, tx core.Tx, u *core.User) error {
		rec = core.Recommendation{Kind: "rest", Content: "Сделайте перерыв"}
		return tx.SaveRecommendation(ctx, &rec)
	})
	_, _, page := a.do("GET", "/recommendations", nil)
	if got := items(page); len(got) != 1 || got[0]["kind"] != "rest" || got[0]["feedback"] != nil {
		t.Fatalf("recommendations: %v", page)
	}
	path := "/recommendations/" + rec.ID.String() + "/feedback"
	_, _, first := a.do("POST", path, map[string]any{"rating": "helpful"}, "Idempotency-Key", "f-1")
	status, _, again := a.do("POST", path, map[string]any{"rating": "helpful"}, "Idempotency-Key", "f-1")
	if first["feedback"] != "helpful" || status != 200 || again["feedback"] != "helpful" {
		t.Errorf("feedback, retried: %v then %d %v", first, status, again)
	}
	if n := db.Scalar(t, `SELECT count(*) FROM recommendation_feedback WHERE recommendation_id = $1`, rec.ID); n != "1" {
		t.Errorf("%s ratings from one key", n)
	}
	db.As(t, me, func(ctx context.Context, tx core.Tx, u *core.User) error {
		scores, err := tx.AdviceScores(ctx)
		if scores["rest"] != 1 {
			t.Errorf("the advice's scores: %v", scores)
		}
		return err
	})
	if status, _, p := a.do("POST", path, map[string]any{"rating": "great"}); status != 400 {
		t.Errorf("an unknown rating: %d %v", status, p)
	}
	var today core.Date
	db.As(t, me, func(ctx context.Context, tx core.Tx, u *core.User) error { today = core.Today(tx, u); return nil })
	_, _, t1 := a.do("POST", "/tasks", map[string]any{"title": "звонок", "scheduled_date": today.String()})
	a.do("POST", "/tasks", map[string]any{"title": "письмо", "scheduled_date": today.String()})
	a.do("POST", "/tasks", map[string]any{"title": "старое", "scheduled_date": today.AddDays(-2).String()})
	a.do("POST", "/tasks/"+t1["id"].(string)+"/complete", nil)
	status, _, dash := a.do("GET", "/dashboard", nil)
	if status != 200 || dash["tasks_today"].(float64) != 2 || dash["done_today"].(float64) != 1 || dash["overdue_tasks"].(float64) != 1 ||
		dash["active_goals"].(float64) != 1 || dash["streak"].(float64) != 0 || dash["load"].(map[string]any)["date"] != today.String() {
		t.Errorf("dashboard: %d %v", status, dash)
	}
}

// TestRESTWeeklyReport: the report the chat sends, as JSON (this week's, or an ISO week's) and
// its chart as a PNG; a week not begun or not a week is refused.
func TestRESTWeeklyReport(t *testing.T) {
	t.Parallel()
	db, users := newRESTClients(t, 1)
	a := users[0]
	goal := a.goal(map[string]any{"title": "Выручка", "target_value": 100})
	a.do("POST", "/goals/"+goal+"/progress", map[string]any{"value": 40})
	var today core.Date
	db.As(t, restUserID(t, db, 0), func(ctx context.Context, tx core.Tx, u *core.User) error { today = core.Today(tx, u); return nil })
	_, _, task := a.do("POST", "/tasks", map[string]any{"title": "счёт клиенту", "scheduled_date": today.String()})
	a.do("POST", "/tasks/"+task["id"].(string)+"/complete", nil)
	year, week := today.In(time.UTC).ISOWeek()
	iso := fmt.Sprintf("%04d-W%02d", year, week)
	status, _, r := a.do("GET", "/reports/weekly", nil)
	goals, _ := r["goals"].([]any)
	if status != 200 || r["week"] != iso || r["monday"] != today.Monday().String() || r["tasks_completed"].(float64) != 1 || len(goals) != 1 ||
		!strings.Contains(r["text"].(string), "Выручка") {
		t.Fatalf("this week's report: %d %v", status, r)
	}
	if _, _, same := a.do("GET", "/reports/weekly?week="+iso, nil); same["monday"] != r["monday"] {
		t.Errorf("the report of %s: %v", iso, same)
	}
	last := today.Monday().AddDays(-7)
	ly, lw := last.In(time.UTC).ISOWeek()
	if _, _, prev := a.do("GET", fmt.Sprintf("/reports/weekly?week=%04d-W%02d", ly, lw), nil); prev["monday"] != last.String() {
		t.Errorf("last week's report: %v", prev)
	}
	status, ctype, png := a.raw("/reports/weekly.png?week=" + iso)
	if status != 200 || ctype != "image/png" || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("the chart: %d %s %d bytes", status, ctype, len(png))
	}
	next := today.Monday().AddDays(7)
	ny, nw := next.In(time.UTC).ISOWeek()
	for _, bad := range []string{fmt.Sprintf("%04d-W%02d", ny, nw), "2026-W60", "2021-W53"} {
		if status, _, p := a.do("GET", "/reports/weekly?week="+bad, nil); status != 400 {
			t.Errorf("week %s: %d %v", bad, status, p)
		}
	}
}

// TestRESTProfile: the profile changes through the chat's settings operation (account.Apply), each
// setting checked there: the chat's next turn reads the new settings; a refused change changes
// nothing; a change from a stale version is refused.
func TestRESTProfile(t *testing.T) {
	t.Parallel()
	db, users := newRESTClients(t, 1)
	a := users[0]
	me := restUserID(t, db, 0)
	status, tag, p := a.do("GET", "/profile", nil)
	if status != 200 || p["morning_plan_time"] != "08:30" || p["daily_capacity_min"].(float64) != 360 || len(p["working_days"].([]any)) != 5 {
		t.Fatalf("profile: %d %v", status, p)
	}
	change := map[string]any{"name": "Анна", "language": "en", "timezone": "Asia/Tokyo", "morning_plan_time": "07:45",
		"evening_checkin_time": "20:15", "weekly_report_day": 1, "weekly_report_time": "09:00", "quiet_from": "22:00", "quiet_to": "07:00",
		"working_days": []int{1, 2, 3, 4, 5, 6}, "daily_capacity_min": 300, "reminder_lead_min": 15}
	status, tag2, p := a.do("PATCH", "/profile", change, "If-Match", tag)
	if status != 200 || tag2 == tag || p["name"] != "Анна" || p["language"] != "en" || p["timezone"] != "Asia/Tokyo" || p["morning_plan_time"] != "07:45" ||
		p["quiet_from"] != "22:00" || p["weekly_report_day"].(float64) != 1 || p["daily_capacity_min"].(float64) != 300 {
		t.Fatalf("patch: %d %v", status, p)
	}
	db.As(t, me, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if u.Locale != "en" || !u.Settings.LangLocked || u.Timezone != "Asia/Tokyo" || u.Settings.Morning().String() != "07:45" ||
			u.Settings.Capacity() != 300 || !u.Settings.Quiet(core.NewClockTime(23, 0)) || u.Name != "Анна" {
			t.Errorf("the user as the chat reads them: %+v", u)
		}
		return nil
	})
	if status, _, _ := a.do("PATCH", "/profile", map[string]any{"name": "x"}, "If-Match", tag); status != 412 {
		t.Errorf("a change from a stale version: %d", status)
	}
	for _, bad := range []map[string]any{{"timezone": "Mars/Olympus", "name": "Борис"}, {"daily_capacity_min": 10}, {"quiet_from": "22:00"},
		{"morning_plan_time": "25:00"}, {"paused_until": "2020-01-01"}} {
		if status, _, p := a.do("PATCH", "/profile", bad); status != 400 {
			t.Errorf("%v: %d %v", bad, status, p)
		}
	}
	if got := db.Scalar(t, `SELECT name || ' ' || timezone || ' ' || (settings->>'daily_capacity_min') FROM users WHERE id = $1`, me); got != "Анна Asia/Tokyo 300" {
		t.Errorf("after refused changes: %s", got)
	}
	until := time.Now().AddDate(0, 0, 10).Format(time.DateOnly)
	if _, _, p := a.do("PATCH", "/profile", map[string]any{"paused_until": until}); p["paused_until"] != until {
		t.Errorf("pause: %v", p)
	}
	if _, _, p := a.do("PATCH", "/profile", map[string]any{"resume": true}); p["paused_until"] != nil {
		t.Errorf("resume: %v", p)
	}
}

// TestRESTPlans: a plan requested through the API is the offline planner's proposal, stored as a
// ready plan; accepting it creates its milestones and tasks, as the chat's Accept does; accepted
// twice is 409; retried POSTs make one proposal and accept once.
func TestRESTPlans(t *testing.T) {
	t.Parallel()
	db, users := newRESTClients(t, 1)
	a := users[0]
	end := time.Now().AddDate(0, 3, 0).Format(time.DateOnly)
	goal := a.goal(map[string]any{"title": "20 новых клиентов", "target_value": 20, "unit": "клиентов", "end_date": end, "category": "clients"})
	body := map[string]any{"goal_id": goal}
	status, _, p := a.do("POST", "/plans", body, "Idempotency-Key", "plan-1")
	if status != 201 || len(p["milestones"].([]any)) == 0 || len(p["tasks"].([]any)) == 0 || p["summary"] == "" {
		t.Fatalf("plan: %d %v", status, p)
	}
	if _, _, again := a.do("POST", "/plans", body, "Idempotency-Key", "plan-1"); again["id"] != p["id"] {
		t.Errorf("a retried POST: %v", again["id"])
	}
	if n := db.Scalar(t, `SELECT count(*) FROM ai_plans WHERE goal_id = $1`, goal); n != "1" {
		t.Errorf("%s plans from one key", n)
	}
	id := p["id"].(string)
	status, _, acc := a.do("POST", "/plans/"+id+"/accept", nil, "Idempotency-Key", "acc-1")
	if status != 200 || len(acc["milestones"].([]any)) != len(p["milestones"].([]any)) || acc["tasks"].(float64) != float64(len(p["tasks"].([]any))) {
		t.Fatalf("accept: %d %v", status, acc)
	}
	if _, _, again := a.do("POST", "/plans/"+id+"/accept", nil, "Idempotency-Key", "acc-1"); again["id"] != id {
		t.Errorf("a retried accept: %v", again)
	}
	if n := db.Scalar(t, `SELECT count(*) FROM tasks WHERE goal_id = $1 AND deleted_at IS NULL`, goal); n != fmt.Sprint(len(p["tasks"].([]any))) {
		t.Errorf("%s tasks after accepting, the plan has %d", n, len(p["tasks"].([]any)))
	}
	if status, _, e := a.do("POST", "/plans/"+id+"/accept", nil); status != 409 {
		t.Errorf("accepted twice: %d %v", status, e)
	}
	if _, _, page := a.do("GET", "/milestones?goal_id="+goal, nil); len(items(page)) != len(p["milestones"].([]any)) {
		t.Errorf("the goal's milestones: %v", page)
	}
	if status, _, e := a.do("POST", "/plans", map[string]any{"goal_id": goal, "deadline": "2020-01-01"}); status != 400 {
		t.Errorf("a deadline in the past: %d %v", status, e)
	}
}

// TestRESTResourcesKeepUsersApart: user B's token against user A's milestones, goal progress,
// recommendations and plans gets 404 for every operation, as if they did not exist, and nothing
// of A's changes; B's lists show none of A's.
func TestRESTResourcesKeepUsersApart(t *testing.T) {
	t.Parallel()
	db, users := newRESTClients(t, 2)
	a, b := users[0], users[1]
	goal := a.goal(map[string]any{"title": "A's goal", "target_value": 10, "end_date": time.Now().AddDate(0, 2, 0).Format(time.DateOnly)})
	_, _, m := a.do("POST", "/milestones", map[string]any{"goal_id": goal, "title": "A's milestone", "target_value": 5})
	a.do("POST", "/goals/"+goal+"/progress", map[string]any{"value": 2})
	_, _, p := a.do("POST", "/plans", map[string]any{"goal_id": goal})
	var rec core.Recommendation
	db.As(t, restUserID(t, db, 0), func(ctx context.Context, tx core.Tx, u *core.User) error {
		rec = core.Recommendation{Kind: "focus", Content: "A's advice"}
		return tx.SaveRecommendation(ctx, &rec)
	})
	ms, plan := m["id"].(string), p["id"].(string)
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/milestones/" + ms, nil}, {"PATCH", "/milestones/" + ms, map[string]any{"title": "mine now", "reached": true}},
		{"DELETE", "/milestones/" + ms, nil}, {"POST", "/milestones", map[string]any{"goal_id": goal, "title": "mine"}},
		{"GET", "/goals/" + goal + "/progress", nil}, {"POST", "/goals/" + goal + "/progress", map[string]any{"value": 9}},
		{"POST", "/recommendations/" + rec.ID.String() + "/feedback", map[string]any{"rating": "not_helpful"}},
		{"POST", "/plans", map[string]any{"goal_id": goal}}, {"POST", "/plans/" + plan + "/accept", nil},
	} {
		if status, _, p := b.do(c.method, c.path, c.body); status != 404 {
			t.Errorf("B %s %s: %d %v, want 404", c.method, c.path, status, p)
		}
	}
	for _, path := range []string{"/milestones", "/milestones?goal_id=" + goal, "/recommendations", "/reflections", "/achievements"} {
		if _, _, page := b.do("GET", path, nil); len(items(page)) != 0 {
			t.Errorf("B's %s shows %v", path, page["items"])
		}
	}
	checks := map[string]string{
		`SELECT title || '/' || status FROM milestones WHERE id = $1`:                                                                         "A's milestone/pending",
		`SELECT current_value::int || '/' || count(p.id) FROM goals g JOIN goal_progress p ON p.goal_id = g.id WHERE g.id = $1 GROUP BY g.id`: "2/1",
		`SELECT coalesce(feedback::text, 'none') FROM recommendations WHERE id = $1`:                                                          "none",
		`SELECT status::text FROM ai_plans WHERE id = $1`:                                                                                     "ready",
		`SELECT count(*)::text FROM milestones WHERE goal_id = $1`:                                                                            "1",
	}
	args := map[string]any{`SELECT title || '/' || status FROM milestones WHERE id = $1`: ms,
		`SELECT coalesce(feedback::text, 'none') FROM recommendations WHERE id = $1`: rec.ID, `SELECT status::text FROM ai_plans WHERE id = $1`: plan}
	for sql, want := range checks {
		arg, ok := args[sql]
		if !ok {
			arg = goal
		}
		if got := db.Scalar(t, sql, arg); got != want {
			t.Errorf("%s: %s, want %s", sql, got, want)
		}
	}
	if n := db.Scalar(t, `SELECT count(*) FROM achievements WHERE user_id = $1`, restUserID(t, db, 1)); n != "0" {
		t.Errorf("B earned %s achievements from A's things", n)
	}
}

// TestRESTTeamMilestones: a team goal's milestones are read by every member and changed only by
// the goal's owner and the team's owners and admins (403 for a plain member, who still adds to
// the goal's progress but doesn't set its total); an outsider doesn't see them.
func TestRESTTeamMilestones(t *testing.T) {
	t.Parallel()
	db, users := newRESTClients(t, 4)
	owner, admin, member, outsider := users[0], users[1], users[2], users[3]
	team := coretest.Team(t, db, "Acme", restUserID(t, db, 0), restUserID(t, db, 1), restUserID(t, db, 2))
	if _, err := db.Super.Exec(context.Background(), `UPDATE team_members SET role = 'admin' WHERE user_id = $1`, restUserID(t, db, 1)); err != nil {
		t.Fatal(err)
	}
	goal := owner.goal(map[string]any{"title": "50 продаж", "target_value": 50, "visibility": "team", "team_id": team.String()})
	status, _, m := admin.do("POST", "/milestones", map[string]any{"goal_id": goal, "title": "первые 10", "target_value": 10})
	if status != 201 {
		t.Fatalf("an admin's milestone: %d %v", status, m)
	}
	ms := m["id"].(string)
	if status, _, got := member.do("GET", "/milestones/"+ms, nil); status != 200 || got["title"] != "первые 10" {
		t.Errorf("a member reads it: %d %v", status, got)
	}
	if _, _, page := member.do("GET", "/milestones", nil); len(items(page)) != 1 {
		t.Errorf("a member's milestones: %v", page)
	}
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"PATCH", "/milestones/" + ms, map[string]any{"title": "мои 10"}}, {"DELETE", "/milestones/" + ms, nil},
		{"POST", "/milestones", map[string]any{"goal_id": goal, "title": "моя веха"}}, {"POST", "/goals/" + goal + "/progress", map[string]any{"value": 40}},
		{"POST", "/plans", map[string]any{"goal_id": goal}},
	} {
		if status, _, p := member.do(c.method, c.path, c.body); status != 403 {
			t.Errorf("a plain member %s %s: %d %v, want 403", c.method, c.path, status, p)
		}
	}
	if status, _, p := member.do("POST", "/goals/"+goal+"/progress", map[string]any{"value": 12, "increment": true}); status != 201 || p["entry_id"] == nil {
		t.Errorf("a member's increment: %d %v", status, p)
	}
	if _, _, got := owner.do("GET", "/milestones/"+ms, nil); got["reached"] != true {
		t.Errorf("the member's increment passed the milestone: %v", got)
	}
	if status, _, p := admin.do("PATCH", "/milestones/"+ms, map[string]any{"title": "первые десять"}); status != 200 {
		t.Errorf("an admin's change: %d %v", status, p)
	}
	if status, _, _ := outsider.do("GET", "/milestones/"+ms, nil); status != 404 {
		t.Errorf("an outsider reads it: %d", status)
	}
	if got := db.Scalar(t, `SELECT title || '/' || (SELECT count(*) FROM milestones WHERE goal_id = $2) FROM milestones WHERE id = $1`, ms, goal); got != "первые десять/1" {
		t.Errorf("the team's milestones: %s", got)
	}
}

// TestRESTLimitsAndTokens: past the per-user bound a new operation answers 429 with Retry-After,
// and without a valid token 401, both as the document says.
func TestRESTLimitsAndTokens(t *testing.T) {
	t.Parallel()
	env := maps.Clone(authEnv)
	env["API_RATE_PER_MINUTE"] = "3"
	_, base := startApp(t, env)
	status, s := authCall(t, "POST", base+"/auth/v1/signup", "", map[string]any{"email": "user0@example.com", "password": "correct horse"})
	if status != 200 {
		t.Fatalf("sign-up: %d %v", status, s)
	}
	a := &restClient{t: t, base: base + "/api/v1", token: s["access_token"].(string), router: newRESTRouter(t, base)}
	var got []int
	for range 4 {
		status, _, _ := a.do("GET", "/dashboard", nil)
		got = append(got, status)
	}
	if fmt.Sprint(got) != "[200 200 200 429]" {
		t.Errorf("four requests under a bound of three: %v", got)
	}
	a.token = "not a token"
	if status, _, p := a.do("GET", "/load/today", nil); status != 401 || p["status"].(float64) != 401 {
		t.Errorf("without a valid token: %d %v", status, p)
	}
}

// TestRESTWritesAreTheChats: what a linked account writes through the API — a goal's progress, a
// milestone, the day's check-in — is what its Telegram chat then shows.
func TestRESTWritesAreTheChats(t *testing.T) {
	t.Parallel()
	b, base := setupTelegramWeb(t)
	b.send(t, telegramtest.Message{UpdateID: 1, From: anna, Text: "/link"})
	sent := b.fake.WaitCalls(t, "sendMessage", 1, 10*time.Second)
	code := regexp.MustCompile(`[A-Z0-9]{4}-[A-Z0-9]{4}`).FindString(sent[0].Text())
	status, s := authCall(t, "POST", base+"/auth/v1/signup", "", map[string]any{"email": "anna@example.com", "password": "correct horse"})
	if status != 200 || code == "" {
		t.Fatalf("sign-up: %d %v, code %q", status, s, code)
	}
	web := &restClient{t: t, base: base + "/api/v1", token: s["access_token"].(string), router: newRESTRouter(t, base)}
	if status, _, p := web.do("POST", "/link", map[string]any{"code": code}, "Idempotency-Key", "link-1"); status != 200 || p["linked"] != true {
		t.Fatalf("link: %d %v", status, p)
	}
	if status, _, p := web.do("POST", "/link", map[string]any{"code": code}, "Idempotency-Key", "link-1"); status != 200 || p["linked"] != true {
		t.Errorf("the link retried with its key: %d %v", status, p)
	}
	b.fake.WaitCalls(t, "sendMessage", 2, 10*time.Second) // "Чат связан"
	goal := web.goal(map[string]any{"title": "Выручка 100к", "target_value": 100, "unit": "к"})
	web.do("POST", "/goals/"+goal+"/progress", map[string]any{"value": 40})
	b.send(t, telegramtest.Message{UpdateID: 2, From: anna, Text: "мои цели"})
	sent = b.fake.WaitCalls(t, "sendMessage", 3, 10*time.Second)
	if text := sent[2].Text(); !strings.Contains(text, "Выручка 100к") || !strings.Contains(text, "40") {
		t.Errorf("the chat's goals after progress through the API: %q", text)
	}
}

// TestRESTTeams: every member reads their team and its members; its owners and admins invite
// (a plain member gets 403), a signed-in user joins with the code once; only the owner gives
// roles (403 for an admin and a member, as in the chat), and handing over ownership makes the
// owner an admin; an outsider finds no such team (404), and nothing changes for their tries.
func TestRESTTeams(t *testing.T) {
	t.Parallel()
	db, users := newRESTClients(t, 4)
	owner, admin, member, outsider := users[0], users[1], users[2], users[3]
	ids := []uuid.UUID{restUserID(t, db, 0), restUserID(t, db, 1), restUserID(t, db, 2), restUserID(t, db, 3)}
	tm := coretest.Team(t, db, "Acme", ids[0], ids[1], ids[2])
	if _, err := db.Super.Exec(context.Background(), `UPDATE team_members SET role = 'admin' WHERE user_id = $1`, ids[1]); err != nil {
		t.Fatal(err)
	}
	team := tm.String()
	_, _, list := member.do("GET", "/teams", nil)
	if got := items(list); len(got) != 1 || got[0]["name"] != "Acme" || got[0]["role"] != "member" || got[0]["members"].(float64) != 3 {
		t.Errorf("a member's teams: %v", list)
	}
	_, _, ms := member.do("GET", "/teams/"+team+"/members", nil)
	if got := items(ms); len(got) != 3 || got[0]["role"] != "owner" || got[0]["user_id"] != ids[0].String() {
		t.Errorf("the members: %v", ms)
	}
	role := func(i int) string {
		return db.Scalar(t, `SELECT coalesce((SELECT role::text FROM team_members WHERE team_id = $1 AND user_id = $2), 'none')`, tm, ids[i])
	}
	for _, c := range []struct {
		who          *restClient
		method, path string
		body         any
		want         int
	}{
		{member, "POST", "/teams/" + team + "/invites", nil, 403},
		{member, "PATCH", "/teams/" + team + "/members/" + ids[2].String(), map[string]any{"role": "admin"}, 403},
		{admin, "PATCH", "/teams/" + team + "/members/" + ids[2].String(), map[string]any{"role": "admin"}, 403},
		{outsider, "GET", "/teams/" + team + "/members", nil, 404},
		{outsider, "POST", "/teams/" + team + "/invites", nil, 404},
		{outsider, "PATCH", "/teams/" + team + "/members/" + ids[3].String(), map[string]any{"role": "owner"}, 404},
		{owner, "PATCH", "/teams/" + team + "/members/" + ids[3].String(), map[string]any{"role": "admin"}, 404}, // not a member
	} {
		if status, _, p := c.who.do(c.method, c.path, c.body); status != c.want {
			t.Errorf("%s %s: %d %v, want %d", c.method, c.path, status, p, c.want)
		}
	}
	if got := role(1) + role(2) + role(3); got != "adminmembernone" {
		t.Errorf("roles after refused changes: %s", got)
	}
	if n := db.Scalar(t, `SELECT count(*) FROM team_invites`); n != "0" {
		t.Errorf("%s invites from refused requests", n)
	}
	status, _, inv := admin.do("POST", "/teams/"+team+"/invites", nil, "Idempotency-Key", "inv-1")
	_, _, again := admin.do("POST", "/teams/"+team+"/invites", nil, "Idempotency-Key", "inv-1")
	if status != 201 || inv["code"] == nil || again["code"] != inv["code"] {
		t.Fatalf("an admin's invite, retried: %d %v then %v", status, inv, again)
	}
	if n := db.Scalar(t, `SELECT count(*) FROM team_invites`); n != "1" {
		t.Errorf("%s invites from one key", n)
	}
	code := strings.ReplaceAll(inv["code"].(string), "-", "")
	if n := db.Scalar(t, `SELECT count(*) FROM idempotency_keys WHERE replace(response::text, '-', '') LIKE '%' || $1 || '%'`, code); n != "0" {
		t.Errorf("the live invite code is kept in the clear in %s idempotency records", n)
	}
	if _, _, other := admin.do("POST", "/teams/"+team+"/invites", nil, "Idempotency-Key", "inv-2"); other["code"] == inv["code"] {
		t.Errorf("another key made the same code %v", other["code"])
	}
	status, _, joined := outsider.do("POST", "/teams/join", map[string]any{"code": strings.ToLower(inv["code"].(string))})
	if status != 200 || joined["id"] != team || joined["role"] != "member" || joined["members"].(float64) != 4 {
		t.Errorf("join: %d %v", status, joined)
	}
	if status, _, _ := member.do("POST", "/teams/join", map[string]any{"code": inv["code"]}); status != 404 {
		t.Errorf("a used code: %d", status)
	}
	if status, _, p := owner.do("PATCH", "/teams/"+team+"/members/"+ids[3].String(), map[string]any{"role": "admin"}); status != 200 || p["role"] != "admin" {
		t.Errorf("the owner names an admin: %d %v", status, p)
	}
	if status, _, p := owner.do("PATCH", "/teams/"+team+"/members/"+ids[1].String(), map[string]any{"role": "owner"}); status != 200 || p["role"] != "owner" {
		t.Errorf("the owner hands over: %d %v", status, p)
	}
	if got := role(0) + "/" + role(1) + "/" + role(2) + "/" + role(3); got != "admin/owner/member/admin" {
		t.Errorf("roles: %s", got)
	}
}
