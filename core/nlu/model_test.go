package nlu

import (
	"bytes"
	"strings"
	"testing"
)

// TestModelUpToDate fails when the embedded model was not trained from the data and features
// in the repository: run `make nlu-train` after changing either.
func TestModelUpToDate(t *testing.T) {
	m := intentModel()
	if m == nil {
		t.Fatal("no usable embedded intent model (intent.model missing, malformed or of another feature version): run make nlu-train")
	}
	d, err := LoadData("testdata")
	if err != nil {
		t.Fatal(err)
	}
	if got := DataHash(d.Train, d.Dev, DefaultTrainConfig); got != m.DataHash {
		t.Fatalf("intent.model was trained from other data or features (hash %x, data %x): run make nlu-train", m.DataHash, got)
	}
	held, err := heldOutTexts("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range [][]Example{d.Train, d.Dev, d.Test} {
		for _, e := range part {
			if held[strings.ToLower(strings.TrimSpace(e.Text))] {
				t.Fatalf("the held-out message %q is in the intent data", e.Text)
			}
		}
	}
	if len(d.Conflicts) > 0 {
		t.Errorf("messages labelled with two intents: %q", d.Conflicts)
	}
	if n := len(embeddedModel); n > 5<<20 {
		t.Errorf("intent.model is %d bytes, want at most 5 MB", n)
	}
}

// TestModelScores holds the model to its scores on the parts of the data it never trained on: a
// regression guard a little under today's figures (docs/nlu-model.md). These parts are full of
// deliberately hard negatives; the held-out set (TestHeldOut) is the score of record.
func TestModelScores(t *testing.T) {
	m := intentModel()
	if m == nil {
		t.Skip("no model: TestModelUpToDate fails")
	}
	d, err := LoadData("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []struct {
		name string
		ex   []Example
		min  float64
	}{{"dev", d.Dev, 0.88}, {"test", d.Test, 0.87}} {
		right := 0
		for _, e := range part.ex {
			if Parse(e.Text, Options{Now: TrainNow}).Intent == e.Intent {
				right++
			}
		}
		acc := float64(right) / float64(len(part.ex))
		t.Logf("%s: %d messages, intent accuracy %.3f", part.name, len(part.ex), acc)
		if acc < part.min {
			t.Errorf("%s split: intent accuracy %.3f, want at least %.2f", part.name, acc, part.min)
		}
	}
}

func TestTrainDeterministic(t *testing.T) {
	ex := []Example{
		{Text: "позвонить ивану завтра", Intent: IntentCreateTask}, {Text: "call ivan tomorrow", Intent: IntentCreateTask},
		{Text: "что на сегодня", Intent: IntentListTasks}, {Text: "what's on today", Intent: IntentListTasks},
		{Text: "спасибо", Intent: IntentThanks}, {Text: "thanks a lot", Intent: IntentThanks},
	}
	cfg := DefaultTrainConfig
	cfg.MinCount = 1
	a, _ := Train(ex, cfg).MarshalBinary()
	b, _ := Train(ex, cfg).MarshalBinary()
	if !bytes.Equal(a, b) {
		t.Fatal("two trainings on the same data differ")
	}
	m, err := DecodeModel(a)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Classify("позвонить маше завтра", TrainNow)[0].Intent; got != IntentCreateTask {
		t.Errorf("a model trained on six messages reads a task as %s", got)
	}
	c, _ := m.MarshalBinary()
	if !bytes.Equal(a, c) {
		t.Error("a decoded model encodes differently")
	}
	for _, bad := range [][]byte{nil, a[:len(a)-1], append(append([]byte{}, a...), 0), []byte("BCIM\x02\x00\x00\x00")} {
		if _, err := DecodeModel(bad); err == nil {
			t.Errorf("a malformed model (%d bytes) decoded", len(bad))
		}
	}
}

func BenchmarkModelLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeModel(embeddedModel); err != nil {
			b.Fatal(err)
		}
	}
}
