package scheduler_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/chat"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/nlu"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/core/progress"
	"github.com/bizconnect/bizconnect/scheduler"
)

var msk, _ = time.LoadLocation("Europe/Moscow")

var chats atomic.Int64 // Telegram chat ids given out

// fakeClock is the test's time, shared by the store's transactions and the schedulers.
type fakeClock struct{ ns atomic.Int64 }

func (c *fakeClock) Now() time.Time      { return time.Unix(0, c.ns.Load()) }
func (c *fakeClock) Set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func newClock(t time.Time) *fakeClock    { c := &fakeClock{}; c.Set(t); return c }
func (c *fakeClock) Add(d time.Duration) { c.ns.Add(int64(d)) }

// instance is one process's scheduler: its own River client on the shared database.
func instance(t testing.TB, db *coretest.TestDB, clock *fakeClock, work bool) *scheduler.Scheduler {
	t.Helper()
	s := &scheduler.Scheduler{NowFunc: clock.Now, Metrics: scheduler.NewMetrics(nil, nil)}
	jobs, err := postgres.NewJobs(context.Background(), db.DB, postgres.JobsConfig{Work: work, Poll: 100 * time.Millisecond}, s.Workers()...)
	if err != nil {
		t.Fatal(err)
	}
	s.Jobs = jobs
	s.Assistant = chat.NewAssistant(chat.AssistantOptions{Store: postgres.NewStore(db.DB).WithJobs(jobs), Understander: nlu.Understander{}})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		jobs.Stop(ctx) //nolint:errcheck // the test is over
	})
	return s
}

// world is a fresh database on a fake clock at at, with n users in Moscow who have a chat.
func world(t testing.TB, at time.Time, n int) (*coretest.TestDB, *fakeClock, []uuid.UUID) {
	t.Helper()
	db := coretest.NewDB(t)
	clock := newClock(at)
	db.NowFunc = clock.Now
	return db, clock, users(t, db, n)
}

// users makes n users in Moscow with a private Telegram chat, and returns their ids.
func users(t testing.TB, db *coretest.TestDB, n int) []uuid.UUID {
	t.Helper()
	ids := make([]uuid.UUID, n)
	for i := range ids {
		ids[i] = coretest.User(t, db, coretest.UserOpts{Name: fmt.Sprintf("u%d", i), Timezone: "Europe/Moscow"})
		coretest.Identity(t, db, ids[i], "telegram", "", fmt.Sprint(1000+chats.Add(1)))
	}
	return ids
}

