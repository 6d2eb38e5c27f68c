package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/bizconnect/bizconnect/core"
)

// Jobs runs River jobs: scheduled in a user's transaction (Tx.Later) and worked on a pool of
// its own, as service_role, the only role that may use River's schema. Retries, backoff, unique
// jobs and rescuing the jobs of a crashed worker are River's.
type Jobs struct {
	db     *DB
	pool   *pgxpool.Pool
	client *river.Client[pgx.Tx]
	work   bool
}

// Worker handles one kind of job (see Work).
type Worker func(ws *river.Workers)

// JobsConfig says how a process takes part in the jobs.
type JobsConfig struct {
	// Work runs the workers here; false only schedules jobs, for others to work.
	Work bool
	// Concurrency is how many jobs run at once (default 20): LLM calls wait on the network.
	Concurrency int
	// Timeout bounds one attempt (default 3 minutes).
	Timeout time.Duration
	// Poll is how often idle workers look for jobs they were not told of (default 1 s).
	Poll time.Duration
	// PushWorkers is how many pushes are prepared at once (default 10), apart from Concurrency.
	PushWorkers int
	// HookWorkers is how many webhook deliveries are made at once (default 50): each waits on a
	// receiver.
	HookWorkers int
	// Periodic are the jobs River's elected leader inserts on their schedules (the scheduler's
	// passes): one instance at a time, however many run.
	Periodic []*river.PeriodicJob
	Logger   *slog.Logger
}

// Work is a worker of jobs of type T, which fn does: a core.Job is River's job arguments as it
// stands (its JSON, under its kind). An error is retried with River's backoff, up to 5
// attempts; fn must be safe to run again.
func Work[T core.Job](fn func(ctx context.Context, job T) error) Worker {
	return func(ws *river.Workers) {
		river.AddWorker(ws, river.WorkFunc(func(ctx context.Context, j *river.Job[T]) error {
			return fn(ctx, j.Args)
		}))
	}
}

// WorkRetrying is Work whose failed attempts come back when next says, given the attempt that
// failed (counting from 1) and when, instead of River's default backoff.
func WorkRetrying[T core.Job](fn func(ctx context.Context, job T, attempt int) error, next func(attempt int, failedAt time.Time) time.Time) Worker {
	return func(ws *river.Workers) {
		river.AddWorker(ws, &retryingWorker[T]{fn: fn, next: next})
	}
}

type retryingWorker[T core.Job] struct {
	river.WorkerDefaults[T]
	fn   func(ctx context.Context, job T, attempt int) error
	next func(attempt int, failedAt time.Time) time.Time
}

func (w *retryingWorker[T]) Work(ctx context.Context, j *river.Job[T]) error {
	return w.fn(ctx, j.Args, j.Attempt)
}

func (w *retryingWorker[T]) NextRetry(j *river.Job[T]) time.Time {
	return w.next(j.Attempt, time.Now())
}

// insertOpts make a job unique while it waits, runs or waits to be retried, by its fields tagged
// `river:"unique"` (all of them when none is): a second tap of the same button while the first is
// being worked on is not a second LLM call, and once it is done the same request is new again.
var insertOpts = river.InsertOpts{Queue: jobQueue, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true,
	ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}

const jobQueue = "jobs"

// NewJobs starts a pool of a few connections as service_role for River and makes its client
// with workers. Start runs them.
func NewJobs(ctx context.Context, db *DB, cfg JobsConfig, workers ...Worker) (*Jobs, error) {
	pc := db.pool.Config().Copy()
	pc.MaxConns = 4
	pc.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Exec(ctx, `SET ROLE service_role`)
		return err
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("postgres: jobs pool: %w", err)
	}
	ws := river.NewWorkers()
	for _, w := range workers {
		w(ws)
	}
	rc := &river.Config{
		Schema:            RiverSchema,
		Workers:           ws,
		Logger:            cfg.Logger,
		JobTimeout:        cfg.Timeout,
		FetchPollInterval: cfg.Poll,
		// a queue fetches at most its free workers' worth each cooldown: River's 100 ms held 50
		// webhook workers to 500 deliveries a second however fast the receivers answer
		FetchCooldown: 25 * time.Millisecond,
	}
	if rc.JobTimeout == 0 {
		rc.JobTimeout = 3 * time.Minute
	}
	if rc.Logger == nil {
		rc.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Work {
		n := cfg.Concurrency
		if n <= 0 {
			n = 20
		}
		rc.Queues = map[string]river.QueueConfig{jobQueue: {MaxWorkers: n}, PushQueue: {MaxWorkers: cmp.Or(cfg.PushWorkers, 10)},
			HookQueue: {MaxWorkers: cmp.Or(cfg.HookWorkers, 50)}}
		rc.PeriodicJobs = cfg.Periodic
	}
	client, err := river.NewClient(riverpgxv5.New(pool), rc)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: jobs: %w", err)
	}
	return &Jobs{db: db, pool: pool, client: client, work: cfg.Work}, nil
}

