package calendar

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/locale"
	"github.com/bizconnect/bizconnect/core/vault"
)

// Connection is a calendar connection as the sync sees it, its tokens sealed.
type Connection struct {
	ID, User        uuid.UUID
	Status          string
	Scopes          []string
	TimeBlocking    bool
	Access, Refresh []byte // sealed with the vault under KeyID, the connection's id as additional data
	KeyID           string
	Expiry          time.Time
	SyncedAt        *time.Time // nil until the first sync after connecting
	ConnectedAt     time.Time  // when the grant was given: a sync of an older grant saves nothing
	RevokedAt       *time.Time
}

// CanBlock reports whether the grant lets the assistant write events.
func (c Connection) CanBlock() bool { return slices.Contains(c.Scopes, EventsScope) }

// Store keeps the connections (as service_role: the tokens are no user's to read).
type Store interface {
	// Connect saves a new grant of user's, replacing any: seal gets the connection's id (the
	// one it has, or a new one) and returns it with the sealed tokens and the scopes; blocking
	// turns time blocking on.
	Connect(ctx context.Context, user uuid.UUID, blocking bool, seal func(id uuid.UUID) (Connection, error)) error
	// Connection is user's Google Calendar connection; ENOTFOUND when there is none.
	Connection(ctx context.Context, user uuid.UUID) (Connection, error)
	// SaveSync records a sync of c's grant that started at: the tokens (refreshed or not), the
	// busy days from..to (replacing what was stored for them), the blocks written and those
	// removed; nothing when the connection was given again or disconnected meanwhile.
	SaveSync(ctx context.Context, c Connection, from, to core.Date, days map[core.Date]Busy, at time.Time, put []Block, gone []uuid.UUID) error
	// Revoke marks c's grant revoked at at (its busy days from today go) and reports whether
	// it was active until now.
	Revoke(ctx context.Context, c Connection, at time.Time) (bool, error)
	// Failed records a failed sync of c's grant at at and returns how many failed in a row; the
	// next is not due before a backoff.
	Failed(ctx context.Context, c Connection, at time.Time) (int, error)
	// Remove deletes the connection, its busy days and blocks.
	Remove(ctx context.Context, c Connection) error
	// Leftovers are up to n connections deleted without the sync (their user deleted, accounts
	// linked), oldest first: grants to revoke and blocks ahead to delete in Google.
	Leftovers(ctx context.Context, n int) ([]Leftover, error)
	// DropLeftover forgets a leftover cleaned up.
	DropLeftover(ctx context.Context, connection uuid.UUID) error
	// Blocks are the blocks written for the connection.
	Blocks(ctx context.Context, c Connection) ([]Block, error)
	// Due are up to n users whose connection wants a sync: not synced since staleBefore, tasks
	// changed since the last sync (time blocking), or disconnected; none waiting out a backoff.
	Due(ctx context.Context, staleBefore time.Time, n int) ([]uuid.UUID, error)
}

// Leftover is what a connection deleted without the sync left in Google.
type Leftover struct {
	Connection Connection // its id and sealed tokens
	EventIDs   []string   // its blocks that were still ahead
	Since      time.Time
}

// LeftoverTTL is how long a leftover Google keeps refusing to clean is tried.
const LeftoverTTL = 24 * time.Hour

// MaxFailures is how many syncs may fail in a row (about a day with the backoff) before
// the connection is taken for broken and the user asked to connect again.
const MaxFailures = 10

// Syncer reads calendars and writes time blocks.
type Syncer struct {
	Google *Google
	Store  Store
	Users  core.Store // the user's zone, today and tasks, read as the user
	Vault  *vault.Vault
	// Notify tells the user, once, that Google refused the grant and how to connect again.
	Notify func(ctx context.Context, user uuid.UUID, at time.Time) error
	// Welcome tells the user, once per connection, that the calendar is connected and what it
	// holds from today on.
	Welcome func(ctx context.Context, user uuid.UUID, connected time.Time, blocking bool, today core.Date, days map[core.Date]Busy) error
	// Days is how many days from today are read (default 14).
	Days    int
	NowFunc func() time.Time
	Logger  *slog.Logger
}

func (s *Syncer) now() time.Time { return clock(s.NowFunc) }

func (s *Syncer) days() int {
	if s.Days > 0 {
		return s.Days
	}
	return 14
}

func (s *Syncer) log() *slog.Logger { return orDiscard(s.Logger) }

