package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/report"
)

// TestLoadCommand: `bizconnect load --user NAME --date D` prints that day's figure and what makes
// it as JSON; `load snapshot --date D` records it for everyone; an ambiguous name is refused.
func TestLoadCommand(t *testing.T) {
	db := coretest.NewDB(t)
	t.Setenv("DATABASE_URL", db.URL)
	anna := coretest.User(t, db, coretest.UserOpts{Name: "Anna"})
	ctx := context.Background()
	if _, err := db.Super.Exec(ctx, `INSERT INTO tasks (user_id, title, status, completed_at, scheduled_date, estimated_time, cognitive_load)
		SELECT $1, 'work', 'done', d + interval '12 hours', d::date, CASE WHEN d >= '2026-11-16' THEN 480 ELSE 240 END, 5
		  FROM generate_series('2026-10-12'::date, '2026-11-20'::date, interval '1 day') d WHERE extract(isodow FROM d) < 6`, anna); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"load", "--user", "Anna", "--date", "2026-11-20"}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var r loadReport
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if r.User != anna.String() || r.Date.String() != "2026-11-20" || r.Value == 0 || r.Trend.Ratio < 1.3 || len(r.Contributors) == 0 {
		t.Errorf("report: %s", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"load", "snapshot", "--date", "2026-11-20"}, nil, &out, io.Discard); err != nil || !strings.Contains(out.String(), "for 1 users") {
		t.Fatalf("snapshot: %s %v", out.String(), err)
	}
	if got := db.Scalar(t, `SELECT business_load FROM daily_progress WHERE date = '2026-11-20'`); got != strconv.Itoa(r.Value) {
		t.Errorf("snapshot stored %s, the report said %d", got, r.Value)
	}
	coretest.User(t, db, coretest.UserOpts{Name: "Anna"})
	if err := run(ctx, []string{"load", "--user", "Anna"}, nil, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "more than one") {
		t.Errorf("an ambiguous name: %v", err)
	}
}

// TestReportCommand: `bizconnect report weekly --user NAME --out F --html H` prints the week's
// report, writes its chart as a PNG of the chart's size and its email version showing it.
func TestReportCommand(t *testing.T) {
	db := coretest.NewDB(t)
	t.Setenv("DATABASE_URL", db.URL)
	coretest.User(t, db, coretest.UserOpts{Name: "Anna", Locale: "en"})
	dir := t.TempDir()
	out, page := filepath.Join(dir, "report.png"), filepath.Join(dir, "report.html")
	var buf bytes.Buffer
	if err := run(context.Background(), []string{"report", "weekly", "--user", "Anna", "--week", "2026-11-25", "--out", out, "--html", page}, nil, &buf, io.Discard); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(page); err != nil || !strings.Contains(string(b), `<img src="report.png"`) || !strings.Contains(string(b), "Week of 23–29 Nov") {
		t.Errorf("email version (%v):\n%s", err, b)
	}
	if !strings.Contains(buf.String(), "Week of 23–29 Nov") || !strings.Contains(buf.String(), "Problems") {
		t.Errorf("report: %s", buf.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width != report.ChartWidth || cfg.Height != report.ChartHeight {
		t.Errorf("chart: %+v %v", cfg, err)
	}
	if err := run(context.Background(), []string{"report", "monthly"}, nil, &buf, io.Discard); err == nil {
		t.Error("an unknown report was made")
	}
}
