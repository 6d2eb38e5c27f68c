// Package hooks is the product's outgoing webhooks: endpoints an admin registers for events of
// the catalogue, events written by PostgreSQL triggers in the transaction of the change they
// describe, and their delivery by River jobs signed as Standard Webhooks (webhook-id,
// webhook-timestamp, webhook-signature: v1,…), retried on a schedule, never to the internal
// network (Guard).
package hooks

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// Events is the catalogue: what an endpoint may subscribe to.
var Events = []string{
	"achievement.earned", "goal.completed", "goal.created", "goal.updated", "load.warning", "milestone.reached",
	"report.weekly", "task.completed", "task.created", "user.created",
}

// CheckEvents refuses an empty list, an unknown event and repeats; "*" stands for all.
func CheckEvents(events []string) ([]string, error) {
	if len(events) == 0 || len(events) > len(Events) {
		return nil, fmt.Errorf("events: between 1 and %d of %s, or \"*\"", len(Events), strings.Join(Events, ", "))
	}
	if len(events) == 1 && events[0] == "*" {
		return slices.Clone(Events), nil
	}
	out := slices.Clone(events)
	slices.Sort(out)
	for i, e := range out {
		if !slices.Contains(Events, e) {
			return nil, fmt.Errorf("events: %q is not one of %s", e, strings.Join(Events, ", "))
		}
		if i > 0 && out[i-1] == e {
			return nil, fmt.Errorf("events: %q twice", e)
		}
	}
	return out, nil
}

// NewSecret is an endpoint's signing secret as Standard Webhooks writes it: whsec_ and 32
// random bytes in base64.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// Sign is the webhook-signature header of a message: v1, then the base64 HMAC-SHA-256 of
// "id.timestamp.body" keyed by the secret.
func Sign(secret, msgID string, at time.Time, body []byte) (string, error) {
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		return "", err
	}
	return wh.Sign(msgID, at, body)
}

// MessageID is the webhook-id of an event: the same for every attempt, so that a receiver
// drops a redelivery.
func MessageID(event int64) string { return fmt.Sprintf("evt_%d", event) }

// DeliveryJob delivers one event to one endpoint (River's job; unique while it waits).
type DeliveryJob struct {
	Event    int64     `json:"event" river:"unique"`
	Endpoint uuid.UUID `json:"endpoint" river:"unique"`
}

// Kind implements core.Job.
func (DeliveryJob) Kind() string { return "webhook_delivery" }

// Schedule is how long after each failed attempt the next one comes (Standard Webhooks'
// suggestion): eight attempts over about a day and a half, then the delivery fails.
var Schedule = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour}

// DisableAfter is how long an endpoint may fail every delivery before it is disabled.
const DisableAfter = 5 * 24 * time.Hour
