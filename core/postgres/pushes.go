package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/bizconnect/bizconnect/core"
)

// PushQueue is the River queue of scheduled pushes, apart from the jobs that follow up a
// message: a morning fan-out never holds up an answer the user waits for.
const PushQueue = "pushes"

// pushOpts make a push unique by its fields tagged `river:"unique"` in every state but
// discarded: a pass that plans it again, even after it ran, inserts nothing.
var pushOpts = river.InsertOpts{Queue: PushQueue, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true}}

// pushBatch is how many jobs one insert statement carries.
const pushBatch = 1000

// PlanFunc returns the jobs due in (since, until] for the users who can be written to and the
// teams whose report goes to a channel; changed[i] says users[i] changed their settings in the
// lookback before since.
type PlanFunc func(since, until time.Time, users []core.User, changed []bool, teams []core.TeamReporter) []core.Job

// Pass runs one pass of the planner called name up to until. The planner's clock row is locked
// for the pass, so a second instance running the same pass waits and then finds nothing left
// to plan; the jobs are inserted with the clock's move, in one transaction, so a crash loses
// neither and repeats nothing. The first pass ever starts at first. It returns the jobs it
// inserted: a job planned before (windows may overlap) is not inserted again.
func (j *Jobs) Pass(ctx context.Context, name string, first, until time.Time, lookback time.Duration, plan PlanFunc) (inserted []core.Job, err error) {
	var since time.Time
	err = j.db.InServiceTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO scheduler_passes (name, ran_until) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, name, first); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT ran_until FROM scheduler_passes WHERE name = $1 FOR UPDATE`, name).Scan(&since); err != nil {
			return err
		}
		if !since.Before(until) {
			return nil // another instance planned it
		}
		users, changed, err := reachableUsers(ctx, tx, since.Add(-lookback))
		if err != nil {
			return err
		}
		teams, err := reportingTeams(ctx, tx, since.Add(-lookback))
		if err != nil {
			return err
		}
		jobs := plan(since, until, users, changed, teams)
		for len(jobs) > 0 {
			n := min(len(jobs), pushBatch)
			params := make([]river.InsertManyParams, n)
			for i, job := range jobs[:n] {
				opts := pushOpts
				if s, ok := job.(core.Scheduled); ok {
					opts.ScheduledAt = s.RunAt()
				}
				params[i] = river.InsertManyParams{Args: job, InsertOpts: &opts}
			}
			res, err := j.client.InsertManyTx(ctx, tx, params)
			if err != nil {
				return fmt.Errorf("insert pushes: %w", err)
			}
			for i, r := range res {
				if !r.UniqueSkippedAsDuplicate {
					inserted = append(inserted, jobs[i])
				}
			}
			jobs = jobs[n:]
		}
		_, err = tx.Exec(ctx, `UPDATE scheduler_passes SET ran_until = $2 WHERE name = $1`, name, until)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: plan %s: %w", name, err)
	}
	return inserted, nil
}

// reachableUsers are the users who have a chat with the bot and haven't blocked it, and
// whether each changed after changedAfter.
func reachableUsers(ctx context.Context, tx pgx.Tx, changedAfter time.Time) ([]core.User, []bool, error) {
	rows, err := tx.Query(ctx, `SELECT `+userColumns+`, u.updated_at > $1 FROM users u
		WHERE u.unreachable_at IS NULL AND EXISTS (SELECT FROM identities i WHERE i.user_id = u.id)`, changedAfter)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var users []core.User
	var changed []bool
	for rows.Next() {
		var u core.User
		var c bool
		if err := scanUser(rows, &u, &c); err != nil {
			return nil, nil, err
		}
		users, changed = append(users, u), append(changed, c)
	}
	return users, changed, rows.Err()
}

// reportingTeams are the teams with a live report channel, each with its reporter (the owner,
// else the first admin, else the first member), and whether either changed after changedAfter.
func reportingTeams(ctx context.Context, tx pgx.Tx, changedAfter time.Time) ([]core.TeamReporter, error) {
	rows, err := tx.Query(ctx, `SELECT DISTINCT ON (t.id) `+userColumns+`, t.updated_at > $1 OR u.updated_at > $1 OR m.joined_at > $1, t.id
		FROM teams t JOIN team_members m ON m.team_id = t.id JOIN users u ON u.id = m.user_id
		WHERE coalesce(t.report_channel, '') <> '' AND t.disabled_at IS NULL AND t.bot_token IS NOT NULL
		ORDER BY t.id, m.role, m.joined_at, u.id`, changedAfter) // team_role sorts owner, admin, member
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var teams []core.TeamReporter
	for rows.Next() {
		var r core.TeamReporter
		if err := scanUser(rows, &r.Reporter, &r.Changed, &r.Team); err != nil {
			return nil, err
		}
		teams = append(teams, r)
	}
	return teams, rows.Err()
}

// PushDepth is how many pushes wait in the outbox and in the push queue, for the metrics.
func (j *Jobs) PushDepth(ctx context.Context) (outbox, queued int, err error) {
	err = j.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM public.outbox WHERE status = 'pending' AND priority = 1),
		(SELECT count(*) FROM `+RiverSchema+`.river_job WHERE queue = $1 AND state IN ('available', 'scheduled', 'retryable', 'running'))`,
		PushQueue).Scan(&outbox, &queued)
	return outbox, queued, err
}
