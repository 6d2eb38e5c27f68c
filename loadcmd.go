package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/load"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// runLoad is `bizconnect load`: one user's Business Load of a day, with what makes it up, as JSON;
// or, with `snapshot`, the day's figure recorded for every user (the nightly operation).
func runLoad(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	snapshot := len(args) > 0 && args[0] == "snapshot"
	if snapshot {
		args = args[1:]
	}
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	user := fs.String("user", "", "the user: an id, or a name where it is unique")
	date := fs.String("date", "", "the day, YYYY-MM-DD (default: the user's today; for snapshot, yesterday in UTC)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var day core.Date
	if *date != "" {
		var err error
		if day, err = core.ParseDate(*date); err != nil {
			return fmt.Errorf("load: --date: %w", err)
		}
	}
	if !snapshot && *user == "" {
		return fmt.Errorf("usage: bizconnect load --user USER [--date YYYY-MM-DD] | bizconnect load snapshot [--date YYYY-MM-DD]")
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	loads := postgres.NewLoads(db)
	if snapshot {
		if day.IsZero() {
			day = core.DateOf(time.Now().UTC()).AddDays(-1)
		}
		n, err := load.SnapshotAll(ctx, loads, day, 1000)
		fmt.Fprintf(stdout, "recorded the Business Load of %s for %d users\n", day, n)
		return err
	}
	id, err := loads.FindUser(ctx, *user)
	if err != nil {
		return err
	}
	var out loadReport
	err = postgres.NewStore(db).InUser(ctx, id, func(ctx context.Context, tx core.Tx, u *core.User) error {
		today := core.Today(tx, u)
		if day.IsZero() {
			day = today
		}
		var s load.Score
		switch {
		case day == today:
			s, _, _, err = load.Today(ctx, tx, u)
		case day.Before(today):
			s, err = load.Past(ctx, tx, u, day)
		default:
			var week [7]load.DayLoad
			if week, err = load.Week(ctx, tx, u, day.Monday()); err == nil {
				s = week[day.Monday().DaysUntil(day)].Score
			}
		}
		out = reportOf(u, day, s)
		return err
	})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// loadReport is the JSON `bizconnect load` prints.
type loadReport struct {
	User         string             `json:"user"`
	Date         core.Date          `json:"date"`
	Value        int                `json:"business_load"`
	Zone         load.Zone          `json:"zone"`
	Contributors []load.Contributor `json:"contributors"`
	Trend        struct {
		Days          int     `json:"history_days"`
		Acute         float64 `json:"acute"`
		Chronic       float64 `json:"chronic"`
		Ratio         float64 `json:"acute_chronic_ratio"`
		DaysSinceRest int     `json:"days_since_rest"`
		ReferenceMin  int     `json:"reference_min"`
	} `json:"trend"`
}

func reportOf(u *core.User, day core.Date, s load.Score) loadReport {
	r := loadReport{User: u.ID.String(), Date: day, Value: s.Value, Zone: s.Zone, Contributors: s.Contributors()}
	tr := s.Day.Trend
	r.Trend.Days, r.Trend.Acute, r.Trend.Chronic, r.Trend.Ratio = tr.Days, round1(tr.Acute), round1(tr.Chronic), round1(tr.Ratio*100)/100
	r.Trend.DaysSinceRest, r.Trend.ReferenceMin = tr.DaysSinceRest, tr.ReferenceMin
	return r
}

func round1(v float64) float64 { return float64(int(v*10+0.5)) / 10 }
