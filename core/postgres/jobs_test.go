package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/coretest"
	"github.com/bizconnect/bizconnect/core/postgres"
)

type echoJob struct {
	N    int    `json:"n" river:"unique"`
	Note string `json:"note"`
}

func (echoJob) Kind() string { return "test_echo" }

// startJobs starts workers of echoJob that send what they got to the channel returned.
func startJobs(t *testing.T, db *coretest.TestDB, work bool) (*postgres.Jobs, chan echoJob) {
	t.Helper()
	got := make(chan echoJob, 16)
	jobs, err := postgres.NewJobs(context.Background(), db.DB, postgres.JobsConfig{Work: work, Poll: 200 * time.Millisecond},
		postgres.Work(func(ctx context.Context, j echoJob) error { got <- j; return nil }))
	if err != nil {
		t.Fatal(err)
	}
	if err := jobs.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		jobs.Stop(ctx) //nolint:errcheck // the test is over
	})
	return jobs, got
}

func wantJob(t *testing.T, got chan echoJob, want echoJob) {
	t.Helper()
	select {
	case j := <-got:
		if j != want {
			t.Fatalf("worked %+v, want %+v", j, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("job %+v never worked", want)
	}
}

// TestJobsAreScheduledInTheUsersTransaction: a job scheduled in a user's transaction exists only
// if it commits, runs once on a worker, and leaves the transaction acting as the user.
func TestJobsAreScheduledInTheUsersTransaction(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	jobs, got := startJobs(t, db, true)
	store := postgres.NewStore(db.DB).WithJobs(jobs)
	anna := coretest.User(t, db, coretest.UserOpts{Name: "Anna"})

	err := store.InUser(ctx, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if err := tx.CreateTask(ctx, &core.Task{UserID: u.ID, Title: "позвонить"}); err != nil {
			return err
		}
		if _, err := tx.Later(ctx, echoJob{N: 1, Note: "committed"}); err != nil {
			return err
		}
		// still Anna: River's insert ran as service_role for its one statement
		var role, sub string
		if err := postgres.RawTx(tx).QueryRow(ctx, `SELECT current_user, auth.uid()::text`).Scan(&role, &sub); err != nil {
			return err
		}
		if role != "authenticated" || sub != anna.String() {
			t.Errorf("after Later the transaction runs as %s (%s), want authenticated (%s)", role, sub, anna)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wantJob(t, got, echoJob{N: 1, Note: "committed"})

	boom := errors.New("boom")
	err = store.InUser(ctx, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if _, err := tx.Later(ctx, echoJob{N: 2, Note: "rolled back"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if err := store.InUser(ctx, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		_, err := tx.Later(ctx, echoJob{N: 3, Note: "after"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	wantJob(t, got, echoJob{N: 3, Note: "after"}) // the rolled-back one never came first
	if n := db.Scalar(t, `SELECT count(*) FROM river.river_job WHERE kind = 'test_echo'`); n != "2" {
		t.Errorf("%s jobs stored, want 2 (the rolled-back one is not)", n)
	}
	if n := db.Scalar(t, `SELECT count(*) FROM tasks`); n != "1" {
		t.Errorf("%s tasks, want 1", n)
	}
}

// TestUsersCannotReachRiversTables: River's schema is service_role's alone; a user's transaction
// reaches it only through Later.
func TestUsersCannotReachRiversTables(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	anna := coretest.User(t, db, coretest.UserOpts{Name: "Anna"})
	err := db.TryAs(anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		_, err := postgres.RawTx(tx).Exec(ctx, `SELECT count(*) FROM river.river_job`)
		return err
	})
	if err == nil {
		t.Error("a user read River's jobs")
	}
	if err := db.TryAs(anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		_, err := tx.Later(ctx, echoJob{})
		return err
	}); err == nil {
		t.Error("a store without jobs scheduled one")
	}
}

// TestDuplicateJobsAreNotScheduledTwice: the same job asked for twice while the first waits is
// one job (River's unique jobs).
func TestDuplicateJobsAreNotScheduledTwice(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	jobs, _ := startJobs(t, db, false) // schedules only: the jobs wait
	store := postgres.NewStore(db.DB).WithJobs(jobs)
	anna := coretest.User(t, db, coretest.UserOpts{Name: "Anna"})
	for i := range 3 {
		if err := store.InUser(ctx, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
			fresh, err := tx.Later(ctx, echoJob{N: 7, Note: fmt.Sprint("tap ", i)}) // the note differs, N is the job
			if fresh != (i == 0) {
				t.Errorf("tap %d: scheduled %v", i, fresh)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if n := db.Scalar(t, `SELECT count(*) FROM river.river_job WHERE kind = 'test_echo'`); n != "1" {
		t.Errorf("%s jobs for three taps, want 1", n)
	}
}

// TestLaterAddsOneRoundTrip counts what a message's transaction sends to PostgreSQL (statements
// and batches, each one round trip) with and without a job: the job adds one.
func TestLaterAddsOneRoundTrip(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	counted, trips := postgres.OpenCounting(t, db.URL)
	jobs, _ := startJobs(t, db, false)
	store := postgres.NewStore(counted).WithJobs(jobs)
	anna := coretest.User(t, db, coretest.UserOpts{Name: "Anna"})
	run := func(later bool) int64 {
		before := trips.Load()
		if err := store.InUser(ctx, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
			if _, err := tx.FindTasks(ctx, core.TaskFilter{OpenOnly: true}); err != nil {
				return err
			}
			if err := tx.CreateTask(ctx, &core.Task{UserID: u.ID, Title: "позвонить"}); err != nil {
				return err
			}
			if later {
				if _, err := tx.Later(ctx, echoJob{N: int(before)}); err != nil {
					return err
				}
			}
			return tx.SaveDialog(ctx, "c", []byte(`{}`))
		}); err != nil {
			t.Fatal(err)
		}
		return trips.Load() - before
	}
	run(true) // warm: River learns the server's version once per process
	without, with := run(false), run(true)
	if with-without > 1 {
		t.Errorf("a job costs %d round trips (%d without, %d with), want at most 1", with-without, without, with)
	}
	t.Logf("round trips: %d without a job, %d with", without, with)
}

// BenchmarkMessageTransaction is a message's transaction (read the open tasks, add one, save the
// dialog) without and with a job scheduled in it; BenchmarkRoundTrip is the yardstick.
func BenchmarkMessageTransaction(b *testing.B) {
	for _, later := range []bool{false, true} {
		b.Run(map[bool]string{false: "plain", true: "with-job"}[later], func(b *testing.B) {
			db := coretest.NewDB(b) // each its own, so both read tables of the same size
			ctx := context.Background()
			jobs, err := postgres.NewJobs(ctx, db.DB, postgres.JobsConfig{}, postgres.Work(func(context.Context, echoJob) error { return nil }))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { jobs.Stop(ctx) }) //nolint:errcheck // the benchmark is over
			store := postgres.NewStore(db.DB).WithJobs(jobs)
			anna := coretest.User(b, db, coretest.UserOpts{Name: "Anna"})
			b.ResetTimer()
			for i := range b.N {
				if err := store.InUser(ctx, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
					if _, err := tx.FindTasks(ctx, core.TaskFilter{OpenOnly: true, Limit: 5}); err != nil {
						return err
					}
					if err := tx.CreateTask(ctx, &core.Task{UserID: u.ID, Title: "позвонить"}); err != nil {
						return err
					}
					if later {
						if _, err := tx.Later(ctx, echoJob{N: i}); err != nil {
							return err
						}
					}
					return tx.SaveDialog(ctx, "c", []byte(`{}`))
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestFailedDeferredWriteNeverCommits: a deferred write the database refuses surfaces at the next
// statement, and the transaction can't commit even if the caller goes on.
func TestFailedDeferredWriteNeverCommits(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	ctx := context.Background()
	store := postgres.NewStore(db.DB)
	anna := coretest.User(t, db, coretest.UserOpts{Name: "Anna"})
	err := store.InUser(ctx, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if err := tx.CreateTask(ctx, &core.Task{UserID: u.ID, Title: "позвонить"}); err != nil {
			return err
		}
		if err := tx.SaveDialog(ctx, "c", []byte(`{not json`)); err != nil { // refused when it runs
			return err
		}
		if _, err := tx.FindTasks(ctx, core.TaskFilter{OpenOnly: true}); err == nil {
			t.Error("the statement after a refused write succeeded")
		}
		return nil // a careless caller carries on
	})
	if err == nil {
		t.Fatal("the transaction committed after a refused write")
	}
	if n := db.Scalar(t, `SELECT count(*) FROM tasks`); n != "0" {
		t.Errorf("%s tasks committed", n)
	}
}
