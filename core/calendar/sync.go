package calendar

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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
	Access, Refresh []byte // sealed with the vault, KeyID's key, the user's id as additional data
	KeyID           string
	Expiry          time.Time
	SyncedAt        *time.Time // nil until the first sync after connecting
	ConnectedAt     time.Time
}

// Store keeps the connections (as service_role: the tokens are no user's to read).
type Store interface {
	// Connect saves a new grant of user's, replacing any: active, with its scopes; blocking
	// turns time blocking on.
	Connect(ctx context.Context, c Connection, blocking bool) error
	// Connection is user's Google Calendar connection; ENOTFOUND when there is none.
	Connection(ctx context.Context, user uuid.UUID) (Connection, error)
	// SaveSync records a sync that started at: the tokens (refreshed or not), the busy days
	// from..to (replacing what was stored for them), the blocks written and those removed.
	SaveSync(ctx context.Context, c Connection, from, to core.Date, days map[core.Date]Busy, at time.Time, put []Block, gone []uuid.UUID) error
	// Revoke marks the connection revoked at at and reports whether it was active until now.
	Revoke(ctx context.Context, c Connection, at time.Time) (bool, error)
	// Remove deletes the connection, its busy days and blocks.
	Remove(ctx context.Context, c Connection) error
	// Blocks are the blocks written for the connection.
	Blocks(ctx context.Context, c Connection) ([]Block, error)
	// Due are up to n users whose connection wants a sync: not synced since staleBefore, tasks
	// changed since the last sync (time blocking), or disconnected.
	Due(ctx context.Context, staleBefore time.Time, n int) ([]uuid.UUID, error)
}

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

func (s *Syncer) now() time.Time {
	if s.NowFunc != nil {
		return s.NowFunc()
	}
	return time.Now()
}

func (s *Syncer) days() int {
	if s.Days > 0 {
		return s.Days
	}
	return 14
}

func (s *Syncer) log() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Sync reads user's calendar into their busy days and writes their time blocks; a
// disconnected connection is removed (its blocks deleted, the grant revoked). A refused grant
// marks the connection revoked and tells the user once; a revoked connection waits for the user
// to connect again.
func (s *Syncer) Sync(ctx context.Context, user uuid.UUID) error {
	c, err := s.Store.Connection(ctx, user)
	if core.ErrorCode(err) == core.ENOTFOUND {
		return nil
	}
	if err != nil || c.Status == core.CalendarRevoked {
		return err
	}
	tok, err := s.token(c)
	if err != nil {
		return err
	}
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
	err = s.Users.InUser(ctx, user, func(ctx context.Context, tx core.Tx, u *core.User) error {
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
		return s.refused(ctx, c, err)
	}
	var put []Block
	var gone []uuid.UUID
	if c.TimeBlocking {
		if put, gone, err = s.block(ctx, sess, c, Place(tasks, busy, loc, today, last), lang); err != nil {
			return s.refused(ctx, c, err)
		}
	}
	if err := s.reseal(&c, sess); err != nil {
		return s.refused(ctx, c, err)
	}
	days := Days(busy, loc, today, last)
	if c.SyncedAt == nil && s.Welcome != nil { // before the save: a retry welcomes again, once (the push is keyed)
		if err := s.Welcome(ctx, user, c.ConnectedAt, c.TimeBlocking, today, days); err != nil {
			return err
		}
	}
	return s.Store.SaveSync(ctx, c, today, last, days, started, put, gone)
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
		if ok && o.Same(b) {
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
	at := s.now()
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
	ad := []byte(c.User.String())
	refresh, err := s.Vault.Open(c.Refresh, c.KeyID, ad)
	if err != nil {
		return nil, fmt.Errorf("calendar: open refresh token: %w", err)
	}
	tok := &oauth2.Token{RefreshToken: string(refresh), Expiry: c.Expiry, TokenType: "Bearer"}
	if len(c.Access) > 0 {
		access, err := s.Vault.Open(c.Access, c.KeyID, ad)
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

// Seal puts tok in c, sealed with v under c.User.
func Seal(v *vault.Vault, c *Connection, tok *oauth2.Token) error {
	ad := []byte(c.User.String())
	refresh, keyID, err := v.Seal([]byte(tok.RefreshToken), ad)
	if err != nil {
		return err
	}
	access, _, err := v.Seal([]byte(tok.AccessToken), ad)
	if err != nil {
		return err
	}
	c.Access, c.Refresh, c.KeyID, c.Expiry = access, refresh, keyID, tok.Expiry
	return nil
}
