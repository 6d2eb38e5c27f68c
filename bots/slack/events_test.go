package slack

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/bots/slack/slackfake"
	"github.com/bizconnect/bizconnect/core"
)

const (
	imEvent = `{"type":"event_callback","team_id":"T1","event_id":"Ev1","event_time":1700000000,
"authorizations":[{"team_id":"T1","user_id":"UBOT","is_bot":true}],
"event":{"type":"message","channel_type":"im","channel":"D1","user":"U1","text":"план на завтра","ts":"1700000000.000100"}}`
	mentionEvent = `{"type":"event_callback","team_id":"T1","event_id":"Ev2",
"authorizations":[{"team_id":"T1","user_id":"UBOT","is_bot":true}],
"event":{"type":"app_mention","channel":"C1","user":"U1","text":"<@UBOT> what's on today? cc <@U2>","ts":"1700000000.000200"}}`
)

func event(id, inner string) string {
	return `{"type":"event_callback","team_id":"T1","event_id":"` + id + `","event":` + inner + `}`
}

func TestEventsDecode(t *testing.T) {
	tests := []struct {
		name string
		body string
		want *core.Inbound // nil: Accept not called
	}{
		{"direct message", imEvent, &core.Inbound{Key: "slack:T1:Ev1", Provider: core.ProviderSlack, Workspace: "T1",
			ExternalUserID: "U1", ChatID: "D1", ChatType: core.ChatPrivate, Text: "план на завтра",
			ReceivedAt: time.Unix(1700000000, 0).UTC()}},
		{"mention in a channel", mentionEvent, &core.Inbound{Key: "slack:T1:Ev2", Provider: core.ProviderSlack, Workspace: "T1",
			ExternalUserID: "U1", ChatID: "C1", ChatType: core.ChatGroup, Text: "what's on today? cc <@U2>", ThreadID: "1700000000.000200"}},
		{"mention in a thread", event("Ev3", `{"type":"app_mention","channel":"C1","user":"U1","text":"<@UBOT> done","ts":"2.0","thread_ts":"1.0"}`),
			&core.Inbound{Key: "slack:T1:Ev3", Provider: core.ProviderSlack, Workspace: "T1", ExternalUserID: "U1", ChatID: "C1",
				ChatType: core.ChatGroup, Text: "done", ThreadID: "1.0"}},
		{"app home opened", event("Ev4", `{"type":"app_home_opened","user":"U1","channel":"D1","tab":"home"}`),
			&core.Inbound{Key: "slack:T1:Ev4", Provider: core.ProviderSlack, Workspace: "T1", ExternalUserID: "U1", ChatID: "D1",
				ChatType: core.ChatPrivate, Payload: HomePayload}},
		{"app home messages tab", event("Ev5", `{"type":"app_home_opened","user":"U1","channel":"D1","tab":"messages"}`), nil},
		{"bot message", event("Ev6", `{"type":"message","channel_type":"im","channel":"D1","bot_id":"B1","text":"hi","ts":"1.0"}`), nil},
		{"edited message", event("Ev7", `{"type":"message","subtype":"message_changed","channel_type":"im","channel":"D1","message":{"user":"U1","text":"x"},"ts":"1.0"}`), nil},
		{"channel message", event("Ev8", `{"type":"message","channel_type":"channel","channel":"C1","user":"U1","text":"hi","ts":"1.0"}`), nil},
		{"unknown event", event("Ev9", `{"type":"reaction_added","user":"U1"}`), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			rec := serve(b.a.EventsHandler(), signed("/slack/events", "application/json", []byte(tt.body)))
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d, want 200", rec.Code)
			}
			if tt.want == nil {
				if got := b.inbounds(); len(got) != 0 {
					t.Fatalf("accepted %+v, want nothing", got)
				}
				return
			}
			got := b.only(t)
			if tt.want.ReceivedAt.IsZero() {
				got.ReceivedAt = time.Time{}
			}
			if got != *tt.want {
				t.Errorf("inbound\n got %+v\nwant %+v", got, *tt.want)
			}
		})
	}
}

