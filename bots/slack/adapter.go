package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/slack-go/slack"
)

// AcceptFunc durably records a decoded request; an error makes the handler answer 500 so Slack
// delivers an event again.
type AcceptFunc func(ctx context.Context, in core.Inbound) error

// Installs stores workspace installations (the lead's PostgreSQL implementation encrypts tokens).
type Installs interface {
	// Save stores the installation, creates the team and makes the installer its owner.
	Save(ctx context.Context, in core.Installation) error
	// Token returns a workspace's bot token, or an error wrapping core.ErrUnreachable when the
	// workspace is disabled or unknown.
	Token(ctx context.Context, teamID string) (string, error)
	// Disable marks a workspace gone (tokens_revoked, app_uninstalled).
	Disable(ctx context.Context, teamID string) error
}

// States remembers the OAuth states used so far, so each works once. States are signed, so only
// a callback with a genuine, unexpired one reaches it; it forgets a state once it has expired.
type States interface {
	// Consume reports true the first time state is used, false after.
	Consume(ctx context.Context, state string, expires time.Time) (bool, error)
}

// DefaultAPIURL is the Web API base used when Options.APIURL is empty.
const DefaultAPIURL = "https://slack.com/api/"

// Options configure an Adapter.
type Options struct {
	SigningSecret string // verifies every inbound request; required
	// BotToken, when set, is used for every workspace (single-workspace mode) instead of Installs.
	BotToken     string
	ClientID     string // OAuth; the install routes answer 404 when empty
	ClientSecret string
	RedirectURL  string // PUBLIC_URL + "/slack/oauth/callback"
	APIURL       string // Web API base (SLACK_API_URL); DefaultAPIURL when empty
	// AuthorizeURL is where InstallHandler sends the browser. When empty it is
	// https://slack.com/oauth/v2/authorize, or the same path on APIURL's host when that isn't
	// slack.com (a test server).
	AuthorizeURL string
	Accept       AcceptFunc
	Installs     Installs         // required unless BotToken is set
	States       States           // required with ClientID
	Logger       *slog.Logger     // slog.Default() when nil
	HTTPClient   *http.Client     // a client with a 30 s timeout when nil
	NowFunc      func() time.Time // time.Now when nil; also the clock of the signature window
	// Pacer, when set, shares the send slots with every instance of the service (a channel's
	// message a second and a 429's pause hold for the app, not the process); nil paces this
	// process alone.
	Pacer core.Pacer
}

// Adapter is the Slack transport: HTTP handlers for Slack's requests and core.Sender.
type Adapter struct {
	opts   Options
	apiURL string
	log    *slog.Logger
	client *http.Client
	now    func() time.Time
	limit  *limiter
	pacer  core.Pacer
	people profiles

	mu   sync.Mutex
	home string // single-workspace mode: the token's workspace, from auth.test ("" until known)
}

// Setup learns, in single-workspace mode, which workspace the bot token belongs to (auth.test),
// so that requests signed for the app from any other workspace are refused. It does nothing in
// multi-workspace mode, where installations decide.
func (a *Adapter) Setup(ctx context.Context) error {
	if a.opts.BotToken == "" {
		return nil
	}
	r, err := a.api(a.opts.BotToken).AuthTestContext(ctx)
	if err != nil {
		return fmt.Errorf("slack: auth.test: %w", err)
	}
	if r.TeamID == "" {
		return errors.New("slack: auth.test: no team in the answer")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.home = r.TeamID
	return nil
}

// admit tells whether a request of workspace teamID may go on: ok, or refused because it is
// another workspace's (single-workspace mode), or not yet known (auth.test still pending).
func (a *Adapter) admit(teamID string) (ok, pending bool) {
	if a.opts.BotToken == "" {
		return true, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.home == "" {
		return false, true
	}
	return teamID == a.home, false
}

var _ core.Sender = (*Adapter)(nil)

// New returns an Adapter. It makes no network call.
func New(opts Options) (*Adapter, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	a := &Adapter{opts: opts, apiURL: opts.APIURL, log: opts.Logger, client: opts.HTTPClient, now: opts.NowFunc}
	if a.apiURL == "" {
		a.apiURL = DefaultAPIURL
	}
	if !strings.HasSuffix(a.apiURL, "/") {
		a.apiURL += "/"
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.client == nil {
		a.client = &http.Client{Timeout: 30 * time.Second}
	}
	if a.now == nil {
		a.now = time.Now
	}
	a.limit, a.pacer = newLimiter(time.Second), opts.Pacer
	return a, nil
}

func (o Options) validate() error {
	switch {
	case o.SigningSecret == "":
		return errors.New("slack: new: SigningSecret is required")
	case o.Accept == nil:
		return errors.New("slack: new: Accept is required")
	case o.BotToken == "" && o.Installs == nil:
		return errors.New("slack: new: BotToken or Installs is required")
	case o.ClientID != "" && (o.ClientSecret == "" || o.RedirectURL == "" || o.States == nil || o.Installs == nil):
		return errors.New("slack: new: OAuth needs ClientSecret, RedirectURL, States and Installs")
	}
	if _, err := url.Parse(o.APIURL); err != nil {
		return fmt.Errorf("slack: new: APIURL: %w", err)
	}
	return nil
}

// token returns the bot token for a workspace: the single-workspace token, or the installed one.
func (a *Adapter) token(ctx context.Context, teamID string) (string, error) {
	if a.opts.BotToken != "" {
		return a.opts.BotToken, nil
	}
	tok, err := a.opts.Installs.Token(ctx, teamID)
	if err != nil {
		return "", fmt.Errorf("slack: workspace token: %w", err)
	}
	return tok, nil
}

// api returns a Web API client acting with token.
func (a *Adapter) api(token string) *slack.Client {
	return slack.New(token, slack.OptionAPIURL(a.apiURL), slack.OptionHTTPClient(a.client))
}
