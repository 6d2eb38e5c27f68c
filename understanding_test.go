package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/bizconnect/bizconnect/core/coretest"
)

// These dialogs are the conversations a new user has, typed the way people type, through the
// terminal chat one process per message: everything a reply depends on lives in the database.

type terminal struct {
	t    *testing.T
	db   *coretest.TestDB
	user string
}

func newConsole(t *testing.T, user string) *terminal {
	db := coretest.NewDB(t)
	t.Setenv("DATABASE_URL", db.URL)
	t.Setenv("TZ", "Europe/Moscow")
	return &terminal{t: t, db: db, user: user}
}

// say runs one `bizconnect chat` process for one message and returns what it printed.
func (c *terminal) say(msg string) string {
	c.t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"chat", "--user", c.user}, strings.NewReader(msg+"\n"), &out, io.Discard); err != nil {
		c.t.Fatal(err)
	}
	return out.String()
}

// expect says msg and fails unless the reply has every one of want.
func (c *terminal) expect(msg string, want ...string) string {
	c.t.Helper()
	out := c.say(msg)
	for _, w := range want {
		if !strings.Contains(out, w) {
			c.t.Errorf("%q: reply lacks %q:\n%s", msg, w, out)
		}
	}
	return out
}

func (c *terminal) count(sql string, args ...any) int {
	c.t.Helper()
	var n int
	if err := c.db.Super.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		c.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func (c *terminal) str(sql string, args ...any) string {
	c.t.Helper()
	var s string
	if err := c.db.Super.QueryRow(context.Background(), sql, args...).Scan(&s); err != nil {
		c.t.Fatalf("%s: %v", sql, err)
	}
	return s
}

const openTasks = `SELECT count(*) FROM tasks WHERE deleted_at IS NULL`

// TestNoJunkTasks: what people write that is not a task never becomes one, and each gets the
// answer it asks for.
func TestNoJunkTasks(t *testing.T) {
	c := newConsole(t, "nina")
	c.expect("цель: выручка 1 млн к концу года", "Сохранить")
	c.expect("да", "Цель сохранена")
	c.expect("завтра в 11 созвон с юристом", "Задача добавлена")
	c.expect("сегодня отправить кп Альфе", "Задача добавлена")
	for _, m := range []struct{ say, want string }{
		{"давай созвон с юристом сдвинем на четверг?", "Перенесено"},
		{"а на среду что-нибудь стоит?", "План на"},
		{"напоминания шли не раньше 9 утра", "⚙️"},
		{"доброе утро 🙂", "Привет"},
		{"не перебор ли у меня?", "Business Load"},
		{"итоги недели покажи", "📊"},
		{"день выжал меня", "📝"},
		{"с чем ты вообще помогаешь?", "Вот что я умею"},
		{"закрыли ещё две сделки", ""},
		{"оборот за неделю 120 тыс", "📈"},
		{"покажи мои цели", "выручка 1 млн"},
		{"что сейчас важнее всего?", "Что сейчас важнее всего"},
		{"чувствую, что выгораю", "Отдых"},
		{"как дела?", "спасибо"},
		{"спасибо", "Пожалуйста"},
		{"weekly recap please", "Week"},
		{"is my week too heavy", "Business Load"},
		{"how was my month", "Week"},
		{"tired but happy today", "📝"},
		{"what are the commands", "Here's what I can do"},
		{"MRR is at 9,400 now", ""},
		{"my goals", "Goals"},
		{"what should I do first", "What matters most"},
		{"so exhausted lately", "Rest is part of the work"},
		{"how are you", "thanks"},
		{"thx", "welcome"},
		{"morning!", "Hi"},
	} {
		before := c.count(openTasks)
		c.expect(m.say, m.want)
		if n := c.count(openTasks); n != before {
			t.Errorf("%q made a task", m.say)
		}
	}
	if d := c.str(`SELECT to_char(scheduled_date, 'ID') FROM tasks WHERE title = 'созвон с юристом'`); d != "4" {
		t.Errorf("the call was not moved to a Thursday: ISO weekday %s", d)
	}
}

// TestGoalConfirmedInWords: a plain yes in any form saves the goal shown; a no drops it; any
// other message keeps the draft for later.
func TestGoalConfirmedInWords(t *testing.T) {
	c := newConsole(t, "oleg")
	for _, yes := range []string{"да", "ок", "давай", "yes", "sure", "👍"} {
		before := c.count(`SELECT count(*) FROM goals`)
		c.expect("цель: 30 клиентов к марту", "Сохранить")
		c.say(yes)
		if c.count(`SELECT count(*) FROM goals`) != before+1 {
			t.Errorf("%q did not save the goal", yes)
		}
	}
	c.expect("цель: 10 партнёров к лету", "Сохранить")
	c.say("что на сегодня")
	c.say("сохранить") // the button's word presses it, even after another message
	if n := c.count(`SELECT count(*) FROM goals WHERE title LIKE '10 партн%'`); n != 1 {
		t.Errorf("'сохранить' after another message saved %d goals", n)
	}
	if n := c.count(openTasks); n != 0 {
		t.Errorf("'сохранить' or 'да' became %d tasks", n)
	}
	c.expect("goal: 50 clients by end of march", "Save")
	c.expect("no", "discarded")
	if n := c.count(`SELECT count(*) FROM goals WHERE title = '50 clients'`); n != 0 {
		t.Error("'no' saved the goal")
	}
}

// TestProgressFindsItsGoal: among three goals with long titles, a figure goes to the goal its
// metric names.
func TestProgressFindsItsGoal(t *testing.T) {
	c := newConsole(t, "vera")
	for _, g := range []string{
		"цель: выйти на выручку 3 млн рублей в месяц к концу следующего года",
		"цель: 200 постоянных клиентов в кофейне к лету",
		"цель: 10 000 подписчиков в телеграм-канале к маю",
	} {
		c.say(g)
		c.say("да")
	}
	c.expect("выручка +85к", "📈", "выручку 3 млн")
	c.expect("ещё 4 клиента", "📈", "200 постоянных клиентов")
	c.expect("signed 4 more clients", "📈", "200 постоянных клиентов")
	got := c.str(`SELECT string_agg(title || '=' || current_value::bigint, '; ' ORDER BY title) FROM goals`)
	if want := "10 000 подписчиков в телеграм-канале=0; 200 постоянных клиентов в кофейне=8; выйти на выручку 3 млн рублей в месяц=85000"; got != want {
		t.Errorf("goal values: %s, want %s", got, want)
	}
}

// TestChangeByWords: move, delete, rename, priority, estimate and capacity, in words, in
// Russian and in English; each is what was asked and nothing else.
func TestChangeByWords(t *testing.T) {
	c := newConsole(t, "ivan")
	c.say("завтра в 11 созвон с юристом")
	c.say("в пятницу разобрать склад")
	c.say("звонок поставщику в понедельник")
	c.say("gym tomorrow at 7pm")

	c.expect("давай созвон с юристом сдвинем на четверг?", "Перенесено")
	c.expect("убери задачу про склад", "Удалить задачу", "разобрать склад")
	c.expect("да", "Удалил")
	if n := c.count(`SELECT count(*) FROM tasks WHERE title = 'разобрать склад' AND deleted_at IS NOT NULL`); n != 1 {
		t.Error("the confirmed delete did not delete")
	}
	c.expect("поставь приоритет высокий звонку поставщику", "Изменил")
	if p := c.str(`SELECT priority::text FROM tasks WHERE title = 'звонок поставщику'`); p != "2" {
		t.Errorf("priority = %s, want 2", p)
	}
	c.expect("переименуй задачу звонок поставщику в звонок поставщику по браку", "звонок поставщику по браку")
	c.expect("change the estimate to 2h", "2 h")
	if n := c.count(`SELECT count(*) FROM tasks WHERE title = 'звонок поставщику по браку' AND estimated_time = 120`); n != 1 {
		t.Error("the estimate of the task changed last is not 2 h")
	}
	c.expect("delete the gym task", "Delete the task", "gym")
	c.expect("yes", "Deleted")
	c.expect("рабочий день у меня 6 часов", "6 ч")
	if m := c.str(`SELECT settings->>'daily_capacity_min' FROM users`); m != "360" {
		t.Errorf("capacity = %s min, want 360", m)
	}
	c.expect("i can do 4 hours a day", "4 h")
	if m := c.str(`SELECT settings->>'daily_capacity_min' FROM users`); m != "240" {
		t.Errorf("capacity = %s min, want 240", m)
	}
	c.expect("не пиши после 22", "22:00–08:00")
	c.expect("напоминания шли не раньше 9 утра", "22:00–09:00")
	if q := c.str(`SELECT (settings->>'quiet_from') || '-' || (settings->>'quiet_to') FROM users`); q != "22:00-09:00" {
		t.Errorf("quiet hours %s, want 22:00-09:00", q)
	}
	if n := c.count(openTasks); n != 2 {
		t.Errorf("%d open tasks, want the lawyer's and the supplier's calls", n)
	}
}

// TestUndoEachKind: "отмени" / "undo that" takes back the last change, whatever it was.
func TestUndoEachKind(t *testing.T) {
	c := newConsole(t, "anna")
	c.say("цель: выручка 500 тыс к концу года")
	c.say("да")

	c.say("завтра купить бумагу")
	c.expect("отмени", "Убрал")
	if n := c.count(openTasks); n != 0 {
		t.Error("undo of a creation left the task")
	}

	c.say("сегодня позвонить Ивану")
	c.expect("сделал звонок Ивану", "Выполнено")
	c.expect("undo that", "Back on the list")
	if n := c.count(`SELECT count(*) FROM tasks WHERE status = 'todo' AND title = 'позвонить Ивану'`); n != 1 {
		t.Error("undo of a completion did not reopen the task")
	}

	before := c.str(`SELECT scheduled_date::text FROM tasks WHERE title = 'позвонить Ивану'`)
	c.expect("перенеси звонок Ивану на следующую пятницу", "Перенесено")
	c.expect("отмени", "Вернул")
	if d := c.str(`SELECT scheduled_date::text FROM tasks WHERE title = 'позвонить Ивану'`); d != before {
		t.Errorf("undo of a move left the task on %s, want %s", d, before)
	}

	c.expect("выручка +50к", "📈")
	c.expect("undo", "Took back")
	if v := c.str(`SELECT current_value::bigint::text FROM goals`); v != "0" {
		t.Errorf("undo of progress left %s", v)
	}
	c.expect("отмени", "нечего")

	c.say("сегодня написать пост")
	c.expect("оценка задачи написать пост 2 часа", "Изменил")
	c.expect("отмени", "Вернул")
	if n := c.count(`SELECT count(*) FROM tasks WHERE title = 'написать пост' AND estimated_time IS NULL`); n != 1 {
		t.Error("undo of a first estimate left it")
	}
}

// TestDoneByNumberAndLooseName: "готово 2" and "done #3" press the last list's tasks; a loose name
// completes today's task rather than next week's namesake, says which, and offers undo.
func TestDoneByNumberAndLooseName(t *testing.T) {
	c := newConsole(t, "lena")
	c.say("сегодня купить бумагу")
	c.say("сегодня написать Оле")
	c.say("сегодня оплатить аренду")
	list := c.say("что на сегодня")
	second := list[strings.Index(list, "2. ")+3:]
	second = second[:strings.IndexAny(second, "\n")]
	c.expect("готово 2", "Выполнено", strings.TrimSpace(second))
	c.expect("done #3", "")
	if n := c.count(`SELECT count(*) FROM tasks WHERE status = 'done'`); n != 2 {
		t.Errorf("%d tasks done by number, want 2", n)
	}
	c.say("в следующую среду позвонить Ивану")
	c.say("сегодня позвонить Ивану")
	c.expect("позвонила ивану", "Выполнено", "позвонить Ивану", "Отменить")
	if n := c.count(`SELECT count(*) FROM tasks WHERE status = 'done' AND title = 'позвонить Ивану' AND scheduled_date = (SELECT min(scheduled_date) FROM tasks WHERE title = 'позвонить Ивану')`); n != 1 {
		t.Error("the loose name did not complete today's call")
	}
}
