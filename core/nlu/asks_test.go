package nlu

import "testing"

func TestAsks(t *testing.T) {
	for text, want := range map[string]string{
		"успею к сроку?": AskForecast, "успею ли я набрать 10 клиентов к маю?": AskForecast, "will i make it?": AskForecast,
		"am i on track with revenue": AskForecast, "Прогноз по выручке": AskForecast, "я отстаю?": AskForecast,
		"are we behind schedule": AskForecast, "will I hit the target in time": AskForecast,
		"мои достижения": AskAchievements, "my badges": AskAchievements, "покажи ачивки": AskAchievements,
		"achievements pls": AskAchievements, "какие у меня награды": AskAchievements,
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
