// Package slack connects the assistant to Slack through the Web API and the Events API
// (slack-go/slack).
//
// Inbound, every request is verified with the app's signing secret, then decoded into
// core.Inbound and handed to an AcceptFunc that records it durably: Events API callbacks (direct
// messages, mentions, App Home opens), the /bc slash command and interactivity (buttons and the
// "new goal" modal). The OAuth v2 install flow stores workspace tokens through Installs. Outbound,
// Adapter is a core.Sender: it renders core.Text as Block Kit mrkdwn with buttons, posts, edits,
// sends ephemeral messages or publishes the App Home tab, keeps to about one message per second
// per channel and maps API errors to the core's RetryAfterError, ErrUnreachable and ErrPermanent.
package slack
