package nlu

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/bizconnect/bizconnect/core"
)

// Model is the intent classifier: multinomial logistic regression over the hashed features of
// features.go, with a temperature fitted on the development set so that its probabilities are
// calibrated. Weights are int16 with one scale; only the features seen in training are stored.
type Model struct {
	Classes     []Intent
	Temperature float64
	// FeatureVersion and DataHash say what the model was trained from (see model_test.go).
	FeatureVersion int
	DataHash       uint64

	scale float32
	bias  []float32
	keys  []uint32 // sorted feature hashes
	w     []int16  // len(keys) × len(Classes)
	index featureIndex
}

// Alternative is one intent the model considered, with its probability.
type Alternative = core.Alternative

//go:embed intent.model
var embeddedModel []byte

// intentModel is the embedded model, decoded on first use; nil when the binary has none.
var intentModel = sync.OnceValue(func() *Model { return decodeEmbedded(embeddedModel, featureVersion, 0) })

// decodeEmbedded decodes an embedded model of the feature version given (and, when classes is
// not 0, of that many classes); nil when it is missing, malformed or stale.
func decodeEmbedded(b []byte, version, classes int) *Model {
	m, err := DecodeModel(b)
	if err != nil || m.FeatureVersion != version || classes != 0 && len(m.Classes) != classes {
		return nil
	}
	return m
}

const modelMagic = "BCIM"

// MarshalBinary encodes the model (little-endian, see DecodeModel).
func (m *Model) MarshalBinary() ([]byte, error) {
	b := []byte(modelMagic)
	le := binary.LittleEndian
	b = le.AppendUint32(b, 1)
	b = le.AppendUint32(b, uint32(m.FeatureVersion))
	b = le.AppendUint64(b, m.DataHash)
	b = le.AppendUint32(b, math.Float32bits(float32(m.Temperature)))
	b = le.AppendUint32(b, math.Float32bits(m.scale))
	b = le.AppendUint16(b, uint16(len(m.Classes)))
	for _, c := range m.Classes {
		b = append(b, byte(len(c)))
		b = append(b, c...)
	}
	for _, v := range m.bias {
		b = le.AppendUint32(b, math.Float32bits(v))
	}
	b = le.AppendUint32(b, uint32(len(m.keys)))
	for _, k := range m.keys {
		b = le.AppendUint32(b, k)
	}
	for _, v := range m.w {
		b = le.AppendUint16(b, uint16(v))
	}
	return b, nil
}

var errModel = errors.New("nlu: malformed intent model")

// DecodeModel reads a model written by MarshalBinary.
func DecodeModel(b []byte) (*Model, error) {
	le := binary.LittleEndian
	r := reader{b: b}
	if string(r.next(4)) != modelMagic || le.Uint32(r.next(4)) != 1 {
		return nil, errModel
	}
	m := &Model{FeatureVersion: int(le.Uint32(r.next(4))), DataHash: le.Uint64(r.next(8))}
	m.Temperature = float64(math.Float32frombits(le.Uint32(r.next(4))))
	m.scale = math.Float32frombits(le.Uint32(r.next(4)))
	k := int(le.Uint16(r.next(2)))
	if k == 0 || k > maxClasses {
		return nil, fmt.Errorf("%w: %d classes", errModel, k)
	}
	for range k {
		n := r.next(1)
		if n == nil {
			return nil, errModel
		}
		m.Classes = append(m.Classes, Intent(r.next(int(n[0]))))
	}
	for range k {
		m.bias = append(m.bias, math.Float32frombits(le.Uint32(r.next(4))))
	}
	n := int(le.Uint32(r.next(4)))
	if r.err || n < 0 || len(r.b) != n*4+n*k*2 {
		return nil, fmt.Errorf("%w: size", errModel)
	}
	m.keys = make([]uint32, n)
	for i := range m.keys {
		m.keys[i] = le.Uint32(r.next(4))
	}
	m.w = make([]int16, n*k)
	for i := range m.w {
		m.w[i] = int16(le.Uint16(r.next(2)))
	}
	if !slices.IsSorted(m.keys) || m.Temperature <= 0 {
		return nil, errModel
	}
	m.buildIndex()
	return m, nil
}

