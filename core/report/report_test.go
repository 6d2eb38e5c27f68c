package report_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/progress"
	"github.com/bizconnect/bizconnect/core/report"
	"golang.org/x/net/html"
)

func ptr[T any](v T) *T { return &v }

// wednesday is 2026-12-09 13:00 in Moscow: the report's week is 7–13 December.
var wednesday = time.Date(2026, 12, 9, 10, 0, 0, 0, time.UTC)

func date(s string) core.Date {
	d, err := core.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// seed gives anna a month of a revenue goal moving 100k a week, a clients goal she reaches on
// Wednesday, two tasks done this week and one the week before.
func seed(t testing.TB, db *coretest.TestDB, anna uuid.UUID) (revenue, clients uuid.UUID) {
	t.Helper()
	db.NowFunc = func() time.Time { return wednesday.AddDate(0, 0, -7) }
	db.As(t, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		g, err := progress.SaveGoal(ctx, tx, core.Goal{Title: "Выручка декабрь", Tracking: core.TrackValue, TargetValue: ptr(1e6),
			Unit: "RUB", Category: "revenue", StartDate: date("2026-11-02"), EndDate: date("2026-12-31"), Visibility: core.Private, Status: core.GoalActive}, nil)
		if err != nil {
			return err
		}
		revenue = g.ID
		for i, day := range []string{"2026-11-06", "2026-11-13", "2026-11-20", "2026-11-27"} {
			if err := tx.AddGoalProgress(ctx, g.ID, date(day), float64(i+1)*1e5, ptr(1e5), ""); err != nil {
				return err
			}
		}
		c, err := progress.SaveGoal(ctx, tx, core.Goal{Title: "10 клиентов", Tracking: core.TrackValue, TargetValue: ptr(10.0),
			Unit: "клиентов", Category: "clients", StartDate: date("2026-11-16"), EndDate: date("2027-01-31"), Visibility: core.Private, Status: core.GoalActive},
			[]core.Milestone{{Title: "Первые пять", TargetValue: ptr(5.0)}})
		if err != nil {
			return err
		}
		clients = c.ID
		if _, err := progress.LogProgress(ctx, tx, u, c, 4, true); err != nil {
			return err
		}
		last := core.Task{Title: "созвон с партнёром", ScheduledDate: core.Today(tx, u)}
		if err := tx.CreateTask(ctx, &last); err != nil {
			return err
		}
		_, err = progress.CompleteTask(ctx, tx, u, last)
		return err
	})
	db.NowFunc = func() time.Time { return wednesday }
	db.As(t, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		g, err := tx.FindGoalByID(ctx, revenue)
		if err != nil {
			return err
		}
		if _, err := progress.LogProgress(ctx, tx, u, g, 5e5, false); err != nil {
			return err
		}
		c, err := tx.FindGoalByID(ctx, clients)
		if err != nil {
			return err
		}
		if _, err := progress.LogProgress(ctx, tx, u, c, 6, true); err != nil { // 10 of 10: reached
			return err
		}
		for _, title := range []string{"счёт клиенту", "обновить прайс"} {
			task := core.Task{Title: title, ScheduledDate: core.Today(tx, u)}
			if err := tx.CreateTask(ctx, &task); err != nil {
				return err
			}
			if _, err := progress.CompleteTask(ctx, tx, u, task); err != nil {
				return err
			}
		}
		late := core.Task{Title: "налоги", ScheduledDate: date("2026-12-01")}
		return tx.CreateTask(ctx, &late)
	})
	return revenue, clients
}

// seededWeek is the report of the seeded week, as Anna reads it on its Wednesday.
func seededWeek(t *testing.T) *report.Weekly {
	t.Helper()
	db := coretest.NewDB(t)
	anna := coretest.User(t, db, coretest.UserOpts{Name: "Anna"})
	seed(t, db, anna)
	var r *report.Weekly
	db.As(t, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		var err error
		r, err = report.Build(ctx, tx, u, core.DateOf(wednesday))
		return err
	})
	return r
}

