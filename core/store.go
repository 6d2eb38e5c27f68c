package core

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"
)

// IdentityRef names a user's account on a platform.
type IdentityRef struct {
	Provider    Provider
	Workspace   string
	ExternalID  string
	DisplayName string
}

// Store is the storage of user work. Everything a user does happens inside one transaction
// scoped to the user (Row Level Security applies), so an action and its replies commit or fail
// together, and the transaction carries one clock reading for everything it stamps.
type Store interface {
	// Inbound runs fn in one transaction that claims sc.Key (when not empty), finds or creates the
	// user behind sc.Identity (a new user gets sc.Defaults' name, time zone and locale), loads the
	// dialog of sc.Chat and then acts as that user. It returns false without calling fn when the
	// key was handled before.
	Inbound(ctx context.Context, sc InboundScope, fn func(ctx context.Context, tx Tx, s *Session) error) (bool, error)
	// InUser runs fn in one transaction as userID.
	InUser(ctx context.Context, userID uuid.UUID, fn func(ctx context.Context, tx Tx, u *User) error) error
	// FollowUp runs fn as userID in one transaction whose replies follow up the update key, as
	// a job finishing what the update asked does: new messages to the update's chat or its sender,
	// within a day of it.
	FollowUp(ctx context.Context, userID uuid.UUID, key string, fn func(ctx context.Context, tx Tx, u *User) error) error
}

// InboundScope says what an inbound transaction is about.
type InboundScope struct {
	Key      string
	Identity IdentityRef
	Chat     string // the conversation: its dialog state is loaded and saved
	ChatID   string // the platform's chat the update came from, where its replies may go
	Defaults User
	// PlatformRole is the user's standing in their workspace ("owner", "admin", "" for none), for
	// their role when they join its team.
	PlatformRole string
	// Private means the update came from the user's private chat with the bot: they can be
	// written to there from now on.
	Private bool
}

// Session is what an inbound transaction starts with.
type Session struct {
	User    *User
	Created bool // the user was created by this message
	// Dialog is the conversation's saved state, as the chat encoded it (nil when there is none).
	Dialog json.RawMessage
	// TeamID is the team of the identity's workspace (Slack), nil elsewhere. The user is made a
	// member on their first message from the workspace. TeamRole is their role in it.
	TeamID   *uuid.UUID
	TeamRole string
	// NoPrivateChat means the user never wrote to the bot privately, so it can't write to them
	// there (Telegram); in a group they are answered otherwise.
	NoPrivateChat bool
}

// Tx is the user-scoped unit of work: one interface per aggregate, and the transaction's clock.
type Tx interface {
	// Now is the instant the transaction began, from the store's clock: every timestamp the
	// transaction writes and every "today" it computes uses it.
	Now() time.Time
	UserStore
	DialogStore
	GoalStore
	TaskStore
	ProgressStore
	TeamStore
	ReplyStore
	PushStore
	IdempotencyStore
	ChangeStore
	LinkStore
	AdviceStore
	JobStore
	LLMStore
	CalendarStore
}

// UserStore changes the user of the transaction.
type UserStore interface {
	// UpdateUser saves the user's name, time zone, locale and settings.
	UpdateUser(ctx context.Context, u *User) error
}

// DialogStore keeps the conversation state of a chat.
type DialogStore interface {
	SaveDialog(ctx context.Context, chat string, state json.RawMessage) error
	// LoadDialog returns a chat's saved state (nil when none), locked until the transaction
	// ends, for a job that changes it while the user may be writing.
	LoadDialog(ctx context.Context, chat string) (json.RawMessage, error)
}

// Job is work a transaction asks for that runs after it commits, on a worker: an LLM call
// never runs inside the message's transaction. It is stored as JSON; Kind names its worker.
type Job interface{ Kind() string }

// Scheduled is a job that waits until its time to run.
type Scheduled interface{ RunAt() time.Time }

// ErrNoJobs is Later's error when the store schedules no jobs (a store without a job queue).
var ErrNoJobs = errors.New("this store schedules no jobs")

// JobStore schedules jobs in the transaction: a job exists only if the transaction commits.
type JobStore interface {
	// Later schedules job and reports true, or false when the same job (its kind and its fields
	// tagged `river:"unique"`, all of them when none is) is waiting or running already: a
	// second tap is not a second call.
	Later(ctx context.Context, job Job) (bool, error)
}

// LLMStore records what the LLM costs the user, for their daily token budget.
type LLMStore interface {
	RecordLLMUsage(ctx context.Context, u LLMUsage) error
	// LLMTokensSince is how many tokens the user's calls used from since on.
	LLMTokensSince(ctx context.Context, since time.Time) (int, error)
}

