package plan

import (
	"testing"

	"github.com/bizconnect/bizconnect/core"
)

func TestAdviseOrderAndFeedback(t *testing.T) {
	stress := 5
	quick, urgent := task("reply to Anna", today, 10, 3, 2), task("send the contract", today, 60, 1, 4)
	slipping := task("tidy the drive", today.AddDays(-4), 30, 4, 2)
	in := AdviceInput{Today: today, Tasks: []core.Task{quick, urgent, slipping}, Reflection: core.DailyProgress{Stress: &stress}}
	kinds := func(as []Advice) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.Kind)
		}
		return out
	}
	got := Advise(in)
	want := []string{AdviceRest, AdviceFocus, AdviceQuickWin, AdviceDelegate}
	if len(got) != len(want) {
		t.Fatalf("advice %v, want %v", kinds(got), want)
	}
	for i := range want {
		if got[i].Kind != want[i] {
			t.Fatalf("advice %v, want %v", kinds(got), want)
		}
	}
	if got[1].Task.Title != "send the contract" || got[2].Task.Title != "reply to Anna" || got[3].Task.Title != "tidy the drive" {
		t.Errorf("focus %q, quick win %q, delegate %q", got[1].Task.Title, got[2].Task.Title, got[3].Task.Title)
	}
	in.Feedback = map[string]int{AdviceRest: -3, AdviceQuickWin: 5}
	got = Advise(in)
	if got[0].Kind != AdviceQuickWin || got[1].Kind != AdviceFocus || len(got) != 3 {
		t.Errorf("with rest disliked three times and quick wins liked: %v", kinds(got))
	}
	in.Feedback = map[string]int{AdviceRest: -2}
	if got = Advise(in); got[0].Kind != AdviceRest {
		t.Errorf("twice disliked is not yet muted: %v", kinds(got))
	}
}