func count(t *testing.T, db *coretest.TestDB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Super.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// pushTexts are the texts of the outbox's pushes whose key starts with prefix.
func pushTexts(t *testing.T, db *coretest.TestDB, prefix string) []core.Reply {
	t.Helper()
	rows, err := db.Super.Query(context.Background(), `SELECT payload FROM outbox WHERE dedupe_key LIKE $1 || '%' ORDER BY id`, prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []core.Reply
	for rows.Next() {
		var p struct{ Reply core.Reply }
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Reply)
	}
	return out
}

func waitIdle(t *testing.T, s *scheduler.Scheduler) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Jobs.Idle(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestThreeInstancesOnePushEach: three scheduler instances (three River clients) on one
// database, all running the same pass at once and all working the jobs, give each user exactly
// one morning plan, in their private chat, waiting until its minute; passes run again plan
// nothing more. Who has no chat, or blocked the bot, gets nothing.
func TestThreeInstancesOnePushEach(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	clock := newClock(time.Date(2026, 12, 7, 8, 29, 0, 0, msk)) // a Monday, a minute before 08:30
	db.NowFunc = clock.Now
	ids := users(t, db, 30)
	coretest.User(t, db, coretest.UserOpts{Name: "web only", Timezone: "Europe/Moscow"})
	blocked := users(t, db, 1)[0]
	if _, err := db.Super.Exec(context.Background(), `UPDATE users SET unreachable_at = now() WHERE id = $1`, blocked); err != nil {
		t.Fatal(err)
	}
	s := []*scheduler.Scheduler{instance(t, db, clock, true), instance(t, db, clock, true), instance(t, db, clock, true)}
	var wg sync.WaitGroup
	planned := make([]int, 3)
	for i := range s {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := s[i].RunPass(context.Background())
			if err != nil {
				t.Error(err)
			}
			planned[i] = len(p.Jobs)
		}()
	}
	wg.Wait()
	if planned[0]+planned[1]+planned[2] != 30 {
		t.Fatalf("planned %v: the pass ran more than once, or missed users", planned)
	}
	for _, inst := range s {
		if err := inst.Jobs.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	waitIdle(t, s[0])
	clock.Add(time.Minute) // the next minute's passes
	for _, inst := range s {
		if _, err := inst.RunPass(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	waitIdle(t, s[0])
	if n := count(t, db, `SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'morning:%'`); n != 30 {
		t.Fatalf("%d morning plans, want 30", n)
	}
	if n := count(t, db, `SELECT count(DISTINCT user_id) FROM outbox WHERE dedupe_key LIKE 'morning:%' AND user_id = ANY($1)
		AND chat = (SELECT external_id FROM identities i WHERE i.user_id = outbox.user_id) AND priority = 1
		AND available_at = '2026-12-07 08:30:00+03'`, ids); n != 30 {
		t.Errorf("%d users got their plan in their own chat, as a push, at 08:30; want 30", n)
	}
	if n := count(t, db, `SELECT count(*) FROM outbox WHERE user_id = $1`, blocked); n != 0 {
		t.Errorf("a user who blocked the bot got %d pushes", n)
	}
	total := 0.0
	for _, inst := range s {
		total += testutil.ToFloat64(inst.Metrics.Outcomes.WithLabelValues("morning", "sent"))
	}
	if total != 30 {
		t.Errorf("sent %v morning plans by the metrics, want 30", total)
	}
}

// TestRestartInTheMiddleOfAFanOut: half the pushes were written when the instance died; the
// instance that takes over works every job again and writes nothing twice.
func TestRestartInTheMiddleOfAFanOut(t *testing.T) {
	t.Parallel()
	db, clock, _ := world(t, time.Date(2026, 12, 7, 19, 0, 0, 0, msk), 10)
	first := instance(t, db, clock, false)
	p, err := first.RunPass(context.Background())
	if err != nil || len(p.Jobs) != 10 {
		t.Fatalf("planned %d check-ins: %v", len(p.Jobs), err)
	}
	for _, j := range p.Jobs[:5] { // what the first instance did before it died
		if out, err := first.Assistant.RunPushJob(context.Background(), j); err != nil || out != chat.PushSent {
			t.Fatalf("push: %s, %v", out, err)
		}
	}
	second := instance(t, db, clock, true)
	if err := second.Jobs.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, second)
	if n := count(t, db, `SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'evening:%'`); n != 10 {
		t.Fatalf("%d check-ins, want 10", n)
	}
	if got := testutil.ToFloat64(second.Metrics.Outcomes.WithLabelValues("evening", "duplicate")); got != 5 {
		t.Errorf("%v duplicates seen by the second instance, want 5", got)
	}
}

// TestLateAndSkippedAfterDowntime: back at 10:00 after an outage since 07:00, the 08:30 plan goes
// out marked late and the 07:30 one, more than two hours late, is skipped and counted.
func TestLateAndSkippedAfterDowntime(t *testing.T) {
	t.Parallel()
	db, clock, ids := world(t, time.Date(2026, 12, 7, 10, 0, 0, 0, msk), 2)
	if _, err := db.Super.Exec(context.Background(), `UPDATE users SET settings = '{"morning_plan_time": "07:30"}' WHERE id = $1`, ids[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Super.Exec(context.Background(), `INSERT INTO scheduler_passes VALUES ('pushes', '2026-12-07 07:00+03')`); err != nil {
		t.Fatal(err)
	}
	s := instance(t, db, clock, false)
	p, err := s.RunPass(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Jobs) != 1 || p.Jobs[0].User != ids[0] || p.Skipped[chat.PushMorning] != 1 {
		t.Fatalf("plan %+v", p)
	}
	if got := testutil.ToFloat64(s.Metrics.Outcomes.WithLabelValues("morning", "skipped")); got != 1 {
		t.Errorf("skipped metric %v", got)
	}
	out, err := s.Assistant.RunPushJob(context.Background(), p.Jobs[0])
	if err != nil || out != chat.PushLate {
		t.Fatalf("push: %s, %v", out, err)
	}
	rs := pushTexts(t, db, "morning:")
	if len(rs) != 1 || !strings.Contains(rs[0].Text.String(), "с опозданием: должно было прийти в 08:30") {
		t.Fatalf("late push %+v", rs)
	}
	// a job that waited in the queue past its window is skipped by its worker too
	clock.Set(time.Date(2026, 12, 7, 10, 31, 0, 0, msk))
	j := p.Jobs[0]
	j.Date = j.Date.AddDays(1)
	if out, _ := s.Assistant.RunPushJob(context.Background(), j); out != chat.PushSkipped {
		t.Errorf("a push past its window: %s", out)
	}
}

// TestMorningPlanAndCheckin: the morning plan lists the day's tasks in priority order with their
// ✅, the day's load and a replan button; the check-in counts what got done and offers the
// stress and energy buttons and what to do with the rest. Nothing on a paused day.
func TestMorningPlanAndCheckin(t *testing.T) {
	t.Parallel()
	db, clock, ids := world(t, time.Date(2026, 12, 7, 8, 30, 0, 0, msk), 2)
	today := day("2026-12-07")
	db.As(t, ids[0], func(ctx context.Context, tx core.Tx, u *core.User) error {
		for i, title := range []string{"созвон с Иваном", "счёт клиенту"} {
			task := core.Task{Title: title, ScheduledDate: today, Priority: 2 - i}
			if err := tx.CreateTask(ctx, &task); err != nil {
				return err
			}
		}
		return nil
	})
	s := instance(t, db, clock, false)
	if out, err := s.Assistant.RunPushJob(context.Background(), chat.PushJob{User: ids[0], What: chat.PushMorning, Date: today, Due: clock.Now()}); err != nil || out != chat.PushSent {
		t.Fatalf("morning: %s, %v", out, err)
	}
	rs := pushTexts(t, db, "morning:")
	if len(rs) != 1 {
		t.Fatalf("%d morning messages", len(rs))
	}
	// run again (a retry): nothing is written, and nothing its building stored stays
	recs := count(t, db, `SELECT count(*) FROM recommendations`)
	if out, err := s.Assistant.RunPushJob(context.Background(), chat.PushJob{User: ids[0], What: chat.PushMorning, Date: today, Due: clock.Now()}); err != nil || out != chat.PushDuplicate {
		t.Fatalf("morning again: %s, %v", out, err)
	}
	if n := count(t, db, `SELECT count(*) FROM recommendations`); n != recs || recs == 0 {
		t.Errorf("recommendations %d after the retry, %d before", n, recs)
	}
	text := rs[0].Text.String()
	for _, want := range []string{"Доброе утро", "счёт клиенту", "созвон с Иваном", "Нагрузка дня:"} {
		if !strings.Contains(text, want) {
			t.Errorf("morning plan lacks %q:\n%s", want, text)
		}
	}
	if strings.Index(text, "счёт клиенту") > strings.Index(text, "созвон с Иваном") {
		t.Errorf("the priority-1 task is not first:\n%s", text)
	}
	var payloads []string
	for _, row := range rs[0].Buttons {
		for _, b := range row {
			payloads = append(payloads, b.Payload)
		}
	}
	if joined := strings.Join(payloads, " "); strings.Count(joined, "t:done:") != 2 || !strings.Contains(joined, "x:replan") {
		t.Errorf("buttons %q", payloads)
	}

	clock.Set(time.Date(2026, 12, 7, 19, 0, 0, 0, msk))
	db.As(t, ids[0], func(ctx context.Context, tx core.Tx, u *core.User) error {
		tasks, err := tx.FindTasks(ctx, core.TaskFilter{From: today, To: today})
		if err != nil {
			return err
		}
		done := core.TaskDone
		_, err = tx.UpdateTask(ctx, tasks[0].ID, core.TaskUpdate{Status: &done})
		return err
	})
	if out, err := s.Assistant.RunPushJob(context.Background(), chat.PushJob{User: ids[0], What: chat.PushEvening, Date: today, Due: clock.Now()}); err != nil || out != chat.PushSent {
		t.Fatalf("evening: %s, %v", out, err)
	}
	ev := pushTexts(t, db, "evening:")[0]
	if text := ev.Text.String(); !strings.Contains(text, "Сделано: 1 из 2") || !strings.Contains(text, "Не закрыто: 1 задача") {
		t.Errorf("check-in:\n%s", text)
	}
	if len(ev.Buttons) != 3 || len(ev.Buttons[1]) != 5 || ev.Buttons[1][3].Payload != "c:stress:4" || ev.Buttons[2][0].Payload != "c:energy:1" ||
		ev.Buttons[0][0].Payload != "c:carry:1" {
		t.Errorf("check-in buttons %+v", ev.Buttons)
	}

	// the second user paused until tomorrow: no plan today
	db.As(t, ids[1], func(ctx context.Context, tx core.Tx, u *core.User) error {
		until := today.AddDays(1)
		u.Settings.PausedUntil = &until
		return tx.UpdateUser(ctx, u)
	})
	if out, err := s.Assistant.RunPushJob(context.Background(), chat.PushJob{User: ids[1], What: chat.PushEvening, Date: today, Due: clock.Now()}); err != nil || out != chat.PushQuiet {
		t.Errorf("a paused user's check-in: %s, %v", out, err)
	}
}

// reminders are the reminder jobs River holds for task.
func reminders(t *testing.T, db *coretest.TestDB, task uuid.UUID) []core.ReminderJob {
	t.Helper()
	rows, err := db.Super.Query(context.Background(), `SELECT args FROM river.river_job WHERE kind = 'push_reminder' AND args->>'task' = $1 ORDER BY id`, task.String())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []core.ReminderJob
	for rows.Next() {
		var raw []byte
		var j core.ReminderJob
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &j); err != nil {
			t.Fatal(err)
		}
		out = append(out, j)
	}
	return out
}

// TestReminderMovesWithItsTask: a task given a time gets a reminder at that time (or the lead
// time before it); moved, it gets a new one and the old one says nothing; done, none comes.
func TestReminderMovesWithItsTask(t *testing.T) {
	t.Parallel()
	db, clock, ids := world(t, time.Date(2026, 12, 7, 10, 0, 0, 0, msk), 1)
	id := ids[0]
	s := instance(t, db, clock, false)
	store := postgres.NewStore(db.DB).WithJobs(s.Jobs)
	var task core.Task
	as := func(fn func(ctx context.Context, tx core.Tx, u *core.User) error) {
		t.Helper()
		if err := store.InUser(context.Background(), id, fn); err != nil {
			t.Fatal(err)
		}
	}
	as(func(ctx context.Context, tx core.Tx, u *core.User) error {
		task = core.Task{Title: "позвонить Ивану", ScheduledDate: day("2026-12-07"), ScheduledTime: hm(12, 0)}
		return tx.CreateTask(ctx, &task)
	})
	js := reminders(t, db, task.ID)
	if len(js) != 1 || !js[0].At.Equal(time.Date(2026, 12, 7, 12, 0, 0, 0, msk)) {
		t.Fatalf("reminders %+v", js)
	}
	as(func(ctx context.Context, tx core.Tx, u *core.User) error {
		_, err := tx.UpdateTask(ctx, task.ID, core.TaskUpdate{ScheduledTime: &[]*core.ClockTime{hm(15, 0)}[0]})
		return err
	})
	js = reminders(t, db, task.ID)
	if len(js) != 2 || !js[1].Due.Equal(time.Date(2026, 12, 7, 15, 0, 0, 0, msk)) {
		t.Fatalf("after the move: %+v", js)
	}
	clock.Set(js[0].At)
	if out, err := s.Assistant.RunReminderJob(context.Background(), js[0], 30*time.Minute); err != nil || out != chat.PushQuiet {
		t.Fatalf("the old reminder: %s, %v", out, err)
	}
	clock.Set(js[1].At)
	if out, err := s.Assistant.RunReminderJob(context.Background(), js[1], 30*time.Minute); err != nil || out != chat.PushSent {
		t.Fatalf("the reminder: %s, %v", out, err)
	}
	if out, _ := s.Assistant.RunReminderJob(context.Background(), js[1], 30*time.Minute); out != chat.PushDuplicate {
		t.Errorf("the same reminder again: %s", out)
	}
	rs := pushTexts(t, db, "reminder:")
	if len(rs) != 1 || !strings.Contains(rs[0].Text.String(), "Напоминание: позвонить Ивану · 15:00") ||
		len(rs[0].Buttons) != 1 || rs[0].Buttons[0][0].Payload != "t:done:"+task.ID.String() || rs[0].Buttons[0][1].Payload != "t:snooze:"+task.ID.String() {
		t.Fatalf("reminder %+v", rs)
	}

	// a lead time chosen: the reminder comes that much before
	as(func(ctx context.Context, tx core.Tx, u *core.User) error {
		u.Settings.ReminderLeadMin = 15
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		task = core.Task{Title: "встреча", ScheduledDate: day("2026-12-08"), ScheduledTime: hm(9, 0)}
		return tx.CreateTask(ctx, &task)
	})
	if js := reminders(t, db, task.ID); len(js) != 1 || !js[0].At.Equal(time.Date(2026, 12, 8, 8, 45, 0, 0, msk)) {
		t.Fatalf("with a lead time: %+v", js)
	}
	// done before its time: nothing comes
	as(func(ctx context.Context, tx core.Tx, u *core.User) error {
		done := core.TaskDone
		_, err := tx.UpdateTask(ctx, task.ID, core.TaskUpdate{Status: &done})
		return err
	})
	clock.Set(time.Date(2026, 12, 8, 8, 45, 0, 0, msk))
	if out, _ := s.Assistant.RunReminderJob(context.Background(), reminders(t, db, task.ID)[0], 30*time.Minute); out != chat.PushQuiet {
		t.Errorf("a done task's reminder: %s", out)
	}
}

// TestATimeSetForTheNextMinuteStillComes: the minutes ahead were planned already when the user
// moved their morning plan into them; the next pass looks at them again for that user (and only
// for users who changed something: the others' windows are not planned twice).
func TestATimeSetForTheNextMinuteStillComes(t *testing.T) {
	t.Parallel()
	db, clock, ids := world(t, time.Date(2026, 12, 7, 10, 0, 0, 0, msk), 1)
	id := ids[0]
	s := instance(t, db, clock, false)
	if p, err := s.RunPass(context.Background()); err != nil || len(p.Jobs) != 0 {
		t.Fatalf("10:00: %+v, %v", p, err)
	}
	clock.Set(time.Date(2026, 12, 7, 10, 0, 30, 0, msk))
	db.As(t, id, func(ctx context.Context, tx core.Tx, u *core.User) error {
		u.Settings.MorningPlan = hm(10, 1)
		return tx.UpdateUser(ctx, u)
	})
	// updated_at is the database's clock, days behind the fake one: put it at the fake moment
	if _, err := db.Super.Exec(context.Background(), `SET session_replication_role = replica; -- the trigger would stamp now()
		UPDATE users SET updated_at = '`+clock.Now().Format(time.RFC3339)+`'; SET session_replication_role = DEFAULT`); err != nil {
		t.Fatal(err)
	}
	clock.Set(time.Date(2026, 12, 7, 10, 1, 0, 0, msk))
	p, err := s.RunPass(context.Background())
	if err != nil || len(p.Jobs) != 1 || !p.Jobs[0].Due.Equal(time.Date(2026, 12, 7, 10, 1, 0, 0, msk)) {
		t.Fatalf("10:01: %+v, %v", p, err)
	}
	clock.Set(time.Date(2026, 12, 7, 10, 2, 0, 0, msk))
	if p, err := s.RunPass(context.Background()); err != nil || len(p.Jobs) != 0 {
		t.Fatalf("10:02 plans it again: %+v, %v", p, err)
	}
}

// TestNightlyRecordsYesterdaysLoad: the nightly job records every user's load of the UTC day
// before, which is over in every zone at noon UTC.
func TestNightlyRecordsYesterdaysLoad(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	clock := newClock(time.Date(2026, 12, 8, 12, 0, 0, 0, time.UTC))
	ids := users(t, db, 2)
	if _, err := db.Super.Exec(context.Background(), `INSERT INTO tasks (user_id, title, status, completed_at, scheduled_date, estimated_time)
		VALUES ($1, 'отчёт', 'done', '2026-12-07 15:00+03', '2026-12-07', 240)`, ids[0]); err != nil {
		t.Fatal(err)
	}
	s := instance(t, db, clock, false)
	s.Loads = postgres.NewLoads(db.DB)
	if n, err := s.RunNightly(context.Background()); err != nil || n != 2 {
		t.Fatalf("recorded %d: %v", n, err)
	}
	if n := count(t, db, `SELECT count(*) FROM daily_progress WHERE date = '2026-12-07' AND business_load IS NOT NULL`); n != 2 {
		t.Errorf("%d loads recorded for 7 December, want 2", n)
	}
	if n := count(t, db, `SELECT count(*) FROM daily_progress WHERE date = '2026-12-07' AND business_load > 0 AND user_id = $1`, ids[0]); n != 1 {
		t.Error("the worked day has no load")
	}
}

// TestTeamReportGoesToItsChannelOnce: a team whose admins chose a report channel gets its weekly
// report there, once, at its owner's weekly report time, as a public message of team content,
// whichever of three instances plans it and however often; the owner's own report goes to the
// owner's private chat. A disabled workspace's team gets nothing, and the owner's pause does not
// hold the team's report back.
func TestTeamReportGoesToItsChannelOnce(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	clock := newClock(time.Date(2026, 12, 4, 16, 59, 0, 0, msk)) // a Friday, a minute before 17:00
	db.NowFunc = clock.Now
	ctx := context.Background()
	owner := coretest.User(t, db, coretest.UserOpts{Name: "owner", Timezone: "Europe/Moscow"})
	member := coretest.User(t, db, coretest.UserOpts{Name: "member", Timezone: "Asia/Tokyo"})
	coretest.Identity(t, db, owner, "slack", "T1", "U1")
	coretest.Identity(t, db, member, "slack", "T1", "U2")
	team := coretest.Team(t, db, "Acme", owner, member)
	gone := coretest.Team(t, db, "Gone", owner)
	for id, ws := range map[uuid.UUID]string{team: "T1", gone: "T2"} {
		if _, err := db.Super.Exec(ctx, `UPDATE teams SET slack_team_id = $2, report_channel = 'C9', bot_token = '\x00'::bytea, bot_token_key = 'k' WHERE id = $1`, id, ws); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Super.Exec(ctx, `UPDATE teams SET disabled_at = now() WHERE id = $1`, gone); err != nil {
		t.Fatal(err)
	}
	// the owner blocked the Telegram bot: that is theirs, not the channel's
	if _, err := db.Super.Exec(ctx, `UPDATE users SET unreachable_at = now() WHERE id = $1`, owner); err != nil {
		t.Fatal(err)
	}
	db.As(t, owner, func(ctx context.Context, tx core.Tx, u *core.User) error {
		u.Settings.PausedUntil = &core.Date{Year: 2026, Month: 12, Day: 10}
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if _, err := progress.SaveGoal(ctx, tx, core.Goal{Title: "Запуск продукта", Tracking: core.TrackTasks, TeamID: &team,
			Visibility: core.TeamVisible, Status: core.GoalActive}, nil); err != nil {
			return err
		}
		_, err := progress.SaveGoal(ctx, tx, core.Goal{Title: "личная цель", Tracking: core.TrackTasks, Visibility: core.Private, Status: core.GoalActive}, nil)
		return err
	})
	s := []*scheduler.Scheduler{instance(t, db, clock, true), instance(t, db, clock, true), instance(t, db, clock, true)}
	var wg sync.WaitGroup
	for i := range s {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s[i].RunPass(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, inst := range s {
		if err := inst.Jobs.Start(ctx); err != nil {
			t.Fatal(err)
		}
	}
	waitIdle(t, s[0])
	clock.Add(time.Minute)
	for _, inst := range s {
		if _, err := inst.RunPass(ctx); err != nil {
			t.Fatal(err)
		}
	}
	waitIdle(t, s[0])
	if n := count(t, db, `SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'team_weekly:%'`); n != 1 {
		t.Fatalf("%d team reports, want 1", n)
	}
	if n := count(t, db, `SELECT count(*) FROM outbox WHERE dedupe_key = 'team_weekly:' || $1 || ':2026-11-30'
		AND provider = 'slack' AND workspace = 'T1' AND chat = 'C9' AND NOT payload ? 'user_id'
		AND available_at = '2026-12-04 17:00:00+03'`, team.String()); n != 1 {
		t.Errorf("the team report is not a public message in C9 at 17:00 (%d)", n)
	}
	// on the minute (the database's clock is not the test's), it goes out, blocked owner or not
	if _, err := db.Super.Exec(ctx, `UPDATE outbox SET available_at = now() WHERE dedupe_key LIKE 'team_weekly:%'`); err != nil {
		t.Fatal(err)
	}
	if claimed, err := postgres.NewQueues(db.DB).Outbox().Of("C9", core.ProviderSlack).Claim(ctx, "host/a", 10, time.Minute); err != nil || len(claimed) != 1 || claimed[0].Push != "team_weekly" {
		t.Errorf("claimed %d team reports: %v", len(claimed), err)
	}
	r := pushTexts(t, db, "team_weekly:")
	if len(r) != 1 || !r[0].Team || !strings.Contains(r[0].Text.String(), "Acme") || !strings.Contains(r[0].Text.String(), "Запуск продукта") ||
		strings.Contains(r[0].Text.String(), "личная цель") {
		t.Errorf("team report: %+v", r)
	}
	if n := count(t, db, `SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'weekly:%'`); n != 0 {
		t.Errorf("the paused owner got %d personal reports", n)
	}
	total := 0.0
	for _, inst := range s {
		total += testutil.ToFloat64(inst.Metrics.Outcomes.WithLabelValues("team_weekly", "sent"))
	}
	if total != 1 {
		t.Errorf("sent %v team reports by the metrics, want 1", total)
	}
}

// TestSendLagIsMeasuredFromThePushsTime: a push claimed for delivery carries its kind and due
// time, and the metrics observe from that time to the platform's acceptance; replies are not
// pushes and are not observed.
func TestSendLagIsMeasuredFromThePushsTime(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	id := users(t, db, 1)[0]
	due := time.Now().Add(-90 * time.Second).Truncate(time.Millisecond)
	db.As(t, id, func(ctx context.Context, tx core.Tx, u *core.User) error {
		_, err := tx.Push(ctx, "morning", "2026-12-02", due, []core.Outgoing{{Reply: core.Reply{Text: core.Text{{Text: "☀️"}}}}})
		return err
	})
	if _, err := db.Super.Exec(ctx, `INSERT INTO outbox (provider, chat, payload) VALUES ('telegram', '5000', '{"reply": {"text": [{"t": "answer"}]}}')`); err != nil {
		t.Fatal(err)
	}
	claimed, err := postgres.NewQueues(db.DB).Outbox().Claim(ctx, "host/a", 10, time.Minute)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claimed %d: %v", len(claimed), err)
	}
	m := scheduler.NewMetrics(nil, nil)
	for _, p := range claimed {
		if p.Msg.ChatID == "5000" && p.Push != "" || p.Msg.ChatID != "5000" && (p.Push != "morning" || !p.Due.Equal(due)) {
			t.Errorf("claimed %s: push %q due %v", p.Msg.ChatID, p.Push, p.Due)
		}
		m.Delivered(p, due.Add(2*time.Minute))
	}
	if n := testutil.CollectAndCount(m.Sent); n != 1 {
		t.Fatalf("%d series observed, want the morning plan's", n)
	}
	var h dto.Metric
	if err := m.Sent.WithLabelValues("morning").(prometheus.Metric).Write(&h); err != nil {
		t.Fatal(err)
	}
	if got := h.GetHistogram().GetSampleSum(); got != 120 {
		t.Errorf("send lag %v s, want 120", got)
	}
}
