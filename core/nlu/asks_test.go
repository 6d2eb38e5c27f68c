package nlu

import "testing"

func TestAsks(t *testing.T) {
	for text, want := range map[string]string{
		"успею к сроку?": AskForecast, "успею ли я набрать 10 клиентов к маю?": AskForecast, "will i make it?": AskForecast,
		"am i on track with revenue": AskForecast, "Прогноз по выручке": AskForecast, "я отстаю?": AskForecast,
		"are we behind schedule": AskForecast, "will I hit the target in time": AskForecast,
		"мои достижения": AskAchievements, "my badges": AskAchievements, "покажи ачивки": AskAchievements,
		"achievements pls": AskAchievements, "какие у меня награды": AskAchievements, "my achievments": AskAchievements,
		"мои достижегия":             AskAchievements,
		"прогноз нагрузки на неделю": "", "load forecast": "", "что на сегодня": "", "позвонить ивану завтра": "",
		"make it blue": "", "успех": "", "track the parcel": "",
	} {
		if got := Asks(text); got != want {
			t.Errorf("Asks(%q) = %q, want %q", text, got, want)
		}
	}
}

func FuzzAsks(f *testing.F) {
	f.Add("успею к сроку?")
	f.Fuzz(func(t *testing.T, s string) { _ = Asks(s) })
}

func TestAskSubject(t *testing.T) {
	for text, want := range map[string]string{"успею по выручке?": "выручке", "am I on track with revenue": "revenue",
		"успею к сроку?": "", "will i make it with 10 clients": "10 clients"} {
		if got := AskSubject(text); got != want {
			t.Errorf("AskSubject(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestLastWeek(t *testing.T) {
	for text, want := range map[string]bool{"отчёт за прошлую неделю": true, "last week's report": true, "report for the previous week": true,
		"отчёт за неделю": false, "weekly report": false, "прошлый отчёт": false, "итоги прошлой недели": true} {
		if got := LastWeek(text); got != want {
			t.Errorf("LastWeek(%q) = %v", text, got)
		}
	}
}
