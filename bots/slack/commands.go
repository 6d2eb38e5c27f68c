package slack

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"github.com/bizconnect/bizconnect/core"
	"github.com/slack-go/slack"
)

// CommandsHandler returns the handler for slash commands (POST /slack/commands). "/bc <text>"
// becomes an Inbound with that text ("help" when empty); the handler answers 200 with an empty
// body at once, and the reply comes later through Send. When Accept fails it answers with a
// short apology, which Slack shows to the user alone (Slack doesn't retry commands).
func (a *Adapter) CommandsHandler() http.Handler {
	return http.HandlerFunc(a.serveCommand)
}

func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verifiedBody(w, r)
	if !ok {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	cmd, err := slack.SlashCommandParse(r)
	if err != nil || cmd.TeamID == "" || cmd.UserID == "" || cmd.ChannelID == "" {
		http.Error(w, "bad command", http.StatusBadRequest)
		return
	}
	switch ok, pending := a.admit(cmd.TeamID); {
	case pending:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("Starting up, try again in a moment. / Запускаюсь, повторите через минуту."))
		return
	case !ok:
		a.log.Warn("slack: refused a command of another workspace", "team_id", cmd.TeamID)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("This app is installed in another workspace. / Это приложение установлено в другом пространстве."))
		return
	}
	if newGoalCommand(cmd.Text) && cmd.TriggerID != "" &&
		a.openNewGoal(r.Context(), cmd.TeamID, cmd.TriggerID, goalFormFor{Channel: cmd.ChannelID, ResponseURL: cmd.ResponseURL}) == nil {
		w.WriteHeader(http.StatusOK) // the form, for this channel; if it didn't open, the core asks in words
		return
	}
	in := a.commandInbound(cmd)
	if in.Key == "" {
		in.Key = signedKey(cmd.TeamID, r, body)
	}
	if err := a.opts.Accept(r.Context(), in); err != nil {
		a.log.Error("slack: accept command", "key", in.Key, "error", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("Sorry, something went wrong. Please try again. / Что-то пошло не так, попробуйте ещё раз."))
		return
	}
	w.WriteHeader(http.StatusOK)
}

// newGoalCommand reports whether a command's text asks for a new goal without saying which
// ("/bc new goal"): the form is opened for it.
func newGoalCommand(text string) bool {
	switch strings.Trim(strings.ToLower(strings.Join(strings.Fields(text), " ")), ".!:") {
	case "new goal", "add goal", "goal", "новая цель", "добавить цель", "цель", "создать цель", "create goal":
		return true
	}
	return false
}

func (a *Adapter) commandInbound(cmd slack.SlashCommand) core.Inbound {
	text := strings.TrimSpace(cmd.Text)
	if text == "" {
		text = "help"
	}
	var key string
	if cmd.TriggerID != "" {
		key = "slack:" + cmd.TeamID + ":cmd:" + cmd.TriggerID
	}
	return core.Inbound{
		Key:            key,
		Provider:       core.ProviderSlack,
		Workspace:      cmd.TeamID,
		ExternalUserID: cmd.UserID,
		UserName:       cmd.UserName,
		ChatID:         cmd.ChannelID,
		ChatType:       chatType(cmd.ChannelID, cmd.ChannelName),
		ResponseURL:    cmd.ResponseURL,
		Text:           text,
		ReceivedAt:     a.now().UTC(),
	}
}
