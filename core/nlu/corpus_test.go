package nlu

import (
	"bufio"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the corpus uses fixed zones; don't depend on the machine's zoneinfo
)

// corpusNow is the corpus reference instant: Wednesday 2026-11-25 10:00 in Moscow.
const corpusNow = "2026-11-25T10:00:00+03:00"

// corpusCase is one line of testdata/corpus.jsonl: the text, an optional reference time and zone,
// and the expected fields; only the fields present are compared, the intent always.
type corpusCase struct {
	line int
	Text string `json:"text"`
	Now  string `json:"now"`
	TZ   string `json:"tz"`
	Lang string `json:"lang_opt"`
	want map[string]json.RawMessage
}

func loadCorpus(t testing.TB) []corpusCase {
	t.Helper()
	f, err := os.Open("testdata/corpus.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		c := corpusCase{line: n}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("corpus line %d: %v", n, err)
		}
		if err := json.Unmarshal([]byte(line), &c.want); err != nil {
			t.Fatalf("corpus line %d: %v", n, err)
		}
		for _, k := range []string{"text", "now", "tz", "lang_opt"} {
			delete(c.want, k)
		}
		if _, ok := c.want["intent"]; !ok {
			t.Fatalf("corpus line %d: no intent", n)
		}
		out = append(out, c)
	}
	return out
}

func (c corpusCase) options(t testing.TB) Options {
	now := c.Now
	if now == "" {
		now = corpusNow
	}
	ref, err := time.Parse(time.RFC3339, now)
	if err != nil {
		t.Fatalf("corpus line %d: now: %v", c.line, err)
	}
	tz := c.TZ
	if tz == "" {
		tz = "Europe/Moscow"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		t.Fatalf("corpus line %d: tz: %v", c.line, err)
	}
	return Options{Now: ref.In(loc), Lang: c.Lang}
}

// resultFields renders a Result as JSON values, including the slots kept out of the JSON line.
func resultFields(t testing.TB, r Result) map[string]json.RawMessage {
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]json.RawMessage{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	extra := map[string]any{
		"period":        [...]string{"none", "day", "week"}[r.Period],
		"setting":       string(r.Setting),
		"setting_value": r.SettingValue,
		"end_time":      r.EndTime,
		"stress":        r.Stress,
		"energy":        r.Energy,
		"notes":         r.Notes,
	}
	for k, v := range extra {
		b, _ := json.Marshal(v)
		m[k] = b
	}
	return m
}

func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) < 300 {
		t.Errorf("corpus has %d cases, want at least 300", len(cases))
	}
	for _, c := range cases {
		r := Parse(c.Text, c.options(t))
		got := resultFields(t, r)
		for k, want := range c.want {
			switch k {
			case "min_conf", "max_conf":
				var v float64
				_ = json.Unmarshal(want, &v)
				if k == "min_conf" && r.Confidence < v || k == "max_conf" && r.Confidence > v {
					t.Errorf("line %d %q: confidence %.2f, want %s %.2f", c.line, c.Text, r.Confidence, k, v)
				}
				continue
			}
			g, ok := got[k]
			if !ok {
				t.Errorf("line %d: unknown field %q", c.line, k)
				continue
			}
			if !sameJSON(g, want) {
				t.Errorf("line %d %q: %s = %s, want %s", c.line, c.Text, k, g, want)
			}
		}
	}
}

// BenchmarkParse parses the corpus and the intent data's test split: the rules, the model and,
// where they disagree, the slots read again.
func BenchmarkParse(b *testing.B) { benchParse(b, Parse) }

// BenchmarkParseRules is the yardstick: the rules alone, with the model's features computed.
func BenchmarkParseRules(b *testing.B) {
	benchParse(b, func(text string, opt Options) Result { r, _ := analyze(text, opt); return r })
}

func benchParse(b *testing.B, parse func(string, Options) Result) {
	cases := loadCorpus(b)
	var texts []string
	var opts []Options
	for _, c := range cases {
		texts, opts = append(texts, c.Text), append(opts, c.options(b))
	}
	d, err := LoadData("testdata")
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range d.Test {
		texts, opts = append(texts, e.Text), append(opts, Options{Now: TrainNow})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(texts)
		parse(texts[k], opts[k])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