// Sync reads user's calendar into their busy days and writes their time blocks; a
// disconnected connection is removed (its blocks deleted, the grant revoked). A refused grant
// marks the connection revoked and tells the user once; a revoked connection waits for the user
// to connect again. A failure is recorded for the pass to try again after a backoff, and after
// MaxFailures in a row the grant is taken for refused: the job itself is done either way.
func (s *Syncer) Sync(ctx context.Context, user uuid.UUID) error {
	c, err := s.Store.Connection(ctx, user)
	if core.ErrorCode(err) == core.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if c.Status == core.CalendarRevoked { // told already, unless telling failed: the push is keyed
		if s.Notify != nil && c.RevokedAt != nil {
			return s.Notify(ctx, c.User, *c.RevokedAt)
		}
		return nil
	}
	tok, err := s.token(c)
	if err != nil { // a key gone from the vault: the grant can't be used again
		s.log().Error("calendar: open grant", "user", c.User, "err", err)
		if c.Status == core.CalendarDisconnected {
			return s.Store.Remove(ctx, c)
		}
		return s.refused(ctx, c, fmt.Errorf("%w: %w", ErrRevoked, err))
	}
	err = s.sync(ctx, c, tok)
	if errors.Is(err, errUnauthorized) { // a stale access token: refresh and try once more
		tok.AccessToken, tok.Expiry = "", time.Time{}
		err = s.sync(ctx, c, tok)
		if errors.Is(err, errUnauthorized) {
			err = fmt.Errorf("%w: %w", ErrRevoked, err)
		}
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrRevoked):
		return s.refused(ctx, c, err)
	case ctx.Err() != nil:
		return err
	}
	n, ferr := s.Store.Failed(ctx, c, s.now())
	if ferr != nil {
		return errors.Join(err, ferr)
	}
	s.log().Warn("calendar: sync failed", "user", c.User, "failures", n, "err", err)
	if n >= MaxFailures {
		return s.refused(ctx, c, fmt.Errorf("%w: %d syncs failed: %w", ErrRevoked, n, err))
	}
	return nil
}

// sync is one attempt of Sync with tok.
func (s *Syncer) sync(ctx context.Context, c Connection, tok *oauth2.Token) error {
	sess, err := s.Google.Open(ctx, tok)
	if err != nil {
		return err
	}
	if c.Status == core.CalendarDisconnected {
		return s.remove(ctx, c, sess, tok)
	}
	started := s.now()
	var loc *time.Location
	var today core.Date
	var tasks []core.Task
	lang := "en"
	err = s.Users.InUser(ctx, c.User, func(ctx context.Context, tx core.Tx, u *core.User) error {
		loc, today, lang = u.Location(), core.Today(tx, u), u.Locale
		if !c.TimeBlocking {
			return nil
		}
		var err error
		tasks, err = tx.FindTasks(ctx, core.TaskFilter{OpenOnly: true, From: today, To: today.AddDays(s.days() - 1)})
		return err
	})
	if err != nil {
		return err
	}
	last := today.AddDays(s.days() - 1)
	busy, err := sess.FreeBusy(ctx, today.In(loc), last.AddDays(1).In(loc))
	if err != nil {
		return err
	}
	var put []Block
	var gone []uuid.UUID
	if c.CanBlock() { // with time blocking off, the blocks ahead are removed
		var want []Block
		if c.TimeBlocking {
			want = Place(tasks, busy, loc, today, last, started)
		}
		if put, gone, err = s.block(ctx, sess, c, want, lang); err != nil {
			return err
		}
	}
	if err := s.reseal(&c, sess); err != nil {
		return err
	}
	days := Days(busy, loc, today, last)
	if c.SyncedAt == nil && s.Welcome != nil { // before the save: a retry welcomes again, once (the push is keyed)
		if err := s.Welcome(ctx, c.User, c.ConnectedAt, c.TimeBlocking, today, days); err != nil {
			return err
		}
	}
	return s.Store.SaveSync(ctx, c, today, last, days, started, put, gone)
}

// Clean deletes in Google what connections deleted without the sync left there (up to n of
// them): their blocks ahead, then their grant. A leftover Google fails on is tried again on the
// next pass, for LeftoverTTL. It returns how many it cleaned.
func (s *Syncer) Clean(ctx context.Context, n int) (int, error) {
	left, err := s.Store.Leftovers(ctx, n)
	if err != nil {
		return 0, err
	}
	done := 0
	for _, l := range left {
		err := s.clean(ctx, l)
		if err != nil && s.now().Sub(l.Since) < LeftoverTTL && !errors.Is(err, ErrRevoked) {
			s.log().Warn("calendar: clean up a deleted connection", "connection", l.Connection.ID, "err", err)
			continue
		}
		if err := s.Store.DropLeftover(ctx, l.Connection.ID); err != nil {
			return done, err
		}
		done++
	}
	return done, nil
}

func (s *Syncer) clean(ctx context.Context, l Leftover) error {
	tok, err := s.token(l.Connection)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrRevoked, err) // nothing to clean with
	}
	sess, err := s.Google.Open(ctx, tok)
	if err != nil {
		return err
	}
	for _, id := range l.EventIDs {
		if err := sess.Delete(ctx, id); err != nil {
			return err
		}
	}
	return s.Google.Revoke(ctx, tok)
}

