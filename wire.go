package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/bizconnect/bizconnect/core/chat"
	"github.com/bizconnect/bizconnect/core/nlu"
	"github.com/bizconnect/bizconnect/core/openai"
	"github.com/bizconnect/bizconnect/core/postgres"
)

// newAssistant builds the conversational core on db with the offline understanding, the LLM
// when configured, and the jobs it schedules (LLM plans and readings, the load record at the end
// of a day the user was active); Run the jobs to work them here.
func newAssistant(cfg Config, db *postgres.DB, logger *slog.Logger) (*chat.Assistant, *postgres.Jobs, error) {
	var a *chat.Assistant
	// Every instance works the jobs (an LLM job gives its whole LLM call a minute more); without a
	// key no LLM job is ever scheduled.
	jobs, err := postgres.NewJobs(context.Background(), db, postgres.JobsConfig{Work: true, Logger: riverLogger(logger),
		Timeout: cfg.OpenAI.Timeout + time.Minute},
		postgres.Work(func(ctx context.Context, j chat.PlanJob) error { return a.RunPlanJob(ctx, j) }),
		postgres.Work(func(ctx context.Context, j chat.UnderstandJob) error { return a.RunUnderstandJob(ctx, j) }),
		postgres.Work(func(ctx context.Context, j chat.AdviceJob) error { return a.RunAdviceJob(ctx, j) }),
		postgres.Work(func(ctx context.Context, j chat.ExplainJob) error { return a.RunExplainJob(ctx, j) }),
		postgres.Work(func(ctx context.Context, j chat.DayEndJob) error { return a.RunDayEndJob(ctx, j) }))
	if err != nil {
		return nil, nil, err
	}
	a = chat.NewAssistant(chat.AssistantOptions{
		Store:        postgres.NewStore(db).WithJobs(jobs),
		Understander: nlu.Understander{},
		DefaultTZ:    cfg.DefaultTZ.String(),
		Logger:       logger,
		LLM:          openai.New(cfg.OpenAI),
	})
	return a, jobs, nil
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