func (m *Model) buildIndex() {
	if len(m.Classes) == 2 {
		m.index = newFeatureIndex(m.keys, func(i int) int32 { return int32(m.w[2*i+1]) - int32(m.w[2*i]) })
		return
	}
	m.index = newFeatureIndex(m.keys, func(i int) int32 { return int32(i) })
}

// featureIndex maps a feature to a value: its row of weights, or for a two-class model the
// difference of its two weights. It is an open-addressing hash table with linear probing, at most
// half full, keyed by the feature hash (whose high bits spread; its low bits are the group). A
// key and its value share a slot, so a lookup touches one cache line: this is the model's hot path.
type featureIndex struct {
	slots []indexSlot
	shift uint32
}

type indexSlot struct {
	key uint32
	val int32
}

// noValue marks an empty slot; no row or difference of two int16 is that low.
const noValue = math.MinInt32

func newFeatureIndex(keys []uint32, val func(i int) int32) featureIndex {
	bits := uint32(4)
	for 1<<bits < 2*len(keys) {
		bits++
	}
	t := featureIndex{slots: make([]indexSlot, 1<<bits), shift: 32 - bits}
	for i := range t.slots {
		t.slots[i].val = noValue
	}
	mask := uint32(len(t.slots) - 1)
	for i, k := range keys {
		j := (k * 0x9e3779b1) >> t.shift
		for t.slots[j].val != noValue {
			j = (j + 1) & mask
		}
		t.slots[j] = indexSlot{key: k, val: val(i)}
	}
	return t
}

// get returns the value of feature k, or noValue.
func (t *featureIndex) get(k uint32) int32 {
	mask := uint32(len(t.slots) - 1)
	for j := (k * 0x9e3779b1) >> t.shift; ; j = (j + 1) & mask {
		if s := t.slots[j]; s.val == noValue || s.key == k {
			return s.val
		}
	}
}

type reader struct {
	b   []byte
	err bool
}

func (r *reader) next(n int) []byte {
	if r.err || n > len(r.b) {
		r.err = true
		return make([]byte, n)
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

// maxClasses bounds the number of intents a model may have (the scores live on the stack).
const maxClasses = 32

// Predict returns the probability of each class for a message's features, in Classes order.
func (m *Model) Predict(feats []uint32, probs []float64) []float64 {
	k := len(m.Classes)
	if k == 2 { // a two-class model's index holds weight differences: its logit says it all
		p1 := 1 / (1 + math.Exp(-m.logit(feats)))
		return append(probs[:0], 1-p1, p1)
	}
	var acc [maxClasses]int64 // in half units of a group weight: exact, and integer arithmetic is fast
	sum := 0.0
	for _, f := range feats {
		g := groupWeights[f&groupMask]
		sum += g * g
		row := m.index.get(f)
		if row == noValue {
			continue
		}
		g2 := int64(halfWeights[f&groupMask])
		w := m.w[int(row)*k : int(row)*k+k]
		for c, v := range w {
			acc[c] += int64(v) * g2
		}
	}
	norm := float64(m.scale) / math.Sqrt(max(sum, 1e-12)) / 2
	probs = probs[:0]
	for c := range k {
		probs = append(probs, (float64(m.bias[c])+float64(acc[c])*norm)/m.Temperature)
	}
	softmax(probs)
	return probs
}

// logit returns log(p₁/p₀) of a two-class model for features feats: Predict without the softmax.
func (m *Model) logit(feats []uint32) float64 {
	var acc int64
	sum := 0.0
	for _, f := range feats {
		g := groupWeights[f&groupMask]
		sum += g * g
		if d := m.index.get(f); d != noValue {
			acc += int64(d) * int64(halfWeights[f&groupMask])
		}
	}
	norm := float64(m.scale) / math.Sqrt(max(sum, 1e-12)) / 2
	return (float64(m.bias[1]) - float64(m.bias[0]) + float64(acc)*norm) / m.Temperature
}

func softmax(s []float64) {
	top := math.Inf(-1)
	for _, v := range s {
		top = max(top, v)
	}
	sum := 0.0
	for i, v := range s {
		s[i] = math.Exp(v - top)
		sum += s[i]
	}
	for i := range s {
		s[i] /= sum
	}
}

// Features returns the number of features the model has weights for.
func (m *Model) Features() int { return len(m.keys) }