// TestWeeklyReport: a calendar week named by its dates, done against the week before, a goal
// reached this week shown as achieved (and its badge), a forecast for the other, the backlog
// among the problems, and a chart that decodes to its size.
func TestWeeklyReport(t *testing.T) {
	t.Parallel()
	r := seededWeek(t)
	if got, want := r.Title(), "Неделя 7–13 декабря"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	if r.Week.TasksCompleted != 2 || r.Prev.TasksCompleted != 1 {
		t.Errorf("tasks done %d, the week before %d; want 2 and 1", r.Week.TasksCompleted, r.Prev.TasksCompleted)
	}
	if len(r.Goals) != 2 || r.Goals[0].Goal.Title != "10 клиентов" || !r.Goals[0].Reached || r.Goals[0].Forecast.Status != progress.Achieved {
		t.Fatalf("goals %+v: want the reached one first, as achieved", r.Goals)
	}
	rev := r.Goals[1]
	if rev.Moved != 1e5 || rev.Forecast.Status == progress.Unknown || rev.Forecast.Pace <= 0 {
		t.Errorf("revenue moved %v with forecast %+v", rev.Moved, rev.Forecast)
	}
	text := r.Text().String()
	for _, want := range []string{"Неделя 7–13 декабря", "Прогресс", "Проблемы", "Планы", "🏆 10 клиентов", "достигнута",
		"Выручка декабрь — 500 000 ₽ / 1 000 000 ₽", "+100 000 ₽ за неделю", "+1 к прошлой неделе",
		"1 просроченная задача", "Цель достигнута: «10 клиентов»", "Этап пройден: «Первые пять»"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	r.Lang = "en"
	if en := r.Text().String(); !strings.Contains(en, "Week of 7–13 Dec") || !strings.Contains(en, "1 overdue task") ||
		!strings.Contains(en, "500,000 ₽ / 1,000,000 ₽") || !strings.Contains(en, "Goal reached: “10 clients”") && !strings.Contains(en, "Goal reached: “10 клиентов”") {
		t.Errorf("English report:\n%s", en)
	}
	r.Lang = "ru"
	pic, err := r.Chart()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(pic))
	if err != nil {
		t.Fatalf("the chart is no PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != report.ChartWidth || b.Dy() != report.ChartHeight {
		t.Errorf("chart %v, want %dx%d", b, report.ChartWidth, report.ChartHeight)
	}
	if path := os.Getenv("BC_REPORT_PNG"); path != "" { // for a person to look at
		if err := os.WriteFile(path, pic, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLastWeeksReport: the week before is a past week — its own dates, its own tasks.
func TestLastWeeksReport(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	anna := coretest.User(t, db, coretest.UserOpts{Name: "Anna", Locale: "en"})
	seed(t, db, anna)
	db.As(t, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		r, err := report.Build(ctx, tx, u, date("2026-12-01"))
		if err != nil {
			return err
		}
		if r.Title() != "Week of 30 Nov – 6 Dec" || r.Week.TasksCompleted != 1 {
			t.Errorf("last week: %q with %d done", r.Title(), r.Week.TasksCompleted)
		}
		if text := r.Text().String(); !strings.Contains(text, "First goal") {
			t.Errorf("last week's report lacks the badge earned then:\n%s", text)
		}
		r, err = report.Build(ctx, tx, u, date("2026-11-24"))
		if err != nil {
			return err
		}
		if len(r.Goals) != 0 {
			t.Errorf("a report of a week before the goals existed lists %d of them", len(r.Goals))
		}
		if _, err := report.Build(ctx, tx, u, date("2026-12-14")); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("a week not begun: %v", err)
		}
		return nil
	})
}

// TestTeamReport: a team's report aggregates its goals and what members completed on them, and
// tells nothing personal — no one's load, stress, or private goals and tasks.
func TestTeamReport(t *testing.T) {
	t.Parallel()
	db, anna, boris := coretest.Pair(t, wednesday)
	team := coretest.Team(t, db, "Acme", anna, boris)
	var goal uuid.UUID
	db.As(t, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		g, err := progress.SaveGoal(ctx, tx, core.Goal{Title: "Запуск продукта", Tracking: core.TrackTasks, Category: "product", TeamID: &team,
			Visibility: core.TeamVisible, Status: core.GoalActive, EndDate: date("2026-12-31")}, nil)
		goal = g.ID
		if err != nil {
			return err
		}
		secret := core.Goal{Title: "личная цель", Tracking: core.TrackValue, TargetValue: ptr(5.0), Visibility: core.Private, Status: core.GoalActive}
		_, err = progress.SaveGoal(ctx, tx, secret, nil)
		return err
	})
	for _, who := range []uuid.UUID{boris, boris, anna} {
		db.As(t, who, func(ctx context.Context, tx core.Tx, u *core.User) error {
			task := core.Task{Title: "шаг", GoalID: &goal, ScheduledDate: core.Today(tx, u)}
			if err := tx.CreateTask(ctx, &task); err != nil {
				return err
			}
			private := core.Task{Title: "личное", ScheduledDate: core.Today(tx, u)}
			if err := tx.CreateTask(ctx, &private); err != nil {
				return err
			}
			if _, err := progress.CompleteTask(ctx, tx, u, private); err != nil {
				return err
			}
			_, err := progress.CompleteTask(ctx, tx, u, task)
			return err
		})
	}
	db.As(t, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		r, err := report.BuildTeam(ctx, tx, u, team, core.DateOf(wednesday))
		if err != nil {
			return err
		}
		text := r.Text().String()
		if r.Week.TasksCompleted != 3 || len(r.Members) != 2 || r.Members[0].Name != "Boris" || r.Members[0].Tasks != 2 {
			t.Errorf("team week %+v, members %+v", r.Week, r.Members)
		}
		for _, want := range []string{"Acme — неделя 7–13 декабря", "Запуск продукта", "Boris — 2 задачи", "Anna — 1 задача"} {
			if !strings.Contains(text, want) {
				t.Errorf("team report lacks %q:\n%s", want, text)
			}
		}
		for _, secret := range []string{"личная цель", "Нагрузка", "Стресс"} {
			if strings.Contains(text, secret) {
				t.Errorf("team report tells %q:\n%s", secret, text)
			}
		}
		if _, err := r.Chart(); err != nil {
			return err
		}
		return nil
	})
	outsider := coretest.User(t, db, coretest.UserOpts{Name: "Eve"})
	db.As(t, outsider, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if _, err := report.BuildTeam(ctx, tx, u, team, core.DateOf(wednesday)); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("an outsider read the team's report: %v", err)
		}
		return nil
	})
}

