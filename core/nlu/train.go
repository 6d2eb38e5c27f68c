package nlu

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Example is one labelled message of the intent data.
type Example struct {
	Text   string `json:"text"`
	Intent Intent `json:"intent"`
	// Title is the title a message's words name, in the title data (testdata/titles).
	Title string `json:"title,omitempty"`
	// Source names the file it came from, for reports.
	Source string `json:"-"`
}

// ReadExamples reads JSON lines with "text" and "intent" (other fields are ignored).
func ReadExamples(r io.Reader, source string) ([]Example, error) {
	var out []Example
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		var e Example
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", source, n, err)
		}
		if e.Intent == "" {
			return nil, fmt.Errorf("%s:%d: no intent", source, n)
		}
		if strings.TrimSpace(e.Text) == "" {
			continue // nothing to learn from
		}
		e.Source = source
		out = append(out, e)
	}
	return out, sc.Err()
}

// Split names the part of the intent data a message belongs to, by a hash of its text: "dev"
// (1 in 10), "test" (1 in 10) or "train". The dev part tunes and calibrates, the test part is
// scored once; neither is ever trained on.
func Split(text string) string {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(strings.TrimSpace(text))))
	switch h.Sum32() % 10 {
	case 0:
		return "dev"
	case 1:
		return "test"
	}
	return "train"
}

// Data is the intent data split into its parts.
type Data struct {
	Train, Dev, Test []Example
	// Conflicts are the messages labelled twice with different intents (the first label wins).
	Conflicts []string
	// HeldOut counts the messages left out because the held-out set has them too.
	HeldOut int
}

// heldOutTexts are the messages of dir/heldout, lowercased and trimmed.
func heldOutTexts(dir string) (map[string]bool, error) {
	files, err := filepath.Glob(filepath.Join(dir, "heldout", "*.jsonl"))
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, f := range files {
		ex, err := readExamplesFile(f)
		if err != nil {
			return nil, err
		}
		for _, e := range ex {
			out[strings.ToLower(strings.TrimSpace(e.Text))] = true
		}
	}
	return out, nil
}

// LoadData reads the intent data of dir (core/nlu/testdata): every intents/*.jsonl, split by
// Split, and the rules' corpus.jsonl, which is tuning data and always trained on. A message seen
// twice counts once.
func LoadData(dir string) (Data, error) {
	files, err := filepath.Glob(filepath.Join(dir, "intents", "*.jsonl"))
	if err != nil || len(files) == 0 {
		return Data{}, fmt.Errorf("nlu: no intent data under %s/intents", dir)
	}
	slices.Sort(files)
	var d Data
	seen := map[string]Intent{}
	heldOut, err := heldOutTexts(dir)
	if err != nil {
		return Data{}, err
	}
	for _, f := range append(files, filepath.Join(dir, "corpus.jsonl")) {
		ex, err := readExamplesFile(f)
		if err != nil {
			return Data{}, err
		}
		corpus := filepath.Base(f) == "corpus.jsonl"
		for _, e := range ex {
			key := strings.ToLower(strings.TrimSpace(e.Text))
			if heldOut[key] {
				d.HeldOut++ // the held-out set is never trained on, even where a message was written twice
				continue
			}
			if prev, ok := seen[key]; ok {
				if prev != e.Intent {
					d.Conflicts = append(d.Conflicts, fmt.Sprintf("%q: %s, %s (%s)", e.Text, prev, e.Intent, e.Source))
				}
				continue
			}
			seen[key] = e.Intent
			switch split := Split(e.Text); {
			case corpus || split == "train":
				d.Train = append(d.Train, e)
			case split == "dev":
				d.Dev = append(d.Dev, e)
			default:
				d.Test = append(d.Test, e)
			}
		}
	}
	return d, nil
}

func readExamplesFile(path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadExamples(f, filepath.Base(path))
}

