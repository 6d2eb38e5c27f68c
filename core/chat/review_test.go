package chat_test

import (
	"strings"
	"testing"

	"github.com/bizconnect/bizconnect/core"
)

// TestAnOldQuestionIsNotAnsweredByAnotherYes: a delete left unanswered is forgotten by the next
// message; the "да" that follows answers the question asked last.
func TestAnOldQuestionIsNotAnsweredByAnotherYes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.say(t, "anna", "сегодня купить бумагу")
	contains(t, b.say(t, "anna", "убери задачу про бумагу"), "Удалить задачу")
	buttonWith(t, b.say(t, "anna", "цель: 10 клиентов к марту"), "g:save")
	contains(t, b.say(t, "anna", "да"), "Цель сохранена")
	if n := row[int](t, b, `SELECT count(*) FROM tasks WHERE deleted_at IS NULL`); n != 1 {
		t.Fatal("a 'да' to a goal deleted the task asked about before")
	}
	contains(t, b.say(t, "anna", "убери задачу про бумагу"), "Удалить задачу")
	b.say(t, "anna", "что на сегодня")
	b.say(t, "anna", "ок")
	if n := row[int](t, b, `SELECT count(*) FROM tasks WHERE deleted_at IS NULL`); n != 1 {
		t.Fatal("an 'ок' after another message confirmed the old delete")
	}
}

// TestUndoButtonUndoesItsOwnChange: the ↩️ under a move takes back that move only while it is
// the last change; after another change it is no longer active.
func TestUndoButtonUndoesItsOwnChange(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.say(t, "anna", "сегодня подготовить отчёт")
	b.say(t, "anna", "сегодня созвон с юристом")
	moved := b.say(t, "anna", "перенеси отчёт на пятницу")
	undo := buttonWith(t, moved, "u:undo:").Payload
	b.say(t, "anna", "готово созвон с юристом")
	r := b.press(t, "anna", undo)
	if n := row[int](t, b, `SELECT count(*) FROM tasks WHERE status = 'done'`); n != 1 {
		t.Fatalf("the move's undo button reopened the call: %s", text(r))
	}
	if len(r) == 0 || r[0].Notice == "" {
		t.Fatalf("a stale undo button should say so: %+v", r)
	}
	moved = b.say(t, "anna", "перенеси отчёт на понедельник")
	b.press(t, "anna", buttonWith(t, moved, "u:undo:").Payload)
	if d := row[string](t, b, `SELECT to_char(scheduled_date, 'ID') FROM tasks WHERE title = 'подготовить отчёт'`); d != "5" {
		t.Errorf("the undo button did not take the report back to Friday: ISO weekday %s", d)
	}
}

// TestAReadingButtonActsOnItsOwnMessage: the buttons of a question about one message do nothing
// once another message came.
func TestAReadingButtonActsOnItsOwnMessage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.say(t, "anna", "созвон с юристом когда")
	read := buttonWith(t, r, "u:as:").Payload
	b.say(t, "anna", "что на сегодня")
	b.press(t, "anna", read)
	if n := row[int](t, b, `SELECT count(*) FROM tasks`); n != 0 {
		t.Fatal("an old reading button acted after another message")
	}
}

// TestWordsThatAreNotSettings: a task that mentions writing after 5 changes no setting; "не пиши
// после 9" means the evening; a working day said for today is no capacity.
func TestWordsThatAreNotSettings(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.say(t, "anna", "text john after 5pm")
	b.say(t, "anna", "I can work 3 hours today on the report")
	if s := row[string](t, b, `SELECT settings::text FROM users`); strings.Contains(s, "quiet") || strings.Contains(s, "capacity") {
		t.Fatalf("task messages changed settings: %s", s)
	}
	contains(t, b.say(t, "anna", "не пиши мне после 9"), "21:00")
}

// TestQuestionsCompleteNothing: "did i call ivan?" and "is the report done" ask; they don't tick.
func TestQuestionsCompleteNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.say(t, "anna", "сегодня позвонить Ивану")
	b.say(t, "anna", "сегодня подготовить отчёт")
	b.say(t, "bob", "call ivan today")
	b.say(t, "bob", "finish the report today")
	b.say(t, "bob", "did i call ivan?")
	b.say(t, "bob", "is the report done")
	if n := row[int](t, b, `SELECT count(*) FROM tasks WHERE status = 'done'`); n != 0 {
		t.Fatal("a question completed a task")
	}
}

// TestTeamGoalIsNotDeletedByWords: a team's goal is not deleted from a message, even by its author.
func TestTeamGoalIsNotDeletedByWords(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.slackSay(t, "T1", "U1", "C1", "цель: 100 клиентов к концу года")
	b.slackSay(t, "T1", "U1", "C1", "1")
	r := b.slackSay(t, "T1", "U1", "D1", "удали цель 100 клиентов")
	if n := row[int](t, b, `SELECT count(*) FROM goals WHERE deleted_at IS NULL`); n != 1 {
		t.Fatalf("the team goal was deleted: %s", text(r))
	}
	for _, btn := range buttons(r) {
		if a, ok := core.ParseAction(btn.Payload); ok && a.Kind == core.ActionGoalDelete {
			t.Fatal("a team goal was offered for deletion")
		}
	}
}

