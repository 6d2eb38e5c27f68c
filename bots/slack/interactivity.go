package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/bizconnect/bizconnect/core"
	"github.com/slack-go/slack"
)

// NewGoalPayload is the button payload that opens the "new goal" modal instead of reaching the core.
var NewGoalPayload = core.Action{Kind: core.ActionNewGoal}.Encode()

// InteractivityHandler returns the handler for interactivity (POST /slack/interactivity): button
// presses become Inbounds with the button's payload, except NewGoalPayload, which opens the
// "new goal" modal at once; submitting the modal becomes an Inbound with its Goal, addressed to
// the channel it was opened from. Slack closes the modal on the empty 200 answer; a form with a
// wrong field stays open with the field marked.
func (a *Adapter) InteractivityHandler() http.Handler {
	return http.HandlerFunc(a.serveInteraction)
}

func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verifiedBody(w, r)
	if !ok {
		return
	}
	form, err := url.ParseQuery(string(body))
	var ic slack.InteractionCallback
	if err == nil {
		err = json.Unmarshal([]byte(form.Get("payload")), &ic)
	}
	if err != nil || ic.Team.ID == "" || ic.User.ID == "" {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	switch ok, pending := a.admit(ic.Team.ID); {
	case pending: // Slack tells the user the press didn't work, and they press again
		http.Error(w, "starting up", http.StatusServiceUnavailable)
		return
	case !ok:
		a.log.Warn("slack: refused an interaction of another workspace", "team_id", ic.Team.ID)
		w.WriteHeader(http.StatusOK)
		return
	}
	in, ok, answer := a.interaction(r.Context(), &ic)
	if answer != nil {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(answer)
		return
	}
	if !ok {
		w.WriteHeader(http.StatusOK)
		return
	}
	if in.Key == "" {
		in.Key = signedKey(ic.Team.ID, r, body)
	}
	if err := a.opts.Accept(r.Context(), in); err != nil {
		a.log.Error("slack: accept interaction", "key", in.Key, "error", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// interaction decodes a callback into an Inbound to accept (ok), or an answer to give Slack at once.
func (a *Adapter) interaction(ctx context.Context, ic *slack.InteractionCallback) (in core.Inbound, ok bool, answer any) {
	switch ic.Type {
	case slack.InteractionTypeBlockActions:
		if len(ic.ActionCallback.BlockActions) == 0 {
			return in, false, nil
		}
		act := ic.ActionCallback.BlockActions[0]
		in = a.actionInbound(ic, act)
		if act.Value == NewGoalPayload && a.openNewGoal(ctx, ic.Team.ID, ic.TriggerID, goalFormFor{Channel: in.ChatID, ResponseURL: ic.ResponseURL}) == nil {
			return in, false, nil
		}
		return in, true, nil // a form that didn't open: the core asks for the goal in words
	case slack.InteractionTypeViewSubmission:
		if ic.View.CallbackID != newGoalCallbackID {
			return in, false, nil
		}
		form, wrong := readGoalForm(ic.View.State, core.DateOf(a.now().UTC()))
		if wrong != nil {
			return in, false, slack.NewErrorsViewSubmissionResponse(wrong)
		}
		return a.goalInbound(ic, form), true, nil
	}
	return in, false, nil
}

// actionInbound is a button press. Presses on the App Home tab have no channel: the reply goes
// to the user's direct messages.
func (a *Adapter) actionInbound(ic *slack.InteractionCallback, act *slack.BlockAction) core.Inbound {
	actionTS := act.ActionTs
	if actionTS == "" {
		actionTS = ic.ActionTs
	}
	channel := ic.Channel.ID
	if channel == "" {
		channel = ic.Container.ChannelID
	}
	in := a.userInbound(ic, channel)
	if actionTS != "" {
		in.Key = "slack:" + ic.Team.ID + ":act:" + actionTS
	}
	in.Payload = act.Value
	in.ResponseURL = ic.ResponseURL
	in.EphemeralRef = ic.Container.IsEphemeral
	in.MessageRef = ic.Container.MessageTs
	if in.MessageRef == "" {
		in.MessageRef = ic.Message.Timestamp
	}
	in.ThreadID = ic.Container.ThreadTs
	return in
}

// goalInbound is a submitted "new goal" modal, for the channel it was opened from (its private
// metadata, which only the app sets) or else the user's direct messages, answered through the
// response_url of the command or press that opened it, which works where the bot is no member.
func (a *Adapter) goalInbound(ic *slack.InteractionCallback, form core.GoalForm) core.Inbound {
	var meta goalFormFor
	_ = json.Unmarshal([]byte(ic.View.PrivateMetadata), &meta) // App Home's form has none
	in := a.userInbound(ic, channelOf(meta.Channel))
	if in.ChatType == core.ChatGroup {
		in.ResponseURL = meta.ResponseURL
	}
	if ic.View.ID != "" {
		in.Key = "slack:" + ic.Team.ID + ":view:" + ic.View.ID + ":" + ic.View.Hash
	}
	in.Goal = &form
	return in
}

// userInbound addresses an Inbound to channel, or to the user's DM when channel is empty.
func (a *Adapter) userInbound(ic *slack.InteractionCallback, channel string) core.Inbound {
	ct := chatType(channel, "")
	if channel == "" {
		channel, ct = ic.User.ID, core.ChatPrivate
	}
	name := ic.User.Name
	if name == "" {
		name = ic.User.RealName
	}
	return core.Inbound{
		Provider:       core.ProviderSlack,
		Workspace:      ic.Team.ID,
		ExternalUserID: ic.User.ID,
		UserName:       name,
		ChatID:         channel,
		ChatType:       ct,
		ReceivedAt:     a.now().UTC(),
	}
}

// openNewGoal shows the "new goal" modal, for the chat it is opened from. The trigger expires in 3 s, so it runs inside the
// request; a failure only means the user presses again.
func (a *Adapter) openNewGoal(ctx context.Context, teamID, triggerID string, from goalFormFor) error {
	token, err := a.token(ctx, teamID)
	if err == nil {
		_, err = a.api(token).OpenViewContext(ctx, triggerID, newGoalModal(from))
	}
	if err != nil {
		a.log.Warn("slack: open new goal modal", "team_id", teamID, "error", err)
	}
	return err
}
