package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/go-telegram/bot"
)

// AcceptFunc durably records a decoded update; an error makes Telegram deliver it again.
type AcceptFunc func(ctx context.Context, in core.Inbound) error

// DefaultAPIURL is the Bot API server used when Options.APIURL is empty.
const DefaultAPIURL = "https://api.telegram.org"

// Options configure an Adapter.
type Options struct {
	Token         string // "<bot id>:<secret>" from @BotFather
	APIURL        string // Bot API base URL (TELEGRAM_API_URL); DefaultAPIURL when empty
	WebhookSecret string // X-Telegram-Bot-Api-Secret-Token; the webhook refuses everything when empty
	Accept        AcceptFunc
	Logger        *slog.Logger // slog.Default() when nil
	// HTTPClient makes every Bot API call; its Timeout, if any, must exceed the long-poll timeout
	// (25 s). A client with a 60 s timeout is used when nil.
	HTTPClient *http.Client
	// Pacer, when set, books the bot's send slots with every other instance of the service (the
	// bot's 30 messages a second and a chat's one a second hold overall); nil paces this process
	// alone.
	Pacer core.Pacer
}

// Adapter is the Telegram transport: webhook handler, poller and core.Sender.
type Adapter struct {
	bot     *bot.Bot
	token   string
	apiURL  string
	secret  string
	botID   int64
	accept  AcceptFunc
	log     *slog.Logger
	client  *http.Client
	limit   *limiter
	pacer   core.Pacer
	now     func() time.Time
	poll    time.Duration // getUpdates timeout
	backoff time.Duration // first pause after a polling error

	mu       sync.Mutex
	username string // the bot's @username without '@', from getMe
}

var _ core.Sender = (*Adapter)(nil)

// New returns an Adapter for the bot with opts.Token. It makes no network call: Setup fetches the
// bot's username and registers commands and the webhook.
func New(opts Options) (*Adapter, error) {
	id, err := botIDFromToken(opts.Token)
	if err != nil {
		return nil, err
	}
	if opts.Accept == nil {
		return nil, errors.New("telegram: new: Accept is required")
	}
	a := &Adapter{
		token: opts.Token, apiURL: strings.TrimRight(opts.APIURL, "/"), secret: opts.WebhookSecret,
		botID: id, accept: opts.Accept, log: opts.Logger, client: opts.HTTPClient,
		limit: newLimiter(telegramLimits), pacer: opts.Pacer, now: time.Now, poll: 25 * time.Second, backoff: time.Second,
	}
	if a.apiURL == "" {
		a.apiURL = DefaultAPIURL
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.client == nil {
		a.client = &http.Client{Timeout: time.Minute}
	}
	a.bot, err = bot.New(a.token, bot.WithSkipGetMe(), bot.WithServerURL(a.apiURL),
		bot.WithHTTPClient(a.poll, statusClient{a.client}), bot.WithErrorsHandler(a.libraryError))
	if err != nil {
		return nil, fmt.Errorf("telegram: new: %w", err)
	}
	return a, nil
}

// BotID returns the bot's numeric user id, the part of the token before ':'.
func (a *Adapter) BotID() int64 { return a.botID }

// Username returns the bot's username as learnt by Setup ("" before).
func (a *Adapter) Username() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.username
}

func (a *Adapter) setUsername(name string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.username = name
}

func botIDFromToken(token string) (int64, error) {
	idPart, _, ok := strings.Cut(token, ":")
	id, err := strconv.ParseInt(idPart, 10, 64)
	if !ok || err != nil || id <= 0 {
		return 0, errors.New("telegram: new: malformed bot token") // never echo the token
	}
	return id, nil
}

// libraryError receives the errors go-telegram/bot reports out of band (closing pipes, bodies).
func (a *Adapter) libraryError(err error) {
	a.log.Debug("telegram: library error", "error", err)
}
