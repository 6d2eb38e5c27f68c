// Package account changes a user's own settings: time zone, language, the times of the morning
// plan and the evening check-in, quiet hours, the daily capacity, and pausing the assistant. Each change is checked
// here, once, for the chat and any other entry point, then saved with the user.
package account

import (
	"context"
	"time"

	"github.com/bizconnect/bizconnect/core"
)

// Reasons a change is refused; each is an EINVALID core.Error the caller can tell apart.
var (
	ErrUnknownZone     = core.Errorf(core.EINVALID, "unknown time zone")
	ErrUnknownLanguage = core.Errorf(core.EINVALID, "the languages are ru and en")
	ErrNeedTime        = core.Errorf(core.EINVALID, "a time of day is needed")
	ErrNeedRange       = core.Errorf(core.EINVALID, "quiet hours need a start and an end")
	ErrNeedFutureDate  = core.Errorf(core.EINVALID, "a pause lasts until a day after today")
	ErrCapacityRange   = core.Errorf(core.EINVALID, "a working day is 30 minutes to 16 hours")
	ErrNeedDays        = core.Errorf(core.EINVALID, "working days are one to seven days of the week")
	ErrLeadRange       = core.Errorf(core.EINVALID, "a reminder comes at most a day ahead")
)

// The bounds of a daily capacity.
const (
	MinCapacityMin = 30
	MaxCapacityMin = 16 * 60
)

// Change is one settings change; the fields its Setting needs are set.
type Change struct {
	Setting core.Setting
	Zone    string          // SettingTimezone: an IANA name
	Lang    string          // SettingLanguage: "ru" or "en"
	Time    *core.ClockTime // SettingMorning, SettingEvening, SettingWeeklyReport, the start of SettingQuietHours
	EndTime *core.ClockTime // the end of SettingQuietHours
	Until   *core.Date      // SettingPause
	Minutes int             // SettingCapacity: focused minutes a day; SettingReminderLead: minutes ahead
	Days    []int           // SettingWorkingDays: 1 = Monday … 7 = Sunday; SettingWeeklyReport: its day, if said
}

// Apply makes the change to u and saves it; an invalid change changes nothing and returns one of
// the errors above. A language chosen this way is kept even when the user writes in another.
func Apply(ctx context.Context, tx core.Tx, u *core.User, c Change) error {
	next := *u
	s := &next.Settings
	switch c.Setting {
	case core.SettingTimezone:
		if _, err := time.LoadLocation(c.Zone); err != nil || c.Zone == "" {
			return ErrUnknownZone
		}
		next.Timezone = c.Zone
	case core.SettingLanguage:
		if c.Lang != "ru" && c.Lang != "en" {
			return ErrUnknownLanguage
		}
		next.Locale, s.LangLocked = c.Lang, true
	case core.SettingMorning, core.SettingEvening:
		if c.Time == nil {
			return ErrNeedTime
		}
		if c.Setting == core.SettingMorning {
			s.MorningPlan = c.Time
		} else {
			s.EveningCheckin = c.Time
		}
	case core.SettingQuietHours:
		if c.Time == nil || c.EndTime == nil {
			return ErrNeedRange
		}
		s.QuietFrom, s.QuietTo = c.Time, c.EndTime
	case core.SettingPause:
		if c.Until == nil || !c.Until.After(core.Today(tx, u)) {
			return ErrNeedFutureDate
		}
		s.PausedUntil = c.Until
	case core.SettingResume:
		s.PausedUntil = nil
	case core.SettingCapacity:
		if c.Minutes < MinCapacityMin || c.Minutes > MaxCapacityMin {
			return ErrCapacityRange
		}
		s.DailyCapacityMin = c.Minutes
	case core.SettingWorkingDays:
		days := map[int]bool{}
		for _, d := range c.Days {
			if d < 1 || d > 7 {
				return ErrNeedDays
			}
			days[d] = true
		}
		if len(days) == 0 {
			return ErrNeedDays
		}
		s.WorkingDays = nil
		for d := 1; d <= 7; d++ {
			if days[d] {
				s.WorkingDays = append(s.WorkingDays, d)
			}
		}
	case core.SettingWeeklyReport:
		if c.Time == nil && len(c.Days) == 0 {
			return ErrNeedTime
		}
		if len(c.Days) > 1 || len(c.Days) == 1 && (c.Days[0] < 1 || c.Days[0] > 7) {
			return ErrNeedDays
		}
		if len(c.Days) == 1 {
			s.WeeklyReportDay = c.Days[0]
		}
		if c.Time != nil {
			s.WeeklyReportTime = c.Time
		}
	case core.SettingReminderLead:
		if c.Minutes < 0 || c.Minutes > core.MaxReminderLeadMin {
			return ErrLeadRange
		}
		s.ReminderLeadMin = c.Minutes
	default:
		return core.Errorf(core.EINVALID, "unknown setting %q", c.Setting)
	}
	if err := Save(ctx, tx, &next); err != nil {
		return err
	}
	*u = next
	return nil
}

// Save checks and stores the user's name, zone, locale and settings.
func Save(ctx context.Context, tx core.Tx, u *core.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return tx.UpdateUser(ctx, u)
}
