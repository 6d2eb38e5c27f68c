// Package nlu turns a user's chat message (Russian or English) into an intent and its slots:
// dates, times, durations, priority, money and other amounts, recurrence and goal category.
//
// Rules find the slots and propose an intent; a statistical intent model (model.go, trained by
// `make nlu-train` from testdata/intents and embedded) decides, with a calibrated confidence and
// its next likeliest intents, so that the conversation can ask when it is unsure.
//
// Everything here is a pure function of the text and Options: no I/O, no clock reads, no
// network. Dates resolve in Options.Now's location; the conventions are in docs/nlu.md.
// The parser works on one tokenisation of the message (no regexps), so it is linear in the
// length of the input.
package nlu

//go:generate go run ./internal/nlutrain -root ../..
