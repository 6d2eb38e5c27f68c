package chat_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/chat"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/nlu"
	"github.com/bizconnect/bizconnect/core/openai"
	"github.com/bizconnect/bizconnect/core/openai/openaitest"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// llmBundle is an assistant whose plans the (fake) LLM makes, as River jobs worked here.
type llmBundle struct {
	*testBundle
	llm    *openaitest.Server
	outbox *postgres.Outbox
	jobs   *postgres.Jobs
	n      atomic.Int64
}

// setupLLM starts the fake LLM and the jobs; users of the free tier get dailyTokens a day.
func setupLLM(t *testing.T, dailyTokens int, timeout time.Duration) *llmBundle {
	t.Helper()
	db := coretest.NewDB(t)
	db.NowFunc = func() time.Time { return now }
	fake := openaitest.New(t)
	client := openai.New(openai.Config{APIKey: fake.Key(), BaseURL: fake.URL(), Model: "gpt-test", Timeout: timeout,
		MaxRetries: -1, DailyTokens: map[string]int{"free": dailyTokens}})
	var a *chat.Assistant
	jobs, err := postgres.NewJobs(context.Background(), db.DB, postgres.JobsConfig{Work: true, Poll: 200 * time.Millisecond},
		postgres.Work(func(ctx context.Context, j chat.PlanJob) error { return a.RunPlanJob(ctx, j) }),
		postgres.Work(func(ctx context.Context, j chat.UnderstandJob) error { return a.RunUnderstandJob(ctx, j) }),
		postgres.Work(func(ctx context.Context, j chat.AdviceJob) error { return a.RunAdviceJob(ctx, j) }),
		postgres.Work(func(ctx context.Context, j chat.ExplainJob) error { return a.RunExplainJob(ctx, j) }),
		postgres.Work(func(ctx context.Context, j chat.DayEndJob) error { return a.RunDayEndJob(ctx, j) }))
	if err != nil {
		t.Fatal(err)
	}
	a = chat.NewAssistant(chat.AssistantOptions{Store: postgres.NewStore(db.DB).WithJobs(jobs), Understander: nlu.Understander{},
		DefaultTZ: "Europe/Moscow", LLM: client})
	if err := jobs.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		jobs.Stop(ctx) //nolint:errcheck // the test is over
	})
	return &llmBundle{testBundle: &testBundle{db: db, a: a}, llm: fake, outbox: postgres.NewQueues(db.DB).Outbox(), jobs: jobs}
}

// send sends a message (text, or a button's payload) with an update key, as a platform's are.
func (b *llmBundle) send(t *testing.T, user, text, payload string) []core.Reply {
	t.Helper()
	in := inbound(user, text)
	in.Payload = payload
	in.Key = fmt.Sprintf("console:test:%d", b.n.Add(1))
	replies, err := b.a.Handle(context.Background(), in)
	if err != nil {
		t.Fatalf("%s: %q: %v", user, text+payload, err)
	}
	return replies
}

func (b *llmBundle) say(t *testing.T, user, text string) []core.Reply {
	return b.send(t, user, text, "")
}

// later waits for the next reply a job sends to user's chat, and for River to mark the job done
// (a moment after its reply commits; until then the same request is the same job).
func (b *llmBundle) later(t *testing.T, user string, within time.Duration) []core.Reply {
	t.Helper()
	out := b.reply(t, user, within)
	idle, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	if err := b.jobs.Idle(idle); err != nil {
		t.Errorf("jobs still busy: %v", err)
	}
	return out
}