// LLMUsage is one LLM call of a user's.
type LLMUsage struct {
	Job                            string // the job ("goal_plan", …)
	Model                          string
	PromptVersion                  int
	PromptTokens, CompletionTokens int
	OK                             bool // the answer was used
}

// GoalStore holds goals, their milestones and their plans.
type GoalStore interface {
	CreateGoal(ctx context.Context, g *Goal) error
	// FindGoalByID returns a goal the user may see (their own, their team's, a public one), or
	// an ENOTFOUND error.
	FindGoalByID(ctx context.Context, id uuid.UUID) (Goal, error)
	FindGoals(ctx context.Context, f GoalFilter) ([]Goal, error)
	UpdateGoal(ctx context.Context, id uuid.UUID, upd GoalUpdate) (Goal, error)
	CreateMilestones(ctx context.Context, ms []Milestone) error
	FindMilestones(ctx context.Context, goalID uuid.UUID) ([]Milestone, error)
	// FindMilestoneByID returns a milestone of a goal the user may see, or an ENOTFOUND error.
	FindMilestoneByID(ctx context.Context, id uuid.UUID) (Milestone, error)
	// ListMilestones returns the milestones of the user's goals and their teams' (of any goal
	// the user may see when f.GoalID names one), newest first.
	ListMilestones(ctx context.Context, f MilestoneFilter) ([]Milestone, error)
	// UpdateMilestone changes a milestone of a goal the user manages (ENOTFOUND otherwise); it
	// is checked first (Milestone.Validate).
	UpdateMilestone(ctx context.Context, id uuid.UUID, upd MilestoneUpdate) (Milestone, error)
	// DeleteMilestone removes a milestone of a goal the user manages (ENOTFOUND otherwise); its
	// tasks stay, no longer linked to it.
	DeleteMilestone(ctx context.Context, id uuid.UUID) error
	// ReplaceMilestones removes the goal's milestones not reached yet, and the open tasks planned
	// toward them (kept, marked deleted), before a new plan's: it returns how many tasks went.
	ReplaceMilestones(ctx context.Context, goalID uuid.UUID) (int, error)
	// SavePlan stores a new version of a goal's plan with status (PlanReady: proposed, waiting
	// for the user; PlanApplied: in force, superseding the one before) and returns its id.
	SavePlan(ctx context.Context, p PlanRecord) (uuid.UUID, error)
	// FindPlan returns a plan of the user's, or an ENOTFOUND error.
	FindPlan(ctx context.Context, id uuid.UUID) (PlanRecord, error)
	// ApplyPlan marks a ready plan applied and the goal's earlier applied one superseded; false
	// when the plan is no longer ready (applied already, or replaced by a newer proposal).
	ApplyPlan(ctx context.Context, id uuid.UUID) (bool, error)
}

// PlanRecord is one version of a goal's plan (ai_plans): who made it and what it is.
type PlanRecord struct {
	ID       uuid.UUID
	GoalID   uuid.UUID
	Version  int
	Provider string // "offline" or the LLM's
	Model    string
	Input    any             // what the plan was made from (stored as JSON)
	Output   json.RawMessage // the plan (plan.Draft as JSON)
	Status   string
	// PromptTokens and CompletionTokens are what the LLM's answer cost (0 offline).
	PromptTokens, CompletionTokens int
}

// Plan statuses, as the schema's plan_status.
const (
	PlanReady      = "ready"
	PlanApplied    = "applied"
	PlanSuperseded = "superseded"
)

// TaskStore holds tasks.
type TaskStore interface {
	CreateTask(ctx context.Context, t *Task) error
	// FindTaskByID returns one of the user's tasks, or an ENOTFOUND error.
	FindTaskByID(ctx context.Context, id uuid.UUID) (Task, error)
	FindTasks(ctx context.Context, f TaskFilter) ([]Task, error)
	UpdateTask(ctx context.Context, id uuid.UUID, upd TaskUpdate) (Task, error)
}

