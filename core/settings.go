package core

import (
	"context"
	"math"
	"strings"
	"time"
)

// answerPending treats a message as the answer to the question the assistant asked, when it is
// one. A message that doesn't answer is handled as usual: a question never swallows a task.
func (t *turn) answerPending(ctx context.Context, u Understanding) (bool, error) {
	switch t.dialog.Awaiting {
	case "goal_edit":
		if u.Intent == IntentCreateTask || u.Intent == IntentCreateGoal || u.Intent == IntentUnknown {
			u.Intent = IntentCreateGoal
			if u.Title == nil {
				title := t.in.Text
				u.Title = &title
			}
			return true, t.createGoal(ctx, u)
		}
	case "reschedule_date":
		if t.dialog.Task != nil && (u.Due != nil || u.Time != nil) && u.Intent != IntentCreateGoal {
			id := *t.dialog.Task
			t.dialog.Task, t.dialog.Awaiting = nil, ""
			t.dialogChanged = true
			return true, t.withTask(ctx, id, func(task Task) error { return t.moveTask(ctx, task, u.Due, u.Time) })
		}
	case "onboard_tz":
		if zone, ok := t.zoneFrom(u); ok {
			return true, t.onboardZone(ctx, zone)
		}
	case "onboard_morning":
		if u.Time != nil && len(strings.Fields(t.in.Text)) <= 4 && (u.Intent == IntentSettings || u.Intent == IntentUnknown || u.Intent == IntentCreateTask) {
			return true, t.onboardMorning(ctx, u.Time)
		}
	}
	return false, nil
}

