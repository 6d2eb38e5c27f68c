package account_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/account"
	"github.com/bizconnect/bizconnect/core/coretest"
)

func TestSettingsChangesAreCheckedThenSaved(t *testing.T) {
	t.Parallel()
	db := coretest.NewDB(t)
	db.NowFunc = func() time.Time { return time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC) }
	anna := coretest.User(t, db, coretest.UserOpts{})
	ctx := context.Background()
	eight, ten := core.NewClockTime(8, 0), core.NewClockTime(22, 0)
	monday, yesterday := core.Date{Year: 2026, Month: 11, Day: 30}, core.Date{Year: 2026, Month: 11, Day: 24}
	db.As(t, anna, func(ctx context.Context, tx core.Tx, u *core.User) error {
		for _, c := range []struct {
			change account.Change
			want   error
		}{
			{account.Change{Setting: core.SettingTimezone, Zone: "Asia/Novosibirsk"}, nil},
			{account.Change{Setting: core.SettingTimezone, Zone: "Mars/Olympus"}, account.ErrUnknownZone},
			{account.Change{Setting: core.SettingLanguage, Lang: "en"}, nil},
			{account.Change{Setting: core.SettingLanguage, Lang: "de"}, account.ErrUnknownLanguage},
			{account.Change{Setting: core.SettingMorning, Time: &eight}, nil},
			{account.Change{Setting: core.SettingEvening}, account.ErrNeedTime},
			{account.Change{Setting: core.SettingQuietHours, Time: &ten}, account.ErrNeedRange},
			{account.Change{Setting: core.SettingQuietHours, Time: &ten, EndTime: &eight}, nil},
			{account.Change{Setting: core.SettingPause, Until: &yesterday}, account.ErrNeedFutureDate},
			{account.Change{Setting: core.SettingPause, Until: &monday}, nil},
			{account.Change{Setting: core.SettingCapacity, Minutes: 20}, account.ErrCapacityRange},
			{account.Change{Setting: core.SettingCapacity, Minutes: 17 * 60}, account.ErrCapacityRange},
			{account.Change{Setting: core.SettingCapacity, Minutes: 240}, nil},
		} {
			before := *u
			err := account.Apply(ctx, tx, u, c.change)
			if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
				t.Errorf("%+v: %v, want %v", c.change, err, c.want)
			}
			if err != nil && (u.Timezone != before.Timezone || u.Locale != before.Locale) {
				t.Errorf("%+v: a refused change changed the user", c.change)
			}
		}
		return nil
	})
	var got string
	if err := db.Super.QueryRow(ctx, `SELECT timezone || ' ' || locale || ' ' || (settings->>'lang_locked') || ' ' || (settings->>'morning_plan_time') || ' ' ||
		(settings->>'quiet_from') || '-' || (settings->>'quiet_to') || ' ' || (settings->>'paused_until') || ' ' || (settings->>'daily_capacity_min') FROM users`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "Asia/Novosibirsk en true 08:00 22:00-08:00 2026-11-30 240" {
		t.Fatalf("stored: %s", got)
	}
}