// DataHash identifies what a model is trained from: the labels, texts and features of the
// training messages, the feature weights and the training config, and the development messages
// it is calibrated on. A model whose hash differs from its data's is stale.
func DataHash(train, dev []Example, cfg TrainConfig) uint64 {
	h := fnv.New64a()
	for _, e := range train {
		if f := Features(e.Text, TrainNow); len(f) > 0 {
			hashExample(h, e, f)
		}
	}
	return withDev(withConfig(h, cfg), dev)
}

func withConfig(h hash.Hash64, cfg TrainConfig) uint64 {
	fmt.Fprintf(h, "%v\x00%+v", groupWeights, cfg)
	return h.Sum64()
}

func withDev(sum uint64, dev []Example) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%x", sum)
	for _, e := range dev {
		fmt.Fprintf(h, "\x00%s\x00%s", e.Intent, e.Text)
	}
	return h.Sum64()
}

func hashExample(h hash.Hash64, e Example, feats []uint32) {
	fmt.Fprintf(h, "%s\x00%s\x00%v\x00", e.Intent, e.Text, feats)
}

// TrainNow is the reference instant the intent data is read at (the corpus's: a Wednesday).
var TrainNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("MSK", 3*3600))

// Features returns the model's features of a message: what the model sees.
func Features(text string, now time.Time) []uint32 {
	_, feats := analyze(text, Options{Now: now})
	return feats
}

// TrainConfig are the training's hyperparameters.
type TrainConfig struct {
	Epochs   int
	Rate     float64 // AdaGrad's learning rate
	L2       float64
	MinCount int // features seen fewer times are dropped
	Seed     uint64
}

// DefaultTrainConfig is what `make nlu-train` uses (chosen on the dev set).
var DefaultTrainConfig = TrainConfig{Epochs: 30, Rate: 0.5, L2: 1e-5, MinCount: 2, Seed: 1}

type vec struct {
	rows []int32
	vals []float64 // the rows' values, normalised over all the message's features
	y    int
}

// Train fits a model to examples. Deterministic for a config and examples in a given order.
func Train(examples []Example, cfg TrainConfig) *Model {
	examples = slices.DeleteFunc(slices.Clone(examples), func(e Example) bool {
		return len(Features(e.Text, TrainNow)) == 0 // a command: the rules decide alone
	})
	var classes []Intent
	for _, e := range examples {
		if !slices.Contains(classes, e.Intent) {
			classes = append(classes, e.Intent)
		}
	}
	slices.Sort(classes)
	if len(classes) > maxClasses {
		classes = classes[:maxClasses] // Predict keeps the scores on the stack; more intents than that is a data error
	}
	feats := make([][]uint32, len(examples))
	ys := make([]int, len(examples))
	h := fnv.New64a()
	for i, e := range examples {
		feats[i] = Features(e.Text, TrainNow)
		ys[i] = slices.Index(classes, e.Intent)
		hashExample(h, e, feats[i])
	}
	m := fit(feats, ys, classes, cfg)
	m.FeatureVersion, m.DataHash = featureVersion, withConfig(h, cfg)
	return m
}

