package hooks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/vault"
)

// Delivery is what one attempt needs: the event, and the endpoint it goes to.
type Delivery struct {
	Event     int64
	Type      string
	Data      json.RawMessage
	CreatedAt time.Time
	Endpoint  Endpoint
	Status    string // pending, delivered, failed, dropped
}

// Endpoint is a registered receiver. Secret is its signing secret, sealed (Sealed, KeyID) in
// the store and open only in the worker.
type Endpoint struct {
	ID           uuid.UUID
	URL          string
	Events       []string
	Description  string
	Enabled      bool
	DisabledWhy  string
	FailingSince *time.Time
	CreatedAt    time.Time
	Sealed       []byte
	KeyID        string
}

// EndpointUpdate is what an update of an endpoint sets (nil: unchanged). Enabling clears the
// failure record.
type EndpointUpdate struct {
	URL         *string
	Events      []string
	Description *string
	Enabled     *bool
}

// Endpoints keeps the endpoints (core/postgres), for the admin API.
type Endpoints interface {
	CreateEndpoint(ctx context.Context, e Endpoint) (Endpoint, error)
	Endpoints(ctx context.Context) ([]Endpoint, error)
	UpdateEndpoint(ctx context.Context, id uuid.UUID, u EndpointUpdate) (Endpoint, error)
	DeleteEndpoint(ctx context.Context, id uuid.UUID) error
	// Replay delivers again to endpoint (all when nil) the events of ids, or those created in
	// [from, to), and returns how many deliveries it queued.
	Replay(ctx context.Context, endpoint *uuid.UUID, ids []int64, from, to time.Time) (int, error)
}

// Store keeps the deliveries (core/postgres).
type Store interface {
	// Delivery reads a delivery (ENOTFOUND: its event or endpoint is gone).
	Delivery(ctx context.Context, event int64, endpoint uuid.UUID) (Delivery, error)
	// Delivered records a 2xx answer: the delivery is done and the endpoint no longer failing.
	Delivered(ctx context.Context, event int64, endpoint uuid.UUID, status int) error
	// Failed records a failed attempt (status 0: no answer); final, the delivery is given up.
	// An endpoint failing every delivery for DisableAfter is disabled; disabled says so.
	Failed(ctx context.Context, event int64, endpoint uuid.UUID, status int, cause string, final bool, disableAfter time.Duration) (disabled bool, err error)
	// Gone disables an endpoint (410 Gone, or disabled meanwhile) and drops what waits for it.
	Gone(ctx context.Context, endpoint uuid.UUID, why string) error
}

// Deliverer makes the attempts.
type Deliverer struct {
	Store  Store
	Vault  *vault.Vault
	Guard  Guard
	Client *http.Client // Guard.Client when nil, made once: its connections are kept for the next delivery
	Now    func() time.Time
	// Schedule is the gaps between attempts (the package's Schedule when nil): the attempt after
	// the last gap is the last.
	Schedule []time.Duration

	clientOnce sync.Once
}

func (d *Deliverer) schedule() []time.Duration {
	if d.Schedule == nil {
		return Schedule
	}
	return d.Schedule
}

// maxAnswer is as much of a receiver's answer as is read (its reason, for the log).
const maxAnswer = 4 << 10

// ErrAttempt wraps a failed attempt: River tries again on Schedule.
var ErrAttempt = errors.New("hooks: the receiver did not take the event")

// Deliver makes one attempt of j (attempt counts from 1): the event, signed, POSTed to the
// endpoint. A 2xx answer delivers it; 410 Gone disables the endpoint; anything else (a refusal,
// a timeout, an address the guard refuses) is an ErrAttempt until the last attempt gives up.
func (d *Deliverer) Deliver(ctx context.Context, j DeliveryJob, attempt int) error {
	dl, err := d.Store.Delivery(ctx, j.Event, j.Endpoint)
	if core.ErrorCode(err) == core.ENOTFOUND {
		return nil // deleted meanwhile
	}
	if err != nil {
		return err
	}
	if dl.Status != "pending" {
		return nil // done already (a replay of a delivered one is reset to pending first)
	}
	if !dl.Endpoint.Enabled {
		return d.Store.Gone(ctx, dl.Endpoint.ID, "")
	}
	final := attempt > len(d.schedule())
	status, cause := d.attempt(ctx, dl)
	switch {
	case status >= 200 && status < 300:
		return d.Store.Delivered(ctx, j.Event, j.Endpoint, status)
	case status == http.StatusGone:
		return d.Store.Gone(ctx, dl.Endpoint.ID, "the receiver answered 410 Gone")
	}
	disabled, err := d.Store.Failed(ctx, j.Event, j.Endpoint, status, cause, final, DisableAfter)
	if err != nil || disabled || final {
		return err
	}
	return fmt.Errorf("%w: %s", ErrAttempt, cause)
}

// attempt POSTs the event and returns the answer's status (0 for none) and what went wrong.
func (d *Deliverer) attempt(ctx context.Context, dl Delivery) (int, string) {
	if err := d.Guard.CheckURL(ctx, dl.Endpoint.URL); err != nil {
		return 0, err.Error()
	}
	secret, err := d.Vault.Open(dl.Endpoint.Sealed, dl.Endpoint.KeyID, dl.Endpoint.ID[:])
	if err != nil {
		return 0, "the endpoint's secret does not open: " + err.Error()
	}
	body, err := json.Marshal(struct {
		Type      string          `json:"type"`
		Timestamp time.Time       `json:"timestamp"`
		Data      json.RawMessage `json:"data"`
	}{dl.Type, dl.CreatedAt.UTC(), dl.Data})
	if err != nil {
		return 0, err.Error()
	}
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	at := now()
	id := MessageID(dl.Event)
	sig, err := Sign(string(secret), id, at, body)
	if err != nil {
		return 0, err.Error()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, dl.Endpoint.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "BusinessConnect-Webhooks/1")
	req.Header.Set("webhook-id", id)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(at.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	d.clientOnce.Do(func() {
		if d.Client == nil {
			d.Client = d.Guard.Client(15 * time.Second)
		}
	})
	resp, err := d.Client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return resp.StatusCode, fmt.Sprintf("answered %d (a redirect, not followed)", resp.StatusCode)
	}
	return resp.StatusCode, fmt.Sprintf("answered %d %s", resp.StatusCode, core.Truncate(string(bytes.TrimSpace(answer)), 200))
}

// RetryAfter is when attempt (counting from 1) that failed is tried again.
func (d *Deliverer) RetryAfter(attempt int, failedAt time.Time) time.Time {
	s := d.schedule()
	return failedAt.Add(s[min(max(attempt-1, 0), len(s)-1)])
}

// Attempts is how many attempts a delivery gets.
func (d *Deliverer) Attempts() int { return len(d.schedule()) + 1 }