// ProgressStore records progress: values logged on goals, and the user's days.
type ProgressStore interface {
	// AddGoalProgress records value as the user's own goal's total on date; delta is what the
	// entry added, nil when it set the total.
	AddGoalProgress(ctx context.Context, goalID uuid.UUID, date Date, value float64, delta *float64, notes string) error
	// AddTeamProgress adds delta (negative takes back) to a team goal as any member of its team
	// may, credited to the user, and returns the entry.
	AddTeamProgress(ctx context.Context, goalID uuid.UUID, date Date, delta float64) (int64, error)
	// SetTeamProgress sets a team goal's total, as only the team's owners and admins (and the
	// goal's owner) may, and returns the entry.
	SetTeamProgress(ctx context.Context, goalID uuid.UUID, date Date, value float64) (int64, error)
	// UndoTeamProgress takes back an increment, as its author or the team's admins may, and
	// returns its goal.
	UndoTeamProgress(ctx context.Context, entry int64) (uuid.UUID, error)
	// FindProgress returns an entry of a goal the user may see, or an ENOTFOUND error.
	FindProgress(ctx context.Context, entry int64) (ProgressEntry, error)
	// GoalProgress returns up to limit entries of a goal the user may see, newest first, those
	// before entry before when it is not 0.
	GoalProgress(ctx context.Context, goalID uuid.UUID, before int64, limit int) ([]ProgressEntry, error)
	SaveReflection(ctx context.Context, day Date, stress, energy *int, notes string) error
	// Reflection returns the day's stress, energy and notes (zero values when none).
	Reflection(ctx context.Context, day Date) (DailyProgress, error)
	// Reflections returns the user's recorded days from from to to (a reflection, a load), in
	// date order.
	Reflections(ctx context.Context, from, to Date) ([]DailyProgress, error)
	// SaveLoad records the day's Business Load snapshot.
	SaveLoad(ctx context.Context, day Date, value int) error
	// WorkHistory returns the user's days from from to to (in their zone) that held any work or a
	// reflection, in date order.
	WorkHistory(ctx context.Context, from, to Date) ([]DayWork, error)
	WeekStats(ctx context.Context, weekStart Date) (WeekStats, error)
	// GoalHistories returns the histories of the goals ids (those the user may see) from from on,
	// led by the last value before from, in one query.
	GoalHistories(ctx context.Context, ids []uuid.UUID, from Date) (map[uuid.UUID]GoalHistory, error)
	// Award records an achievement of the user, and reports whether it is new (earned now).
	Award(ctx context.Context, a Achievement) (bool, error)
	// Earned returns the achievements this transaction awarded (new ones only), in order.
	Earned() []Achievement
	// Achievements returns the user's achievements earned since since, oldest first.
	Achievements(ctx context.Context, since time.Time) ([]Achievement, error)
}

// TeamStore reads and changes the user's teams.
type TeamStore interface {
	// TeamRole is the user's role in team (TeamOwner, TeamAdmin, TeamMember), "" when not in it.
	TeamRole(ctx context.Context, teamID uuid.UUID) (string, error)
	// SetTeamRole gives a member of the team, named by their platform identity, a role; only
	// the team's owner may, and handing over ownership makes the owner an admin. ENOTFOUND when
	// the person is not (yet) a member.
	SetTeamRole(ctx context.Context, teamID uuid.UUID, member IdentityRef, role string) error
	// TeamWeek returns the team's name and what each member completed on its goals in the week
	// from monday and in the week before (ENOTFOUND when the user is not in the team).
	TeamWeek(ctx context.Context, teamID uuid.UUID, monday Date) (name string, week, prev []MemberWeek, err error)
	// SetReportChannel chooses the chat that receives the team's weekly report (team admins).
	SetReportChannel(ctx context.Context, teamID uuid.UUID, chat string) error
	// FindTeams returns the user's teams, by name.
	FindTeams(ctx context.Context) ([]Team, error)
	// FindTeamMembers returns the members of one of the user's teams, owner first (ENOTFOUND
	// when the user is not in it).
	FindTeamMembers(ctx context.Context, teamID uuid.UUID) ([]Member, error)
	// SetMemberRole is SetTeamRole for a member named by their user id.
	SetMemberRole(ctx context.Context, teamID, userID uuid.UUID, role string) error
	// CreateTeamInvite stores code (normalised: NormalizeCode) as an invite to the team, live
	// until expires; only its owners and admins invite (EFORBIDDEN).
	CreateTeamInvite(ctx context.Context, teamID uuid.UUID, code string, expires time.Time) error
	// RedeemTeamInvite makes the user a member of the team of a live invite, used up by it, and
	// returns the team (ENOTFOUND: no such live code).
	RedeemTeamInvite(ctx context.Context, code string) (uuid.UUID, error)
}

// Team is one of the user's teams: its name, the user's role in it, how many members it has.
type Team struct {
	ID      uuid.UUID
	Name    string
	Role    string
	Members int
}

// Member is a member of a team.
type Member struct {
	UserID   uuid.UUID
	Name     string
	Role     string
	JoinedAt time.Time
}