// fit trains multinomial logistic regression with AdaGrad on the feature bags feats labelled ys
// (indices into classes), keeping the features seen at least cfg.MinCount times, and returns it
// with int16 weights. Deterministic for a config and examples in a given order.
func fit(feats [][]uint32, ys []int, classes []Intent, cfg TrainConfig) *Model {
	count := map[uint32]int{}
	for _, fs := range feats {
		for _, f := range fs {
			count[f]++
		}
	}
	keys := make([]uint32, 0, len(count))
	for f, c := range count {
		if c >= cfg.MinCount {
			keys = append(keys, f)
		}
	}
	slices.Sort(keys)
	index := make(map[uint32]int32, len(keys))
	for i, k := range keys {
		index[k] = int32(i)
	}
	data := make([]vec, len(feats))
	for i, fs := range feats {
		v := vec{y: ys[i]}
		all := featureValues(fs, nil)
		for j, f := range fs {
			if r, ok := index[f]; ok {
				v.rows = append(v.rows, r)
				v.vals = append(v.vals, all[j])
			}
		}
		data[i] = v
	}
	k := len(classes)
	w := make([]float64, len(keys)*k)
	g2 := make([]float64, len(keys)*k)
	bias, bg2 := make([]float64, k), make([]float64, k)
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	scores := make([]float64, k)
	for range cfg.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			v := data[i]
			copy(scores, bias)
			for j, r := range v.rows {
				row, x := w[int(r)*k:int(r)*k+k], v.vals[j]
				for c := range scores {
					scores[c] += float64(row[c] * x) // float64(): no fused multiply-add, the same weights on every CPU
				}
			}
			softmax(scores)
			scores[v.y]--
			for c, g := range scores {
				bg2[c] += float64(g * g)
				bias[c] -= float64(cfg.Rate*g) / (math.Sqrt(bg2[c]) + 1e-8)
			}
			for n, r := range v.rows {
				base, x := int(r)*k, v.vals[n]
				for c, g := range scores {
					j := base + c
					gr := float64(g*x) + float64(cfg.L2*w[j])
					g2[j] += float64(gr * gr)
					w[j] -= float64(cfg.Rate*gr) / (math.Sqrt(g2[j]) + 1e-8)
				}
			}
		}
	}
	m := &Model{Classes: classes, Temperature: 1, keys: keys}
	top := 0.0
	for _, v := range w {
		top = max(top, math.Abs(v))
	}
	m.scale = float32(top / math.MaxInt16)
	if m.scale == 0 {
		m.scale = 1
	}
	m.w = make([]int16, len(w))
	for i, v := range w {
		m.w[i] = int16(math.Round(v / float64(m.scale)))
	}
	for _, b := range bias {
		m.bias = append(m.bias, float32(b))
	}
	m.buildIndex()
	return m
}

// Calibrate fits the temperature that minimises the log loss on dev (temperature scaling).
func (m *Model) Calibrate(dev []Example) {
	m.DataHash = withDev(m.DataHash, dev)
	if len(dev) == 0 {
		return
	}
	feats := make([][]uint32, len(dev))
	ys := make([]int, len(dev))
	for i, e := range dev {
		feats[i] = Features(e.Text, TrainNow)
		ys[i] = slices.Index(m.Classes, e.Intent)
	}
	loss := func(t float64) float64 {
		m.Temperature = t
		sum := 0.0
		probs := make([]float64, 0, len(m.Classes))
		for i, f := range feats {
			probs = m.Predict(f, probs)
			p := 1e-12
			if ys[i] >= 0 {
				p = max(probs[ys[i]], 1e-12)
			}
			sum -= math.Log(p)
		}
		return sum
	}
	lo, hi := 0.05, 5.0 // golden-section search; the loss is unimodal in t
	phi := (math.Sqrt(5) - 1) / 2
	a, b := hi-phi*(hi-lo), lo+phi*(hi-lo)
	fa, fb := loss(a), loss(b)
	for hi-lo > 1e-3 {
		if fa < fb {
			hi, b, fb = b, a, fa
			a = hi - phi*(hi-lo)
			fa = loss(a)
		} else {
			lo, a, fa = a, b, fb
			b = lo + phi*(hi-lo)
			fb = loss(b)
		}
	}
	m.Temperature = (lo + hi) / 2
}

// Classify returns the model's intents for a message, most probable first.
func (m *Model) Classify(text string, now time.Time) []Alternative {
	probs := m.Predict(Features(text, now), nil)
	return rank(m.Classes, probs, len(probs))
}

// rank returns the n most probable classes, most probable first (the first of equals first).
func rank(classes []Intent, probs []float64, n int) []Alternative {
	n = min(n, len(classes))
	out := make([]Alternative, 0, n)
	taken := make([]bool, len(classes))
	for range n {
		best := -1
		for i, p := range probs {
			if !taken[i] && (best < 0 || p > probs[best]) {
				best = i
			}
		}
		taken[best] = true
		out = append(out, Alternative{Intent: classes[best], Confidence: probs[best]})
	}
	return out
}
