package chat

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/account"
	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/nlu"
)

// answerPending treats a message as the answer to the question the assistant asked, when it is
// one. A message that doesn't answer is handled as usual: a question never swallows a task.
func (t *turn) answerPending(ctx context.Context, u core.Understanding) (bool, error) {
	switch t.dialog.Awaiting {
	case AwaitGoalEdit:
		if d := t.dialog.Draft; d != nil && (u.Due != nil || u.Target != nil) && onlyFieldWords(u.Title) {
			return true, t.createGoal(ctx, d.with(u)) // "deadline end of april", "срок к октябрю": that field only
		}
		if u.Intent == core.IntentCreateTask || u.Intent == core.IntentCreateGoal || u.Intent == core.IntentUnknown {
			u.Intent = core.IntentCreateGoal
			if u.Title == nil {
				title := t.in.Text
				u.Title = &title
			}
			return true, t.createGoal(ctx, u)
		}
	case AwaitRescheduleDate:
		if t.dialog.Task != nil && (u.Due != nil || u.Time != nil) && u.Intent != core.IntentCreateGoal {
			id := *t.dialog.Task
			t.dialog.Task, t.dialog.Awaiting = nil, AwaitNothing
			task, err := t.tx.FindTaskByID(ctx, id)
			if t.notFound(err, "task_not_found") {
				return true, nil
			}
			if err != nil {
				return true, err
			}
			return true, t.moveTask(ctx, task, u.Due, u.Time)
		}
	case AwaitPlanAdjust, AwaitPlanShown:
		if t.dialog.Plan != nil {
			return t.adjustPlan(ctx, u, t.dialog.Awaiting == AwaitPlanAdjust)
		}
	case AwaitOnboardZone:
		if zone, ok := t.zoneFrom(u); ok {
			return true, t.onboardZone(ctx, zone)
		}
	case AwaitOnboardMorning:
		if u.Time != nil && len(strings.Fields(t.in.Text)) <= 4 && (u.Intent == core.IntentSettings || u.Intent == core.IntentUnknown || u.Intent == core.IntentCreateTask) {
			return true, t.onboardMorning(ctx, u.Time)
		}
	}
	return false, nil
}

// fieldWords name a goal's fields in an edit that changes only them.
var fieldWords = map[string]bool{"deadline": true, "due": true, "срок": true, "сроки": true, "дедлайн": true, "до": true, "к": true, "by": true,
	"to": true, "the": true, "target": true, "goal": true, "цель": true, "целью": true, "change": true, "поменяй": true, "измени": true,
	"make": true, "it": true, "set": true, "on": true, "на": true, "а": true, "and": true, "и": true, "new": true, "новый": true, "новая": true,
	"сделай": true, "pls": true, "please": true, "пожалуйста": true, "лучше": true, "instead": true, "actually": true}

// onlyFieldWords reports whether a title is nothing but words naming fields ("срок", "deadline").
func onlyFieldWords(title *string) bool {
	if title == nil {
		return true
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(*title), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if !fieldWords[w] {
			return false
		}
	}
	return true
}

// with is the draft with what u changes of it (the deadline, the target), as an understanding
// to show again.
func (d *GoalDraft) with(u core.Understanding) core.Understanding {
	out := core.Understanding{Intent: core.IntentCreateGoal, Title: &d.Title, Category: &d.Category, Target: d.Target, Unit: &d.Unit}
	if !d.Due.IsZero() {
		out.Due = &d.Due
	}
	if u.Due != nil {
		out.Due = u.Due
	}
	if u.Target != nil {
		out.Target = u.Target
		if u.Unit != nil {
			out.Unit = u.Unit
		}
	}
	return out
}

// zoneFrom finds a time zone in a message: an IANA name or a city.
func (t *turn) zoneFrom(u core.Understanding) (string, bool) {
	if u.Intent == core.IntentSettings && u.Setting == core.SettingTimezone {
		if _, err := time.LoadLocation(u.SettingValue); err == nil && u.SettingValue != "" {
			return u.SettingValue, true
		}
	}
	text := strings.TrimSpace(t.in.Text)
	if strings.Contains(text, "/") && !strings.ContainsAny(text, " ") {
		if _, err := time.LoadLocation(text); err == nil {
			return text, true
		}
	}
	if len(strings.Fields(text)) <= 3 {
		return t.a.nlu.CityTimezone(text)
	}
	return "", false
}