// reply waits for the next reply a job sends to user's chat.
func (b *llmBundle) reply(t *testing.T, user string, within time.Duration) []core.Reply {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		claimed, err := b.outbox.Claim(ctx, "test", 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		var out []core.Reply
		for _, p := range claimed {
			push := b.db.Scalar(t, fmt.Sprintf(`SELECT (priority > 0)::text FROM outbox WHERE id = %d`, p.Msg.ID)) == "true"
			if p.Msg.ChatID == user && !push { // a load warning may come meanwhile: not what is waited for
				out = append(out, p.Msg.Reply)
			}
			if err := b.outbox.Sent(ctx, p.Msg.ID, "x"); err != nil {
				t.Fatal(err)
			}
		}
		if len(out) > 0 {
			return out
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: no later reply within %s", user, within)
	return nil
}

// goal saves a goal of user's.
func (b *llmBundle) goal(t *testing.T, user, text string) {
	t.Helper()
	r := b.say(t, user, text)
	b.send(t, user, "", buttonWith(t, r, "g:save").Payload)
}

const llmPlan = `{"milestones": [
  {"title": "10 клиентов", "due": "2026-12-20", "target": 10},
  {"title": "20 клиентов", "due": "2027-01-20", "target": 20}],
 "tasks": [
  {"title": "Составить список 60 компаний", "milestone": 1, "minutes": 120, "complexity": "medium", "load": 5},
  {"title": "Позвонить 20 компаниям из списка", "milestone": 1, "minutes": 180, "complexity": "medium", "load": 6},
  {"title": "Провести 5 презентаций", "milestone": 2, "minutes": 240, "complexity": "hard", "load": 7}]}`

// TestLLMPlanArrivesLaterAndIsAccepted: asking for a plan answers "⏳" at once; the LLM's plan
// (a structured answer) follows in the same chat; "да" accepts it into milestones and tasks; the
// tokens are recorded for the user and on the plan version.
func TestLLMPlanArrivesLaterAndIsAccepted(t *testing.T) {
	t.Parallel()
	b := setupLLM(t, 100_000, 5*time.Second)
	b.goal(t, "anna", "цель: 20 клиентов к 20 января")
	b.llm.AnswerUsage(llmPlan, 900, 300)
	contains(t, b.say(t, "anna", "распиши план по цели клиенты"), "⏳ Составляю план")
	later := b.later(t, "anna", 20*time.Second)
	contains(t, later, "План для цели", "Составить список 60 компаний")
	if strings.Contains(text(later), "без него") {
		t.Errorf("the LLM's plan came with the offline note:\n%s", text(later))
	}
	// another plan, asked for with its button, replaces this one
	b.llm.AnswerUsage(strings.ReplaceAll(llmPlan, "Составить список 60 компаний", "Выписать 60 компаний из каталога"), 900, 300)
	contains(t, b.send(t, "anna", "", buttonWith(t, later, "a:re").Payload), "⏳")
	again := b.later(t, "anna", 20*time.Second)
	contains(t, again, "Выписать 60 компаний из каталога")
	if r := b.send(t, "anna", "", buttonWith(t, later, "a:ok").Payload); !strings.Contains(text(r)+r[0].Notice, "уже принят или заменён") {
		t.Errorf("the replaced proposal's Accept: %+v", r)
	}
	contains(t, b.say(t, "anna", "да"), "План принят", "3 задачи")
	if n := row[int](t, b.testBundle, `SELECT count(*) FROM tasks WHERE title = 'Выписать 60 компаний из каталога' AND milestone_id IS NOT NULL`); n != 1 {
		t.Errorf("the LLM's task became %d tasks, want 1", n)
	}
	if got := row[string](t, b.testBundle, `SELECT provider || ' ' || model || ' ' || prompt_tokens || '+' || completion_tokens FROM ai_plans WHERE status = 'applied'`); got != "llm gpt-test 900+300" {
		t.Errorf("plan version: %s", got)
	}
	if got := row[string](t, b.testBundle, `SELECT string_agg(job || ' ' || prompt_tokens + completion_tokens || ' ' || ok, ', ') FROM llm_usage`); got != "goal_plan 1200 true, goal_plan 1200 true" {
		t.Errorf("usage: %s", got)
	}
	req := b.llm.Requests()[0]
	if user := req.Messages[len(req.Messages)-1].Content; strings.Contains(user, "anna") || uuidRE.MatchString(user) || !strings.Contains(user, "клиент") {
		t.Errorf("the LLM was sent: %s", user)
	}
}

// TestLLMFailuresFallBackToTheOfflinePlan: malformed JSON, an answer the domain refuses, a 429,
// a 500 and a timeout each end in the offline plan, with a note, in the chat that asked.
func TestLLMFailuresFallBackToTheOfflinePlan(t *testing.T) {
	t.Parallel()
	b := setupLLM(t, 100_000, 500*time.Millisecond)
	b.goal(t, "anna", "цель: 20 клиентов к 20 января")
	for _, c := range []struct {
		name   string
		script func()
	}{
		{"malformed JSON", func() { b.llm.Answer(`{"milestones": [`) }},
		{"outside the goal's span", func() { b.llm.Answer(strings.ReplaceAll(llmPlan, "2027-01-20", "2027-06-01")) }},
		{"429", func() { b.llm.Fail(http.StatusTooManyRequests, "30") }},
		{"500", func() { b.llm.Fail(http.StatusInternalServerError, "") }},
		{"timeout", func() { b.llm.Delay(5 * time.Second); b.llm.Answer(llmPlan) }},
	} {
		c.script()
		contains(t, b.say(t, "anna", "распиши план по цели клиенты"), "⏳")
		later := b.later(t, "anna", 20*time.Second)
		if got := text(later); !strings.Contains(got, "ИИ-планировщик не ответил") || !strings.Contains(got, "План для цели") ||
			strings.Contains(got, "Составить список 60 компаний") {
			t.Errorf("%s: the reply is not the offline plan with its note:\n%s", c.name, got)
		}
	}
	contains(t, b.say(t, "anna", "да"), "План принят")
	if n := row[int](t, b.testBundle, `SELECT count(*) FROM ai_plans WHERE provider = 'offline'`); n != 5 {
		t.Errorf("%d offline plan versions, want 5", n)
	}
}

// TestSpentBudgetStopsLLMCalls: once the day's tokens are spent, a plan is the offline one with a
// note and the LLM is not called; a tier without a budget plans offline at once.
func TestSpentBudgetStopsLLMCalls(t *testing.T) {
	t.Parallel()
	b := setupLLM(t, 1000, 5*time.Second)
	b.goal(t, "anna", "цель: 20 клиентов к 20 января")
	b.llm.AnswerUsage(llmPlan, 900, 300)
	b.say(t, "anna", "распиши план по цели клиенты")
	contains(t, b.later(t, "anna", 20*time.Second), "Составить список 60 компаний")
	b.llm.Strict() // another request fails the test
	b.say(t, "anna", "распиши план по цели клиенты")
	contains(t, b.later(t, "anna", 20*time.Second), "Дневной лимит ИИ исчерпан", "План для цели")
	if n := len(b.llm.Requests()); n != 1 {
		t.Errorf("%d LLM requests, want 1", n)
	}

	offline := setupLLM(t, 0, 5*time.Second)
	offline.llm.Strict()
	offline.goal(t, "boris", "goal: 20 clients by january 20")
	contains(t, offline.say(t, "boris", "plan my goal"), "Plan for", "Accept")
}

// TestSlowLLMDoesNotSlowOthers: while one user's plan waits on an LLM that takes a minute, other
// users are answered at once and another user's plan arrives.
func TestSlowLLMDoesNotSlowOthers(t *testing.T) {
	t.Parallel()
	b := setupLLM(t, 100_000, 90*time.Second)
	b.goal(t, "anna", "цель: 20 клиентов к 20 января")
	b.goal(t, "boris", "цель: 20 клиентов к 20 января")
	b.llm.Delay(60 * time.Second)
	b.llm.Answer(llmPlan)
	b.llm.Answer(llmPlan)
	b.say(t, "anna", "распиши план по цели клиенты")
	deadline := time.Now().Add(10 * time.Second)
	for len(b.llm.Requests()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond) // Anna's job is waiting on the LLM
	}
	start := time.Now()
	contains(t, b.say(t, "boris", "завтра позвонить Ивану"), "Ивану")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Boris waited %s for his answer", d)
	}
	b.say(t, "boris", "распиши план по цели клиенты")
	contains(t, b.reply(t, "boris", 20*time.Second), "Составить список 60 компаний")
}

