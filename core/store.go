package core

import (
	"context"
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

// Store is the assistant's storage. All user work happens inside one transaction scoped to the
// user (Row Level Security applies), so an action and its replies commit or fail together.
type Store interface {
	// Inbound runs fn in one transaction that claims sc.Key (when not empty), finds or creates the
	// user behind sc.Identity (a new user gets sc.Defaults' name, time zone and locale), loads the
	// dialog of sc.Chat and then acts as that user. It returns false without calling fn when the
	// key was handled before.
	Inbound(ctx context.Context, sc InboundScope, fn func(ctx context.Context, tx Tx, s *Session) error) (bool, error)
	// InUser runs fn in one transaction as userID.
	InUser(ctx context.Context, userID uuid.UUID, fn func(ctx context.Context, tx Tx, u *User) error) error
}

// InboundScope says what an inbound transaction is about.
type InboundScope struct {
	Key      string
	Identity IdentityRef
	Chat     string // the conversation: its dialog state is loaded and saved
	ChatID   string // the platform's chat the update came from, where its replies may go
	Defaults User
}

// Session is what an inbound transaction starts with.
type Session struct {
	User    *User
	Created bool   // the user was created by this message
	Dialog  Dialog // the dialog of the scope's chat
	// TeamID is the team of the identity's workspace (Slack), nil elsewhere. The user is made a
	// member on their first message from the workspace.
	TeamID *uuid.UUID
}

// Tx is the user-scoped unit of work.
type Tx interface {
	UpdateUser(ctx context.Context, u *User) error
	SaveDialog(ctx context.Context, chat string, d Dialog) error

	CreateGoal(ctx context.Context, g *Goal) error
	FindGoals(ctx context.Context, f GoalFilter) ([]Goal, error)
	UpdateGoal(ctx context.Context, id uuid.UUID, upd GoalUpdate) (Goal, error)
	AddGoalProgress(ctx context.Context, goalID uuid.UUID, date Date, value float64, notes string) error
	// LogTeamProgress sets a team goal's value as any member of its team may, and records it.
	LogTeamProgress(ctx context.Context, goalID uuid.UUID, date Date, value float64) (Goal, error)
	// SetReportChannel chooses the chat that receives the team's weekly report (team admins).
	SetReportChannel(ctx context.Context, teamID uuid.UUID, chat string) error
	CreateMilestones(ctx context.Context, ms []Milestone) error
	SavePlan(ctx context.Context, goalID uuid.UUID, provider, model string, input, output any) error

	CreateTask(ctx context.Context, t *Task) error
	FindTasks(ctx context.Context, f TaskFilter) ([]Task, error)
	UpdateTask(ctx context.Context, id uuid.UUID, upd TaskUpdate) (Task, error)

	SaveReflection(ctx context.Context, day Date, stress, energy *int, notes string) error
	// Reflection returns the day's stress, energy and notes (zero values when none).
	Reflection(ctx context.Context, day Date) (DailyProgress, error)
	// SaveLoad records the day's Business Load.
	SaveLoad(ctx context.Context, day Date, value int) error
	WeekStats(ctx context.Context, weekStart Date) (WeekStats, error)

	// Enqueue writes replies to the outbox, delivered after the transaction commits.
	Enqueue(ctx context.Context, msgs []Outgoing) error
}

// Dialog is what the assistant remembers of a conversation between two messages. It lives in
// the database, so any instance can take the next message.
type Dialog struct {
	// Awaiting names the question the assistant asked, "" when none.
	Awaiting string `json:"awaiting,omitempty"`
	// Draft is a goal waiting for confirmation.
	Draft *GoalDraft `json:"draft,omitempty"`
	// Task is the task a question is about (reschedule: "to when?").
	Task *uuid.UUID `json:"task,omitempty"`
	// Due is the new date of a reschedule waiting for its task to be chosen.
	Due *Date `json:"due,omitempty"`
	// Value and Increment are a progress report waiting for its goal to be chosen.
	Value     *float64 `json:"value,omitempty"`
	Increment bool     `json:"increment,omitempty"`
	// Buttons are the choices offered last, so typing "2" or a button's words presses it.
	Buttons []Button `json:"buttons,omitempty"`
	// Updated is when the dialog last changed; stale questions are dropped.
	Updated time.Time `json:"updated"`
}

// GoalDraft is a goal as understood, before the user saves it.
type GoalDraft struct {
	Title    string   `json:"title"`
	Category string   `json:"category,omitempty"`
	Target   *float64 `json:"target,omitempty"`
	Unit     string   `json:"unit,omitempty"`
	Due      Date     `json:"due,omitzero"`
	Team     bool     `json:"team,omitempty"` // a team goal, created in a team channel
}