// TestMovedCountsFromWhereTheGoalStood: a goal last logged months ago moves this week from the
// value it stood at, not from zero, and the chart starts it there.
func TestMovedCountsFromWhereTheGoalStood(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	db.NowFunc = func() time.Time { return wednesday }
	anna := coretest.User(t, db, coretest.UserOpts{Name: "Anna"})
	db.As(t, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		g, err := progress.SaveGoal(ctx, tx, core.Goal{Title: "подписчики", TargetValue: ptr(1000.0), StartDate: date("2026-09-01"),
			EndDate: date("2027-06-30")}, nil)
		if err != nil {
			return err
		}
		if err := tx.AddGoalProgress(ctx, g.ID, date("2026-09-10"), 300, nil, ""); err != nil {
			return err
		}
		v := 300.0
		if g, err = tx.UpdateGoal(ctx, g.ID, core.GoalUpdate{CurrentValue: &v}); err != nil {
			return err
		}
		if _, err := progress.LogProgress(ctx, tx, u, g, 100, true); err != nil {
			return err
		}
		r, err := report.Build(ctx, tx, u, core.DateOf(wednesday))
		if err != nil {
			return err
		}
		if len(r.Goals) != 1 || r.Goals[0].Moved != 100 || r.Goals[0].Share[0] != 0.3 {
			t.Errorf("goals %+v", r.Goals)
		}
		return nil
	})
}

// TestWeeklyReportAsHTML: the email has the text's title, its four parts as headings, the same
// lines, the chart as an inline part, and escapes what users wrote.
func TestWeeklyReportAsHTML(t *testing.T) {
	t.Parallel()
	r := seededWeek(t)
	page, err := r.HTML("cid:chart.png")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var h1, h2, imgs []string
	var body strings.Builder
	for n := range doc.Descendants() {
		switch {
		case n.Type == html.ElementNode && n.Data == "h1":
			h1 = append(h1, textOf(n))
		case n.Type == html.ElementNode && n.Data == "h2":
			h2 = append(h2, textOf(n))
		case n.Type == html.ElementNode && n.Data == "img":
			for _, a := range n.Attr {
				if a.Key == "src" {
					imgs = append(imgs, a.Val)
				}
			}
		case n.Type == html.ElementNode && n.Data == "p":
			body.WriteString(textOf(n) + "\n")
		}
	}
	if len(h1) != 1 || h1[0] != "📊 Неделя 7–13 декабря" {
		t.Errorf("h1 %q", h1)
	}
	if strings.Join(h2, "|") != "Прогресс|Нагрузка|Проблемы|Планы" && strings.Join(h2, "|") != "Прогресс|Проблемы|Планы" {
		t.Errorf("headings %q", h2)
	}
	if len(imgs) != 1 || imgs[0] != "cid:chart.png" {
		t.Errorf("images %q", imgs)
	}
	for _, want := range []string{"🏆 10 клиентов", "Выручка декабрь — 500 000 ₽ / 1 000 000 ₽", "1 просроченная задача", "Цель достигнута: «10 клиентов»"} {
		if !strings.Contains(body.String(), want) {
			t.Errorf("the email lacks %q:\n%s", want, body.String())
		}
	}
	if noChart, _ := r.HTML(""); strings.Contains(noChart, "<img") {
		t.Error("an email without a chart has an image")
	}

	evil := &report.Weekly{Lang: "en", Monday: date("2026-12-07"), Sunday: date("2026-12-13"), Today: date("2026-12-09"), Tip: r.Tip,
		Goals: []report.GoalLine{{Goal: core.Goal{Title: `<script>alert(1)</script> & "co"`}}}}
	page, err = evil.HTML("cid:chart.png")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(page, "<script>") || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;co&#34;") {
		t.Errorf("a goal's title is not escaped:\n%s", page)
	}
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}