// Client is River's client, for River's own tools (its web UI).
func (j *Jobs) Client() *river.Client[pgx.Tx] { return j.client }

// Start works jobs until Stop (a client that only schedules has nothing to start).
func (j *Jobs) Start(ctx context.Context) error {
	if !j.work {
		return nil
	}
	return j.client.Start(ctx)
}

// Stop lets running jobs finish until ctx ends, then cancels them (River runs them again
// later), and closes the pool.
func (j *Jobs) Stop(ctx context.Context) error {
	var err error
	if j.work {
		if err = j.client.Stop(ctx); ctx.Err() != nil {
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			err = j.client.StopAndCancel(cctx)
			cancel()
		}
	}
	j.pool.Close()
	return err
}

// Later implements core.Tx: River inserts the job through the transaction's own connection, as
// service_role for that one statement. The role switches and River's notification of the
// insert are deferred, so the insert is the only round trip it adds.
func (t *tx) Later(ctx context.Context, job core.Job) (bool, error) {
	if t.jobs == nil {
		return false, fmt.Errorf("postgres: later: %w", core.ErrNoJobs)
	}
	t.deferred.Queue(setRoleSQL, "service_role", "")
	opts := insertOpts
	if s, ok := job.(core.Scheduled); ok {
		opts.ScheduledAt = s.RunAt()
	}
	res, err := t.jobs.client.InsertTx(ctx, riverTx{t}, job, &opts)
	t.deferred.Queue(setRoleSQL, "authenticated", claimsOf(t.user.ID, "authenticated"))
	if err != nil {
		return false, fmt.Errorf("postgres: schedule %s: %w", job.Kind(), err)
	}
	return !res.UniqueSkippedAsDuplicate, nil
}

// riverTx is the user's transaction as River's driver sees it: statements go through the
// deferred writes; Exec, which River uses only for statements whose result it ignores (the
// insert notification), is deferred too. It can't begin, commit or roll back: the transaction
// is the store's.
type riverTx struct{ t *tx }

var _ pgx.Tx = riverTx{}

var errNotRiversTx = errors.New("postgres: the transaction is the store's")

func (r riverTx) Begin(context.Context) (pgx.Tx, error) { return nil, errNotRiversTx }
func (r riverTx) Commit(context.Context) error          { return errNotRiversTx }
func (r riverTx) Rollback(context.Context) error        { return errNotRiversTx }
func (r riverTx) CopyFrom(context.Context, pgx.Identifier, []string, pgx.CopyFromSource) (int64, error) {
	return 0, errNotRiversTx
}
func (r riverTx) LargeObjects() pgx.LargeObjects { return pgx.LargeObjects{} }
func (r riverTx) Prepare(context.Context, string, string) (*pgconn.StatementDescription, error) {
	return nil, errNotRiversTx
}
func (r riverTx) Conn() *pgx.Conn { return r.t.conn }

func (r riverTx) Exec(_ context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	r.t.deferred.Queue(sql, args...)
	return pgconn.CommandTag{}, nil
}

func (r riverTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return r.t.q.Query(ctx, sql, args...)
}

func (r riverTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return r.t.q.QueryRow(ctx, sql, args...)
}

func (r riverTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return r.t.q.SendBatch(ctx, b)
}

// Idle waits until no job is waiting or running, or ctx ends. A job scheduled for later than a
// minute from now (a day's end) doesn't count: it isn't work of the moment.
func (j *Jobs) Idle(ctx context.Context) error {
	for {
		var busy bool
		err := j.pool.QueryRow(ctx, `SELECT EXISTS (SELECT FROM `+RiverSchema+`.river_job
			WHERE state IN ('available', 'pending', 'running')
			   OR state IN ('retryable', 'scheduled') AND scheduled_at < now() + interval '1 minute')`).Scan(&busy)
		if err != nil || !busy {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Enqueue schedules jobs now, each unique while it waits or runs (as Tx.Later schedules them);
// it returns how many are new.
func (j *Jobs) Enqueue(ctx context.Context, jobs ...core.Job) (int, error) {
	if len(jobs) == 0 {
		return 0, nil
	}
	params := make([]river.InsertManyParams, len(jobs))
	for i, job := range jobs {
		params[i] = river.InsertManyParams{Args: job, InsertOpts: &insertOpts}
	}
	res, err := j.client.InsertMany(ctx, params)
	if err != nil {
		return 0, fmt.Errorf("postgres: enqueue: %w", err)
	}
	n := 0
	for _, r := range res {
		if !r.UniqueSkippedAsDuplicate {
			n++
		}
	}
	return n, nil
}
