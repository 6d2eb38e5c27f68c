package nlu

import (
	"fmt"
	"hash/fnv"
	"path/filepath"
	"slices"
	"strings"
)

// LoadTitleData reads the title data of dir (core/nlu/testdata): every titles/*.jsonl, whose
// lines carry "text", "intent" and "title", and the titled cases of the rules' corpus.jsonl. A
// message the held-out set or a slot development set also has is left out.
func LoadTitleData(dir string) ([]Example, error) {
	files, err := filepath.Glob(filepath.Join(dir, "titles", "*.jsonl"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("nlu: no title data under %s/titles", dir)
	}
	slices.Sort(files)
	files = append(files, filepath.Join(dir, "corpus.jsonl"))
	heldOut, err := heldOutTexts(dir)
	if err != nil {
		return nil, err
	}
	devFiles, _ := filepath.Glob(filepath.Join(dir, "slots_dev*.jsonl"))
	for _, f := range devFiles { // the slot development sets choose the margin: never trained on
		ex, err := readExamplesFile(f)
		if err != nil {
			return nil, err
		}
		for _, e := range ex {
			heldOut[strings.ToLower(strings.TrimSpace(e.Text))] = true
		}
	}
	var out []Example
	seen := map[string]bool{}
	for _, f := range files {
		ex, err := readExamplesFile(f)
		if err != nil {
			return nil, err
		}
		for _, e := range ex {
			key := strings.ToLower(strings.TrimSpace(e.Text))
			if heldOut[key] || seen[key] || e.Title == "" || !titleIntents[e.Intent] {
				continue
			}
			seen[key] = true
			out = append(out, e)
		}
	}
	return out, nil
}

// DefaultTitleConfig is what `make nlu-train` uses for the title model (chosen on the slot
// development sets).
var DefaultTitleConfig = TrainConfig{Epochs: 12, Rate: 0.5, L2: 1e-6, MinCount: 1, Seed: 1}

// titleInput is the parse the title model reads when intent wins: the rules' parser when they
// chose intent, else the slots read again for it, as decide does.
func titleInput(text string, intent Intent) (Result, *parser) {
	res, p := analyzeParser(text, Options{Now: TrainNow})
	if p == nil || p.feats == nil {
		return res, nil // a command: Parse never reaches the title model
	}
	if res.Intent != intent {
		p = p.again()
		res = p.buildAs(intent)
	}
	return res, p
}

// titleVectors are the features of e's tokens and whether each is in its title; false when the
// title is not made of the message's words or the intent has no title model.
func titleVectors(e Example) ([][]uint32, []int, bool) {
	if !titleIntents[e.Intent] {
		return nil, nil, false
	}
	res, p := titleInput(e.Text, e.Intent)
	if p == nil {
		return nil, nil, false
	}
	gold := p.alignTitle(&e.Title)
	if gold == nil {
		return nil, nil, false
	}
	rule := p.alignTitle(res.Title)
	var feats [][]uint32
	var ys []int
	for i := range min(len(p.toks), maxTitleTokens) {
		if !titleToken(p.kind[i]) {
			continue // never scored (titleLogits)
		}
		feats = append(feats, p.tokenFeatures(e.Intent, rule, i, nil))
		ys = append(ys, boolToInt(gold[i]))
	}
	return feats, ys, true
}

// TrainTitles fits the title model to examples; it also returns how many were used (the others'
// titles are not made of their words). Deterministic for a config and examples in a given order.
func TrainTitles(examples []Example, cfg TrainConfig) (*Model, int) {
	var feats [][]uint32
	var ys []int
	h := fnv.New64a()
	used := 0
	for _, e := range examples {
		f, y, ok := titleVectors(e)
		if !ok {
			continue
		}
		used++
		feats, ys = append(feats, f...), append(ys, y...)
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%v\x00%v\x00", e.Intent, e.Text, e.Title, f, y)
	}
	m := fit(feats, ys, []Intent{titleOut, titleIn}, cfg)
	m.FeatureVersion, m.DataHash = titleFeatureVersion, withConfig(h, cfg)
	return m, used
}

// TitleDataHash identifies what a title model is trained from (see DataHash).
func TitleDataHash(examples []Example, cfg TrainConfig) uint64 {
	h := fnv.New64a()
	for _, e := range examples {
		if f, y, ok := titleVectors(e); ok {
			fmt.Fprintf(h, "%s\x00%s\x00%s\x00%v\x00%v\x00", e.Intent, e.Text, e.Title, f, y)
		}
	}
	return withConfig(h, cfg)
}

// ScoreTitles returns the share of examples whose title the rules get right, and the share the
// title model m gets right, with the intent given.
func ScoreTitles(m *Model, examples []Example) (rules, model float64) {
	n, r, k := 0, 0, 0
	for _, e := range examples {
		res, p := titleInput(e.Text, e.Intent)
		if p == nil || !titleIntents[e.Intent] {
			continue
		}
		n++
		if res.Title != nil && SameTitle(*res.Title, e.Title) {
			r++
		}
		if t := p.modelTitle(m, res); t != nil && SameTitle(*t, e.Title) || t == nil && res.Title != nil && SameTitle(*res.Title, e.Title) {
			k++
		}
	}
	return float64(r) / float64(max(n, 1)), float64(k) / float64(max(n, 1))
}

// SameTitle compares titles as the held-out set's SLOTS.md says: case-insensitively, ё = е,
// without trailing punctuation.
func SameTitle(a, b string) bool {
	norm := func(s string) string {
		s = strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(s, "ё", "е"), "Ё", "Е"))
		return strings.Join(strings.Fields(strings.TrimRight(s, " .,!?;:…")), " ")
	}
	return norm(a) == norm(b)
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
