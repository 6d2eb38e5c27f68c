package chat

import (
	"context"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/calendar"
	"github.com/bizconnect/bizconnect/core/locale"
)

// PushCalendar is what the assistant says of the calendar connection unasked: connected, or
// refused by Google.
const PushCalendar PushKind = "calendar"

// CalendarLinks makes a user's link to connect Google Calendar (blocking: with permission to
// write events, for time blocking); nil when no calendar is configured.
type CalendarLinks func(user uuid.UUID, lang string, blocking bool) string

// calendar answers what the user asked of their calendar: connect, disconnect, block_on,
// block_off. Everything about it is the user's alone.
func (t *turn) calendar(ctx context.Context, what string) error {
	if t.a.calendarLinks == nil {
		t.say("📅 " + t.tr("calendar_unavailable"))
		return nil
	}
	link, err := t.tx.CalendarLink(ctx)
	connected := err == nil && link.Status == core.CalendarActive
	if err != nil && core.ErrorCode(err) != core.ENOTFOUND {
		return err
	}
	linkText := func(key string, blocking bool) string {
		return "📅 " + t.tr(key, t.a.calendarLinks(t.user.ID, t.lang, blocking), locale.Plural(t.lang, int(calendar.LinkTTL/time.Minute), "minute_acc"))
	}
	switch {
	case what == "disconnect" && (!connected && link.Status != core.CalendarRevoked):
		t.say("📅 " + t.tr("calendar_none"))
	case what == "disconnect":
		if err := calendar.Disconnect(ctx, t.tx, t.user.ID); err != nil {
			return err
		}
		t.say("📅 " + t.tr("calendar_disconnected"))
	case what == "block_on" && connected && link.CanBlock, what == "block_off" && connected:
		if err := calendar.SetBlocking(ctx, t.tx, t.user.ID, what == "block_on"); err != nil {
			return err
		}
		key := "calendar_blocking_off"
		if what == "block_on" {
			key = "calendar_blocking_on"
		}
		t.say("📅 " + t.tr(key))
	case what == "block_on":
		t.say(linkText("calendar_blocking_grant", true))
	case connected:
		return t.calendarStatus(ctx, link)
	case link.Status == core.CalendarRevoked:
		t.say(linkText("calendar_reconnect", false))
	default:
		t.say(linkText("calendar_connect", false))
	}
	return nil
}

// calendarStatus says the connection works, what tomorrow holds and whether tasks are blocked.
func (t *turn) calendarStatus(ctx context.Context, link core.CalendarLink) error {
	tomorrow := t.today.AddDays(1)
	busy, err := t.tx.BusyMinutes(ctx, tomorrow, tomorrow)
	if err != nil {
		return err
	}
	text := t.tr("calendar_status") + "\n" + t.busyLine(tomorrow, busy[tomorrow])
	if link.TimeBlocking {
		text += "\n" + t.tr("calendar_status_blocking")
	} else {
		text += "\n" + t.tr("calendar_status_no_blocking")
	}
	t.say("📅 " + text)
	return nil
}

// busyLine says what the calendar holds on day and what it leaves for tasks.
func (t *turn) busyLine(day core.Date, busy int) string {
	name := locale.DayWord(t.lang, day, t.today)
	if busy == 0 {
		return t.tr("calendar_day_free", capitalized(name), locale.Duration(t.lang, t.user.Settings.Capacity()))
	}
	return t.tr("calendar_day_busy", capitalized(name), locale.Duration(t.lang, busy), locale.Duration(t.lang, t.user.Settings.FreeMinutes(busy)))
}

// RunCalendarWelcome tells the user their calendar is connected and what the next days hold
// (once per connection).
func (a *Assistant) RunCalendarWelcome(ctx context.Context, user uuid.UUID, connected time.Time, blocking bool, today core.Date, busy map[core.Date]int) error {
	return a.pushOnce(ctx, user, func(ctx context.Context, tx core.Tx, u *core.User) error {
		_, err := a.push(ctx, tx, u, PushCalendar, "connected@"+strconv.FormatInt(connected.Unix(), 10), tx.Now(),
			func(ctx context.Context, t *turn) error {
				tomorrow := today.AddDays(1)
				text := t.tr("calendar_welcome") + "\n" + t.busyLine(today, busy[today]) + "\n" + t.busyLine(tomorrow, busy[tomorrow])
				if blocking {
					text += "\n" + t.tr("calendar_status_blocking")
				}
				t.say("📅 " + text)
				return nil
			})
		return err
	})
}

// RunCalendarRevoked tells the user, once per refusal, that Google no longer lets the assistant
// read their calendar, with a link to connect again.
func (a *Assistant) RunCalendarRevoked(ctx context.Context, user uuid.UUID, at time.Time) error {
	return a.pushOnce(ctx, user, func(ctx context.Context, tx core.Tx, u *core.User) error {
		_, err := a.push(ctx, tx, u, PushCalendar, "revoked@"+strconv.FormatInt(at.Unix(), 10), tx.Now(),
			func(ctx context.Context, t *turn) error {
				if a.calendarLinks == nil {
					return nil
				}
				t.say("📅 " + t.tr("calendar_revoked", a.calendarLinks(u.ID, t.lang, false), locale.Plural(t.lang, int(calendar.LinkTTL/time.Minute), "minute_acc")))
				return nil
			})
		return err
	})
}

// pushOnce runs a push's transaction as user: one written before (the same occurrence) or a
// user gone is no error.
func (a *Assistant) pushOnce(ctx context.Context, user uuid.UUID, fn func(ctx context.Context, tx core.Tx, u *core.User) error) error {
	_, err := pushOutcome("", a.store.InUser(ctx, user, fn))
	return err
}

// SetCalendarLinks turns the calendar commands on: links are made by links. Call it before the
// assistant handles anything.
func (a *Assistant) SetCalendarLinks(links CalendarLinks) { a.calendarLinks = links }
