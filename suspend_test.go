package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core/admin"
	"github.com/bizconnect/bizconnect/core/auth"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// TestSuspendedUserGetsANotice: an operator suspends a Telegram user through the admin API of
// the running product; their next message gets a notice in their language and changes nothing,
// their access token no longer opens the REST API and no session opens; reinstated, they are
// answered again.
func TestSuspendedUserGetsANotice(t *testing.T) {
	t.Parallel()
	b, base := setupTelegramWeb(t)
	ctx := context.Background()
	b.send(t, telegramtest.Message{UpdateID: 1, From: anna, Text: "привет"})
	b.fake.WaitCalls(t, "sendMessage", 1, 10*time.Second)
	var id uuid.UUID
	if err := b.db.Super.QueryRow(ctx, `SELECT user_id FROM identities WHERE provider = 'telegram' AND external_id = '1001'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	accounts, err := auth.New(auth.Config{JWTSecret: []byte(authEnv["BC_JWT_SECRET"]), Autoconfirm: true}, postgres.NewAccounts(b.db.DB))
	if err != nil {
		t.Fatal(err)
	}
	sess, err := accounts.SessionFor(ctx, id, "telegram", "test")
	if err != nil {
		t.Fatal(err)
	}
	key, prefix, hash := admin.NewKey()
	if _, err := postgres.NewAdmin(b.db.DB, nil).CreateKey(ctx, admin.Key{Name: "ops", Prefix: prefix, Hash: hash, Scopes: []string{"write"}}); err != nil {
		t.Fatal(err)
	}
	suspend := func(on bool) {
		t.Helper()
		body, _ := json.Marshal(map[string]bool{"suspended": on})
		req, _ := http.NewRequest("PATCH", base+"/admin/v1/users/"+id.String(), bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("suspend %v: %d", on, resp.StatusCode)
		}
	}
	suspend(true)
	b.send(t, telegramtest.Message{UpdateID: 2, From: anna, Text: "сегодня позвонить клиенту"})
	calls := b.fake.WaitCalls(t, "sendMessage", 2, 10*time.Second)
	if text := calls[1].Params["text"]; !strings.Contains(text, "приостановлен") {
		t.Fatalf("a suspended user was answered %q", text)
	}
	if n := b.count(t, `SELECT count(*) FROM tasks`); n != 0 {
		t.Fatalf("%d tasks made by a suspended user", n)
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/tasks", nil)
	req.Header.Set("Authorization", "Bearer "+sess.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("the REST API answered a suspended user %d", resp.StatusCode)
	}
	if _, err := accounts.SessionFor(ctx, id, "telegram", "test"); err != auth.ErrSuspended {
		t.Fatalf("a suspended user signs in: %v", err)
	}
	if _, err := accounts.Refresh(ctx, sess.RefreshToken); err == nil {
		t.Fatal("a suspended user's refresh token still works")
	}
	suspend(false)
	b.send(t, telegramtest.Message{UpdateID: 3, From: anna, Text: "сегодня позвонить клиенту"})
	b.fake.WaitCalls(t, "sendMessage", 3, 10*time.Second)
	if n := b.count(t, `SELECT count(*) FROM tasks`); n != 1 {
		t.Fatalf("%d tasks after reinstating", n)
	}
	// the operators also see the jobs in River's web UI, served beside the admin API
	req, _ = http.NewRequest("GET", base+"/admin/riverui/api/queues", nil)
	req.SetBasicAuth("ops", key)
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden { // the key may change users, not read the jobs
		t.Fatalf("River's UI answered a key without the read scope %d", resp.StatusCode)
	}
	reader, prefix, hash := admin.NewKey()
	if _, err := postgres.NewAdmin(b.db.DB, nil).CreateKey(ctx, admin.Key{Name: "look", Prefix: prefix, Hash: hash, Scopes: []string{"read"}}); err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth("ops", reader)
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), `"name":"pushes"`) {
		t.Fatalf("River's UI lists the queues: %d %.300s", resp.StatusCode, page)
	}
}
