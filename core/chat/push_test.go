package chat_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bizconnect/bizconnect/core"
)

// TestCheckinButtonsAndCarryOver: the check-in's stress and energy buttons store the day's
// reflection (both, one press each); its carry-over moves the day's unfinished tasks and says
// how many, in the right grammatical case.
func TestCheckinButtonsAndCarryOver(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.say(t, "anna", "сегодня подготовить счёт")
	b.say(t, "anna", "сегодня позвонить Ивану")
	contains(t, b.press(t, "anna", "c:stress:4"), "Записал: стресс 4/5")
	contains(t, b.press(t, "anna", "c:energy:2"), "Записал: энергия 2/5")
	if r := b.press(t, "anna", "c:stress:9"); len(r) != 1 || r[0].Notice == "" { // a forged level is refused, not stored
		t.Errorf("a level of 9: %+v", r)
	}
	var stress, energy string
	stress = b.db.Scalar(t, `SELECT stress FROM daily_progress WHERE date = '2026-11-25'`)
	energy = b.db.Scalar(t, `SELECT energy FROM daily_progress WHERE date = '2026-11-25'`)
	if stress != "4" || energy != "2" {
		t.Errorf("reflection stress %s energy %s, want 4 and 2", stress, energy)
	}
	contains(t, b.press(t, "anna", "c:carry:1"), "Перенёс 2 задачи на завтра")
	if n := b.db.Scalar(t, `SELECT count(*) FROM tasks WHERE scheduled_date = '2026-11-26'`); n != "2" {
		t.Errorf("%s tasks tomorrow, want 2", n)
	}
	if r := b.press(t, "anna", "c:carry:3"); len(r) != 1 || r[0].Notice != "На сегодня открытых задач не осталось." {
		t.Errorf("nothing left to drop: %+v", r)
	}
}

// TestSnoozeMovesTheTaskAnHour: "⏰ in an hour" on a reminder moves the task to an hour from now.
func TestSnoozeMovesTheTaskAnHour(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.say(t, "anna", "сегодня в 10:00 позвонить Ивану")
	var id string
	b.db.As(t, userID(t, b, "anna"), func(ctx context.Context, tx core.Tx, u *core.User) error {
		tasks, err := tx.FindTasks(ctx, core.TaskFilter{Overdue: true})
		if err == nil && len(tasks) == 1 {
			id = tasks[0].ID.String()
		}
		return err
	})
	contains(t, b.press(t, "anna", "t:snooze:"+id), "Напомню в 11:00", "позвонить Ивану")
	if got := b.db.Scalar(t, `SELECT scheduled_time::text FROM tasks`); got != "11:00:00" {
		t.Errorf("task at %s, want 11:00", got)
	}
}

// TestPushSettingsByChat: lead time, weekends and back, in both languages.
func TestPushSettingsByChat(t *testing.T) {
	t.Parallel()
	b := setup(t)
	contains(t, b.say(t, "anna", "напоминай за 15 минут"), "Буду напоминать за 15 мин до времени задачи")
	contains(t, b.say(t, "anna", "по выходным не пиши"), "по дням: пн, вт, ср, чт, пт")
	contains(t, b.say(t, "anna", "пиши и по выходным тоже"), "Пишу каждый день")
	contains(t, b.say(t, "bob", "remind me 10 minutes before"), "Reminders will come 10 min before a task's time")
	contains(t, b.say(t, "bob", "no messages on weekends"), "Mon, Tue, Wed, Thu, Fri")
	if got := b.db.Scalar(t, `SELECT settings->>'reminder_lead_min' FROM users WHERE name = 'anna'`); got != "15" {
		t.Errorf("lead %s", got)
	}
	contains(t, b.say(t, "anna", "москва"), "Часовой пояс: Europe/Moscow") // a city alone is where the user is
	contains(t, b.say(t, "anna", "берлин"), "Часовой пояс: Europe/Berlin")
	contains(t, b.say(t, "bob", "new york"), "America/New_York")
	contains(t, b.say(t, "bob", "london"), "Europe/London")
	contains(t, b.say(t, "anna", "присылай недельный отчёт в субботу в 11"), "Отчёт за неделю буду присылать по субботам в 11:00")
	contains(t, b.say(t, "anna", "отчёт по средам"), "по средам в 11:00") // the time stays
	contains(t, b.say(t, "bob", "send me my weekly report on sunday at 7pm"), "on Sundays at 19:00")
	contains(t, b.say(t, "anna", "настройки"), "Отчёт за неделю: ср 11:00")
	if got := b.db.Scalar(t, `SELECT settings->>'weekly_report_day' || ' ' || (settings->>'weekly_report_time') FROM users WHERE name = 'bob'`); got != "7 19:00" {
		t.Errorf("bob's weekly report %s", got)
	}
}

// TestEveningReflectionOffersTheRest: answered in words after the check-in's time, the check-in
// still offers the day's unfinished tasks; in the morning a reflection is only noted.
func TestEveningReflectionOffersTheRest(t *testing.T) {
	t.Parallel()
	b := setup(t) // 10:00
	b.say(t, "anna", "сегодня дописать КП")
	if r := b.say(t, "anna", "стресс 2, энергия 4"); len(buttons(r)) != 0 {
		t.Errorf("a morning reflection offers %+v", buttons(r))
	}
	b.say(t, "anna", "вечерний чекин в 9:00")
	r := b.say(t, "anna", "стресс 3 энергия 4")
	contains(t, r, "Записал", "Не закрыто: 1 задача")
	if got := buttonWith(t, r, "c:carry:1"); got.Label != "➡️ На завтра" {
		t.Errorf("button %+v", got)
	}
	contains(t, b.say(t, "anna", "на завтра"), "Перенёс 1 задачу на завтра")
	contains(t, b.say(t, "anna", "настройки"), "Дни рассылки: пн, вт, ср, чт, пт", "Отчёт за неделю: пт 17:00", "Напоминания: ко времени задачи")
}

