package calendar_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/calendar"
	"github.com/bizconnect/bizconnect/core/calendar/googletest"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/core/vault"
)

type fixture struct {
	db     *coretest.TestDB
	fake   *googletest.Server
	google *calendar.Google
	store  *postgres.Calendars
	vault  *vault.Vault
	user   uuid.UUID
}

func setup(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{db: coretest.NewDB(t), fake: googletest.New("client", "secret")}
	t.Cleanup(f.fake.Close)
	f.google = &calendar.Google{ClientID: "client", ClientSecret: "secret", RedirectURL: "http://app.test/calendar/google/callback",
		AuthURL: f.fake.AuthURL(), TokenURL: f.fake.TokenURL(), RevokeURL: f.fake.RevokeURL(), APIURL: f.fake.APIURL()}
	f.store = postgres.NewCalendars(f.db.DB)
	var err error
	if f.vault, err = vault.New(make([]byte, 32)); err != nil {
		t.Fatal(err)
	}
	f.user = coretest.User(t, f.db, coretest.UserOpts{})
	return f
}

// grant goes through consent for scopes as the user would and stores the grant.
func (f *fixture) grant(t *testing.T, blocking bool, scopes ...string) {
	t.Helper()
	verifier := oauth2.GenerateVerifier()
	back, err := f.fake.Consent(f.google.ConsentURL("s", verifier, scopes))
	if err != nil {
		t.Fatal(err)
	}
	tok, granted, err := f.google.Exchange(context.Background(), back.Query().Get("code"), verifier)
	if err != nil {
		t.Fatal(err)
	}
	err = f.store.Connect(context.Background(), f.user, blocking, func(id uuid.UUID) (calendar.Connection, error) {
		c := calendar.Connection{ID: id, User: f.user, Scopes: granted}
		return c, calendar.Seal(f.vault, &c, tok)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) syncer() *calendar.Syncer {
	return &calendar.Syncer{Google: f.google, Store: f.store, Users: postgres.NewStore(f.db.DB), Vault: f.vault}
}

// TestConnectFlowRefusesWhatIsNotItsOwn: the link from the chat, the state and the PKCE
// verifier must all be the flow's own: a forged or expired link, a state without the browser's
// cookie or with another's, a used state and a wrong verifier store nothing; the flow as Google
// runs it stores one sealed grant of free/busy only.
func TestConnectFlowRefusesWhatIsNotItsOwn(t *testing.T) {
	t.Parallel()
	f := setup(t)
	now := time.Now()
	var synced []uuid.UUID
	c := &calendar.Connector{Google: f.google, Store: f.store, Vault: f.vault, Secret: []byte("0123456789abcdef0123456789abcdef"),
		PublicURL: "http://app.test", UseState: f.store.UseState, NowFunc: func() time.Time { return now },
		Sync: func(_ context.Context, u uuid.UUID) error { synced = append(synced, u); return nil }}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+calendar.ConnectPath, c.ServeConnect)
	mux.HandleFunc("GET "+calendar.CallbackPath, c.ServeCallback)
	app := httptest.NewServer(mux)
	defer app.Close()
	local := func(u string) string { return strings.Replace(u, "http://app.test", app.URL, 1) }
	newBrowser := func() *http.Client {
		jar, _ := cookiejar.New(nil)
		return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	get := func(b *http.Client, u string) *http.Response {
		t.Helper()
		res, err := b.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	// start returns the consent redirect's callback URL for a browser that opened link
	start := func(b *http.Client, link string) string {
		t.Helper()
		if res := get(b, local(link)); res.StatusCode != http.StatusOK { // the page naming the account
			t.Fatalf("connect: %d", res.StatusCode)
		}
		res := get(b, local(link)+"&go=1")
		if res.StatusCode != http.StatusFound {
			t.Fatalf("connect: %d", res.StatusCode)
		}
		back, err := f.fake.Consent(res.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		back.Scheme, back.Host = "http", strings.TrimPrefix(app.URL, "http://")
		return back.String()
	}

	link := c.Link(f.user, "en", false)
	f.fake.Untick(calendar.FreeBusyScope) // a grant without free/busy is none
	if b := newBrowser(); get(b, start(b, link)).StatusCode != http.StatusOK || f.db.Scalar(t, `SELECT count(*) FROM integration_connections`) != "0" {
		t.Fatal("a grant without free/busy was stored")
	}
	f.fake.Untick()
	forged := strings.Replace(link, "t=", "t=A", 1)
	if res := get(newBrowser(), local(forged)+"&go=1"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a forged link: %d", res.StatusCode)
	}
	stranger := newBrowser()
	callback := start(newBrowser(), link)
	if res := get(stranger, callback); res.StatusCode != http.StatusForbidden { // the state without its cookie
		t.Errorf("a callback in another browser: %d", res.StatusCode)
	}
	other := newBrowser()
	start(other, link) // a cookie of another flow
	if res := get(other, callback); res.StatusCode != http.StatusForbidden {
		t.Errorf("a callback with another flow's cookie: %d", res.StatusCode)
	}
	// a wrong verifier: Google refuses the exchange
	b := newBrowser()
	cb := start(b, link)
	u, _ := url.Parse(app.URL + "/calendar/google/")
	for _, ck := range b.Jar.Cookies(u) {
		state, _, _ := strings.Cut(ck.Value, "~")
		b.Jar.SetCookies(u, []*http.Cookie{{Name: ck.Name, Value: state + "~" + oauth2.GenerateVerifier(), Path: "/calendar/google/"}})
	}
	if res := get(b, cb); res.StatusCode != http.StatusBadGateway {
		t.Errorf("a wrong verifier: %d", res.StatusCode)
	}
	if n := f.db.Scalar(t, `SELECT count(*) FROM integration_connections`); n != "0" || len(synced) != 0 {
		t.Fatalf("%s connections stored, %d syncs, from refused flows", n, len(synced))
	}

	b = newBrowser()
	cb = start(b, link)
	if res := get(b, cb); res.StatusCode != http.StatusOK {
		t.Fatalf("the flow: %d", res.StatusCode)
	}
	if res := get(b, cb); res.StatusCode != http.StatusForbidden {
		t.Errorf("a used state: %d", res.StatusCode)
	}
	if n := f.db.Scalar(t, `SELECT count(*) FROM integration_connections WHERE status = 'active' AND scopes = ARRAY[$1]
		AND position('1//'::bytea in refresh_token) = 0`, calendar.FreeBusyScope); n != "1" || len(synced) != 1 || synced[0] != f.user {
		t.Fatalf("%s sealed free/busy grants, syncs %v", n, synced)
	}
	now = now.Add(calendar.LinkTTL + time.Second)
	if res := get(newBrowser(), local(link)); res.StatusCode != http.StatusForbidden {
		t.Errorf("an expired link: %d", res.StatusCode)
	}
}

// TestTimeBlocksFollowTheTasks: blocks are written for the scheduled tasks, patched when a task
// moves, removed when it is deleted, written anew when the user deleted one in Google; the
// pass finds a connection whose tasks changed since its sync; disconnecting removes the blocks
// ahead, revokes the grant and forgets the connection.
func TestTimeBlocksFollowTheTasks(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.grant(t, true, calendar.FreeBusyScope, calendar.EventsScope)
	ctx := context.Background()
	s := f.syncer()
	msk, _ := time.LoadLocation("Europe/Moscow")
	tomorrow := core.DateOf(time.Now().In(msk)).AddDays(1)
	ten := core.NewClockTime(10, 0)
	var demo, report core.Task
	f.db.As(t, f.user, func(ctx context.Context, tx core.Tx, u *core.User) error {
		hour := 60
		demo = core.Task{Title: "demo", Status: core.TaskTodo, Priority: 2, ScheduledDate: tomorrow, ScheduledTime: &ten, EstimatedMin: &hour, CognitiveLoad: 5}
		report = core.Task{Title: "report", Status: core.TaskTodo, Priority: 2, ScheduledDate: tomorrow, EstimatedMin: &hour, CognitiveLoad: 5}
		if err := tx.CreateTask(ctx, &demo); err != nil {
			return err
		}
		return tx.CreateTask(ctx, &report)
	})
	if err := s.Sync(ctx, f.user); err != nil {
		t.Fatal(err)
	}
	byTitle := func() map[string]googletest.Event {
		out := map[string]googletest.Event{}
		for _, e := range f.fake.Events() {
			out[e.Summary] = e
		}
		return out
	}
	ev := byTitle()
	if len(ev) != 2 || !ev["demo"].Start.Equal(tomorrow.At(ten, msk)) || !ev["report"].Start.Equal(tomorrow.At(core.NewClockTime(9, 0), msk)) {
		t.Fatalf("blocks %+v", ev)
	}
	if due, _ := f.store.Due(ctx, time.Now().Add(-time.Hour), 10); len(due) != 0 {
		t.Fatalf("due right after a sync: %v", due)
	}
	time.Sleep(10 * time.Millisecond)
	eleven := core.NewClockTime(11, 0)
	f.db.As(t, f.user, func(ctx context.Context, tx core.Tx, u *core.User) error {
		at := &eleven
		if _, err := tx.UpdateTask(ctx, demo.ID, core.TaskUpdate{ScheduledTime: &at}); err != nil {
			return err
		}
		deleted := true
		_, err := tx.UpdateTask(ctx, report.ID, core.TaskUpdate{Deleted: &deleted})
		return err
	})
	if due, _ := f.store.Due(ctx, time.Now().Add(-time.Hour), 10); len(due) != 1 || due[0] != f.user {
		t.Fatalf("tasks changed, due %v", due)
	}
	if err := s.Sync(ctx, f.user); err != nil {
		t.Fatal(err)
	}
	ev = byTitle()
	if len(ev) != 1 || !ev["demo"].Start.Equal(tomorrow.At(eleven, msk)) || f.fake.Calls("insert") != 2 {
		t.Fatalf("after moving one and deleting the other: %+v, %d inserts", ev, f.fake.Calls("insert"))
	}
	f.fake.DeleteEvent(ev["demo"].ID)
	f.db.As(t, f.user, func(ctx context.Context, tx core.Tx, u *core.User) error {
		at := &ten
		_, err := tx.UpdateTask(ctx, demo.ID, core.TaskUpdate{ScheduledTime: &at})
		return err
	})
	if err := s.Sync(ctx, f.user); err != nil {
		t.Fatal(err)
	}
	if ev = byTitle(); len(ev) != 1 || !ev["demo"].Start.Equal(tomorrow.At(ten, msk)) || f.fake.Calls("insert") != 2 {
		t.Fatalf("a block deleted in Google is confirmed again where it now is: %+v, %d inserts", ev, f.fake.Calls("insert"))
	}

	f.db.As(t, f.user, func(ctx context.Context, tx core.Tx, u *core.User) error { return tx.DisconnectCalendar(ctx) })
	if err := s.Sync(ctx, f.user); err != nil {
		t.Fatal(err)
	}
	if len(f.fake.Events()) != 0 || len(f.fake.Grants()) != 0 || f.db.Scalar(t, `SELECT count(*) FROM integration_connections`) != "0" ||
		f.db.Scalar(t, `SELECT count(*) FROM calendar_leftovers`) != "0" {
		t.Fatalf("after disconnecting: %d events, grants %v", len(f.fake.Events()), f.fake.Grants())
	}
}

// TestCalendarRowsAreTheUsers: PostgreSQL refuses a user reading the sealed tokens, reviving
// a revoked connection, blocking time without the grant, and seeing another user's busy days.
func TestCalendarRowsAreTheUsers(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.grant(t, false, calendar.FreeBusyScope)
	ctx := context.Background()
	if err := f.syncer().Sync(ctx, f.user); err != nil {
		t.Fatal(err)
	}
	other := coretest.User(t, f.db, coretest.UserOpts{Name: "Boris"})
	msk, _ := time.LoadLocation("Europe/Moscow")
	yesterday := core.DateOf(time.Now().In(msk)).AddDays(-1)
	if _, err := f.db.Super.Exec(ctx, `INSERT INTO calendar_busy (connection_id, user_id, date, busy_min)
		SELECT id, user_id, $1::date, 120 FROM integration_connections`, yesterday.String()); err != nil {
		t.Fatal(err)
	}
	f.db.As(t, f.user, func(ctx context.Context, tx core.Tx, u *core.User) error { // the day's meetings are in its history
		h, err := tx.WorkHistory(ctx, yesterday.AddDays(-3), yesterday)
		if err != nil || len(h) != 1 || h[0].Date != yesterday || h[0].BusyMin != 120 {
			t.Errorf("history %+v %v", h, err)
		}
		return nil
	})
	refused := func(what string, fn func(ctx context.Context, tx core.Tx) error) {
		t.Helper()
		if err := f.db.TryAs(f.user, func(ctx context.Context, tx core.Tx, u *core.User) error { return fn(ctx, tx) }); err == nil {
			t.Errorf("%s: not refused", what)
		}
	}
	for what, sql := range map[string]string{
		"reading the tokens":             `SELECT refresh_token FROM integration_connections`,
		"reviving a revoked connection":  `UPDATE integration_connections SET status = 'active'`,
		"writing a token":                `UPDATE integration_connections SET access_token = 'x'`,
		"forging busy time":              `INSERT INTO calendar_busy (connection_id, user_id, date, busy_min) SELECT id, user_id, current_date, 600 FROM integration_connections`,
		"deleting the connection's rows": `DELETE FROM integration_connections`,
	} {
		tx, err := f.db.Super.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if what == "reviving a revoked connection" {
			tx.Exec(ctx, `UPDATE integration_connections SET status = 'revoked'`)
		}
		claims := `{"role": "authenticated", "sub": "` + f.user.String() + `"}`
		if _, err := tx.Exec(ctx, `SELECT set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)`, claims); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, sql); err == nil {
			t.Errorf("%s: not refused", what)
		}
		tx.Rollback(ctx)
	}
	refused("time blocking without the grant", func(ctx context.Context, tx core.Tx) error { return tx.SetTimeBlocking(ctx, true) })
	f.db.As(t, f.user, func(ctx context.Context, tx core.Tx, u *core.User) error {
		l, err := tx.CalendarLink(ctx)
		if err != nil || l.Status != core.CalendarActive || l.CanBlock {
			t.Errorf("link %+v %v", l, err)
		}
		return nil
	})
	f.db.As(t, other, func(ctx context.Context, tx core.Tx, u *core.User) error {
		busy, err := tx.BusyMinutes(ctx, core.DateOf(time.Now()), core.DateOf(time.Now()).AddDays(7))
		if err != nil || len(busy) != 0 {
			t.Errorf("another user's busy days: %v %v", busy, err)
		}
		if _, err := tx.CalendarLink(ctx); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("another user's link: %v", err)
		}
		return nil
	})
}

// TestSyncSurvivesWhatGoesWrong: a stale access token is refreshed and the sync goes on; a
// failing Google is tried again after a backoff, and after MaxFailures in a row the user is asked
// to reconnect (with the same moment each time, which keys the message); a grant moved to another
// user by linking accounts still opens; a sync of a grant given again meanwhile saves nothing.
func TestSyncSurvivesWhatGoesWrong(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.grant(t, false, calendar.FreeBusyScope)
	ctx := context.Background()
	var told []time.Time
	s := f.syncer()
	s.Notify = func(_ context.Context, _ uuid.UUID, at time.Time) error { told = append(told, at); return nil }
	if err := s.Sync(ctx, f.user); err != nil {
		t.Fatal(err)
	}
	f.fake.ExpireAccessTokens()
	refreshes := f.fake.Calls("token refresh_token")
	if err := s.Sync(ctx, f.user); err != nil || f.fake.Calls("token refresh_token") != refreshes+1 || len(told) != 0 {
		t.Fatalf("a stale access token: %v, %d refreshes, told %v", err, f.fake.Calls("token refresh_token")-refreshes, told)
	}

	// another user now (accounts linked): the grant opens under its connection
	other := coretest.User(t, f.db, coretest.UserOpts{Name: "Linked"})
	if _, err := f.db.Super.Exec(ctx, `UPDATE integration_connections SET user_id = $1`, other); err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(ctx, other); err != nil || f.db.Scalar(t, `SELECT failures FROM integration_connections`) != "0" {
		t.Fatalf("after linking: %v", err)
	}

	f.fake.Fail("freeBusy", http.StatusServiceUnavailable, 100)
	for i := 1; i < calendar.MaxFailures; i++ {
		if err := s.Sync(ctx, other); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.db.Scalar(t, `SELECT failures FROM integration_connections WHERE retry_at > now() AND status = 'active'`); n != fmt.Sprint(calendar.MaxFailures-1) {
		t.Fatalf("%s failures recorded with a backoff", n)
	}
	if due, _ := f.store.Due(ctx, time.Now(), 10); len(due) != 0 {
		t.Fatalf("due while backing off: %v", due)
	}
	s.Sync(ctx, other)
	s.Sync(ctx, other) // revoked now: told again with the same moment, which the push is keyed by
	if len(told) != 2 || !told[0].Equal(told[1]) || f.db.Scalar(t, `SELECT status FROM integration_connections`) != "revoked" {
		t.Fatalf("after %d failures: told %v, %s", calendar.MaxFailures, told, f.db.Scalar(t, `SELECT status FROM integration_connections`))
	}

	// given again while an older sync runs: the older one's save changes nothing
	old, err := f.store.Connection(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	f.user = other
	f.grant(t, false, calendar.FreeBusyScope)
	if err := f.store.SaveSync(ctx, old, core.Date{}, core.Date{}, nil, time.Now(), nil, nil); err != nil {
		t.Fatal(err)
	}
	if n := f.db.Scalar(t, `SELECT count(*) FROM integration_connections WHERE status = 'active' AND synced_at IS NULL`); n != "1" {
		t.Fatal("a sync of the older grant saved over the new one")
	}
}

// TestDeletedConnectionsAreCleanedUp: linking two accounts that both have a calendar deletes the
// merged one's connection, which leaves its blocks ahead and its grant to clean up in Google; the
// pass does that once. The sync's own disconnect leaves nothing behind.
func TestDeletedConnectionsAreCleanedUp(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.grant(t, true, calendar.FreeBusyScope, calendar.EventsScope)
	ctx := context.Background()
	msk, _ := time.LoadLocation("Europe/Moscow")
	tomorrow := core.DateOf(time.Now().In(msk)).AddDays(1)
	f.db.As(t, f.user, func(ctx context.Context, tx core.Tx, u *core.User) error {
		hour := 60
		return tx.CreateTask(ctx, &core.Task{Title: "demo", Status: core.TaskTodo, Priority: 2, ScheduledDate: tomorrow, EstimatedMin: &hour, CognitiveLoad: 5})
	})
	s := f.syncer()
	if err := s.Sync(ctx, f.user); err != nil || len(f.fake.Events()) != 1 {
		t.Fatalf("sync: %v, %d events", err, len(f.fake.Events()))
	}
	merged := f.user
	f.user = coretest.User(t, f.db, coretest.UserOpts{Name: "Web"})
	f.grant(t, false, calendar.FreeBusyScope)
	if _, err := f.db.Super.Exec(ctx, `SELECT merge_users($1, $2)`, merged, f.user); err != nil {
		t.Fatal(err)
	}
	if n := f.db.Scalar(t, `SELECT count(*) FROM integration_connections`); n != "1" {
		t.Fatalf("%s connections after linking", n)
	}
	if n := f.db.Scalar(t, `SELECT cardinality(event_ids) FROM calendar_leftovers`); n != "1" {
		t.Fatalf("the leftover holds %s events", n)
	}
	if n, err := s.Clean(ctx, 10); err != nil || n != 1 {
		t.Fatalf("clean: %d %v", n, err)
	}
	if len(f.fake.Events()) != 0 || len(f.fake.Grants()) != 1 || f.db.Scalar(t, `SELECT count(*) FROM calendar_leftovers`) != "0" {
		t.Fatalf("after cleaning: %d events, grants %v (the kept account's stays)", len(f.fake.Events()), f.fake.Grants())
	}
	if n, _ := s.Clean(ctx, 10); n != 0 {
		t.Fatalf("cleaned %d again", n)
	}
}
