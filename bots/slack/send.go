package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bizconnect/bizconnect/core"
	"github.com/slack-go/slack"
)

// Send implements core.Sender. It publishes a Home reply as the user's App Home tab (returning
// ""). An Ephemeral or a Team reply to a command or an interaction goes through its response_url
// (to the user alone, or to the channel, replacing the message pressed when the reply edits it),
// which works even in channels the bot is not in and is the only way to change an ephemeral
// message. Otherwise it edits msg.Reply.EditRef (public messages only), posts an Ephemeral reply
// to msg.UserID alone, or posts a message (in msg.ThreadID when set), and returns its ts; a
// direct message between two people, which the bot is not in, is then answered to its sender
// alone through the response_url: never to both. A reply's image is then uploaded to the
// channel (or thread) where the message was shared; Slack files can't be ephemeral, so an
// ephemeral reply goes without it, and a failed upload is logged but never resends the text.
func (a *Adapter) Send(ctx context.Context, msg core.Outgoing) (string, error) {
	ts, public, err := a.deliver(ctx, msg)
	if err == nil && public && msg.Reply.Image != nil && len(msg.Reply.Image.PNG) > 0 {
		a.attach(ctx, msg)
	}
	return ts, err
}

// deliver sends msg as Send says; public reports whether the whole channel sees it.
func (a *Adapter) deliver(ctx context.Context, msg core.Outgoing) (ts string, public bool, err error) {
	r := msg.Reply
	if len(strings.TrimSpace(r.Text.String())) == 0 && r.Notice != "" && !r.Home {
		// A notice alone: Slack has no toast, so the presser alone sees it.
		r.Text, r.Ephemeral, r.EditRef = core.Text{{Text: r.Notice}}, true, ""
	}
	limit := maxMessageBlocks
	if r.Home {
		limit = maxHomeBlocks
	}
	bs, err := blocks(r, limit)
	if err != nil {
		return "", false, err
	}
	if len(bs) == 0 {
		return "", false, fmt.Errorf("slack: send message: empty reply: %w", core.ErrPermanent)
	}
	msg.Reply = r
	if msg.ResponseURL != "" && !r.Home && (r.Ephemeral || r.Team) {
		if done, err := a.respond(ctx, msg, bs); done || err != nil {
			return "", !r.Ephemeral, err
		}
	}
	token, err := a.token(ctx, msg.Workspace)
	if err != nil {
		return "", false, err
	}
	api := a.api(token)
	if r.Home {
		return "", false, a.publishHome(ctx, api, msg, bs)
	}
	if r.EditRef != "" && !r.Ephemeral {
		if ts, done, err := a.update(ctx, api, msg, bs); done || err != nil {
			return ts, true, err
		}
	}
	if r.Ephemeral && msg.UserID != "" {
		ts, err := a.post(ctx, api, "post ephemeral", msg, bs, slack.MsgOptionPostEphemeral(msg.UserID))
		return ts, false, err
	}
	ts, err = a.post(ctx, api, "post message", msg, bs, slack.MsgOptionPost())
	if err != nil && msg.ResponseURL != "" && !r.Team && (apiError(err, "channel_not_found") || apiError(err, "not_in_channel")) {
		msg.Reply.Ephemeral = true
		if done, rerr := a.respond(ctx, msg, bs); done || rerr != nil {
			return "", false, rerr
		}
	}
	return ts, true, err
}

// attach uploads the reply's image to the channel msg went to (in its thread when it has one),
// titled with its caption. The text is already delivered, so a failure is only logged: a retry
// would post the text twice.
func (a *Adapter) attach(ctx context.Context, msg core.Outgoing) {
	img := msg.Reply.Image
	err := a.waitPause(ctx, msg.Workspace)
	var token string
	if err == nil {
		token, err = a.token(ctx, msg.Workspace)
	}
	if err == nil {
		title := img.Caption
		if title == "" {
			title = "chart"
		}
		_, err = a.api(token).UploadFileContext(ctx, slack.UploadFileParameters{
			Reader: bytes.NewReader(img.PNG), FileSize: len(img.PNG), Filename: "chart.png",
			Title: title, AltTxt: title, Channel: msg.ChatID, ThreadTimestamp: msg.ThreadID})
	}
	if err != nil {
		a.log.Warn("slack: image not uploaded", "team_id", msg.Workspace, "channel", msg.ChatID, "error", err)
		return
	}
	a.log.Debug("slack: uploaded image", "team_id", msg.Workspace, "channel", msg.ChatID, "bytes", len(img.PNG))
}

