package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/bizconnect/bizconnect/core/chat"
	"github.com/bizconnect/bizconnect/core/nlu"
	"github.com/bizconnect/bizconnect/core/openai"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/scheduler"
	"github.com/riverqueue/river"
)

// newAssistant builds the conversational core on db with the offline understanding, the LLM
// when configured, the jobs it schedules (LLM plans and readings, the load record at the end of
// a day the user was active, reminders) and the scheduler's pushes; Run the jobs to work them
// here.
func newAssistant(cfg Config, db *postgres.DB, logger *slog.Logger, extra ...postgres.Worker) (*chat.Assistant, *postgres.Jobs, *scheduler.Scheduler, error) {
	var a *chat.Assistant
	sched := &scheduler.Scheduler{Loads: postgres.NewLoads(db), Config: cfg.Schedule, Logger: logger}
	var periodic []*river.PeriodicJob
	if cfg.Pushes {
		periodic = scheduler.Periodic()
	}
	// Every instance works the jobs (an LLM job gives its whole LLM call a minute more); without a
	// key no LLM job is ever scheduled. River's elected leader alone inserts the periodic ones.
	workers := append([]postgres.Worker{
		postgres.Work(func(ctx context.Context, j chat.PlanJob) error { return a.RunPlanJob(ctx, j) }),
		postgres.Work(func(ctx context.Context, j chat.UnderstandJob) error { return a.RunUnderstandJob(ctx, j) }),
		postgres.Work(func(ctx context.Context, j chat.AdviceJob) error { return a.RunAdviceJob(ctx, j) }),
		postgres.Work(func(ctx context.Context, j chat.ExplainJob) error { return a.RunExplainJob(ctx, j) }),
		postgres.Work(func(ctx context.Context, j chat.DayEndJob) error { return a.RunDayEndJob(ctx, j) }),
	}, sched.Workers()...)
	workers = append(workers, extra...)
	jobs, err := postgres.NewJobs(context.Background(), db, postgres.JobsConfig{Work: true, Logger: riverLogger(logger),
		Timeout: cfg.OpenAI.Timeout + time.Minute, Periodic: periodic}, workers...)
	if err != nil {
		return nil, nil, nil, err
	}
	a = chat.NewAssistant(chat.AssistantOptions{
		Store:        postgres.NewStore(db).WithJobs(jobs),
		Understander: nlu.Understander{},
		DefaultTZ:    cfg.DefaultTZ.String(),
		Logger:       logger,
		LLM:          openai.New(cfg.OpenAI),
	})
	sched.Jobs, sched.Assistant = jobs, a
	return a, jobs, sched, nil
}

// runJobs works the jobs until ctx ends, then gives running ones 10 s to finish.
func runJobs(ctx context.Context, jobs *postgres.Jobs, logger *slog.Logger) {
	if err := jobs.Start(context.WithoutCancel(ctx)); err != nil {
		logger.Error("jobs: not started", "err", err)
		return
	}
	<-ctx.Done()
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := jobs.Stop(stop); err != nil {
		logger.Warn("jobs: stopped", "err", err)
	}
}

// riverLogger is the process's logger for River, which says at info level what is routine.
func riverLogger(logger *slog.Logger) *slog.Logger {
	return slog.New(levelAtLeast{logger.Handler(), slog.LevelWarn})
}

// levelAtLeast passes on records of level min or above.
type levelAtLeast struct {
	slog.Handler
	min slog.Level
}

func (h levelAtLeast) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h levelAtLeast) WithAttrs(as []slog.Attr) slog.Handler {
	return levelAtLeast{h.Handler.WithAttrs(as), h.min}
}

func (h levelAtLeast) WithGroup(name string) slog.Handler {
	return levelAtLeast{h.Handler.WithGroup(name), h.min}
}