// start is /start: the language from the platform (unless chosen), then the questions of the
// first run: the city, then the morning plan's time, each skippable.
func (t *turn) start(ctx context.Context) error {
	if l := nlu.LangOf(t.in.LangHint, "", t.user.Locale); t.created || !t.user.Settings.LangLocked {
		t.lang, t.user.Locale = l, l
		if err := t.tx.UpdateUser(ctx, t.user); err != nil {
			return err
		}
	}
	t.dialog.Awaiting = AwaitOnboardZone
	name := t.user.Name
	if name == "" {
		name = t.tr("friend")
	}
	t.say(t.tr("welcome", name))
	t.say(t.tr("ask_timezone", t.user.Timezone), button(t.tr("btn_skip"), core.Action{Kind: core.ActionOnboardSkip}))
	return nil
}

func (t *turn) askMorning(prefix string) {
	eight := core.NewClockTime(8, 0)
	t.dialog.Awaiting = AwaitOnboardMorning
	t.choose(core.Text{{Text: prefix + t.tr("ask_morning")}}, button("08:00", core.Action{Kind: core.ActionOnboardMorning, Time: &eight}),
		button(t.tr("btn_skip"), core.Action{Kind: core.ActionOnboardSkip}))
}

func (t *turn) onboardZone(ctx context.Context, zone string) error {
	if err := account.Apply(ctx, t.tx, t.user, account.Change{Setting: core.SettingTimezone, Zone: zone}); err != nil {
		return err
	}
	t.askMorning(t.tr("tz_set", locale.ZoneName(zone)) + "\n")
	return nil
}

func (t *turn) onboardMorning(ctx context.Context, at *core.ClockTime) error {
	if err := account.Apply(ctx, t.tx, t.user, account.Change{Setting: core.SettingMorning, Time: at}); err != nil {
		return err
	}
	t.dialog.Awaiting = AwaitNothing
	t.say(t.tr("morning_set", at.String()) + "\n\n" + t.tr("onboarding_done"))
	t.help()
	return nil
}

func (t *turn) onboardingSkip(_ context.Context) error {
	switch t.dialog.Awaiting {
	case AwaitOnboardZone:
		t.askMorning("")
		return nil
	case AwaitOnboardMorning:
		t.dialog.Awaiting = AwaitNothing
		t.say(t.tr("onboarding_done"))
	}
	t.help()
	return nil
}

// sharedLocation sets the time zone from a shared location: the zone of the nearest known city.
func (t *turn) sharedLocation(ctx context.Context) error {
	zone := nlu.ZoneAt(*t.in.Location)
	if t.dialog.Awaiting == AwaitOnboardZone {
		return t.onboardZone(ctx, zone)
	}
	if err := account.Apply(ctx, t.tx, t.user, account.Change{Setting: core.SettingTimezone, Zone: zone}); err != nil {
		return err
	}
	t.say(t.tr("tz_set", locale.ZoneName(zone)))
	return nil
}

// settingRefusals are what the user hears when account refuses a change.
var settingRefusals = []struct {
	err error
	key string
}{
	{account.ErrUnknownZone, "tz_unknown"}, {account.ErrUnknownLanguage, "lang_unknown"}, {account.ErrNeedTime, "need_time"},
	{account.ErrNeedRange, "need_quiet_range"}, {account.ErrNeedFutureDate, "need_pause_date"},
	{account.ErrCapacityRange, "capacity_range"}, {account.ErrNeedDays, "need_days"}, {account.ErrLeadRange, "lead_range"},
}

