package main

import (
	"bytes"
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core/admin"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/mail/mailtest"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// TestWeeklyReportByMail: the weekly report push also mails the report to the user's confirmed
// address, in their language: a text part, HTML showing the chart inline by Content-ID (a PNG),
// and a one-click unsubscribe for reports; after unsubscribing, the next week's report is not
// mailed (while the chat's still comes).
func TestWeeklyReportByMail(t *testing.T) {
	t.Parallel()
	smtp := mailtest.Start(t)
	db, base := startApp(t, mailEnv(smtp))
	ctx := context.Background()
	var id uuid.UUID
	if err := db.Super.QueryRow(ctx, `INSERT INTO users (name, timezone, locale, email, email_confirmed_at)
		VALUES ('Nina', 'Europe/Moscow', 'ru', 'nina@example.com', now()) RETURNING id`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	coretest.Identity(t, db, id, "console", "", "nina")
	key, prefix, hash := admin.NewKey()
	if _, err := postgres.NewAdmin(db.DB, nil).CreateKey(ctx, admin.Key{Name: "ops", Prefix: prefix, Hash: hash, Scopes: []string{"write"}}); err != nil {
		t.Fatal(err)
	}
	report := func(user uuid.UUID) int {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"kind": "weekly_report", "user_id": user})
		req, _ := http.NewRequest("POST", base+"/admin/v1/jobs", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if status := report(id); status != 202 {
		t.Fatalf("weekly report: %d", status)
	}
	// a chat-only user (no address) gets the chat's report, and no mail job is scheduled for them
	var oleg uuid.UUID
	if err := db.Super.QueryRow(ctx, `INSERT INTO users (name, timezone, locale) VALUES ('Oleg', 'Europe/Moscow', 'ru') RETURNING id`).Scan(&oleg); err != nil {
		t.Fatal(err)
	}
	coretest.Identity(t, db, oleg, "console", "", "oleg")
	if status := report(oleg); status != 202 {
		t.Fatalf("weekly report of a chat-only user: %d", status)
	}
	m := smtp.Wait(t, 1, 15*time.Second)[0]
	for deadline := time.Now().Add(10 * time.Second); db.Scalar(t, `SELECT count(*) FROM outbox WHERE user_id = $1`, oleg) == "0"; {
		if time.Now().After(deadline) {
			t.Fatal("no weekly report in the chat-only user's chat")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := db.Scalar(t, `SELECT count(*) FROM river.river_job WHERE kind = 'report_mail' AND args->>'user' = $1`, oleg.String()); n != "0" {
		t.Fatalf("%s report mail jobs for a user without an address", n)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if m.To[0] != "nina@example.com" || !strings.Contains(strings.ToLower(subj), "недел") {
		t.Errorf("mail %q to %v", subj, m.To)
	}
	png := m.Inline["chart"]
	if !strings.Contains(m.HTML, `cid:chart`) || len(png) < 1000 || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("the chart is not inline: html has cid %v, %d bytes", strings.Contains(m.HTML, "cid:chart"), len(png))
	}
	if m.Text == "" || m.Header.Get("Content-Language") != "ru" {
		t.Errorf("text %d bytes, Content-Language %q", len(m.Text), m.Header.Get("Content-Language"))
	}
	unsub := strings.Trim(m.Header.Get("List-Unsubscribe"), "<>")
	if !strings.Contains(unsub, "/mail/unsubscribe?t=") { // (one-click needs https: core/mail tests it)
		t.Fatalf("List-Unsubscribe %q", m.Header.Get("List-Unsubscribe"))
	}
	resp, err := http.Post(unsub, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n := db.Scalar(t, `SELECT count(*) FROM mail_suppressions WHERE category = 'report'`); n != "1" {
		t.Fatalf("%s report suppressions after unsubscribing", n)
	}
	// a week later: the chat's report comes, the mail does not
	if _, err := db.Super.Exec(ctx, `DELETE FROM outbox WHERE user_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Super.Exec(ctx, `DELETE FROM river.river_job WHERE kind IN ('push', 'report_mail')`); err != nil {
		t.Fatal(err)
	}
	if status := report(id); status != 202 {
		t.Fatalf("weekly report again: %d", status)
	}
	deadline := time.Now().Add(10 * time.Second)
	for db.Scalar(t, `SELECT count(*) FROM river.river_job WHERE kind = 'report_mail' AND state = 'completed'`) != "1" {
		if time.Now().After(deadline) {
			t.Fatal("the second report's mail job did not run")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := len(smtp.Messages()); n != 1 {
		t.Fatalf("%d mails after unsubscribing from reports", n)
	}
}
