package nlu

import (
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core"
)

func TestLanguageFollowsTheMessage(t *testing.T) {
	for _, c := range []struct{ hint, text, want string }{
		{"", "купить молоко", "ru"},
		{"ru", "buy milk", "en"},
		{"ru", "🔥🔥", "ru"},
		{"en-US", "/start", "en"},
		{"", "", "en"},
		{"uk", "", "ru"},
	} {
		if got := LangOf(c.hint, c.text, "en"); got != c.want {
			t.Errorf("LangOf(%q, %q) = %s, want %s", c.hint, c.text, got, c.want)
		}
	}
}

func TestGreetingIsAnsweredWarmly(t *testing.T) {
	for text, want := range map[string]bool{"Привет!": true, "hello there": true, "good morning": true, "привет, добавь задачу позвонить Ивану завтра в 10": false, "купить хлеб": false} {
		if IsGreeting(text) != want {
			t.Errorf("IsGreeting(%q) = %v", text, !want)
		}
	}
}

func TestCommandWords(t *testing.T) {
	for text, want := range map[string]Intent{
		"/start": IntentStart, "/start@bizbot ref42": IntentStart, "/goals": IntentShowGoals, "/goals@bizbot": IntentShowGoals,
		"Мои цели": IntentShowGoals, "/bc team": IntentTeamGoals, "цели команды!": IntentTeamGoals, "отчёт сюда": IntentReportChannel,
		"/bc report here": IntentReportChannel, "купить цели": "", "goals: 10 clients": "",
	} {
		got, ok := commandWords(text)
		if got != want || ok != (want != "") {
			t.Errorf("commandWords(%q) = %q %v, want %q", text, got, ok, want)
		}
	}
}

func TestTeamRoleCommand(t *testing.T) {
	for text, want := range map[string][2]string{
		"admin <@U02ABC>":                 {"admin", "U02ABC"},
		"/bc admin <@U02ABC|lena>":        {"admin", "U02ABC"},
		"сделай <@U02ABC> админом":        {"admin", "U02ABC"},
		"передай владение <@U07XYZ|oleg>": {"owner", "U07XYZ"},
		"owner <@U07XYZ>":                 {"owner", "U07XYZ"},
		"<@U07XYZ> участником":            {"member", "U07XYZ"},
		"admin":                           {},
		"admin <@U1> <@U2>":               {},
		"позвони <@U02ABC> про админку завтра в 10 утра": {},
	} {
		role, who, ok := teamRoleCommand(text)
		if ok != (want[0] != "") || role != want[0] || who != want[1] {
			t.Errorf("teamRoleCommand(%q) = %q %q %v, want %v", text, role, who, ok, want)
		}
	}
}

func TestThanksIsNotATask(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for text, want := range map[string]core.Intent{
		"thx": core.IntentThanks, "Спасибо!": core.IntentThanks, "большое спасибо": core.IntentThanks, "thanks a lot": core.IntentThanks,
		"thank you": core.IntentThanks, "спс": core.IntentThanks,
		"сделал звонок Ивану, спасибо": core.IntentCompleteTask,
	} {
		if got := Parse(text, Options{Now: now}).Intent; got != want {
			t.Errorf("Parse(%q) = %s, want %s", text, got, want)
		}
	}
}

func TestGreetingOrQuestionWordBeforeAViewIsNotATask(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for text, want := range map[string]core.Intent{
		"привет, что у меня сегодня?": core.IntentListTasks, "hi, what's on today": core.IntentListTasks,
		"what's my load": core.IntentShowLoad, "подскажи мою нагрузку": core.IntentShowLoad,
	} {
		if got := Parse(text, Options{Now: now}).Intent; got != want {
			t.Errorf("Parse(%q) = %s, want %s", text, got, want)
		}
	}
	for text, want := range map[string][2]bool{"да": {true, false}, "ок, сохрани": {true, false}, "yes please": {true, false},
		"ну да": {true, false}, "а давай": {true, false}, "oh no": {false, true}, "ну": {false, false},
		"нет": {false, true}, "не надо": {false, true}, "cancel": {false, true}, "да, и ещё позвонить Ивану завтра": {false, false},
		"looks good": {true, false}, "sounds great!": {true, false}, "норм": {true, false}, "годится": {true, false}, "lgtm": {true, false},
		"looks bad": {false, false}, "sounds like a lot": {false, false}} {
		if yes, no := YesOrNo(text); [2]bool{yes, no} != want {
			t.Errorf("YesOrNo(%q) = %v %v", text, yes, no)
		}
	}
}
