package nlu

import (
	"bytes"
	"math"
	"path/filepath"
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

// BenchmarkModelLoad decodes both embedded models, as the first message of a process does.
func BenchmarkModelLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range [][]byte{embeddedModel, embeddedTitleModel} {
			if _, err := DecodeModel(m); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestTitleModelUpToDate fails when the embedded title model was not trained from the title data
// and features in the repository: run `make nlu-train` after changing either.
func TestTitleModelUpToDate(t *testing.T) {
	m := titleTagger()
	if m == nil {
		t.Fatal("no usable embedded title model (title.model missing, malformed or of another feature version): run make nlu-train")
	}
	ex, err := LoadTitleData("testdata")
	if err != nil {
		t.Fatal(err)
	}
	if got := TitleDataHash(ex, DefaultTitleConfig); got != m.DataHash {
		t.Fatalf("title.model was trained from other data or features (hash %x, data %x): run make nlu-train", m.DataHash, got)
	}
	if n := len(embeddedTitleModel); n > 3<<20 {
		t.Errorf("title.model is %d bytes, want at most 3 MB", n)
	}
}

// TestTitleModelBeatsRules scores titles on the slot development sets, with the intent given: the
// title model must get clearly more of them right than the rules' titles it reads.
func TestTitleModelBeatsRules(t *testing.T) {
	if titleTagger() == nil {
		t.Skip("no title model: TestTitleModelUpToDate fails")
	}
	files, _ := filepath.Glob("testdata/slots_dev*.jsonl")
	n, rules, model := 0, 0, 0
	byLang := map[string][3]int{}
	for _, f := range files {
		for _, c := range readHeldOut(t, f) {
			want, ok := c.slots["title"]
			if !ok || !titleIntents[Intent(c.intent)] {
				continue
			}
			res, p := titleInput(c.text, Intent(c.intent))
			if p == nil {
				continue
			}
			n++
			l := byLang[c.lang]
			l[0]++
			if sameTitle(resultFields(t, res)["title"], want) {
				rules++
				l[1]++
			}
			if sameTitle(resultFields(t, p.tagTitle(res))["title"], want) {
				model++
				l[2]++
			} else if testing.Verbose() {
				t.Logf("title %q, want %s (rules %q): %q", ptrStr(p.tagTitle(res).Title), want, ptrStr(res.Title), c.text)
			}
			byLang[c.lang] = l
		}
	}
	t.Logf("%d titles: rules %.3f, title model %.3f", n, float64(rules)/float64(n), float64(model)/float64(n))
	for lang, l := range byLang {
		t.Logf("  %s: %d titles, rules %.3f, title model %.3f", lang, l[0], float64(l[1])/float64(l[0]), float64(l[2])/float64(l[0]))
	}
	if model < rules+n/20 {
		t.Errorf("the title model gets %d of %d titles right, the rules %d: want at least 5 points more", model, n, rules)
	}
}

func ptrStr(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// TestTwoClassPredictIsItsLogit: a two-class model's probabilities are the sigmoid of its logit.
func TestTwoClassPredictIsItsLogit(t *testing.T) {
	m := titleTagger()
	if m == nil {
		t.Skip("no title model: TestTitleModelUpToDate fails")
	}
	res, p := titleInput("завтра позвонить Ивану", IntentCreateTask)
	feats := p.tokenFeatures(res.Intent, p.alignTitle(res.Title), 1, nil)
	probs := m.Predict(feats, nil)
	if l := m.logit(feats); len(probs) != 2 || math.Abs(probs[0]+probs[1]-1) > 1e-9 || math.Abs(math.Log(probs[1]/probs[0])-l) > 1e-6 {
		t.Fatalf("probs %v against logit %v", probs, l)
	}
}
