package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/bizconnect/bizconnect/core/coretest"
)

// TestChatCarriesTheDialogAcrossProcesses runs `bizconnect chat` once per message, as a script
// would, and checks that the second run answers the first run's question.
func TestChatCarriesTheDialogAcrossProcesses(t *testing.T) {
	db := coretest.NewDB(t)
	t.Setenv("DATABASE_URL", db.URL)
	t.Setenv("TZ", "Europe/Moscow")
	chat := func(input string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), []string{"chat", "--user", "olga"}, strings.NewReader(input), &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	out := chat("цель: выручка 500 тыс к концу года\n")
	if !strings.Contains(out, "[1] 💾 Сохранить") {
		t.Fatalf("buttons should be numbered choices:\n%s", out)
	}
	if out := chat("1\n"); !strings.Contains(out, "Цель сохранена") {
		t.Fatalf("second process did not continue the dialog:\n%s", out)
	}
	if out := chat("выручка +100к\nчто на сегодня\n"); !strings.Contains(out, "▓▓░░░░░░ 20%") || !strings.Contains(out, "План на сегодня") {
		t.Fatalf("progress and list:\n%s", out)
	}
	var tz, name string
	if err := db.Super.QueryRow(context.Background(), `SELECT timezone, name FROM users`).Scan(&tz, &name); err != nil {
		t.Fatal(err)
	}
	if tz != "Europe/Moscow" || name != "olga" {
		t.Fatalf("console user: %s %s", tz, name)
	}
}

func TestChatNeedsAUser(t *testing.T) {
	t.Setenv("USER", "")
	err := run(context.Background(), []string{"chat"}, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--user") {
		t.Fatalf("err = %v", err)
	}
}

// TestChatSpeaksTheMachinesLanguageFirst: /start in a Russian terminal is answered in Russian.
func TestChatSpeaksTheMachinesLanguageFirst(t *testing.T) {
	db := coretest.NewDB(t)
	t.Setenv("DATABASE_URL", db.URL)
	t.Setenv("LANG", "ru_RU.UTF-8")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"chat", "--user", "pavel"}, strings.NewReader("/start\n"), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Привет, pavel") {
		t.Fatalf("/start in a Russian terminal:\n%s", out.String())
	}
}