func (t *turn) settings(ctx context.Context, u core.Understanding) error {
	c := account.Change{Setting: u.Setting, Lang: u.SettingValue, Time: u.Time, EndTime: u.EndTime, Until: u.Due,
		Minutes: deref(u.DurationMin)}
	if u.Setting == core.SettingWorkingDays || u.Setting == core.SettingWeeklyReport {
		for _, r := range u.SettingValue {
			c.Days = append(c.Days, int(r-'0'))
		}
	}
	if u.Setting == core.SettingQuietHours && (c.Time == nil) != (c.EndTime == nil) {
		// "не пиши после 22" says when they start, "не раньше 9" when they end: the other end stays
		from, to := core.NewClockTime(22, 0), core.NewClockTime(8, 0)
		if s := t.user.Settings; s.QuietFrom != nil && s.QuietTo != nil {
			from, to = *s.QuietFrom, *s.QuietTo
		}
		if c.Time == nil {
			c.Time = &from
		} else {
			c.EndTime = &to
		}
	}
	if u.Setting == core.SettingNone {
		if zone, ok := t.zoneFrom(u); ok { // "москва", "berlin": a city alone names the time zone
			u.Setting, c.Setting, c.Zone = core.SettingTimezone, core.SettingTimezone, zone
		}
	}
	switch u.Setting {
	case core.SettingCapacity:
	case core.SettingTimezone:
		c.Zone, _ = t.zoneFrom(u)
	case core.SettingLanguage, core.SettingMorning, core.SettingEvening, core.SettingQuietHours, core.SettingPause, core.SettingResume,
		core.SettingWorkingDays, core.SettingReminderLead, core.SettingWeeklyReport:
	default:
		t.say(t.describeSettings())
		return nil
	}
	err := account.Apply(ctx, t.tx, t.user, c)
	for _, r := range settingRefusals {
		if errors.Is(err, r.err) {
			t.say(t.tr(r.key))
			return nil
		}
	}
	if err != nil {
		return err
	}
	if u.Setting == core.SettingLanguage {
		t.lang = t.user.Locale
	}
	t.say("⚙️ " + t.settingDone(u.Setting))
	return nil
}

// settingDone says what a change did.
func (t *turn) settingDone(s core.Setting) string {
	st := t.user.Settings
	switch s {
	case core.SettingTimezone:
		return t.tr("tz_set", locale.ZoneName(t.user.Timezone))
	case core.SettingLanguage:
		return t.tr("lang_set")
	case core.SettingMorning:
		return t.tr("morning_set", st.MorningPlan.String())
	case core.SettingEvening:
		return t.tr("evening_set", st.EveningCheckin.String())
	case core.SettingQuietHours:
		return t.tr("quiet_set", st.QuietFrom.String(), st.QuietTo.String())
	case core.SettingPause:
		return t.tr("paused", locale.FullDate(t.lang, *st.PausedUntil, t.today))
	case core.SettingCapacity:
		return t.tr("capacity_set", locale.Duration(t.lang, st.Capacity()))
	case core.SettingWorkingDays:
		if len(st.WorkingDays) == 7 {
			return t.tr("days_set_all")
		}
		names := make([]string, len(st.WorkingDays))
		for i, d := range st.WorkingDays {
			names[i] = locale.WeekdayShort(t.lang, time.Weekday(d%7))
		}
		return t.tr("days_set", strings.Join(names, ", "))
	case core.SettingWeeklyReport:
		day, at := st.WeeklyReport()
		return t.tr("weekly_set", locale.WeekdayEvery(t.lang, day), at.String())
	case core.SettingReminderLead:
		if st.ReminderLeadMin == 0 {
			return t.tr("lead_set_none")
		}
		return t.tr("lead_set", locale.Duration(t.lang, st.ReminderLeadMin))
	}
	return t.tr("resumed")
}

func (t *turn) describeSettings() string {
	s := t.user.Settings
	quiet := t.tr("not_set")
	if s.QuietFrom != nil && s.QuietTo != nil {
		quiet = s.QuietFrom.String() + "–" + s.QuietTo.String()
	}
	paused := t.tr("not_paused")
	if s.PausedUntil != nil && !s.PausedUntil.Before(t.today) {
		paused = locale.FullDate(t.lang, *s.PausedUntil, t.today)
	}
	days := make([]string, 0, 7)
	for d := 1; d <= 7; d++ {
		if w := time.Weekday(d % 7); core.WorkingWeekday(s.WorkingDays, w) {
			days = append(days, locale.WeekdayShort(t.lang, w))
		}
	}
	lead := t.tr("lead_at_time")
	if s.ReminderLeadMin > 0 {
		lead = t.tr("lead_before", locale.Duration(t.lang, s.ReminderLeadMin))
	}
	weekday, at := s.WeeklyReport()
	return t.tr("settings_show", t.user.Timezone, t.tr("lang_name"), s.Morning().String(), s.Evening().String(),
		quiet, locale.Duration(t.lang, s.Capacity()), paused) + "\n" +
		t.tr("settings_more", strings.Join(days, ", "), locale.WeekdayShort(t.lang, weekday)+" "+at.String(), lead)
}
