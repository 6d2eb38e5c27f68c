package calendar

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"
	gcal "google.golang.org/api/calendar/v3"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
)

// The scopes asked for: free/busy only to read the calendar; writing events (time blocking) is
// asked for when the user turns it on.
const (
	FreeBusyScope = gcal.CalendarFreebusyScope
	EventsScope   = gcal.CalendarEventsOwnedScope
)

// ErrRevoked means Google refused the grant (revoked by the user, expired, or the password
// changed): nothing works until the user connects again.
var ErrRevoked = errors.New("calendar: the Google grant was revoked or has expired")

// Google reaches Google's OAuth endpoints and Calendar API. The URLs default to Google's; tests
// point them at googletest.
type Google struct {
	ClientID, ClientSecret string
	RedirectURL            string // {PUBLIC_URL}/calendar/google/callback
	AuthURL, TokenURL      string
	RevokeURL              string
	APIURL                 string
	HTTPClient             *http.Client // nil: one with a 20 s timeout
	// Timeout bounds one call to Google (default 20 s).
	Timeout time.Duration
}

func (g *Google) oauth(scopes []string) *oauth2.Config {
	ep := oauth2.Endpoint{AuthURL: "https://accounts.google.com/o/oauth2/v2/auth", TokenURL: "https://oauth2.googleapis.com/token",
		AuthStyle: oauth2.AuthStyleInParams}
	if g.AuthURL != "" {
		ep.AuthURL = g.AuthURL
	}
	if g.TokenURL != "" {
		ep.TokenURL = g.TokenURL
	}
	return &oauth2.Config{ClientID: g.ClientID, ClientSecret: g.ClientSecret, RedirectURL: g.RedirectURL, Endpoint: ep, Scopes: scopes}
}

func (g *Google) httpClient() *http.Client {
	if g.HTTPClient != nil {
		return g.HTTPClient
	}
	t := g.Timeout
	if t <= 0 {
		t = 20 * time.Second
	}
	return &http.Client{Timeout: t}
}

// ctx carries the HTTP client for the oauth2 package's token calls.
func (g *Google) ctx(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, g.httpClient())
}

// ConsentURL is Google's consent screen for scopes, with the state, the PKCE challenge of
// verifier and offline access (a refresh token); granted scopes are kept (incremental).
func (g *Google) ConsentURL(state, verifier string, scopes []string) string {
	return g.oauth(scopes).AuthCodeURL(state, oauth2.AccessTypeOffline, oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("prompt", "consent"), oauth2.SetAuthURLParam("include_granted_scopes", "true"))
}

