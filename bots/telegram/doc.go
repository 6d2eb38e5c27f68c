// Package telegram connects the assistant to Telegram through the Bot API (go-telegram/bot).
//
// Inbound, it verifies webhook requests or long-polls getUpdates, decodes updates into
// core.Inbound and hands them to an AcceptFunc that records them durably. Outbound, Adapter is a
// core.Sender: it renders core.Text as Telegram HTML, splits long replies, attaches inline
// keyboards and images, keeps to Telegram's rate limits and maps API errors to the core's
// RetryAfterError, ErrUnreachable and ErrPermanent.
package telegram
