// Package telegramtest runs a fake Telegram Bot API server for tests.
//
// The server speaks the real wire protocol at /bot<token>/<method>: it accepts JSON, URL-encoded
// and multipart bodies and answers {"ok":true,"result":...} or {"ok":false,"error_code":...}. It
// records every call, validates what the real API validates (HTML entities, 4096-character texts,
// 1024-character captions, 1–64-byte callback data), serves getUpdates from a queue the test fills
// and lets a test script failures such as 429 retry_after or 403 "bot was blocked by the user".
package telegramtest
