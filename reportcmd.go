package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/core/report"
)

// runReport is `bizconnect report weekly --user USER [--week YYYY-MM-DD] [--out report.png]
// [--html report.html]`: the user's weekly report as its text, its chart written to a PNG file,
// and its email version to an HTML file (showing the chart beside it when --out is given).
func runReport(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "weekly" {
		return fmt.Errorf("usage: bizconnect report weekly --user USER [--week YYYY-MM-DD] [--out report.png] [--html report.html]")
	}
	fs := flag.NewFlagSet("report weekly", flag.ContinueOnError)
	user := fs.String("user", "", "the user: an id, or a name where it is unique")
	week := fs.String("week", "", "a day of the week to report, YYYY-MM-DD (default: the user's this week)")
	out := fs.String("out", "", "write the chart to this PNG file")
	htmlOut := fs.String("html", "", "write the email version to this HTML file")
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
	if *out != "" {
		png, err := r.Chart()
		if err != nil {
			return err
		}
		if err := os.WriteFile(*out, png, 0o644); err != nil {
			return fmt.Errorf("report weekly: %w", err)
		}
		fmt.Fprintf(stdout, "chart: %s (%d×%d)\n", *out, report.ChartWidth, report.ChartHeight)
	}
	if *htmlOut != "" {
		src := ""
		if *out != "" {
			if rel, err := filepath.Rel(filepath.Dir(*htmlOut), *out); err == nil {
				src = (&url.URL{Path: filepath.ToSlash(rel)}).String()
			}
		}
		page, err := r.HTML(src)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*htmlOut, []byte(page), 0o644); err != nil {
			return fmt.Errorf("report weekly: %w", err)
		}
		fmt.Fprintf(stdout, "email: %s\n", *htmlOut)
	}
	return nil
}
