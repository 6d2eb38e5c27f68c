package main

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/bots/telegram/telegramtest"
	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/calendar/googletest"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/postgres"
)

var connectLinkRe = regexp.MustCompile(`http://127\.0\.0\.1:\d+/calendar/google/connect\?t=\S+`)

// TestGoogleCalendar, through the running product and a fake Google: "подключи гугл календарь"
// gives a link; the browser goes through consent with state and PKCE; the grant is stored sealed;
// the first sync says what today and tomorrow hold, and tomorrow's 4 hours of meetings leave 2 of
// the 6 hours for tasks in the day's list; a used callback link is refused; "ставь задачи в
// календарь" asks for the events permission, then writes tomorrow's tasks as free-marked blocks
// around the meetings, once however often it syncs; a revoked grant gives one reconnect message,
// however many syncs follow.
func TestGoogleCalendar(t *testing.T) {
	t.Parallel()
	g := googletest.New("calendar-client", "calendar-secret")
	t.Cleanup(g.Close)
	b, _ := startTelegram(t, map[string]string{"PUBLIC_URL": "auto", "BC_ENCRYPTION_KEY": strings.Repeat("ab", 32),
		"GOOGLE_CALENDAR_CLIENT_ID": "calendar-client", "GOOGLE_CALENDAR_SECRET": "calendar-secret",
		"GOOGLE_OAUTH_URL": g.URL, "GOOGLE_CALENDAR_API_URL": g.APIURL()})
	msk, _ := time.LoadLocation("Europe/Moscow")
	tomorrow := core.DateOf(time.Now().In(msk)).AddDays(1)
	g.SetBusy(googletest.Period{Start: tomorrow.At(core.NewClockTime(10, 0), msk), End: tomorrow.At(core.NewClockTime(12, 0), msk)},
		googletest.Period{Start: tomorrow.At(core.NewClockTime(11, 30), msk), End: tomorrow.At(core.NewClockTime(14, 0), msk)}, // overlapping: 4 h
		googletest.Period{Start: tomorrow.AddDays(-1).At(core.NewClockTime(7, 0), msk), End: tomorrow.AddDays(-1).At(core.NewClockTime(8, 0), msk)})

	sent := 0
	say := func(id int64, text string) string { // the user's message and the assistant's reply
		t.Helper()
		b.send(t, telegramtest.Message{UpdateID: id, From: anna, Text: text})
		sent++
		return b.fake.WaitCalls(t, "sendMessage", sent, 15*time.Second)[sent-1].Text()
	}
	next := func() string { // a message the assistant sends unasked
		t.Helper()
		sent++
		return b.fake.WaitCalls(t, "sendMessage", sent, 15*time.Second)[sent-1].Text()
	}
	browser := newBrowser()
	var callback string
	consent := func(reply string) {
		t.Helper()
		callback = consentFlow(t, browser, g, connectLinkRe.FindString(reply), "Anna")
	}

	consent(say(1, "подключи мой гугл календарь"))
	welcome := next()
	if !strings.Contains(welcome, "Google Календарь подключён") || !strings.Contains(welcome, "Завтра: встречи — 4 ч, на задачи остаётся 2 ч") {
		t.Fatalf("welcome: %q", welcome)
	}
	if grants := g.Grants(); len(grants) != 1 || len(grants[0]) != 1 || grants[0][0] != googletest.FreeBusyScope {
		t.Fatalf("granted %v: only free/busy is asked for first", grants)
	}
	var access, refresh []byte
	b.db.Super.QueryRow(context.Background(), `SELECT access_token, refresh_token FROM integration_connections`).Scan(&access, &refresh)
	if len(refresh) < 20 || bytes.Contains(refresh, []byte("1//")) || bytes.Contains(access, []byte("ya29.")) {
		t.Fatalf("tokens are not sealed: %q / %q", access, refresh)
	}
	if n := b.count(t, `SELECT busy_min FROM calendar_busy WHERE date = '`+tomorrow.String()+`'`); n != 240 {
		t.Fatalf("tomorrow busy %d min, want 240", n)
	}
	if list := say(2, "что на завтра?"); !strings.Contains(list, "В календаре: 4 ч, на задачи остаётся 2 ч") {
		t.Fatalf("tomorrow's list: %q", list)
	}
	if load := say(20, "какая у меня нагрузка?"); !strings.Contains(load, "Встречи в календаре: 1 ч, считаются работой") {
		t.Fatalf("today's load: %q", load)
	}
	if res, err := browser.Get(callback); err != nil || res.StatusCode != http.StatusForbidden { // a callback works once
		t.Fatalf("the callback again: %v %v", res.StatusCode, err)
	}

	// time blocking: the events permission is asked for when it is turned on
	say(3, "завтра в 15:00 подготовить презентацию, 1 час")
	say(4, "завтра написать отчёт инвестору")
	consent(say(5, "ставь задачи в календарь"))
	if again := next(); !strings.Contains(again, "ставлю в него блоками") {
		t.Fatalf("connected with time blocking: %q", again)
	}
	deadline := time.Now().Add(15 * time.Second)
	for len(g.Events()) < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	events := g.Events()
	var at []string
	for _, e := range events {
		if !e.Transparent {
			t.Errorf("block %q is not marked free", e.Summary)
		}
		at = append(at, e.Start.In(msk).Format("15:04")+"-"+e.End.In(msk).Format("15:04")+" "+e.Summary)
	}
	if len(events) != 2 || !strings.Contains(strings.Join(at, ";"), "15:00-16:00 подготовить презентацию") ||
		!strings.Contains(strings.Join(at, ";"), "09:00-") {
		t.Fatalf("blocks: %v", at)
	}
	if reply := say(6, "ставь задачи в календарь"); !strings.Contains(reply, "Готово") { // synced again: nothing doubled
		t.Fatalf("blocking on again: %q", reply)
	}
	waitJobs(t, b.db, 3)
	if n := len(g.Events()); n != 2 || g.Calls("insert") != 2 {
		t.Fatalf("%d events after a second sync, %d inserts", n, g.Calls("insert"))
	}

	// Google refuses the grant: one message with a reconnect link, however many syncs follow
	g.RevokeAll()
	g.ExpireAccessTokens()
	var user uuid.UUID
	b.db.Super.QueryRow(context.Background(), `SELECT user_id FROM integration_connections`).Scan(&user)
	jobs, err := postgres.NewJobs(context.Background(), b.db.DB, postgres.JobsConfig{}, postgres.Work(func(context.Context, core.CalendarSyncJob) error { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := jobs.Enqueue(context.Background(), core.CalendarSyncJob{User: user}); err != nil {
			t.Fatal(err)
		}
		waitJobs(t, b.db, 4+i)
	}
	if notice := next(); !strings.Contains(notice, "перестал мне отвечать") || !connectLinkRe.MatchString(notice) {
		t.Fatalf("revoked: %q", notice)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(b.fake.CallsTo("sendMessage")); n != sent {
		t.Fatalf("%d messages after the revocation, want one", n-sent+1)
	}
	if status := b.count(t, `SELECT count(*) FROM integration_connections WHERE status = 'revoked'`); status != 1 {
		t.Fatal("the connection is not marked revoked")
	}
}

// consentFlow opens a connect link in browser, consents at the fake Google and follows the
// callback, which must answer the "connected" page; it returns the callback's URL.
func consentFlow(t *testing.T, browser *http.Client, g *googletest.Server, link, name string) string {
	t.Helper()
	if link == "" {
		t.Fatal("no connect link")
	}
	res, err := browser.Get(link) // first a page naming the account the calendar joins
	if err != nil {
		t.Fatal(err)
	}
	var confirm bytes.Buffer
	confirm.ReadFrom(res.Body)
	res.Body.Close()
	next := regexp.MustCompile(`href="([^"]+)"`).FindStringSubmatch(confirm.String())
	if res.StatusCode != http.StatusOK || next == nil || !strings.Contains(confirm.String(), name) {
		t.Fatalf("the page before consent: %d %s", res.StatusCode, confirm.String())
	}
	u, _ := url.Parse(link)
	to, _ := u.Parse(html.UnescapeString(next[1]))
	if res, err = browser.Get(to.String()); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	location := res.Header.Get("Location")
	if res.StatusCode != http.StatusFound || !strings.HasPrefix(location, g.AuthURL()) || !strings.Contains(location, "code_challenge_method=S256") ||
		!strings.Contains(location, "access_type=offline") || strings.Contains(location, "calendar.readonly") {
		t.Fatalf("connect: %d to %s", res.StatusCode, location)
	}
	back, err := g.Consent(location)
	if err != nil {
		t.Fatal(err)
	}
	res, err = browser.Get(back.String())
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	page.ReadFrom(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(page.String(), "onnected") && !strings.Contains(page.String(), "подключён") {
		t.Fatalf("callback: %d %s", res.StatusCode, page.String())
	}
	return back.String()
}

// newBrowser is a client with cookies that shows redirects instead of following them.
func newBrowser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// waitJobs waits until n calendar syncs have completed.
func waitJobs(t *testing.T, db *coretest.TestDB, n int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for done, _ := strconv.Atoi(db.Scalar(t, `SELECT count(*) FROM river.river_job WHERE kind = 'calendar_sync' AND state = 'completed'`)); done < n; done, _ = strconv.Atoi(db.Scalar(t, `SELECT count(*) FROM river.river_job WHERE kind = 'calendar_sync' AND state = 'completed'`)) {
		if time.Now().After(deadline) {
			var states string
			db.Super.QueryRow(context.Background(), `SELECT string_agg(state::text || ' ' || errors::text, '; ') FROM river.river_job WHERE kind = 'calendar_sync'`).Scan(&states)
			t.Fatalf("fewer than %d calendar syncs completed: %s", n, states)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestCalendarAPI: the REST API's view of the connection, through the running product: none at
// first, a connect link that runs the same flow, the busy days and what they leave for tasks,
// time blocking refused without the grant, another user seeing and disconnecting nothing, and
// a disconnect that forgets the connection and revokes the grant. Every exchange is checked
// against the OpenAPI document.
func TestCalendarAPI(t *testing.T) {
	t.Parallel()
	g := googletest.New("calendar-client", "calendar-secret")
	t.Cleanup(g.Close)
	env := maps.Clone(authEnv)
	maps.Copy(env, map[string]string{"PUBLIC_URL": "auto", "BC_ENCRYPTION_KEY": strings.Repeat("cd", 32), "BC_DEFAULT_TZ": "Europe/Moscow",
		"GOOGLE_CALENDAR_CLIENT_ID": "calendar-client", "GOOGLE_CALENDAR_SECRET": "calendar-secret",
		"GOOGLE_OAUTH_URL": g.URL, "GOOGLE_CALENDAR_API_URL": g.APIURL()})
	db, base := startApp(t, env)
	router := newRESTRouter(t, base)
	var users []*restClient
	for i := range 2 {
		status, s := authCall(t, "POST", base+"/auth/v1/signup", "", map[string]any{"email": fmt.Sprintf("cal%d@example.com", i), "password": "correct horse"})
		if status != 200 {
			t.Fatalf("sign-up: %d %v", status, s)
		}
		users = append(users, &restClient{t: t, base: base + "/api/v1", token: s["access_token"].(string), router: router})
	}
	ann, bob := users[0], users[1]
	if _, err := db.Super.Exec(context.Background(), `UPDATE users SET timezone = 'Europe/Moscow'`); err != nil {
		t.Fatal(err)
	}
	msk, _ := time.LoadLocation("Europe/Moscow")
	tomorrow := core.DateOf(time.Now().In(msk)).AddDays(1)
	g.SetBusy(googletest.Period{Start: tomorrow.At(core.NewClockTime(9, 0), msk), End: tomorrow.At(core.NewClockTime(12, 0), msk)})

	if status, _, c := ann.do("GET", "/integrations/google-calendar", nil); status != 200 || c["status"] != "none" {
		t.Fatalf("before connecting: %d %v", status, c)
	}
	status, _, link := ann.do("POST", "/integrations/google-calendar/connect", map[string]any{})
	if status != 200 {
		t.Fatalf("connect: %d %v", status, link)
	}
	consentFlow(t, newBrowser(), g, link["url"].(string), "")
	waitJobs(t, db, 1)
	status, _, c := ann.do("GET", "/integrations/google-calendar", nil)
	busy, _ := c["busy"].([]any)
	if status != 200 || c["status"] != "active" || c["can_block"] != false || len(busy) != 1 {
		t.Fatalf("connected: %d %v", status, c)
	}
	if day := busy[0].(map[string]any); day["date"] != tomorrow.String() || day["busy_min"] != 180.0 || day["free_min"] != 180.0 {
		t.Fatalf("tomorrow: %v", day)
	}
	if status, _, p := ann.do("PATCH", "/integrations/google-calendar", map[string]any{"time_blocking": true}); status != 409 {
		t.Fatalf("time blocking without the grant: %d %v", status, p)
	}
	if status, _, c := bob.do("GET", "/integrations/google-calendar", nil); status != 200 || c["status"] != "none" {
		t.Fatalf("another user sees %d %v", status, c)
	}
	if status, _, _ := bob.do("DELETE", "/integrations/google-calendar", nil); status != 404 {
		t.Fatalf("another user disconnects: %d", status)
	}
	if status, _, _ := ann.do("DELETE", "/integrations/google-calendar", nil); status != 204 {
		t.Fatalf("disconnect: %d", status)
	}
	waitJobs(t, db, 2)
	if status, _, c := ann.do("GET", "/integrations/google-calendar", nil); status != 200 || c["status"] != "none" || len(g.Grants()) != 0 {
		t.Fatalf("after disconnecting: %d %v, grants %v", status, c, g.Grants())
	}
}