// TestHeavyDayWarnsOnce: when tasks added during the day push today's load into high, the
// warning comes at once, as a push to the user's private chat with the relief to accept; a
// heavier day still is not warned of twice, and a light one not at all.
func TestHeavyDayWarnsOnce(t *testing.T) {
	t.Parallel()
	b := setup(t) // 10:00
	contains(t, b.say(t, "anna", "рабочий день у меня 3 часа"), "3 ч")
	warnings := func() string {
		return b.db.Scalar(t, `SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'load_warning:%'`)
	}
	b.say(t, "anna", "сегодня подготовить КП, 30 минут")
	if n := warnings(); n != "0" {
		t.Fatalf("%s warnings of a light day", n)
	}
	b.say(t, "anna", "сегодня созвон с инвестором на 2 часа")
	b.say(t, "anna", "сегодня дописать отчёт 2 часа")
	if n := warnings(); n != "1" {
		t.Fatalf("%s warnings of a heavy day, want 1", n)
	}
	text := b.db.Scalar(t, `SELECT payload::text FROM outbox WHERE dedupe_key LIKE 'load_warning:%'`)
	for _, want := range []string{"⚠️", "x:replan"} {
		if !strings.Contains(text, want) {
			t.Errorf("the warning lacks %q: %s", want, text)
		}
	}
	b.say(t, "anna", "сегодня ещё разобрать почту 1 час")
	b.say(t, "bob", "today write the pitch 30 min")
	if n := warnings(); n != "1" {
		t.Fatalf("%s warnings, want still 1", n)
	}
}

// TestMeetingsMakeADayHeavy: with five hours of meetings in the calendar, an hour and a half of
// tasks puts today over the six-hour capacity and its load into high: the new task says so, the
// warning comes, the list and the load view name the meetings.
func TestMeetingsMakeADayHeavy(t *testing.T) {
	t.Parallel()
	b := setup(t) // 10:00
	b.say(t, "anna", "привет")
	ctx := context.Background()
	if _, err := b.db.Super.Exec(ctx, `WITH c AS (INSERT INTO integration_connections (user_id, service, refresh_token)
		  SELECT user_id, 'google_calendar', '\x00' FROM identities WHERE external_id = 'anna' RETURNING id, user_id)
		INSERT INTO calendar_busy (connection_id, user_id, date, busy_min, events) SELECT id, user_id, $1::date, 300, 3 FROM c`,
		core.DateOf(now).String()); err != nil {
		t.Fatal(err)
	}
	contains(t, b.say(t, "anna", "сегодня подготовить КП на полтора часа"), "Сегодня теперь 6,5 ч при ваших 6 ч в день")
	if n := b.db.Scalar(t, `SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'load_warning:%'`); n != "1" {
		t.Fatalf("%s load warnings of a day of meetings, want 1", n)
	}
	contains(t, b.say(t, "anna", "что на сегодня"), "В календаре: 5 ч, на задачи остаётся 1 ч")
	contains(t, b.say(t, "anna", "какая нагрузка"), "Встречи в календаре: 5 ч, считаются работой")
}

// TestLoadOfAnotherDay: "какая нагрузка в пятницу" is Friday's projected load, from Friday's
// tasks, not today's; "load tomorrow" likewise in English.
func TestLoadOfAnotherDay(t *testing.T) {
	t.Parallel()
	b := setup(t) // Wed 25 Nov, 10:00
	b.say(t, "anna", "в пятницу подготовить отчёт на 4 часа")
	b.say(t, "anna", "в пятницу созвон с инвесторами на 3 часа")
	r := b.say(t, "anna", "какая нагрузка в пятницу")
	contains(t, r, "Business Load — пятница, 27 ноября:", "Запланировано 7 ч из ваших 6 ч в день", "Прогноз")
	if strings.Contains(text(r), "лёгкая") {
		t.Fatalf("Friday's 7 hours read light:\n%s", text(r))
	}
	contains(t, b.say(t, "bob", "load tomorrow?"), "Business Load — tomorrow:", "Planned 0 min")
}

// TestTodaysSummary: "итоги дня" and "what did i get done today" answer with today's done and
// open tasks (as the evening check-in), not the week's report; "отчёт за неделю" is the week's.
func TestTodaysSummary(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.say(t, "anna", "сегодня позвонить юристу")
	b.say(t, "anna", "сегодня отправить счёт")
	b.say(t, "anna", "сделал звонок юристу")
	contains(t, b.say(t, "anna", "итоги дня"), "Сделано: 1 из 2", "позвонить юристу")
	contains(t, b.say(t, "anna", "сколько я сегодня сделал?"), "Сделано: 1 из 2")
	if r := text(b.say(t, "anna", "отчёт за неделю")); strings.Contains(r, "Сделано: 1 из 2") {
		t.Fatalf("the week's report answered as today's:\n%s", r)
	}
	b.say(t, "bob", "today send the deck")
	contains(t, b.say(t, "bob", "what did i get done today"), "Done: 0 of 1")
}