// TestLLMReadsWhatTheModelCouldNotAndAsksFirst: a message the offline model can't read goes to
// the LLM with the parser's readings as hints; its reading is offered to confirm, and only "да"
// acts on it. When the LLM can't tell either, the offline answer follows.
func TestLLMReadsWhatTheModelCouldNotAndAsksFirst(t *testing.T) {
	t.Parallel()
	b := setupLLM(t, 100_000, 5*time.Second)
	b.say(t, "anna", "привет")
	b.llm.Strict()
	if r := b.say(t, "anna", "17"); strings.Contains(text(r), "🤔") { // a stray number is no riddle
		t.Errorf("a number went to the LLM: %s", text(r))
	}
	b.llm.Answer(`{"intent": "create_task"}`)
	contains(t, b.say(t, "anna", "петя доки сделка"), "🤔")
	later := b.later(t, "anna", 20*time.Second)
	contains(t, later, "вы имели в виду")
	buttonWith(t, later, "u:as:")
	if n := row[int](t, b.testBundle, `SELECT count(*) FROM tasks`); n != 0 {
		t.Fatalf("%d tasks before the reading was confirmed", n)
	}
	contains(t, b.say(t, "anna", "да"), "петя доки сделка")
	if n := row[int](t, b.testBundle, `SELECT count(*) FROM tasks`); n != 1 {
		t.Fatalf("%d tasks after да, want 1", n)
	}
	req := b.llm.Requests()[0]
	if user := req.Messages[len(req.Messages)-1].Content; !strings.Contains(user, "петя доки сделка") || !strings.Contains(user, "alternatives") ||
		strings.Contains(user, "anna") || uuidRE.MatchString(user) {
		t.Errorf("the LLM was sent: %s", user)
	}
	if got := row[string](t, b.testBundle, `SELECT string_agg(job, ',') FROM llm_usage`); got != "understand" {
		t.Errorf("usage: %s", got)
	}

	b.llm.Answer(`{"intent": "unknown"}`)
	b.say(t, "anna", "петя доки сделка")
	if got := text(b.later(t, "anna", 20*time.Second)); strings.Contains(got, "вы имели в виду") || got == "" {
		t.Errorf("the LLM could not tell, yet: %s", got)
	}

	// moved on: a message in between makes the reading moot, and no reading comes
	b.llm.Delay(time.Second)
	b.llm.Answer(`{"intent": "create_task"}`)
	b.say(t, "anna", "петя доки сделка")
	b.say(t, "anna", "завтра позвонить ивану")
	idle, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := b.jobs.Idle(idle); err != nil {
		t.Fatal(err)
	}
	if claimed, err := b.outbox.Claim(context.Background(), "test", 10, time.Minute); err != nil || len(claimed) != 0 {
		t.Errorf("a reading came after the user moved on: %d, %v", len(claimed), err)
	}
}

