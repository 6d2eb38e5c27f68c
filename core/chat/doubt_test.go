package chat

import (
	"testing"
	"time"

	"github.com/bizconnect/bizconnect/core"
	"github.com/bizconnect/bizconnect/core/nlu"
)

// TestDoubtAsksBelowItsThresholds pins the doubt policy: which readings are asked about, with a
// button per reading and one for neither, and which are acted on.
func TestDoubtAsksBelowItsThresholds(t *testing.T) {
	alt := func(in core.Intent, c float64, more ...core.Alternative) core.Understanding {
		title := "созвон с юристом"
		return core.Understanding{Intent: in, Confidence: c, Title: &title,
			Alternatives: append([]core.Alternative{{Intent: in, Confidence: c}}, more...)}
	}
	for _, c := range []struct {
		name string
		u    core.Understanding
		text string
		asks bool
	}{
		{"a sure task", alt(core.IntentCreateTask, 0.9, core.Alternative{Intent: core.IntentRescheduleTask, Confidence: 0.05}), "созвон с юристом завтра", false},
		{"an unsure task", alt(core.IntentCreateTask, 0.35, core.Alternative{Intent: core.IntentRescheduleTask, Confidence: 0.3}), "созвон с юристом завтра", true},
		{"a task asked as a question", alt(core.IntentCreateTask, 0.95, core.Alternative{Intent: core.IntentListTasks, Confidence: 0.03}), "созвон с юристом завтра?", true},
		{"a move, sure enough", alt(core.IntentRescheduleTask, 0.65, core.Alternative{Intent: core.IntentCreateTask, Confidence: 0.3}), "перенеси созвон с юристом", false},
		{"a move in doubt", alt(core.IntentRescheduleTask, 0.55, core.Alternative{Intent: core.IntentCreateTask, Confidence: 0.4}), "созвон с юристом на пт", true},
		{"a polite move asked as a question", alt(core.IntentRescheduleTask, 0.9, core.Alternative{Intent: core.IntentCreateTask, Confidence: 0.05}), "можно перенести созвон с юристом на пт?", false},
		{"a completion asked as a question", alt(core.IntentCompleteTask, 0.95, core.Alternative{Intent: core.IntentListTasks, Confidence: 0.03}), "did i call the lawyer", true},
		{"a view against a change", alt(core.IntentReflect, 0.4, core.Alternative{Intent: core.IntentCreateTask, Confidence: 0.35}), "сегодня пост в канал", true},
		{"a view, sure", alt(core.IntentListTasks, 0.8, core.Alternative{Intent: core.IntentCreateTask, Confidence: 0.15}), "что на завтра", false},
	} {
		tr := &turn{a: &Assistant{nlu: nlu.Understander{}}, lang: "ru", now: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}
		asked := tr.doubt(c.u, c.text)
		if asked != c.asks {
			t.Errorf("%s: asked %v, want %v", c.name, asked, c.asks)
			continue
		}
		if !asked {
			continue
		}
		var payloads []string
		for _, r := range tr.replies {
			for _, row := range r.Buttons {
				for _, b := range row {
					payloads = append(payloads, b.Payload)
				}
			}
		}
		if tr.dialog.Pending != c.text || len(payloads) < 2 || payloads[len(payloads)-1] != (core.Action{Kind: core.ActionCancel}).Encode() {
			t.Errorf("%s: pending %q, buttons %v", c.name, tr.dialog.Pending, payloads)
		}
	}
}
