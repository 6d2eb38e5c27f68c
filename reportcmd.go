package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/core/report"
)

// runReport is `bizconnect report weekly --user USER [--week YYYY-MM-DD] [--out report.png]`: the
// user's weekly report as its text, and its chart written to a file.
func runReport(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "weekly" {
		return fmt.Errorf("usage: bizconnect report weekly --user USER [--week YYYY-MM-DD] [--out report.png]")
	}
	fs := flag.NewFlagSet("report weekly", flag.ContinueOnError)
	user := fs.String("user", "", "the user: an id, or a name where it is unique")
	week := fs.String("week", "", "a day of the week to report, YYYY-MM-DD (default: the user's this week)")
	out := fs.String("out", "", "write the chart to this PNG file")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *user == "" {
		return fmt.Errorf("report weekly: --user is required")
	}
	var day core.Date
	if *week != "" {
		var err error
		if day, err = core.ParseDate(*week); err != nil {
			return fmt.Errorf("report weekly: --week: %w", err)
		}
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	id, err := postgres.NewLoads(db).FindUser(ctx, *user)
	if err != nil {
		return err
	}
	var r *report.Weekly
	err = postgres.NewStore(db).InUser(ctx, id, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if day.IsZero() {
			day = core.Today(tx, u)
		}
		r, err = report.Build(ctx, tx, u, day)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, r.Text().String())
	if *out == "" {
		return nil
	}
	png, err := r.Chart()
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, png, 0o644); err != nil {
		return fmt.Errorf("report weekly: %w", err)
	}
	fmt.Fprintf(stdout, "chart: %s (%d×%d)\n", *out, report.ChartWidth, report.ChartHeight)
	return nil
}
