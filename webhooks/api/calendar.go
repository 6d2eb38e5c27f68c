package api

import (
	"context"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/calendar"
)

// calendarDays is how far ahead GetCalendar shows the busy days: what the sync reads.
const calendarDays = 14

// GetCalendar implements StrictServerInterface.
func (s *Server) GetCalendar(ctx context.Context, _ GetCalendarRequestObject) (GetCalendarResponseObject, error) {
	var out CalendarConnection
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		var err error
		out, err = calendarOf(ctx, tx, u)
		return err
	})
	if err != nil {
		return nil, err
	}
	return GetCalendar200JSONResponse(out), nil
}

// calendarOf is the user's connection as the API shows it.
func calendarOf(ctx context.Context, tx core.Tx, u *core.User) (CalendarConnection, error) {
	out := CalendarConnection{Status: "none", Busy: []CalendarDay{}}
	l, err := tx.CalendarLink(ctx)
	if core.ErrorCode(err) == core.ENOTFOUND {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	out.Status, out.CanBlock, out.TimeBlocking, out.SyncedAt = CalendarConnectionStatus(l.Status), l.CanBlock, l.TimeBlocking, l.SyncedAt
	today := core.Today(tx, u)
	busy, err := tx.BusyMinutes(ctx, today, today.AddDays(calendarDays-1))
	if err != nil {
		return out, err
	}
	for d := today; d.Before(today.AddDays(calendarDays)); d = d.AddDays(1) {
		if m, ok := busy[d]; ok {
			out.Busy = append(out.Busy, CalendarDay{Date: apiDay(d), BusyMin: m, FreeMin: u.Settings.FreeMinutes(m)})
		}
	}
	return out, nil
}

// UpdateCalendar implements StrictServerInterface.
func (s *Server) UpdateCalendar(ctx context.Context, req UpdateCalendarRequestObject) (UpdateCalendarResponseObject, error) {
	if req.Body == nil {
		return nil, core.Errorf(core.EINVALID, "time_blocking is needed")
	}
	var out CalendarConnection
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		l, err := tx.CalendarLink(ctx)
		if err != nil {
			return err
		}
		if req.Body.TimeBlocking && !l.CanBlock {
			return core.Errorf(core.ECONFLICT, "the grant doesn't allow writing events: connect again with time_blocking")
		}
		if err := calendar.SetBlocking(ctx, tx, u.ID, req.Body.TimeBlocking); err != nil {
			return err
		}
		out, err = calendarOf(ctx, tx, u)
		return err
	})
	if err != nil {
		return nil, err
	}
	return UpdateCalendar200JSONResponse(out), nil
}

// DisconnectCalendar implements StrictServerInterface.
func (s *Server) DisconnectCalendar(ctx context.Context, _ DisconnectCalendarRequestObject) (DisconnectCalendarResponseObject, error) {
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		return calendar.Disconnect(ctx, tx, u.ID)
	})
	if err != nil {
		return nil, err
	}
	return DisconnectCalendar204Response{}, nil
}

// ConnectCalendar implements StrictServerInterface.
func (s *Server) ConnectCalendar(ctx context.Context, req ConnectCalendarRequestObject) (ConnectCalendarResponseObject, error) {
	if s.CalendarLinks == nil {
		return nil, core.Errorf(core.ENOTFOUND, "Google Calendar is not configured on this server")
	}
	blocking := req.Body != nil && req.Body.TimeBlocking != nil && *req.Body.TimeBlocking
	var out ConnectCalendar200JSONResponse
	err := s.as(ctx, func(ctx context.Context, tx core.Tx, u *core.User) error {
		out = ConnectCalendar200JSONResponse{Url: s.CalendarLinks(u.ID, u.Locale, blocking), ExpiresAt: time.Now().Add(calendar.LinkTTL).UTC()}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