func TestEventsURLVerification(t *testing.T) {
	b := setup(t)
	body := `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	rec := serve(b.a.EventsHandler(), signed("/slack/events", "application/json", []byte(body)))
	if rec.Code != 200 || rec.Body.String() != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("answer %d %q", rec.Code, rec.Body.String())
	}
}

func TestEventsRetryKeepsKey(t *testing.T) {
	b := setup(t)
	for retry := range 2 {
		r := signed("/slack/events", "application/json", []byte(imEvent))
		if retry > 0 {
			r.Header.Set("X-Slack-Retry-Num", "1")
			r.Header.Set("X-Slack-Retry-Reason", "http_timeout")
		}
		if rec := serve(b.a.EventsHandler(), r); rec.Code != 200 {
			t.Fatalf("attempt %d: status %d", retry, rec.Code)
		}
	}
	got := b.inbounds()
	if len(got) != 2 || got[0].Key != got[1].Key || got[0].Key != "slack:T1:Ev1" {
		t.Errorf("keys %v, want the same key twice", got)
	}
}

func TestEventsAcceptFailureAsksForRetry(t *testing.T) {
	b := setup(t)
	b.acceptErr = errTest
	if rec := serve(b.a.EventsHandler(), signed("/slack/events", "application/json", []byte(imEvent))); rec.Code != 500 {
		t.Errorf("status %d, want 500", rec.Code)
	}
}

func TestEventsRevocationDisables(t *testing.T) {
	for _, inner := range []string{
		`{"type":"tokens_revoked","tokens":{"bot":["UBOT"]}}`,
		`{"type":"app_uninstalled"}`,
	} {
		b := setup(t)
		rec := serve(b.a.EventsHandler(), signed("/slack/events", "application/json", []byte(event("EvX", inner))))
		if rec.Code != 200 || len(b.inbounds()) != 0 {
			t.Errorf("%s: status %d, accepted %d", inner, rec.Code, len(b.inbounds()))
		}
		if got := b.installs.disabled; len(got) != 1 || got[0] != "T1" {
			t.Errorf("%s: disabled %v, want [T1]", inner, got)
		}
	}
}

func TestSignatureRequired(t *testing.T) {
	body := []byte(imEvent)
	tests := []struct {
		name   string
		prep   func(r *http.Request)
		status int
	}{
		{"good", func(*http.Request) {}, 200},
		{"bad signature", func(r *http.Request) {
			slackfake.Sign(r.Header, "another-secret", body, time.Now())
		}, 401},
		{"body changed after signing", func(r *http.Request) {
			slackfake.Sign(r.Header, testSecret, []byte(strings.Replace(imEvent, "U1", "U9", 1)), time.Now())
		}, 401},
		{"stale timestamp", func(r *http.Request) {
			slackfake.Sign(r.Header, testSecret, body, time.Now().Add(-6*time.Minute))
		}, 401},
		{"future timestamp", func(r *http.Request) {
			slackfake.Sign(r.Header, testSecret, body, time.Now().Add(6*time.Minute))
		}, 401},
		{"missing headers", func(r *http.Request) {
			r.Header.Del("X-Slack-Signature")
			r.Header.Del("X-Slack-Request-Timestamp")
		}, 401},
		{"missing signature", func(r *http.Request) { r.Header.Del("X-Slack-Signature") }, 401},
		{"malformed signature", func(r *http.Request) { r.Header.Set("X-Slack-Signature", "v0=zz") }, 401},
	}
	handlers := map[string]func(*Adapter) http.Handler{
		"events": (*Adapter).EventsHandler, "commands": (*Adapter).CommandsHandler, "interactivity": (*Adapter).InteractivityHandler,
	}
	for hname, h := range handlers {
		for _, tt := range tests {
			if tt.status == 200 && hname != "events" {
				continue
			}
			t.Run(hname+"/"+tt.name, func(t *testing.T) {
				b := setup(t)
				r := signed("/slack/"+hname, "application/json", body)
				tt.prep(r)
				if rec := serve(h(b.a), r); rec.Code != tt.status {
					t.Errorf("status %d, want %d", rec.Code, tt.status)
				}
				if n := len(b.inbounds()); (n == 1) != (tt.status == 200) {
					t.Errorf("accepted %d inbounds with status %d", n, tt.status)
				}
			})
		}
	}
}

func TestEventsBodyLimit(t *testing.T) {
	b := setup(t)
	body := []byte(`{"type":"event_callback","pad":"` + strings.Repeat("x", maxBodySize) + `"}`)
	if rec := serve(b.a.EventsHandler(), signed("/slack/events", "application/json", body)); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", rec.Code)
	}
}

// countingReader counts the bytes a handler reads of a body.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestUnsignedBodiesAreNotRead(t *testing.T) {
	b := setup(t)
	for _, c := range []struct {
		name string
		prep func(h http.Header)
	}{
		{"malformed signature", func(h http.Header) { h.Set("X-Slack-Signature", "v0=not-hex") }},
		{"signature of the wrong length", func(h http.Header) { h.Set("X-Slack-Signature", "v0=abcd") }},
		{"no signature", func(h http.Header) { h.Del("X-Slack-Signature") }},
		{"stale timestamp", func(h http.Header) { h.Set("X-Slack-Request-Timestamp", fmt.Sprint(time.Now().Add(-time.Hour).Unix())) }},
	} {
		for _, h := range []http.Handler{b.a.EventsHandler(), b.a.CommandsHandler(), b.a.InteractivityHandler()} {
			body := &countingReader{r: strings.NewReader(strings.Repeat("x", 512<<10))}
			r := httptest.NewRequest(http.MethodPost, "/slack/events", body)
			slackfake.Sign(r.Header, testSecret, []byte("whatever"), time.Now())
			c.prep(r.Header)
			if rec := serve(h, r); rec.Code != http.StatusUnauthorized {
				t.Errorf("%s: status %d, want 401", c.name, rec.Code)
			}
			if body.n > 0 {
				t.Errorf("%s: read %d bytes of the body before refusing", c.name, body.n)
			}
		}
	}
}