// zoneFrom finds a time zone in a message: an IANA name or a city.
func (t *turn) zoneFrom(u Understanding) (string, bool) {
	if u.Intent == IntentSettings && u.Setting == SettingTimezone {
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

func (t *turn) start(ctx context.Context) error {
	if l := langOf(t.in.LangHint, "", t.user.Locale); t.created || !t.user.Settings.LangLocked {
		t.lang, t.user.Locale = l, l
	}
	t.user.Settings.Onboarding = "timezone"
	if err := t.tx.UpdateUser(ctx, t.user); err != nil {
		return err
	}
	t.setAwaiting("onboard_tz")
	name := t.user.Name
	if name == "" {
		name = t.tr("friend")
	}
	t.say(t.tr("welcome", name))
	t.say(t.tr("ask_timezone", t.user.Timezone), Button{Label: t.tr("btn_skip"), Payload: "o:skip"})
	return nil
}

func (t *turn) onboardZone(ctx context.Context, zone string) error {
	t.user.Timezone = zone
	t.user.Settings.Onboarding = "morning"
	if err := t.tx.UpdateUser(ctx, t.user); err != nil {
		return err
	}
	t.setAwaiting("onboard_morning")
	t.say(t.tr("tz_set", zone)+"\n"+t.tr("ask_morning"), Button{Label: "08:00", Payload: "o:morning:0800"}, Button{Label: t.tr("btn_skip"), Payload: "o:skip"})
	return nil
}

func (t *turn) onboardMorning(ctx context.Context, at *ClockTime) error {
	t.user.Settings.MorningPlan = at
	t.user.Settings.Onboarding = ""
	if err := t.tx.UpdateUser(ctx, t.user); err != nil {
		return err
	}
	t.setAwaiting("")
	t.say(t.tr("morning_set", at.String()) + "\n\n" + t.tr("onboarding_done"))
	t.help()
	return nil
}

func (t *turn) onboardingSkip(ctx context.Context) error {
	switch t.dialog.Awaiting {
	case "onboard_tz":
		t.user.Settings.Onboarding = "morning"
		if err := t.tx.UpdateUser(ctx, t.user); err != nil {
			return err
		}
		t.setAwaiting("onboard_morning")
		t.say(t.tr("ask_morning"), Button{Label: "08:00", Payload: "o:morning:0800"}, Button{Label: t.tr("btn_skip"), Payload: "o:skip"})
		return nil
	case "onboard_morning":
		t.user.Settings.Onboarding = ""
		if err := t.tx.UpdateUser(ctx, t.user); err != nil {
			return err
		}
		t.setAwaiting("")
		t.say(t.tr("onboarding_done"))
		t.help()
		return nil
	}
	t.help()
	return nil
}

// sharedLocation sets the time zone from a shared location: the zone of the nearest known city.
func (t *turn) sharedLocation(ctx context.Context) error {
	zone := ZoneAt(*t.in.Location)
	if t.dialog.Awaiting == "onboard_tz" {
		return t.onboardZone(ctx, zone)
	}
	t.user.Timezone = zone
	if err := t.tx.UpdateUser(ctx, t.user); err != nil {
		return err
	}
	t.say(t.tr("tz_set", zone))
	return nil
}

func (t *turn) settings(ctx context.Context, u Understanding) error {
	s := &t.user.Settings
	var msg string
	switch u.Setting {
	case SettingTimezone:
		zone, ok := t.zoneFrom(u)
		if !ok {
			t.say(t.tr("tz_unknown"))
			return nil
		}
		t.user.Timezone, msg = zone, t.tr("tz_set", zone)
	case SettingLanguage:
		if u.SettingValue != "ru" && u.SettingValue != "en" {
			t.say(t.tr("lang_unknown"))
			return nil
		}
		t.user.Locale, s.LangLocked, t.lang = u.SettingValue, true, u.SettingValue
		msg = t.tr("lang_set")
	case SettingMorning, SettingEvening:
		if u.Time == nil {
			t.say(t.tr("need_time"))
			return nil
		}
		if u.Setting == SettingMorning {
			s.MorningPlan, msg = u.Time, t.tr("morning_set", u.Time.String())
		} else {
			s.EveningCheckin, msg = u.Time, t.tr("evening_set", u.Time.String())
		}
	case SettingQuietHours:
		if u.Time == nil || u.EndTime == nil {
			t.say(t.tr("need_quiet_range"))
			return nil
		}
		s.QuietFrom, s.QuietTo = u.Time, u.EndTime
		msg = t.tr("quiet_set", u.Time.String(), u.EndTime.String())
	case SettingPause:
		if u.Due == nil || !u.Due.After(t.today) {
			t.say(t.tr("need_pause_date"))
			return nil
		}
		s.PausedUntil, msg = u.Due, t.tr("paused", fullDate(t.lang, *u.Due, t.today))
	case SettingResume:
		s.PausedUntil, msg = nil, t.tr("resumed")
	default:
		t.say(t.describeSettings())
		return nil
	}
	if err := t.tx.UpdateUser(ctx, t.user); err != nil {
		return err
	}
	t.say("⚙️ " + msg)
	return nil
}

func (t *turn) describeSettings() string {
	s := t.user.Settings
	clock := func(c *ClockTime, def string) string {
		if c == nil {
			return def
		}
		return c.String()
	}
	quiet := t.tr("not_set")
	if s.QuietFrom != nil && s.QuietTo != nil {
		quiet = s.QuietFrom.String() + "–" + s.QuietTo.String()
	}
	paused := t.tr("not_paused")
	if s.PausedUntil != nil && !s.PausedUntil.Before(t.today) {
		paused = fullDate(t.lang, *s.PausedUntil, t.today)
	}
	return t.tr("settings_show", t.user.Timezone, t.tr("lang_name"), clock(s.MorningPlan, "08:30"), clock(s.EveningCheckin, "19:00"),
		quiet, duration(t.lang, s.Capacity()), paused)
}

// cityPoint is a city whose zone stands for the region around it.
type cityPoint struct {
	lat, lon float64
	zone     string
}

var cityPoints = []cityPoint{
	{55.75, 37.62, "Europe/Moscow"}, {59.94, 30.31, "Europe/Moscow"}, {54.71, 20.51, "Europe/Kaliningrad"},
	{53.20, 50.15, "Europe/Samara"}, {56.84, 60.61, "Asia/Yekaterinburg"}, {54.99, 73.37, "Asia/Omsk"},
	{55.03, 82.92, "Asia/Novosibirsk"}, {56.01, 92.87, "Asia/Krasnoyarsk"}, {52.29, 104.28, "Asia/Irkutsk"},
	{62.03, 129.73, "Asia/Yakutsk"}, {43.12, 131.89, "Asia/Vladivostok"}, {59.57, 150.80, "Asia/Magadan"},
	{53.02, 158.65, "Asia/Kamchatka"}, {50.45, 30.52, "Europe/Kyiv"}, {53.90, 27.57, "Europe/Minsk"},
	{43.24, 76.89, "Asia/Almaty"}, {41.31, 69.24, "Asia/Tashkent"}, {40.41, 49.87, "Asia/Baku"},
	{41.72, 44.79, "Asia/Tbilisi"}, {40.18, 44.51, "Asia/Yerevan"}, {41.01, 28.98, "Europe/Istanbul"},
	{51.51, -0.13, "Europe/London"}, {52.52, 13.40, "Europe/Berlin"}, {48.86, 2.35, "Europe/Paris"},
	{40.42, -3.70, "Europe/Madrid"}, {41.90, 12.50, "Europe/Rome"}, {52.23, 21.01, "Europe/Warsaw"},
	{25.20, 55.27, "Asia/Dubai"}, {28.61, 77.21, "Asia/Kolkata"}, {13.76, 100.50, "Asia/Bangkok"},
	{1.35, 103.82, "Asia/Singapore"}, {39.90, 116.40, "Asia/Shanghai"}, {35.68, 139.69, "Asia/Tokyo"},
	{-33.87, 151.21, "Australia/Sydney"}, {40.71, -74.01, "America/New_York"}, {41.88, -87.63, "America/Chicago"},
	{39.74, -104.99, "America/Denver"}, {34.05, -118.24, "America/Los_Angeles"}, {19.43, -99.13, "America/Mexico_City"},
	{-23.55, -46.63, "America/Sao_Paulo"}, {-34.60, -58.38, "America/Argentina/Buenos_Aires"}, {30.04, 31.24, "Africa/Cairo"},
	{-26.20, 28.05, "Africa/Johannesburg"}, {6.52, 3.38, "Africa/Lagos"}, {43.65, -79.38, "America/Toronto"},
	{49.28, -123.12, "America/Vancouver"}, {21.31, -157.86, "Pacific/Honolulu"}, {64.15, -21.94, "Atlantic/Reykjavik"},
}

// ZoneAt returns the time zone of the known city nearest to loc.
func ZoneAt(loc Location) string {
	best, bestD := "UTC", math.Inf(1)
	for _, c := range cityPoints {
		dLat := c.lat - loc.Latitude
		dLon := (c.lon - loc.Longitude) * math.Cos(loc.Latitude*math.Pi/180)
		if d := dLat*dLat + dLon*dLon; d < bestD {
			best, bestD = c.zone, d
		}
	}
	return best
}