// uuidRE finds an id in what the LLM was sent: it gets keys of its own, never ids.
var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// TestLLMAdviceOnRequest: under "what matters now" a 🤖 button asks the LLM for one more piece
// of advice from the user's own data; it comes stored and rated like the rules' advice, and
// applying it changes the schedule. A kind disliked three times, or a task the data doesn't
// have, is not given: the rules' advice comes instead.
func TestLLMAdviceOnRequest(t *testing.T) {
	t.Parallel()
	b := setupLLM(t, 100_000, 5*time.Second)
	b.say(t, "anna", "сегодня подготовить отчёт для банка на 3 часа")
	b.say(t, "anna", "сегодня ответить Олегу на 10 минут")
	focus := b.say(t, "anna", "что сейчас важнее всего?")
	ask := buttonWith(t, focus, "r:ai").Payload
	b.llm.Answer(`{"recommendations": [{"type": "quick_win", "text": "Сначала ответьте Олегу — 10 минут, и одно дело закрыто.", "task_key": "t2"}]}`)
	contains(t, b.send(t, "anna", "", ask), "⏳")
	later := b.later(t, "anna", 20*time.Second)
	contains(t, later, "💡 Сначала ответьте Олегу")
	req := b.llm.Requests()[0]
	if user := req.Messages[len(req.Messages)-1].Content; !strings.Contains(user, `"key":"t1"`) || strings.Contains(user, "anna") || uuidRE.MatchString(user) {
		t.Errorf("the LLM was sent: %s", user)
	}
	b.send(t, "anna", "", buttonWith(t, later, "r:do").Payload)
	if got := row[string](t, b.testBundle, `SELECT title FROM tasks WHERE status = 'todo' ORDER BY priority LIMIT 1`); !strings.Contains(got, "Олегу") {
		t.Errorf("after apply the first task is %q", got)
	}
	if n := row[int](t, b.testBundle, `SELECT count(*) FROM recommendations WHERE context->>'kind' = 'quick_win' AND applied`); n != 1 {
		t.Errorf("%d applied quick wins stored, want 1", n)
	}

	// three 👎 on quick wins mute them; an unknown task key is refused
	for range 3 {
		r := b.say(t, "anna", "что сейчас важнее всего?")
		b.llm.Answer(`{"recommendations": [{"type": "quick_win", "text": "Ответьте Олегу прямо сейчас, это быстро.", "task_key": "t2"}]}`)
		b.send(t, "anna", "", buttonWith(t, r, "r:ai").Payload)
		down := buttonWith(t, b.later(t, "anna", 20*time.Second), "r:down")
		b.send(t, "anna", "", down.Payload)
	}
	b.llm.Answer(`{"recommendations": [{"type": "quick_win", "text": "Ответьте Олегу прямо сейчас, это быстро.", "task_key": "t2"}]}`)
	b.send(t, "anna", "", buttonWith(t, b.say(t, "anna", "что сейчас важнее всего?"), "r:ai").Payload)
	contains(t, b.later(t, "anna", 20*time.Second), "Лучше этого мне добавить нечего")
	b.llm.Answer(`{"recommendations": [{"type": "focus", "text": "Займитесь задачей, которой нет.", "task_key": "t99"}]}`)
	b.send(t, "anna", "", buttonWith(t, b.say(t, "anna", "что сейчас важнее всего?"), "r:ai").Payload)
	contains(t, b.later(t, "anna", 20*time.Second), "Лучше этого мне добавить нечего")
}

