package slack

import (
	"regexp"
	"slices"
	"strings"

	"github.com/bizconnect/bizconnect/core"
)

// mention matches a user mention as Slack encodes it: <@U123> or <@U123|name>.
var mention = regexp.MustCompile(`<@([A-Z0-9]+)(?:\|[^>]*)?>`)

// stripMentions removes the bot's mentions from text. When the bot's user ids are unknown it
// removes the leading mention, the one that made Slack send an app_mention.
func stripMentions(text string, botIDs []string) string {
	if len(botIDs) == 0 {
		if loc := mention.FindStringIndex(strings.TrimSpace(text)); loc != nil && loc[0] == 0 {
			return tidy(strings.TrimSpace(text)[loc[1]:])
		}
		return tidy(text)
	}
	out := mention.ReplaceAllStringFunc(text, func(m string) string {
		if slices.Contains(botIDs, mention.FindStringSubmatch(m)[1]) {
			return ""
		}
		return m
	})
	return tidy(strings.ReplaceAll(out, "  ", " "))
}

// tidy drops what a removed leading mention leaves behind ("<@bot>, what's today" → "what's today").
func tidy(s string) string {
	return strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(s), ",:;"))
}

// chatType tells a direct message from a channel: DM channel ids start with "D", and slash
// commands name them "directmessage".
func chatType(channelID, channelName string) core.ChatType {
	if strings.HasPrefix(channelID, "D") || channelName == "directmessage" {
		return core.ChatPrivate
	}
	return core.ChatGroup
}