// TestSecondReview: "отмени созвон" is about that call, not the last change; a call called off is
// deleted, not done; an undo button is its change's; "пиши мне после 10" silences nothing; an
// English task opening with "have" is no question; "удали цель" asks which; "отмени" answers a
// reading question.
// TestEditAmongSeveral: an edit that fits several tasks asks which, and the pick gets the change.
func TestEditAmongSeveral(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.say(t, "anna", "сегодня позвонить Ивану")
	b.say(t, "anna", "завтра позвонить Ивану")
	r := b.say(t, "anna", "поставь высокий приоритет задаче позвонить Ивану")
	pick := buttonWith(t, r, "t:edit:")
	b.press(t, "anna", pick.Payload)
	if n := row[int](t, b, `SELECT count(*) FROM tasks WHERE priority = 2`); n != 1 {
		t.Fatalf("%d tasks got the priority, want the one picked", n)
	}
	if r := b.press(t, "anna", pick.Payload); len(r) == 0 || r[0].Notice == "" {
		t.Error("the pick, pressed again, should say it is no longer active")
	}
}

func TestSecondReview(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.say(t, "anna", "сегодня созвон с юристом")
	b.say(t, "anna", "завтра купить бумагу")
	contains(t, b.say(t, "anna", "отмени созвон с юристом"), "Удалить задачу", "созвон с юристом")
	if n := row[int](t, b, `SELECT count(*) FROM tasks WHERE deleted_at IS NULL`); n != 2 {
		t.Fatal("'отмени созвон' undid the paper instead of asking about the call")
	}
	b.say(t, "anna", "нет")
	contains(t, b.say(t, "anna", "созвон с юристом отменился"), "Удалить задачу")
	if n := row[int](t, b, `SELECT count(*) FROM tasks WHERE status = 'done'`); n != 0 {
		t.Fatal("a call called off was marked done")
	}
	b.say(t, "anna", "нет")

	moved := b.say(t, "anna", "перенеси задачу купить бумагу на пятницу")
	undo := buttonWith(t, moved, "u:undo:").Payload
	b.say(t, "anna", "поставь высокий приоритет задаче купить бумагу")
	b.press(t, "anna", undo)
	if p := row[int](t, b, `SELECT priority FROM tasks WHERE title = 'купить бумагу'`); p != 2 {
		t.Fatal("the move's undo button took back the priority change")
	}

	b.say(t, "anna", "пиши мне после 10")
	if s := row[string](t, b, `SELECT settings::text FROM users WHERE name = 'anna'`); strings.Contains(s, "quiet") {
		t.Fatalf("'пиши мне после 10' set quiet hours: %s", s)
	}

	contains(t, b.say(t, "bob", "have lunch with investors friday"), "Task added")

	b.say(t, "anna", "цель: 10 клиентов к марту")
	b.say(t, "anna", "да")
	buttonWith(t, b.say(t, "anna", "удали цель"), "g:del:")

	buttonWith(t, b.say(t, "anna", "созвон с бухгалтером когда"), "u:as:")
	contains(t, b.say(t, "anna", "отмени"), "ничего не меняю")
}

// TestThirdReview: a message to someone else with "not before" is no quiet hours; an old pick of
// an edit does not carry a newer edit; a short new request at an open question is not a "no".
func TestThirdReview(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.say(t, "bob", "text Anna not before 10am")
	b.say(t, "bob", "message the landlord, not after 8pm")
	if s := row[string](t, b, `SELECT settings::text FROM users WHERE name = 'bob'`); strings.Contains(s, "quiet") {
		t.Fatalf("a message to someone else set quiet hours: %s", s)
	}

	b.say(t, "anna", "сегодня позвонить Ивану")
	b.say(t, "anna", "завтра позвонить Ивану")
	b.say(t, "anna", "сегодня отчёт для банка")
	b.say(t, "anna", "завтра отчёт для банка")
	old := buttonWith(t, b.say(t, "anna", "поставь высокий приоритет задаче позвонить Ивану"), "t:edit:")
	buttonWith(t, b.say(t, "anna", "поставь низкий приоритет задаче отчёт для банка"), "t:edit:")
	b.press(t, "anna", old.Payload)
	if n := row[int](t, b, `SELECT count(*) FROM tasks WHERE priority <> 3`); n != 0 {
		t.Fatal("an older pick carried a newer edit")
	}

	buttonWith(t, b.say(t, "anna", "созвон с бухгалтером когда"), "u:as:")
	r := b.say(t, "anna", "не забыть паспорт")
	if strings.Contains(text(r), "ничего не меняю") {
		t.Fatal("a new request at an open question was taken for a no")
	}
}