// TestPlanJobEdges: a second request while the first is being made is not a second LLM call; a
// goal deleted while the LLM thinks gets no plan; a Telegram group member who never wrote to
// the bot privately gets the offline plan at once, since no later answer could reach them.
func TestPlanJobEdges(t *testing.T) {
	t.Parallel()
	b := setupLLM(t, 100_000, 5*time.Second)
	b.goal(t, "anna", "цель: 20 клиентов к 20 января")
	b.llm.Delay(time.Second)
	b.llm.Answer(llmPlan)
	contains(t, b.say(t, "anna", "распиши план по цели клиенты"), "⏳")
	contains(t, b.say(t, "anna", "распиши план по цели клиенты"), "Уже занимаюсь")
	contains(t, b.later(t, "anna", 20*time.Second), "Составить список 60 компаний")
	if n := len(b.llm.Requests()); n != 1 {
		t.Errorf("%d LLM calls for two taps, want 1", n)
	}

	b.llm.Delay(time.Second)
	b.llm.Answer(llmPlan)
	b.say(t, "anna", "распиши план по цели клиенты")
	if _, err := b.db.Super.Exec(context.Background(), `UPDATE goals SET deleted_at = now()`); err != nil {
		t.Fatal(err)
	}
	contains(t, b.later(t, "anna", 20*time.Second), "Этой цели больше нет")
	if n := row[int](t, b.testBundle, `SELECT count(*) FROM ai_plans WHERE status = 'ready'`); n != 1 {
		t.Errorf("%d ready plans, want only the first (the deleted goal got none)", n)
	}

	group := func(text, payload string) []core.Reply {
		in := core.Inbound{Provider: core.ProviderTelegram, ExternalUserID: "777", UserName: "Gleb", ChatID: "-100500",
			ChatType: core.ChatGroup, Text: text, Payload: payload, Key: fmt.Sprintf("telegram:test:%d", b.n.Add(1))}
		r, err := b.a.Handle(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	group("цель: 20 клиентов к 20 января", "")
	group("", "g:save")
	if n := row[int](t, b.testBundle, `SELECT count(*) FROM goals WHERE deleted_at IS NULL`); n != 1 {
		t.Fatalf("the group member's goal was not saved: %d goals", n)
	}
	group("распиши план по цели клиенты", "")
	if n := row[int](t, b.testBundle, `SELECT count(*) FROM river.river_job WHERE kind = 'llm_goal_plan'`); n != 2 {
		t.Errorf("%d plan jobs: one was scheduled for someone who can't get its answer", n)
	}
}

// TestLLMExplainsARebalancing: under a rebalancing proposal "🤖 Почему так?" has the LLM put it
// into words that name its tasks; "да" then applies it. An explanation naming none of them is
// refused and a plain sentence comes instead.
func TestLLMExplainsARebalancing(t *testing.T) {
	t.Parallel()
	b := setupLLM(t, 100_000, 5*time.Second)
	for i := range 6 {
		b.say(t, "anna", fmt.Sprintf("сегодня подготовить отчёт %d на 2 часа", i))
	}
	r := b.say(t, "anna", "я не успеваю, перепланируй")
	// the six tasks are alike (made at one instant of the test's clock): which four move is not
	// fixed, so the explanation names them all
	b.llm.Answer(`{"explanation": "Сегодня у вас 12 часов работы при 6 доступных. Из «подготовить отчёт 0», «подготовить отчёт 1», «подготовить отчёт 2», «подготовить отчёт 3», «подготовить отчёт 4» и «подготовить отчёт 5» четыре переезжают на ближайшие дни, чтобы сегодня осталось посильное."}`)
	contains(t, b.send(t, "anna", "", buttonWith(t, r, "x:why").Payload), "⏳")
	why := b.later(t, "anna", 20*time.Second)
	contains(t, why, "🤖 Сегодня у вас 12 часов")
	buttonWith(t, why, "x:apply")
	contains(t, b.say(t, "anna", "да"), "Перепланировал")
	if user := b.llm.Requests()[0].Messages[1].Content; !strings.Contains(user, "подготовить отчёт") || !strings.Contains(user, `"moves"`) {
		t.Errorf("the LLM was sent: %s", user)
	}

	for i := range 6 {
		b.say(t, "anna", fmt.Sprintf("сегодня позвонить клиенту %d на 2 часа", i))
	}
	r = b.say(t, "anna", "перепланируй")
	b.llm.Answer(`{"explanation": "Так будет лучше для вас и вашего бизнеса, поверьте."}`)
	b.send(t, "anna", "", buttonWith(t, r, "x:why").Payload)
	contains(t, b.later(t, "anna", 20*time.Second), "Лучше списка выше не объясню")
}

// TestFirstMessageOfTheDaySchedulesItsEnd: the day's load is recorded when the user's day ends
// (their midnight and five minutes), by one job however many messages they write.
func TestFirstMessageOfTheDaySchedulesItsEnd(t *testing.T) {
	t.Parallel()
	b := setupLLM(t, 0, time.Second)
	b.say(t, "anna", "сегодня позвонить Ивану")
	b.say(t, "anna", "что на сегодня?")
	b.say(t, "anna", "какая нагрузка?")
	if got := row[string](t, b.testBundle, `SELECT count(*) || ' ' || min(scheduled_at AT TIME ZONE 'Europe/Moscow')::text FROM river.river_job WHERE kind = 'load_day_end'`); got != "1 2026-11-26 00:05:00" {
		t.Fatalf("day-end jobs: %s", got)
	}
}
