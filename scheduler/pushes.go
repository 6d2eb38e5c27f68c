package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/robfig/cron/v3"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/chat"
	"github.com/bizconnect/bizconnect/core/load"
	"github.com/bizconnect/bizconnect/core/postgres"
	"github.com/bizconnect/bizconnect/core/report"
)

// PassJob is the planner's pass, which River's elected leader inserts every minute: however
// many instances run, one plans at a time.
type PassJob struct{}

// Kind implements core.Job.
func (PassJob) Kind() string { return "scheduler_pass" }

// NightlyJob records everyone's Business Load of the day before, once a day at noon UTC, when
// that day is over in every time zone (a user active that day had it recorded at their
// midnight already; the same figure is written again).
type NightlyJob struct{}

// Kind implements core.Job.
func (NightlyJob) Kind() string { return "scheduler_nightly" }

// CalendarPassJob is the minute's look for calendars to sync: not read for half an hour, with
// tasks changed since (time blocking), or disconnected.
type CalendarPassJob struct{}

// Kind implements river.JobArgs.
func (CalendarPassJob) Kind() string { return "scheduler_calendar" }

// CalendarSpec is when the calendar pass runs.
const CalendarSpec = "* * * * *"

// The River cron specs (robfig/cron's standard five fields, in UTC).
const (
	PassSpec    = "* * * * *"
	NightlySpec = "0 12 * * *"
)

// passName is the planner's clock row.
const passName = "pushes"

// Scheduler plans the pushes and prepares them: a pass a minute selects the users whose push
// times fall in the minutes since the last pass (and the next few, to prepare them ahead) and
// inserts one unique job per user, kind and local date; the job's worker writes the push as the
// user. River does the rest: leader election for the passes, retries, exactly-once keys.
type Scheduler struct {
	Jobs      *postgres.Jobs
	Assistant *chat.Assistant
	Loads     core.LoadSnapshots // for the nightly record; nil: none
	Config    Config
	Metrics   *Metrics
	NowFunc   func() time.Time
	Logger    *slog.Logger
	// CalendarPass asks for the syncs of the calendars due (core.CalendarSyncJob); nil: none here.
	CalendarPass func(ctx context.Context) error
	// ReportMail mails a weekly report (the weekly push schedules it); nil: no mail here, and
	// the job is done.
	ReportMail func(ctx context.Context, j report.MailJob) error
}

func (s *Scheduler) now() time.Time {
	if s.NowFunc != nil {
		return s.NowFunc()
	}
	return time.Now()
}

// Workers are the scheduler's River workers, for postgres.NewJobs.
func (s *Scheduler) Workers() []postgres.Worker {
	return []postgres.Worker{
		postgres.Work(func(ctx context.Context, _ PassJob) error {
			_, err := s.RunPass(ctx)
			return err
		}),
		postgres.Work(func(ctx context.Context, j chat.PushJob) error {
			out, err := s.Assistant.RunPushJob(ctx, j)
			s.Metrics.done(j.What, out, s.now().Sub(j.Due))
			return err
		}),
		postgres.Work(func(ctx context.Context, j chat.TeamReportJob) error {
			out, err := s.Assistant.RunTeamReportJob(ctx, j)
			s.Metrics.done(chat.PushTeamWeekly, out, s.now().Sub(j.Due))
			return err
		}),
		postgres.Work(func(ctx context.Context, j core.ReminderJob) error {
			out, err := s.Assistant.RunReminderJob(ctx, j, s.Config.reminderGrace())
			s.Metrics.done(chat.PushReminder, out, s.now().Sub(j.Due))
			return err
		}),
		postgres.Work(func(ctx context.Context, j report.MailJob) error {
			if s.ReportMail == nil || !j.Until.IsZero() && s.now().After(j.Until) {
				return nil
			}
			return s.ReportMail(ctx, j)
		}),
		postgres.Work(func(ctx context.Context, _ CalendarPassJob) error {
			if s.CalendarPass == nil {
				return nil
			}
			return s.CalendarPass(ctx)
		}),
		postgres.Work(func(ctx context.Context, _ NightlyJob) error {
			_, err := s.RunNightly(ctx)
			return err
		}),
	}
}