// respond answers through msg.ResponseURL, in the channel only for a Team reply. done is false
// when the URL no longer answers (404: it works five times within 30 minutes) or is not
// Slack's: the caller falls back to the Web API. Any other failure is the message's.
func (a *Adapter) respond(ctx context.Context, msg core.Outgoing, bs []slack.Block) (done bool, err error) {
	if !a.ownURL(msg.ResponseURL) {
		a.log.Warn("slack: ignoring a response_url that is not Slack's", "team_id", msg.Workspace)
		return false, nil
	}
	sent, err := a.waitFor(ctx, msg)
	if err != nil {
		return false, fmt.Errorf("slack: respond: %w", err)
	}
	defer sent()
	if err := msg.MarkSending(ctx); err != nil {
		return false, fmt.Errorf("slack: record message in flight: %w", err)
	}
	kind := slack.ResponseTypeEphemeral
	if msg.Reply.Team && !msg.Reply.Ephemeral {
		kind = slack.ResponseTypeInChannel
	}
	wm := &slack.WebhookMessage{ResponseType: kind, Text: fallback(msg.Reply.Text), Blocks: &slack.Blocks{BlockSet: bs},
		ReplaceOriginal: msg.Reply.EditRef != "", ThreadTimestamp: msg.ThreadID}
	if err := slack.PostWebhookCustomHTTPContext(ctx, msg.ResponseURL, a.client, wm); err != nil {
		var status slack.StatusCodeError
		if errors.As(err, &status) && (status.Code == http.StatusNotFound || status.Code == http.StatusGone) {
			a.log.Debug("slack: response_url spent, using the Web API", "team_id", msg.Workspace, "error", err)
			return false, nil
		}
		// a timeout may have reached Slack: retrying it as it is, not posting it a second way
		return false, a.classify(ctx, "respond", msg.Workspace, err)
	}
	a.log.Debug("slack: answered through response_url", "team_id", msg.Workspace, "channel", msg.ChatID, "ephemeral", msg.Reply.Ephemeral)
	return true, nil
}

// ownURL reports whether u is a response_url Slack would give: https://hooks.slack.com/…, or
// the test server's own host when the Web API is not Slack's. Anything else is never called.
func (a *Adapter) ownURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	api, err := url.Parse(a.apiURL)
	if err == nil && api.Hostname() != "slack.com" && !strings.HasSuffix(api.Hostname(), ".slack.com") {
		return p.Host == api.Host
	}
	return p.Scheme == "https" && p.Hostname() == "hooks.slack.com"
}

// waitFor keeps msg within Slack's limits: a channel message waits its turn in the channel (one
// a second), an ephemeral one only a workspace's 429 pause.
func (a *Adapter) waitFor(ctx context.Context, msg core.Outgoing) (sent func(), err error) {
	if msg.Reply.Ephemeral {
		return func() {}, a.waitPause(ctx, msg.Workspace)
	}
	return a.wait(ctx, msg.Workspace, msg.ChatID)
}

// post sends a new message (or an ephemeral one) to msg.ChatID.
func (a *Adapter) post(ctx context.Context, api *slack.Client, op string, msg core.Outgoing, bs []slack.Block, kind slack.MsgOption) (string, error) {
	sent, err := a.waitFor(ctx, msg)
	if err != nil {
		return "", fmt.Errorf("slack: %s: %w", op, err)
	}
	defer sent()
	if err := msg.MarkSending(ctx); err != nil {
		return "", fmt.Errorf("slack: record message in flight: %w", err)
	}
	opts := []slack.MsgOption{kind, slack.MsgOptionBlocks(bs...), slack.MsgOptionText(fallback(msg.Reply.Text), false),
		slack.MsgOptionDisableLinkUnfurl()}
	if msg.ThreadID != "" {
		opts = append(opts, slack.MsgOptionTS(msg.ThreadID))
	}
	_, ts, _, err := api.SendMessageContext(ctx, msg.ChatID, opts...)
	if err != nil {
		return "", a.classify(ctx, op, msg.Workspace, err)
	}
	a.log.Debug("slack: sent reply", "team_id", msg.Workspace, "channel", msg.ChatID, "op", op)
	return ts, nil
}

// update edits message EditRef. done is false when the message can't be edited (deleted,
// ephemeral, too old) and a new message should be posted instead.
func (a *Adapter) update(ctx context.Context, api *slack.Client, msg core.Outgoing, bs []slack.Block) (ts string, done bool, err error) {
	sent, err := a.wait(ctx, msg.Workspace, msg.ChatID)
	if err != nil {
		return "", false, fmt.Errorf("slack: update message: %w", err)
	}
	defer sent()
	_, ts, _, err = api.UpdateMessageContext(ctx, msg.ChatID, msg.Reply.EditRef,
		slack.MsgOptionBlocks(bs...), slack.MsgOptionText(fallback(msg.Reply.Text), false))
	switch {
	case err == nil:
		return ts, true, nil
	case apiError(err, "message_not_found"), apiError(err, "cant_update_message"), apiError(err, "edit_window_closed"):
		a.log.Debug("slack: edit failed, posting a new message", "team_id", msg.Workspace, "channel", msg.ChatID, "error", err)
		return "", false, nil
	}
	return "", false, a.classify(ctx, "update message", msg.Workspace, err)
}

// publishHome replaces the user's App Home tab with the reply.
func (a *Adapter) publishHome(ctx context.Context, api *slack.Client, msg core.Outgoing, bs []slack.Block) error {
	if msg.UserID == "" {
		return fmt.Errorf("slack: publish home: no user: %w", core.ErrPermanent)
	}
	sent, err := a.wait(ctx, msg.Workspace, "home:"+msg.UserID)
	if err != nil {
		return fmt.Errorf("slack: publish home: %w", err)
	}
	defer sent()
	req := slack.PublishViewContextRequest{UserID: msg.UserID,
		View: slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: bs}}}
	if _, err := api.PublishViewContext(ctx, req); err != nil {
		return a.classify(ctx, "publish home", msg.Workspace, err)
	}
	return nil
}
