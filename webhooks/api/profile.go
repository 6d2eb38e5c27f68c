package api

import (
	"context"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/account"
)

// GetProfile implements StrictServerInterface.
func (s *Server) GetProfile(ctx context.Context, _ GetProfileRequestObject) (GetProfileResponseObject, error) {
	var out Profile
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		out = profileOf(u)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return GetProfile200JSONResponse{Body: out, Headers: GetProfile200ResponseHeaders{ETag: etag(out)}}, nil
}

// UpdateProfile implements StrictServerInterface: each setting changed through account.Apply,
// as the chat's settings change it, the name through account.Save; one refused changes nothing.
func (s *Server) UpdateProfile(ctx context.Context, req UpdateProfileRequestObject) (UpdateProfileResponseObject, error) {
	if req.Body == nil {
		return nil, core.Errorf(core.EINVALID, "a change is needed")
	}
	changes, err := changesOf(req.Body)
	if err != nil {
		return nil, err
	}
	var out Profile
	err = s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		if err := ifMatch(req.Params.IfMatch, profileOf(u)); err != nil {
			return err
		}
		if name := req.Body.Name; name != nil {
			next := *u
			next.Name = *name
			if err := account.Save(ctx, tx, &next); err != nil {
				return err
			}
			*u = next
		}
		for _, c := range changes {
			if err := account.Apply(ctx, tx, u, c); err != nil {
				return err
			}
		}
		out = profileOf(u)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return UpdateProfile200JSONResponse{Body: out, Headers: UpdateProfile200ResponseHeaders{ETag: etag(out)}}, nil
}

// changesOf reads a profile patch as the settings changes it makes.
func changesOf(b *ProfilePatch) ([]account.Change, error) {
	var out []account.Change
	clock := func(s *string) (*core.ClockTime, error) {
		if s == nil {
			return nil, nil
		}
		c, err := clockOf(*s)
		return &c, err
	}
	if b.Language != nil {
		out = append(out, account.Change{Setting: core.SettingLanguage, Lang: string(*b.Language)})
	}
	if b.Timezone != nil {
		out = append(out, account.Change{Setting: core.SettingTimezone, Zone: *b.Timezone})
	}
	for _, t := range []struct {
		setting core.Setting
		at      *string
	}{{core.SettingMorning, b.MorningPlanTime}, {core.SettingEvening, b.EveningCheckinTime}} {
		at, err := clock(t.at)
		if err != nil {
			return nil, err
		}
		if at != nil {
			out = append(out, account.Change{Setting: t.setting, Time: at})
		}
	}
	if b.WeeklyReportDay != nil || b.WeeklyReportTime != nil {
		at, err := clock(b.WeeklyReportTime)
		if err != nil {
			return nil, err
		}
		c := account.Change{Setting: core.SettingWeeklyReport, Time: at}
		if b.WeeklyReportDay != nil {
			c.Days = []int{*b.WeeklyReportDay}
		}
		out = append(out, c)
	}
	if b.QuietFrom != nil || b.QuietTo != nil {
		from, err := clock(b.QuietFrom)
		if err != nil {
			return nil, err
		}
		to, err := clock(b.QuietTo)
		if err != nil {
			return nil, err
		}
		out = append(out, account.Change{Setting: core.SettingQuietHours, Time: from, EndTime: to})
	}
	if b.WorkingDays != nil {
		out = append(out, account.Change{Setting: core.SettingWorkingDays, Days: *b.WorkingDays})
	}
	if b.DailyCapacityMin != nil {
		out = append(out, account.Change{Setting: core.SettingCapacity, Minutes: *b.DailyCapacityMin})
	}
	if b.ReminderLeadMin != nil {
		out = append(out, account.Change{Setting: core.SettingReminderLead, Minutes: *b.ReminderLeadMin})
	}
	switch {
	case b.PausedUntil != nil && b.Resume != nil && *b.Resume:
		return nil, core.Errorf(core.EINVALID, "pause or resume, not both")
	case b.PausedUntil != nil:
		d := dateOf(*b.PausedUntil)
		out = append(out, account.Change{Setting: core.SettingPause, Until: &d})
	case b.Resume != nil && *b.Resume:
		out = append(out, account.Change{Setting: core.SettingResume})
	}
	return out, nil
}

func profileOf(u *core.User) Profile {
	st := u.Settings
	day, weekly := st.WeeklyReport()
	wd := int(day)
	if wd == 0 {
		wd = 7
	}
	out := Profile{Id: u.ID, Name: u.Name, Language: ProfileLanguage(u.Locale), Timezone: u.Timezone,
		MorningPlanTime: st.Morning().String(), EveningCheckinTime: st.Evening().String(), WeeklyReportDay: wd,
		WeeklyReportTime: weekly.String(), WorkingDays: st.WorkingDays, DailyCapacityMin: st.Capacity(), ReminderLeadMin: st.ReminderLeadMin}
	if len(out.WorkingDays) == 0 {
		out.WorkingDays = []int{1, 2, 3, 4, 5}
	}
	if st.QuietFrom != nil && st.QuietTo != nil {
		from, to := st.QuietFrom.String(), st.QuietTo.String()
		out.QuietFrom, out.QuietTo = &from, &to
	}
	if st.PausedUntil != nil {
		out.PausedUntil = apiDate(*st.PausedUntil)
	}
	return out
}
