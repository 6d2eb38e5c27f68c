package nlu

import "testing"

func TestEstimateEffort(t *testing.T) {
	for _, c := range []struct {
		title   string
		minutes int
		load    int
	}{
		{"подготовить стратегию на год", 60, 8},
		{"call Ivan", 30, 4},
		{"купить бумагу", 30, 2},
		{"something", 300, 7},
	} {
		if _, got := EstimateEffort(c.title, c.minutes); got != c.load {
			t.Errorf("EstimateEffort(%q, %d) = %d, want %d", c.title, c.minutes, got, c.load)
		}
	}
}
