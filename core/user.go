package core

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// User is a person using the assistant, on any number of platforms.
type User struct {
	ID        uuid.UUID
	Name      string
	Timezone  string // IANA name
	Locale    string // "ru" or "en"
	Settings  Settings
	Tier      string // the subscription tier: "free", "pro", "business"
	CreatedAt time.Time
	// Suspended by an operator: they get a notice instead of replies, no pushes, no sign-in.
	Suspended bool
	// Calendar means a calendar is connected (in any state): its busy time is worth reading.
	Calendar bool
	// MailConfirmed means the user has a confirmed email address (a web account).
	MailConfirmed bool
}

// Location returns the user's time zone, UTC when it can't be loaded.
func (u *User) Location() *time.Location {
	if loc, err := time.LoadLocation(u.Timezone); err == nil {
		return loc
	}
	return time.UTC
}

// Settings are a user's preferences, stored as users.settings.
type Settings struct {
	MorningPlan      *ClockTime `json:"morning_plan_time,omitempty"`
	EveningCheckin   *ClockTime `json:"evening_checkin_time,omitempty"`
	WeeklyReportDay  int        `json:"weekly_report_day,omitempty"` // 1 = Monday … 7 = Sunday
	WeeklyReportTime *ClockTime `json:"weekly_report_time,omitempty"`
	QuietFrom        *ClockTime `json:"quiet_from,omitempty"`
	QuietTo          *ClockTime `json:"quiet_to,omitempty"`
	WorkingDays      []int      `json:"working_days,omitempty"` // 1 = Monday … 7 = Sunday
	DailyCapacityMin int        `json:"daily_capacity_min,omitempty"`
	PausedUntil      *Date      `json:"paused_until,omitempty"`
	// ReminderLeadMin is how long before a task's time its reminder comes (0: at the time).
	ReminderLeadMin int `json:"reminder_lead_min,omitempty"`
	// LangLocked is set when the user chose a language explicitly; until then the assistant
	// follows the language they write in.
	LangLocked bool `json:"lang_locked,omitempty"`
}

// Default schedule values, used where a user has not chosen.
const (
	DefaultCapacityMin = 360 // six focused hours a day
	DefaultTaskMin     = 30  // a task without an estimate
	MaxEstimateMin     = 7 * 24 * 60
)

// Paused reports whether the user paused the assistant's pushes on day (until PausedUntil,
// that day included).
func (s Settings) Paused(day Date) bool {
	return s.PausedUntil != nil && !s.PausedUntil.Before(day)
}

// Quiet reports whether at falls in the user's quiet hours (from inclusive, to exclusive; they
// may span midnight).
func (s Settings) Quiet(at ClockTime) bool {
	if s.QuietFrom == nil || s.QuietTo == nil || *s.QuietFrom == *s.QuietTo {
		return false
	}
	from, to := *s.QuietFrom, *s.QuietTo
	if from < to {
		return at >= from && at < to
	}
	return at >= from || at < to
}

// The push times where a user has not chosen.
var (
	DefaultMorning   = NewClockTime(8, 30)
	DefaultEvening   = NewClockTime(19, 0)
	DefaultWeekly    = NewClockTime(17, 0)
	DefaultWeeklyDay = time.Friday
)

// Morning is the time of the user's morning plan.
func (s Settings) Morning() ClockTime { return orDefault(s.MorningPlan, DefaultMorning) }

// Evening is the time of the user's evening check-in.
func (s Settings) Evening() ClockTime { return orDefault(s.EveningCheckin, DefaultEvening) }

// WeeklyReport is the day and the time of the user's weekly report.
func (s Settings) WeeklyReport() (time.Weekday, ClockTime) {
	day := DefaultWeeklyDay
	if s.WeeklyReportDay >= 1 && s.WeeklyReportDay <= 7 {
		day = time.Weekday(s.WeeklyReportDay % 7)
	}
	return day, orDefault(s.WeeklyReportTime, DefaultWeekly)
}

func orDefault(c *ClockTime, def ClockTime) ClockTime {
	if c == nil {
		return def
	}
	return *c
}

// WorkingDay reports whether d is one of the user's working days.
func (s Settings) WorkingDay(d Date) bool { return WorkingDay(s.WorkingDays, d) }

// WorkingDay reports whether d is one of days (1 = Monday … 7 = Sunday; none: Monday to Friday).
func WorkingDay(days []int, d Date) bool { return WorkingWeekday(days, d.Weekday()) }

// WorkingWeekday reports whether w is one of days, as WorkingDay.
func WorkingWeekday(days []int, w time.Weekday) bool {
	wd := int(w)
	if wd == 0 {
		wd = 7
	}
	if len(days) == 0 {
		return wd <= 5
	}
	return slices.Contains(days, wd)
}

// Capacity returns the user's daily capacity in minutes.
func (s Settings) Capacity() int {
	if s.DailyCapacityMin > 0 {
		return s.DailyCapacityMin
	}
	return DefaultCapacityMin
}

// Validate checks a user's fields before they are stored.
func (u *User) Validate() error {
	switch {
	case len(u.Name) > 200:
		return Errorf(EINVALID, "name is longer than 200 characters")
	case u.Locale != "ru" && u.Locale != "en":
		return Errorf(EINVALID, "language must be ru or en")
	}
	if _, err := time.LoadLocation(u.Timezone); err != nil || u.Timezone == "" {
		return Errorf(EINVALID, "unknown time zone %q", u.Timezone)
	}
	return u.Settings.Validate()
}

// Validate checks the schedule: days 1..7, a capacity within a day.
func (s Settings) Validate() error {
	for _, d := range append([]int{max(s.WeeklyReportDay, 1)}, s.WorkingDays...) {
		if d < 1 || d > 7 {
			return Errorf(EINVALID, "days are 1 (Monday) to 7 (Sunday)")
		}
	}
	if s.DailyCapacityMin < 0 || s.DailyCapacityMin > 24*60 {
		return Errorf(EINVALID, "daily capacity must be within a day")
	}
	if (s.QuietFrom == nil) != (s.QuietTo == nil) {
		return Errorf(EINVALID, "quiet hours need a start and an end")
	}
	return nil
}
