package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/admin"
	"github.com/bizconnect/bizconnect/core/chat"
	"github.com/bizconnect/bizconnect/core/load"
	"github.com/bizconnect/bizconnect/core/postgres"
)

const adminUsage = `usage:
  bizconnect admin create-key --scopes read,write,broadcast,webhooks [--expires 90d] [--name NAME]
  bizconnect admin revoke-key ID|PREFIX
  bizconnect admin list-keys`

// runAdmin is `bizconnect admin`: the admin API's keys, made, listed and revoked where only an
// operator with the database reaches.
func runAdmin(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", adminUsage)
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	store := postgres.NewAdmin(db, nil)
	switch args[0] {
	case "create-key":
		fs := flag.NewFlagSet("admin create-key", flag.ContinueOnError)
		scopes := fs.String("scopes", "", "what the key may do: "+strings.Join(admin.Scopes, ","))
		expires := fs.String("expires", "", "how long it works: 90d, 12h… (default: until revoked)")
		name := fs.String("name", "", "who or what uses it (default: admin key and the date)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		k := admin.Key{Name: *name}
		if k.Scopes, err = parseScopes(*scopes); err != nil {
			return err
		}
		if *expires != "" {
			d, err := parseLifetime(*expires)
			if err != nil {
				return err
			}
			at := time.Now().Add(d)
			k.ExpiresAt = &at
		}
		if k.Name == "" {
			k.Name = "admin key " + time.Now().UTC().Format("2006-01-02")
		}
		var key string
		key, k.Prefix, k.Hash = admin.NewKey()
		if k, err = store.CreateKey(ctx, k); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s\n\nThe key %s (%s; scopes %s) is shown only now: keep it in a secret store.\n",
			key, k.ID, k.Name, strings.Join(k.Scopes, ","))
		return nil
	case "revoke-key":
		if len(args) != 2 {
			return fmt.Errorf("%s", adminUsage)
		}
		ok, err := store.RevokeKey(ctx, args[1])
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("admin: no key %q that is not revoked already", args[1])
		}
		fmt.Fprintf(stdout, "revoked %s\n", args[1])
		return nil
	case "list-keys":
		keys, err := store.Keys(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tPREFIX\tNAME\tSCOPES\tEXPIRES\tLAST USED\tSTATE")
		for _, k := range keys {
			state := "active"
			switch {
			case k.RevokedAt != nil:
				state = "revoked"
			case k.ExpiresAt != nil && time.Now().After(*k.ExpiresAt):
				state = "expired"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Prefix, k.Name, strings.Join(k.Scopes, ","), when(k.ExpiresAt), when(k.LastUsedAt), state)
		}
		return w.Flush()
	default:
		return fmt.Errorf("%s", adminUsage)
	}
}

func parseScopes(s string) ([]string, error) {
	var out []string
	for _, sc := range strings.Split(s, ",") {
		sc = strings.TrimSpace(sc)
		if sc == "" {
			continue
		}
		if !slices.Contains(admin.Scopes, sc) {
			return nil, fmt.Errorf("admin: no scope %q; the scopes are %s", sc, strings.Join(admin.Scopes, ","))
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("admin: --scopes is needed, some of %s", strings.Join(admin.Scopes, ","))
	}
	return out, nil
}

// parseLifetime reads 90d, 12h, 30m (days are 24 hours).
func parseLifetime(s string) (time.Duration, error) {
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		n, err = strconv.Atoi(days)
		d = time.Duration(n) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 || d > 10*365*24*time.Hour {
		return 0, fmt.Errorf("admin: --expires %q: a lifetime such as 90d or 12h, up to ten years", s)
	}
	return d, nil
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// adminJobs are the jobs the admin API runs: the scheduler's own, started now.
type adminJobs struct {
	db   *postgres.DB
	jobs *postgres.Jobs
}

var _ admin.Jobs = adminJobs{}

// WeeklyReport implements admin.Jobs: the user's weekly report push, dated their today (so at
// most once a day, and not beside the scheduled one of that day).
func (j adminJobs) WeeklyReport(ctx context.Context, user uuid.UUID) (bool, error) {
	var today core.Date
	err := postgres.NewStore(j.db).InUser(ctx, user, func(ctx context.Context, tx core.Tx, u *core.User) error {
		today = core.Today(tx, u)
		return nil
	})
	if err != nil {
		return false, err
	}
	now := time.Now()
	return j.jobs.PushNow(ctx, chat.PushJob{User: user, What: chat.PushWeekly, Date: today, Due: now, Until: now.Add(time.Hour)})
}

// RecomputeLoad implements admin.Jobs.
func (j adminJobs) RecomputeLoad(ctx context.Context, day core.Date) (int, error) {
	return load.SnapshotAll(ctx, postgres.NewLoads(j.db), day, 1000)
}
