package chat_test

import (
	"strings"
	"testing"
)

// TestAdviceFadesAfterThreeDislikes: "что сейчас важнее?" starts with a piece of advice (the
// task to start with) with 👍 / 👎; three 👎 on that kind and it no longer appears, while the
// day's first tasks still do.
func TestAdviceFadesAfterThreeDislikes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.say(t, "anna", "сегодня срочно отправить договор в банк")
	b.say(t, "anna", "сегодня разобрать почту на 2 часа")
	for i := range 3 {
		r := b.say(t, "anna", "что сейчас важнее всего?")
		contains(t, r, "Начните с «отправить договор в банк»")
		if rr := b.press(t, "anna", buttonWith(t, r, "r:down").Payload); len(rr) != 1 || !strings.Contains(rr[0].Notice, "реже") {
			t.Fatalf("👎 %d: %+v", i+1, rr)
		}
	}
	r := b.say(t, "anna", "что сейчас важнее всего?")
	if strings.Contains(text(r), "Начните с «") {
		t.Fatalf("the advice disliked three times still appears:\n%s", text(r))
	}
	contains(t, r, "отправить договор в банк")
	if n := row[int](t, b, `SELECT count(*) FROM recommendation_feedback WHERE rating = 'not_helpful'`); n != 3 {
		t.Fatalf("feedback rows = %d", n)
	}
	// 👍 on another kind counts too, and a kind liked is kept
	if n := row[int](t, b, `SELECT count(*) FROM recommendations WHERE context->>'kind' = 'focus'`); n != 3 {
		t.Fatalf("focus recommendations stored = %d, want 3", n)
	}
}

// TestAdviceApplyRelievesTheDay: on an overloaded day the first advice is to move work; ✅ moves
// it (the schedule changes, once), and "отмени" puts it back.
func TestAdviceApplyRelievesTheDay(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for i := range 6 {
		b.say(t, "anna", "сегодня подготовить отчёт "+string(rune('A'+i))+" на 2 часа")
	}
	r := b.say(t, "anna", "с чего начать?")
	contains(t, r, "Сегодня перегруз", "перенесу 4 задачи")
	if !strings.Contains(text(b.say(t, "anna", "какая нагрузка?")), "перегрузка") {
		t.Fatal("the advice says overloaded where the load view doesn't")
	}
	contains(t, b.press(t, "anna", buttonWith(t, r, "r:do").Payload), "Перепланировал")
	if n := row[int](t, b, `SELECT count(*) FROM tasks WHERE scheduled_date = '2026-11-25'`); n != 2 {
		t.Fatalf("%d tasks stay today after the advice was applied, want 2", n)
	}
	if rr := b.press(t, "anna", buttonWith(t, r, "r:do").Payload); len(rr) != 1 || !strings.Contains(rr[0].Notice, "Уже сделано") {
		t.Fatalf("applied twice: %+v", rr)
	}
	contains(t, b.say(t, "anna", "отмени"), "Вернул на место")
	if n := row[int](t, b, `SELECT count(*) FROM tasks WHERE scheduled_date = '2026-11-25'`); n != 6 {
		t.Fatalf("%d tasks today after the undo, want 6", n)
	}
	if n := row[int](t, b, `SELECT count(*) FROM recommendations WHERE applied`); n != 1 {
		t.Fatalf("applied recommendations = %d", n)
	}
}

// TestAdviceRestAfterAStressfulDay: after "стресс 5", the advice is a break, and ✅ puts a 30-minute
// block in today's plan.
func TestAdviceRestAfterAStressfulDay(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.say(t, "anna", "сегодня созвон с клиентом")
	b.say(t, "anna", "стресс 5, энергия 1, жесть")
	r := b.say(t, "anna", "что сейчас главное?")
	contains(t, r, "перерыв")
	contains(t, b.press(t, "anna", buttonWith(t, r, "r:do").Payload), "перерыв: 30 минут без экрана")
	if n := row[int](t, b, `SELECT count(*) FROM tasks WHERE title LIKE 'перерыв%' AND scheduled_date = '2026-11-25' AND scheduled_time IS NOT NULL`); n != 1 {
		t.Fatalf("rest blocks = %d", n)
	}
}

// TestAdviceNamesTheLoadBand: a heavy day that is not overloaded (7 h of 6) is called heavy, as
// the load view calls it, not overloaded.
func TestAdviceNamesTheLoadBand(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.say(t, "anna", "сегодня подготовить кп для ромашки на 4 часа")
	b.say(t, "anna", "сегодня созвон с юристом в 15:00 на 3 часа")
	contains(t, b.say(t, "anna", "какая нагрузка?"), "высокая")
	r := b.say(t, "anna", "чт сейчас важнее")
	contains(t, r, "Сегодня тяжело")
	if strings.Contains(text(r), "перегруз") {
		t.Fatalf("a high day called overloaded:\n%s", text(r))
	}
}
