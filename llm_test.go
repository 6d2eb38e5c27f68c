package main

import (
	"strings"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core/openai/openaitest"
)

// TestTelegramLLMPlanComesAfterTheHourglass is the whole product with an LLM: the plan request
// is answered "⏳" at once through the Bot API, the River job asks the (fake) LLM, and the plan
// follows in the same chat; "да" accepts it.
func TestTelegramLLMPlanComesAfterTheHourglass(t *testing.T) {
	t.Parallel()
	fake := newTelegramFake(t)
	llm := openaitest.New(t)
	db, url := startApp(t, map[string]string{
		"TELEGRAM_BOT_TOKEN": fake.Token(), "TELEGRAM_API_URL": fake.URL, "TELEGRAM_MODE": "webhook",
		"TELEGRAM_WEBHOOK_SECRET": tgSecret, "BC_DEFAULT_TZ": "Europe/Moscow",
		"OPENAI_API_KEY": llm.Key(), "OPENAI_BASE_URL": llm.URL(), "OPENAI_DAILY_TOKENS_FREE": "50000",
	})
	b := &tgBundle{db: db, fake: fake, url: url + "/telegram/webhook"}
	b.send(t, telegramtest.Message{UpdateID: 1, From: anna, Text: "цель: 30 клиентов до конца марта"})
	sent := b.fake.WaitCalls(t, "sendMessage", 1, 10*time.Second)
	save := ""
	for _, row := range sent[0].Keyboard() {
		for _, data := range row {
			if data == "g:save" {
				save = data
			}
		}
	}
	if save == "" {
		t.Fatalf("goal draft without Save: %q %v", sent[0].Text(), sent[0].Keyboard())
	}
	b.post(t, telegramtest.Callback{UpdateID: 2, From: anna, MessageID: 1, Data: save}.Update(), tgSecret)
	b.fake.WaitCalls(t, "answerCallbackQuery", 1, 10*time.Second)

	llm.Answer(`{"milestones": [{"title": "15 клиентов", "due": "2027-02-01", "target": 15}, {"title": "30 клиентов", "due": "2027-03-31", "target": 30}],
		"tasks": [{"title": "Составить список 100 компаний", "milestone": 1, "minutes": 120, "complexity": "medium", "load": 5},
		{"title": "Написать 30 компаниям из списка", "milestone": 2, "minutes": 150, "complexity": "medium", "load": 5}]}`)
	before := len(b.fake.CallsTo("sendMessage"))
	b.send(t, telegramtest.Message{UpdateID: 3, From: anna, Text: "распиши план по клиентам"})
	sent = b.fake.WaitCalls(t, "sendMessage", before+2, 20*time.Second)
	if got := sent[before].Text(); !strings.Contains(got, "⏳") {
		t.Fatalf("first answer: %q", got)
	}
	if got := sent[before+1].Text(); !strings.Contains(got, "Составить список 100 компаний") {
		t.Fatalf("the plan: %q", got)
	}
	b.send(t, telegramtest.Message{UpdateID: 4, From: anna, Text: "да"})
	sent = b.fake.WaitCalls(t, "sendMessage", before+3, 10*time.Second)
	if got := sent[before+2].Text(); !strings.Contains(got, "План принят") {
		t.Fatalf("after да: %q", got)
	}
	eventually(t, "the LLM's tasks were not created", func() bool {
		return b.count(t, `SELECT count(*) FROM tasks WHERE title = 'Составить список 100 компаний'`) == 1
	})
}