// Periodic are the scheduler's periodic jobs, for postgres.JobsConfig.
func Periodic() []*river.PeriodicJob {
	every := func(spec string, job river.JobArgs, onStart bool) *river.PeriodicJob {
		sched, err := cron.ParseStandard(spec)
		if err != nil {
			panic(fmt.Sprintf("scheduler: cron spec %q: %v", spec, err)) // a constant
		}
		return river.NewPeriodicJob(sched, func() (river.JobArgs, *river.InsertOpts) {
			return job, &river.InsertOpts{Queue: postgres.PushQueue, Priority: 1, MaxAttempts: 3}
		}, &river.PeriodicJobOpts{ID: job.Kind(), RunOnStart: onStart})
	}
	return []*river.PeriodicJob{every(PassSpec, PassJob{}, true), every(NightlySpec, NightlyJob{}, false), every(CalendarSpec, CalendarPassJob{}, false)}
}

// RunPass plans the pushes due since the last pass up to now and the next Ahead minutes. For
// users who changed their settings since the last pass it looks again at the minute behind and
// the minutes planned ahead: a time chosen meanwhile for the next minute still comes (a push
// planned already is not planned twice: its job is unique). It returns what it planned anew
// and what it skipped.
func (s *Scheduler) RunPass(ctx context.Context) (Plan, error) {
	now := s.now()
	var p Plan
	ahead := s.Config.ahead()
	fresh, err := s.Jobs.Pass(ctx, passName, now.Add(-time.Minute), now.Add(ahead), ahead+time.Minute,
		func(since, until time.Time, users []core.User, changed []bool, teams []core.TeamReporter) []core.Job {
			p = PlanPushes(users, since, until, now, s.Config)
			p.PlanTeamReports(teams, since, until, now, s.Config)
			var again []core.User
			for i, c := range changed {
				if c {
					again = append(again, users[i])
				}
			}
			var teamsAgain []core.TeamReporter
			for _, t := range teams {
				if t.Changed {
					teamsAgain = append(teamsAgain, t)
				}
			}
			if back := now.Add(-time.Minute); (len(again) > 0 || len(teamsAgain) > 0) && back.Before(since) {
				p.Jobs = append(p.Jobs, PlanPushes(again, back, since, now, s.Config).Jobs...)
				p.PlanTeamReports(teamsAgain, back, since, now, s.Config)
			}
			jobs := make([]core.Job, 0, len(p.Jobs)+len(p.Teams))
			for _, j := range p.Jobs {
				jobs = append(jobs, j)
			}
			for _, j := range p.Teams {
				jobs = append(jobs, j)
			}
			return jobs
		})
	if err != nil {
		return p, err
	}
	p.Jobs, p.Teams = p.Jobs[:0], p.Teams[:0]
	for _, j := range fresh {
		switch j := j.(type) {
		case chat.PushJob:
			p.Jobs = append(p.Jobs, j)
		case chat.TeamReportJob:
			p.Teams = append(p.Teams, j)
		}
	}
	s.Metrics.planned(p)
	if s.Logger != nil && (len(p.Jobs)+len(p.Teams) > 0 || len(p.Skipped) > 0) {
		s.Logger.Debug("scheduler: pass", "planned", len(p.Jobs)+len(p.Teams), "skipped", p.Skipped) // the metrics count them
	}
	return p, nil
}

// RunNightly records everyone's load of yesterday (UTC), which is over in every zone by noon.
func (s *Scheduler) RunNightly(ctx context.Context) (int, error) {
	if s.Loads == nil {
		return 0, nil
	}
	day := core.DateOf(s.now().UTC()).AddDays(-1)
	n, err := load.SnapshotAll(ctx, s.Loads, day, 0)
	if err == nil && s.Logger != nil {
		s.Logger.Info("scheduler: nightly load snapshot", "day", day.String(), "users", n)
	}
	return n, err
}