// block brings the calendar's blocks in line with want: new ones written, changed ones patched,
// those of tasks done, moved away or deleted removed while still ahead (a block in the past
// stays: the time was spent). It returns what it wrote and what it removed.
func (s *Syncer) block(ctx context.Context, sess *Session, c Connection, want []Block, lang string) ([]Block, []uuid.UUID, error) {
	have, err := s.Store.Blocks(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	old := map[uuid.UUID]Block{}
	for _, b := range have {
		old[b.Task] = b
	}
	note := locale.T(lang, "calendar_block_note")
	var put []Block
	for _, b := range want {
		o, ok := old[b.Task]
		delete(old, b.Task)
		if ok && o.Same(b) || len(put) >= MaxBlocks { // beyond the bound: next time, and nothing removed
			continue
		}
		if b.EventID, err = sess.Put(ctx, o.EventID, b, note); err != nil {
			return put, nil, err
		}
		put = append(put, b)
	}
	var gone []uuid.UUID
	now := s.now()
	for task, b := range old {
		if !b.End.After(now) {
			continue
		}
		if err := sess.Delete(ctx, b.EventID); err != nil {
			return put, gone, err
		}
		gone = append(gone, task)
	}
	return put, gone, nil
}

// remove deletes what the connection wrote to the calendar, revokes the grant and forgets it.
// Google refusing (the grant is gone already) does not keep it.
func (s *Syncer) remove(ctx context.Context, c Connection, sess *Session, tok *oauth2.Token) error {
	blocks, err := s.Store.Blocks(ctx, c)
	if err != nil {
		return err
	}
	for _, b := range blocks {
		if !b.End.After(s.now()) {
			continue
		}
		if err := sess.Delete(ctx, b.EventID); errors.Is(err, ErrRevoked) {
			break
		} else if err != nil {
			return err
		}
	}
	if err := s.Google.Revoke(ctx, tok); err != nil {
		s.log().Warn("calendar: revoke on disconnect", "user", c.User, "err", err)
	}
	return s.Store.Remove(ctx, c)
}

// refused records a refused grant (and tells the user, once), or returns err as it is.
func (s *Syncer) refused(ctx context.Context, c Connection, err error) error {
	if !errors.Is(err, ErrRevoked) {
		return err
	}
	at := s.now().Truncate(time.Microsecond) // as stored: a retry tells of the same moment
	first, rerr := s.Store.Revoke(ctx, c, at)
	if rerr != nil {
		return rerr
	}
	s.log().Info("calendar: grant refused", "user", c.User, "first", first)
	if first && s.Notify != nil {
		return s.Notify(ctx, c.User, at)
	}
	return nil
}

// token opens the connection's sealed tokens.
func (s *Syncer) token(c Connection) (*oauth2.Token, error) {
	if s.Vault == nil {
		return nil, errors.New("calendar: no vault to open tokens with")
	}
	refresh, err := s.Vault.Open(c.Refresh, c.KeyID, sealedAs(c.ID, "refresh"))
	if err != nil {
		return nil, fmt.Errorf("calendar: open refresh token: %w", err)
	}
	tok := &oauth2.Token{RefreshToken: string(refresh), Expiry: c.Expiry, TokenType: "Bearer"}
	if len(c.Access) > 0 {
		access, err := s.Vault.Open(c.Access, c.KeyID, sealedAs(c.ID, "access"))
		if err != nil {
			return nil, fmt.Errorf("calendar: open access token: %w", err)
		}
		tok.AccessToken = string(access)
	}
	return tok, nil
}

// reseal stores the session's token in c, sealed (the access token may have been refreshed).
func (s *Syncer) reseal(c *Connection, sess *Session) error {
	tok, err := sess.Token()
	if err != nil {
		return err
	}
	return Seal(s.Vault, c, tok)
}

// Seal puts tok in c, sealed with v under c.ID: a ciphertext opens only for its connection and
// field (a refresh token copied into the access column, or to another row, does not).
func Seal(v *vault.Vault, c *Connection, tok *oauth2.Token) error {
	refresh, keyID, err := v.Seal([]byte(tok.RefreshToken), sealedAs(c.ID, "refresh"))
	if err != nil {
		return err
	}
	access, _, err := v.Seal([]byte(tok.AccessToken), sealedAs(c.ID, "access"))
	if err != nil {
		return err
	}
	c.Access, c.Refresh, c.KeyID, c.Expiry = access, refresh, keyID, tok.Expiry
	return nil
}

// sealedAs is the additional data a token of connection id is sealed with: the connection, not
// the user, whose id changes when accounts are linked.
func sealedAs(id uuid.UUID, field string) []byte { return []byte("gcal:" + id.String() + ":" + field) }

// SetBlocking turns the user's time blocking on or off and asks for a sync, which writes the
// blocks or removes those ahead: the chat's and the API's one operation.
func SetBlocking(ctx context.Context, tx core.Tx, user uuid.UUID, on bool) error {
	if err := tx.SetTimeBlocking(ctx, on); err != nil {
		return err
	}
	_, err := tx.Later(ctx, core.CalendarSyncJob{User: user})
	return err
}

// Disconnect marks the user's calendar disconnected and asks for the sync that removes it.
func Disconnect(ctx context.Context, tx core.Tx, user uuid.UUID) error {
	if err := tx.DisconnectCalendar(ctx); err != nil {
		return err
	}
	_, err := tx.Later(ctx, core.CalendarSyncJob{User: user})
	return err
}