// PushStore writes what the assistant sends unasked (a morning plan, a reminder) to the user's
// private chat, delivered after the transaction commits and behind interactive replies.
type PushStore interface {
	// PushAddress is the private chat the user's pushes go to, as an update from there would
	// come (ENOTFOUND when there is none: no private chat yet, the bot blocked).
	PushAddress(ctx context.Context) (Inbound, error)
	// Push writes msgs as push kind of occurrence (a local date, a task's time), to be delivered
	// at at (at once when that has passed), and reports whether it is new: the same push is
	// written once however often it is attempted.
	Push(ctx context.Context, kind, occurrence string, at time.Time, msgs []Outgoing) (bool, error)
	// PushTeamReport writes msgs, team content, as the team's report of occurrence (its week) to
	// the team's report channel, and reports whether it is new; ENOTFOUND when the team has no
	// live report channel. The user must be a member.
	PushTeamReport(ctx context.Context, team uuid.UUID, occurrence string, at time.Time, msgs []Outgoing) (bool, error)
}

// IdempotencyStore remembers what a POST made under an Idempotency-Key, so that a retry
// returns it instead of making it again.
type IdempotencyStore interface {
	// ClaimIdempotencyKey takes key for a request with fingerprint and returns nil, or, when
	// the key was taken before, the response saved for it (ECONFLICT when that was another
	// request, or when it is still being made).
	ClaimIdempotencyKey(ctx context.Context, key, fingerprint string) (json.RawMessage, error)
	// SaveIdempotentResponse stores the response of the request that claimed key.
	SaveIdempotentResponse(ctx context.Context, key string, response json.RawMessage) error
}

// LinkStore links a chat user to a web account through a one-time code.
type LinkStore interface {
	// CreateLinkCode stores code (normalised: upper case, no separators) as the user's, live
	// until expires (at most 10 minutes ahead).
	CreateLinkCode(ctx context.Context, code string, expires time.Time) error
	// RedeemLinkCode merges the chat user of a live code into the user and returns that user's
	// id and the merged user's language (ENOTFOUND: no such live code).
	RedeemLinkCode(ctx context.Context, code string) (uuid.UUID, string, error)
}

// ChangeStore reads the user's change events (realtime: every change to their goals, tasks
// and goal progress, in order).
type ChangeStore interface {
	// ChangesSince returns up to limit of the user's events after the one with id after.
	ChangesSince(ctx context.Context, after int64, limit int) ([]ChangeEvent, error)
	// LastChange is the id of the user's newest event (0 when none).
	LastChange(ctx context.Context) (int64, error)
}

// ChangeEvent is one change: what changed (goal, task, goal_progress), which one, and how
// (insert, update, delete).
type ChangeEvent struct {
	ID       int64     `json:"-"`
	Entity   string    `json:"entity"`
	EntityID string    `json:"id"`
	Op       string    `json:"op"`
	At       time.Time `json:"at"`
}

// TeamReporter is a team whose weekly report goes to a channel, and the member whose settings
// (time zone, weekly report day and time) say when and in whose transaction it is built: the
// owner, else the first admin, else the first member. Changed: the team or the reporter
// changed lately.
type TeamReporter struct {
	Team     uuid.UUID
	Reporter User
	Changed  bool
}

// Pacer books send slots shared by every instance of the service, so a platform's limits hold
// for the bot however many processes send for it.
type Pacer interface {
	// Reserve books the slot of bucket at the earliest instant at or after now and notBefore
	// that is gap after the slot booked before it, and returns it. A gap of zero holds the
	// bucket until notBefore (a 429's pause).
	Reserve(ctx context.Context, bucket string, gap time.Duration, now, notBefore time.Time) (time.Time, error)
	// Claim books at for bucket when its last booking was gap or more before it, and reports
	// true; otherwise it reports false and the earliest instant that would be (a chat another
	// instance is writing to).
	Claim(ctx context.Context, bucket string, gap time.Duration, at time.Time) (bool, time.Time, error)
}

// ReplyStore writes replies to the outbox, delivered after the transaction commits.
type ReplyStore interface {
	Enqueue(ctx context.Context, msgs []Outgoing) error
}

// Today is the user's calendar day at the transaction's instant.
func Today(tx Tx, u *User) Date { return DateOf(tx.Now().In(u.Location())) }

// LoadSnapshots is everyone's days as the system sees them, for the Business Load snapshot that
// is recorded for all users at once (as service_role: the nightly operation, not a user's turn).
type LoadSnapshots interface {
	// UsersAfter returns up to n users whose ids follow after, in id order.
	UsersAfter(ctx context.Context, after uuid.UUID, n int) ([]User, error)
	// WorkHistories is WorkHistory for each of users, in one statement.
	WorkHistories(ctx context.Context, users []uuid.UUID, from, to Date) (map[uuid.UUID][]DayWork, error)
	// SaveLoads records each user's Business Load of day, in one statement.
	SaveLoads(ctx context.Context, day Date, loads map[uuid.UUID]int) error
}
