package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/slack-go/slack/slackevents"
)

// HomePayload is the Inbound.Payload of an App Home opening: the core answers with a Home reply.
var HomePayload = core.Action{Kind: core.ActionHome}.Encode()

// envelope is the part of an Events API request the adapter routes on.
type envelope struct {
	Type      string `json:"type"`
	Challenge string `json:"challenge"`
	TeamID    string `json:"team_id"`
	EventID   string `json:"event_id"`
	EventTime int64  `json:"event_time"`
	Event     struct {
		Type string `json:"type"`
	} `json:"event"`
	Authorizations []struct {
		UserID string `json:"user_id"`
		IsBot  bool   `json:"is_bot"`
	} `json:"authorizations"`
}

// EventsHandler returns the handler for the Events API (POST /slack/events). It answers
// url_verification with the challenge, records messages through Accept (500 when that fails, so
// Slack retries) and disables a workspace that revoked its tokens. Unsigned requests get 401.
// Retries (X-Slack-Retry-Num) carry the same event id, hence the same Inbound.Key.
func (a *Adapter) EventsHandler() http.Handler {
	return http.HandlerFunc(a.serveEvents)
}

func (a *Adapter) serveEvents(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verifiedBody(w, r)
	if !ok {
		return
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	switch env.Type {
	case slackevents.URLVerification:
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(env.Challenge))
		return
	case slackevents.CallbackEvent:
		switch ok, pending := a.admit(env.TeamID); {
		case pending:
			w.Header().Set("Retry-After", "5")
			http.Error(w, "starting", http.StatusServiceUnavailable) // Slack delivers it again
			return
		case !ok:
			a.log.Warn("slack: refused an event of another workspace", "team_id", env.TeamID)
			w.WriteHeader(http.StatusOK)
			return
		}
		if err := a.handleCallback(r, env, body); err != nil {
			a.log.Error("slack: handle event", "team_id", env.TeamID, "event_id", env.EventID,
				"event_type", env.Event.Type, "error", err)
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// handleCallback acts on the event callbacks the app subscribes to and ignores the others.
func (a *Adapter) handleCallback(r *http.Request, env envelope, body []byte) error {
	ctx := r.Context()
	switch env.Event.Type {
	case string(slackevents.TokensRevoked), string(slackevents.AppUninstalled):
		return a.disable(ctx, env.TeamID, env.Event.Type)
	case string(slackevents.AppMention), string(slackevents.Message), string(slackevents.AppHomeOpened):
	default:
		return nil
	}
	parsed, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err != nil {
		a.log.Debug("slack: undecodable event", "event_type", env.Event.Type, "error", err)
		return nil // Slack would send the same bytes again
	}
	in, ok := a.decodeEvent(env, parsed.InnerEvent.Data)
	if !ok {
		return nil
	}
	if env.EventID == "" {
		in.Key = signedKey(env.TeamID, r, body)
	}
	return a.opts.Accept(ctx, in)
}

// disable marks a workspace gone; in single-workspace mode there is nothing to disable.
func (a *Adapter) disable(ctx context.Context, teamID, why string) error {
	a.log.Info("slack: workspace revoked the app", "team_id", teamID, "event_type", why)
	if a.opts.Installs == nil || teamID == "" {
		return nil
	}
	return a.opts.Installs.Disable(ctx, teamID)
}

// decodeEvent turns an inner event into an Inbound; ok is false for events the assistant ignores.
func (a *Adapter) decodeEvent(env envelope, data any) (in core.Inbound, ok bool) {
	switch ev := data.(type) {
	case *slackevents.MessageEvent:
		if ev.ChannelType != slackevents.ChannelTypeIM || ev.SubType != "" || ev.BotID != "" || ev.User == "" {
			return core.Inbound{}, false
		}
		in = a.eventInbound(env, ev.User, ev.Channel, core.ChatPrivate)
		in.Text, in.ThreadID = ev.Text, ev.ThreadTimeStamp
	case *slackevents.AppMentionEvent:
		if ev.BotID != "" || ev.Edited != nil || ev.User == "" {
			return core.Inbound{}, false
		}
		in = a.eventInbound(env, ev.User, ev.Channel, chatType(ev.Channel, ""))
		in.Text = stripMentions(ev.Text, env.botUserIDs())
		in.ThreadID = ev.ThreadTimeStamp
		if in.ThreadID == "" {
			in.ThreadID = ev.TimeStamp
		}
	case *slackevents.AppHomeOpenedEvent:
		if ev.Tab != "home" || ev.User == "" {
			return core.Inbound{}, false
		}
		in = a.eventInbound(env, ev.User, ev.Channel, core.ChatPrivate)
		in.Payload = HomePayload
	default:
		return core.Inbound{}, false
	}
	return in, true
}

func (a *Adapter) eventInbound(env envelope, user, channel string, ct core.ChatType) core.Inbound {
	received := a.now().UTC()
	if env.EventTime > 0 {
		received = time.Unix(env.EventTime, 0).UTC()
	}
	return core.Inbound{
		Key:            "slack:" + env.TeamID + ":" + env.EventID,
		Provider:       core.ProviderSlack,
		Workspace:      env.TeamID,
		ExternalUserID: user,
		ChatID:         channel,
		ChatType:       ct,
		ReceivedAt:     received,
	}
}

// botUserIDs are the app's bot users the event was delivered for.
func (e envelope) botUserIDs() []string {
	var ids []string
	for _, au := range e.Authorizations {
		if au.IsBot && au.UserID != "" {
			ids = append(ids, au.UserID)
		}
	}
	return ids
}