// Metrics count the pushes by kind: planned, and what became of them.
type Metrics struct {
	Planned  *prometheus.CounterVec   // kind
	Outcomes *prometheus.CounterVec   // kind, outcome: sent, late, skipped, duplicate, unreachable, quiet
	Lag      *prometheus.HistogramVec // kind: from the push's time to its message written (negative: ahead)
	Sent     *prometheus.HistogramVec // kind: from the push's time to the platform accepting it
}

// NewMetrics registers the scheduler's metrics on reg (nil: not registered), and the depth of
// its queues read from jobs.
func NewMetrics(reg prometheus.Registerer, jobs *postgres.Jobs) *Metrics {
	m := &Metrics{
		Planned: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bizconnect_pushes_planned_total",
			Help: "Pushes planned by the scheduler, by kind."}, []string{"kind"}),
		Outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bizconnect_pushes_total",
			Help: "Pushes worked, by kind and outcome (sent, late, skipped, duplicate, unreachable, quiet)."}, []string{"kind", "outcome"}),
		Lag: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "bizconnect_push_lag_seconds",
			Help:    "From a push's time to its message written to the outbox, by kind (prepared ahead: at most 0).",
			Buckets: []float64{-120, -60, -30, 0, 5, 30, 60, 300, 1800, 7200}}, []string{"kind"}),
		Sent: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "bizconnect_push_send_lag_seconds",
			Help:    "From a push's time to the platform accepting its message, by kind (a fan-out paced at 30/s spreads it).",
			Buckets: []float64{0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200}}, []string{"kind"}),
	}
	for _, k := range chat.PushKinds {
		m.Planned.WithLabelValues(string(k))
		for _, o := range []chat.PushOutcome{chat.PushSent, chat.PushLate, chat.PushSkipped} {
			m.Outcomes.WithLabelValues(string(k), string(o))
		}
	}
	if reg != nil {
		reg.MustRegister(m.Planned, m.Outcomes, m.Lag, m.Sent)
		if jobs != nil {
			depth := func(outbox bool) func() float64 {
				return func() float64 {
					ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
					defer cancel()
					o, q, err := jobs.PushDepth(ctx)
					if err != nil {
						return -1
					}
					if outbox {
						return float64(o)
					}
					return float64(q)
				}
			}
			reg.MustRegister(
				prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "bizconnect_push_queue_depth",
					Help: "Pushes waiting to be prepared (River's push queue)."}, depth(false)),
				prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "bizconnect_push_outbox_depth",
					Help: "Pushes written and waiting to be delivered."}, depth(true)))
		}
	}
	return m
}

func (m *Metrics) planned(p Plan) {
	if m == nil {
		return
	}
	for _, j := range p.Jobs {
		m.Planned.WithLabelValues(string(j.What)).Inc()
	}
	m.Planned.WithLabelValues(string(chat.PushTeamWeekly)).Add(float64(len(p.Teams)))
	for kind, n := range p.Skipped {
		m.Outcomes.WithLabelValues(string(kind), string(chat.PushSkipped)).Add(float64(n))
	}
}

// Delivered observes a push the platform accepted, lag after its time; replies are not pushes.
func (m *Metrics) Delivered(p core.Pending, now time.Time) {
	if m == nil || p.Push == "" || p.Due.IsZero() {
		return
	}
	m.Sent.WithLabelValues(p.Push).Observe(now.Sub(p.Due).Seconds())
}

func (m *Metrics) done(kind chat.PushKind, out chat.PushOutcome, lag time.Duration) {
	if m == nil || out == "" {
		return
	}
	m.Outcomes.WithLabelValues(string(kind), string(out)).Inc()
	if out == chat.PushSent || out == chat.PushLate {
		m.Lag.WithLabelValues(string(kind)).Observe(lag.Seconds())
	}
}
