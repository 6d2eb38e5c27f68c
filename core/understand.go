package core

import "time"

// Intent is what the user wants the assistant to do.
type Intent string

// The intents the assistant acts on.
const (
	IntentCreateGoal     Intent = "create_goal"
	IntentCreateTask     Intent = "create_task"
	IntentCompleteTask   Intent = "complete_task"
	IntentListTasks      Intent = "list_tasks"
	IntentPlanGoal       Intent = "plan_goal"
	IntentReplan         Intent = "replan"
	IntentLogProgress    Intent = "log_progress"
	IntentRescheduleTask Intent = "reschedule_task"
	IntentShowLoad       Intent = "show_load"
	IntentShowReport     Intent = "show_report"
	IntentSettings       Intent = "settings"
	IntentReflect        Intent = "reflect"
	IntentHelp           Intent = "help"
	IntentStart          Intent = "start"          // /start: onboarding
	IntentGreeting       Intent = "greeting"       // "привет", "good morning"
	IntentThanks         Intent = "thanks"         // "спасибо", "thx"
	IntentShowGoals      Intent = "show_goals"     // "/goals", "мои цели"
	IntentTeamGoals      Intent = "team_goals"     // "team", "цели команды"
	IntentReportChannel  Intent = "report_channel" // "отчёт сюда": the team's weekly report comes here
	IntentLink           Intent = "link"           // "/link": a one-time code that links this chat to a web account
	IntentCalendar       Intent = "calendar"       // "подключи календарь": SettingValue is connect, disconnect, block_on or block_off
	IntentTeamRole       Intent = "team_role"      // "admin @lena", "передай владение @oleg": Title is the person, SettingValue the role
	IntentDelete         Intent = "delete"         // "убери задачу про склад": Title names it, Subject says task or goal
	IntentEdit           Intent = "edit"           // rename, priority, estimate, target: Title names it, NewTitle/Priority/DurationMin/Target the change
	IntentUndo           Intent = "undo"           // "отмени", "undo that": the last action
	IntentFocus          Intent = "focus"          // "что сейчас важнее всего?"
	IntentBurnout        Intent = "burnout"        // "чувствую, что выгораю"
	IntentSmallTalk      Intent = "small_talk"     // "как дела?", "ok", "lol"
	IntentUnknown        Intent = "unknown"
)

// Period says whether a list or report asks about a day or a week.
type Period int

// The periods a list_tasks request can ask about.
const (
	PeriodNone Period = iota
	PeriodDay
	PeriodWeek
)

// Setting names which setting a settings request changes.
type Setting string

// The settings a user can change by message.
const (
	SettingNone       Setting = ""
	SettingTimezone   Setting = "timezone"
	SettingLanguage   Setting = "language"
	SettingMorning    Setting = "morning_time"
	SettingEvening    Setting = "evening_time"
	SettingQuietHours Setting = "quiet_hours"
	SettingPause      Setting = "pause"
	SettingResume     Setting = "resume"
	SettingShow       Setting = "show"
	SettingCapacity   Setting = "capacity" // DurationMin is the daily capacity
	// SettingWorkingDays: SettingValue lists the days the pushes come on, 1 = Monday ("12345").
	SettingWorkingDays Setting = "working_days"
	// SettingReminderLead: DurationMin is how long before a task its reminder comes.
	SettingReminderLead Setting = "reminder_lead"
	// SettingWeeklyReport: SettingValue is the day ("1" = Monday … "7" = Sunday) and Time the
	// time of the weekly report; either may be missing.
	SettingWeeklyReport Setting = "weekly_report"
)

// Understanding is what a message means. Pointer fields are nil when the slot is absent. The
// JSON form is the line `bizconnect parse` prints.
type Understanding struct {
	Intent      Intent     `json:"intent"`
	Lang        string     `json:"lang"`
	Title       *string    `json:"title"`
	Due         *Date      `json:"due"`
	Time        *ClockTime `json:"time"`
	DurationMin *int       `json:"duration_min"`
	Priority    *int       `json:"priority"`
	Target      *float64   `json:"target"`
	Unit        *string    `json:"unit"`
	Value       *float64   `json:"value"`
	Increment   *bool      `json:"increment"`
	Recurrence  *string    `json:"recurrence"`
	Category    *string    `json:"category"`
	Confidence  float64    `json:"confidence"`
	// NewTitle is an edit's new title; Subject is "task" or "goal" when the message says which.
	NewTitle *string `json:"new_title,omitempty"`
	Subject  string  `json:"subject,omitempty"`
	// Alternatives are the intents the model thought most likely, best first (at most 3).
	Alternatives []Alternative `json:"alternatives,omitempty"`

	// Period is PeriodDay (Due is the day) or PeriodWeek (Due is that week's Monday) for list_tasks.
	Period Period `json:"-"`
	// Setting is which setting a settings request is about.
	Setting Setting `json:"-"`
	// SettingValue is an IANA zone, "ru"/"en", or the raw text when it could not be resolved.
	SettingValue string `json:"-"`
	// EndTime is the end of quiet hours (or of a time range in a task).
	EndTime *ClockTime `json:"-"`
	// Stress is the reflection's stress level 1..5.
	Stress *int `json:"-"`
	// Energy is the reflection's energy level 1..5.
	Energy *int `json:"-"`
	// Notes is the free text of a reflection.
	Notes *string `json:"-"`
}

// Alternative is an intent a message may mean, with the model's probability.
type Alternative struct {
	Intent     Intent  `json:"intent"`
	Confidence float64 `json:"confidence"`
}

// Understander turns text into meaning (core/nlu offline; an LLM may refine it).
type Understander interface {
	// Understand parses text as of now (in the user's zone); lang "" detects the language.
	Understand(text string, now time.Time, lang string) Understanding
	// UnderstandAs reads text's slots for intent, when the user said which intent they meant.
	UnderstandAs(text string, intent Intent, now time.Time, lang string) Understanding
	// MatchScore says how well a user's words name a task or goal title, 0..1.
	MatchScore(query, title string) float64
	// CityTimezone resolves a city name (any case, Russian declensions) to an IANA zone.
	CityTimezone(name string) (string, bool)
}
