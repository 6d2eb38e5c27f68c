package nlu

import "testing"

// TestCalendarCommand: what people write about their calendar, and messages that only name it.
func TestCalendarCommand(t *testing.T) {
	for text, want := range map[string]string{
		"подключи мой гугл календарь":                    "connect",
		"можешь подключить календарь пожалуйста?":        "connect",
		"Connect my Google Calendar":                     "connect",
		"sync with my calendar pls":                      "connect",
		"календарь":                                      "connect",
		"/calendar":                                      "connect",
		"google calendar":                                "connect",
		"отключи календарь":                              "disconnect",
		"disconnect calendar":                            "disconnect",
		"ставь задачи в календарь":                       "block_on",
		"добавляй мои задачи в гугл календарь":           "block_on",
		"put my tasks in the calendar":                   "block_on",
		"не ставь задачи в календарь":                    "block_off",
		"stop adding tasks to my calendar":               "block_off",
		"turn on time blocking in my calendar":           "block_on",
		"put my tasks in the calendar now":               "block_on",
		"ставь задачи на неделю в календарь":             "block_on",
		"turn off time blocking in calendar":             "block_off",
		"don't put tasks in my calendar":                 "block_off",
		"перестань ставить задачи в календарь":           "block_off",
		"добавь в календарь встречу с анной завтра в 10": "",
		"календарный план на квартал готов?":             "",
		"завтра созвон":                                  "",
	} {
		got, ok := calendarCommand(text)
		if got != want || ok != (want != "") {
			t.Errorf("calendarCommand(%q) = %q, want %q", text, got, want)
		}
	}
}