// Exchange trades the callback's code for tokens, proving the PKCE verifier. It returns the
// scopes granted (the user may untick some).
func (g *Google) Exchange(ctx context.Context, code, verifier string) (*oauth2.Token, []string, error) {
	tok, err := g.oauth(nil).Exchange(g.ctx(ctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, nil, fmt.Errorf("calendar: exchange: %w", classify(err))
	}
	if tok.RefreshToken == "" {
		return nil, nil, errors.New("calendar: exchange: Google sent no refresh token")
	}
	scope, _ := tok.Extra("scope").(string)
	return tok, strings.Fields(scope), nil
}

// Revoke ends a grant at Google (on disconnect); a grant already gone is not an error.
func (g *Google) Revoke(ctx context.Context, tok *oauth2.Token) error {
	u := g.RevokeURL
	if u == "" {
		u = "https://oauth2.googleapis.com/revoke"
	}
	t := tok.RefreshToken
	if t == "" {
		t = tok.AccessToken
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(url.Values{"token": {t}}.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := g.httpClient().Do(req)
	if err != nil {
		return fmt.Errorf("calendar: revoke: %w", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusBadRequest { // 400: invalid_token, gone already
		return fmt.Errorf("calendar: revoke: %s", res.Status)
	}
	return nil
}

// Session is one sync's authorised client: its token source refreshes the access token when
// needed, and Token tells what to store afterwards.
type Session struct {
	svc *gcal.Service
	src oauth2.TokenSource
}

// Open makes a session for tok.
func (g *Google) Open(ctx context.Context, tok *oauth2.Token) (*Session, error) {
	src := oauth2.ReuseTokenSource(tok, g.oauth(nil).TokenSource(g.ctx(ctx), tok))
	hc := &http.Client{Transport: &oauth2.Transport{Source: src, Base: g.httpClient().Transport}, Timeout: g.httpClient().Timeout}
	opts := []option.ClientOption{option.WithHTTPClient(hc)}
	if g.APIURL != "" {
		opts = append(opts, option.WithEndpoint(g.APIURL))
	}
	svc, err := gcal.NewService(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("calendar: client: %w", err)
	}
	return &Session{svc: svc, src: src}, nil
}

// Token is the session's current token (refreshed if it was).
func (s *Session) Token() (*oauth2.Token, error) {
	t, err := s.src.Token()
	return t, classify(err)
}

// FreeBusy reads the busy periods of the primary calendar in [from, to).
func (s *Session) FreeBusy(ctx context.Context, from, to time.Time) ([]Period, error) {
	res, err := s.svc.Freebusy.Query(&gcal.FreeBusyRequest{TimeMin: from.Format(time.RFC3339), TimeMax: to.Format(time.RFC3339),
		TimeZone: "UTC", Items: []*gcal.FreeBusyRequestItem{{Id: "primary"}}}).Context(ctx).Do()
	if err != nil {
		return nil, fmt.Errorf("calendar: free/busy: %w", classify(err))
	}
	c, ok := res.Calendars["primary"]
	if !ok {
		return nil, errors.New("calendar: free/busy: no answer for the primary calendar")
	}
	if len(c.Errors) > 0 {
		return nil, fmt.Errorf("calendar: free/busy: %s", c.Errors[0].Reason)
	}
	out := make([]Period, 0, len(c.Busy))
	for _, b := range c.Busy {
		start, err1 := time.Parse(time.RFC3339, b.Start)
		end, err2 := time.Parse(time.RFC3339, b.End)
		if err1 != nil || err2 != nil || !end.After(start) {
			continue // a period that can't be read counts as none
		}
		out = append(out, Period{start, end})
	}
	return out, nil
}

// Put writes a block as the event id (patch when it exists, insert when not; "" for a block not
// yet written, whose id comes from its task, so an insert repeated after a crash finds it). Every
// write says the event is confirmed, which brings back one the user deleted in the calendar. It
// returns the event's id.
func (s *Session) Put(ctx context.Context, id string, b Block, note string) (string, error) {
	if id == "" {
		id = strings.ReplaceAll(b.Task.String(), "-", "") // hex is base32hex, as Google's ids must be
	}
	ev := &gcal.Event{Summary: b.Summary, Description: note, Status: "confirmed",
		Transparency:       "transparent", // a block keeps the time free for free/busy
		Start:              &gcal.EventDateTime{DateTime: b.Start.Format(time.RFC3339)},
		End:                &gcal.EventDateTime{DateTime: b.End.Format(time.RFC3339)},
		Reminders:          &gcal.EventReminders{UseDefault: false, ForceSendFields: []string{"UseDefault"}},
		ExtendedProperties: &gcal.EventExtendedProperties{Private: map[string]string{"bizconnect_task": b.Task.String()}}}
	patch := func() error {
		_, err := s.svc.Events.Patch("primary", id, ev).Context(ctx).Do()
		return err
	}
	err := patch()
	switch httpCode(err) {
	case 0:
		if err != nil {
			return "", fmt.Errorf("calendar: patch event: %w", classify(err))
		}
		return id, nil
	case http.StatusNotFound:
	case http.StatusGone: // an id Google will not take back: the block goes under one made from it
		sum := sha256.Sum256([]byte(id))
		id = strings.ReplaceAll(b.Task.String(), "-", "") + "r" + hex.EncodeToString(sum[:4])
		if err := patch(); err == nil {
			return id, nil
		}
	default:
		return "", fmt.Errorf("calendar: patch event: %w", classify(err))
	}
	ins := *ev
	ins.Id = id
	_, err = s.svc.Events.Insert("primary", &ins).Context(ctx).Do()
	if httpCode(err) == http.StatusConflict { // written before (a crash, a deleted event): patch what is there
		err = patch()
	}
	if err != nil {
		return "", fmt.Errorf("calendar: write event: %w", classify(err))
	}
	return id, nil
}

// Delete removes an event; one already gone is not an error.
func (s *Session) Delete(ctx context.Context, id string) error {
	err := s.svc.Events.Delete("primary", id).Context(ctx).Do()
	if c := httpCode(err); err == nil || c == http.StatusNotFound || c == http.StatusGone {
		return nil
	}
	return fmt.Errorf("calendar: delete event: %w", classify(err))
}

// errUnauthorized is a 401 from the API: the access token was refused, which a refresh may mend.
var errUnauthorized = errors.New("calendar: the access token was refused")

// classify turns Google's refusals of the grant into ErrRevoked: the refresh token refused
// (invalid_grant) or the grant lacking a scope the call needs; a 401 is errUnauthorized.
func classify(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.ErrorCode == "invalid_grant" {
		return fmt.Errorf("%w (%s)", ErrRevoked, re.ErrorCode)
	}
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		switch {
		case ge.Code == http.StatusUnauthorized:
			return fmt.Errorf("%w: %w", errUnauthorized, err)
		case ge.Code == http.StatusForbidden && slices.ContainsFunc(ge.Errors, func(e googleapi.ErrorItem) bool { return e.Reason == "insufficientPermissions" }):
			return fmt.Errorf("%w (insufficient scopes)", ErrRevoked)
		}
	}
	return err
}

func httpCode(err error) int {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge.Code
	}
	return 0
}
