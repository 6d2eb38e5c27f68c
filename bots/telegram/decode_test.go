package telegram

import (
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core"
)

func TestDecode(t *testing.T) {
	b := setup(t)
	botUser := b.srv.Bot()
	date := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	anna := telegramtest.User{ID: 1001, FirstName: "Anna", LastName: "Petrova", LanguageCode: "ru"}
	botKey := func(id string) string { return "telegram:123456789:" + id }
	tests := []struct {
		name   string
		update []byte
		want   *core.Inbound // nil: ignored
	}{
		{
			name:   "private text",
			update: telegramtest.Message{UpdateID: 7, From: anna, Text: "what's on today?", Date: date}.Update(),
			want: &core.Inbound{Key: botKey("7"), Provider: core.ProviderTelegram, ExternalUserID: "1001", UserName: "Anna Petrova",
				ChatID: "1001", ChatType: core.ChatPrivate, Text: "what's on today?", LangHint: "ru", ReceivedAt: date},
		},
		{
			name:   "command addressed with @bot",
			update: telegramtest.Message{UpdateID: 8, From: anna, Text: "/today@" + telegramtest.DefaultUsername + " please", Date: date}.Update(),
			want: &core.Inbound{Key: botKey("8"), Provider: core.ProviderTelegram, ExternalUserID: "1001", UserName: "Anna Petrova",
				ChatID: "1001", ChatType: core.ChatPrivate, Text: "/today please", LangHint: "ru", ReceivedAt: date},
		},
		{
			name:   "command for another bot in a group is ignored",
			update: telegramtest.Message{UpdateID: 9, From: anna, ChatID: -100, Text: "/today@other_bot", Date: date}.Update(),
		},
		{
			name:   "group message not addressed is ignored",
			update: telegramtest.Message{UpdateID: 10, From: anna, ChatID: -100, Text: "lunch at noon?", Date: date}.Update(),
		},
		{
			name:   "group mention is stripped",
			update: telegramtest.Message{UpdateID: 11, From: anna, ChatID: -100, Text: "@" + telegramtest.DefaultUsername + ", what's due today?", Date: date}.Update(),
			want: &core.Inbound{Key: botKey("11"), Provider: core.ProviderTelegram, ExternalUserID: "1001", UserName: "Anna Petrova",
				ChatID: "-100", ChatType: core.ChatGroup, Text: "what's due today?", LangHint: "ru", ReceivedAt: date},
		},
		{
			name:   "mention in the middle of a sentence",
			update: telegramtest.Message{UpdateID: 12, From: anna, ChatID: -100, Text: "hey @" + telegramtest.DefaultUsername + " show goals", Date: date}.Update(),
			want: &core.Inbound{Key: botKey("12"), Provider: core.ProviderTelegram, ExternalUserID: "1001", UserName: "Anna Petrova",
				ChatID: "-100", ChatType: core.ChatGroup, Text: "hey show goals", LangHint: "ru", ReceivedAt: date},
		},
		{
			name: "group reply to the bot",
			update: telegramtest.Message{UpdateID: 13, From: anna, ChatID: -100, Text: "done", Date: date,
				ReplyTo: &telegramtest.Message{MessageID: 5, From: botUser, Text: "Did you finish?"}}.Update(),
			want: &core.Inbound{Key: botKey("13"), Provider: core.ProviderTelegram, ExternalUserID: "1001", UserName: "Anna Petrova",
				ChatID: "-100", ChatType: core.ChatGroup, Text: "done", LangHint: "ru", ReceivedAt: date},
		},
		{
			name: "group reply to someone else is ignored",
			update: telegramtest.Message{UpdateID: 14, From: anna, ChatID: -100, Text: "done", Date: date,
				ReplyTo: &telegramtest.Message{MessageID: 5, From: telegramtest.User{ID: 2002, FirstName: "Ivan"}, Text: "?"}}.Update(),
		},
		{
			name:   "group command",
			update: telegramtest.Message{UpdateID: 15, From: anna, ChatID: -100, Text: "/week", Date: date}.Update(),
			want: &core.Inbound{Key: botKey("15"), Provider: core.ProviderTelegram, ExternalUserID: "1001", UserName: "Anna Petrova",
				ChatID: "-100", ChatType: core.ChatGroup, Text: "/week", LangHint: "ru", ReceivedAt: date},
		},
		{
			name:   "shared location",
			update: telegramtest.Message{UpdateID: 16, From: anna, Location: &[2]float64{55.75, 37.62}, Date: date}.Update(),
			want: &core.Inbound{Key: botKey("16"), Provider: core.ProviderTelegram, ExternalUserID: "1001", UserName: "Anna Petrova",
				ChatID: "1001", ChatType: core.ChatPrivate, LangHint: "ru", ReceivedAt: date,
				Location: &core.Location{Latitude: 55.75, Longitude: 37.62}},
		},
		{
			name:   "edited message is ignored",
			update: []byte(`{"update_id":17,"edited_message":{"message_id":1,"date":1,"edit_date":2,"chat":{"id":1001,"type":"private"},"from":{"id":1001,"is_bot":false,"first_name":"Anna"},"text":"x"}}`),
		},
		{
			name:   "poll is ignored",
			update: []byte(`{"update_id":18,"poll":{"id":"p","question":"q","options":[],"total_voter_count":0,"is_closed":false,"is_anonymous":true,"type":"regular","allows_multiple_answers":false}}`),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := b.a.Decode(decodeJSON(t, tt.update))
			if tt.want == nil {
				if ok {
					t.Fatalf("Decode handled an update it should ignore: %+v", got)
				}
				return
			}
			if !ok {
				t.Fatal("Decode ignored the update")
			}
			assertInbound(t, got, *tt.want)
		})
	}
}

func TestDecodeCallbackQuery(t *testing.T) {
	b := setup(t)
	for _, chat := range []int64{1001, -100} { // groups handle every press
		raw := telegramtest.Callback{UpdateID: 21, ID: "cbq-9", ChatID: chat, MessageID: 42, Data: "done:task-17"}.Update()
		before := time.Now().UTC()
		got, ok := b.a.Decode(decodeJSON(t, raw))
		if !ok {
			t.Fatalf("chat %d: callback ignored", chat)
		}
		if got.Payload != "done:task-17" || got.MessageRef != "42" || got.CallbackID != "cbq-9" ||
			got.Key != "telegram:123456789:21" || got.ExternalUserID != "1001" || got.Text != "" {
			t.Errorf("chat %d: got %+v", chat, got)
		}
		if got.ReceivedAt.Before(before.Add(-time.Second)) {
			t.Errorf("ReceivedAt = %v, want about now", got.ReceivedAt)
		}
	}
}

func assertInbound(t *testing.T, got, want core.Inbound) {
	t.Helper()
	gotLoc, wantLoc := got.Location, want.Location
	got.Location, want.Location = nil, nil
	if !got.ReceivedAt.Equal(want.ReceivedAt) {
		t.Errorf("ReceivedAt = %v, want %v", got.ReceivedAt, want.ReceivedAt)
	}
	got.ReceivedAt, want.ReceivedAt = time.Time{}, time.Time{}
	if got != want {
		t.Errorf("Inbound\n got %+v\nwant %+v", got, want)
	}
	if (gotLoc == nil) != (wantLoc == nil) || (gotLoc != nil && *gotLoc != *wantLoc) {
		t.Errorf("Location = %v, want %v", gotLoc, wantLoc)
	}
}
