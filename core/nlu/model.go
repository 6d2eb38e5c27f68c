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
	index map[uint32]int32
}

// Alternative is one intent the model considered, with its probability.
type Alternative = core.Alternative

//go:embed intent.model
var embeddedModel []byte

var (
	modelOnce sync.Once
	model     *Model
)

// intentModel is the embedded model, decoded on first use; nil when the binary has none.
func intentModel() *Model {
	modelOnce.Do(func() {
		m, err := DecodeModel(embeddedModel)
		if err == nil && m.FeatureVersion == featureVersion {
			model = m
		}
	})
	return model
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
	m.index = make(map[uint32]int32, len(m.keys))
	for i, k := range m.keys {
		m.index[k] = int32(i)
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
	var acc [maxClasses]float64
	sum := 0.0
	for _, f := range feats {
		g := groupWeights[f&groupMask]
		sum += g * g
		row, ok := m.index[f]
		if !ok {
			continue
		}
		w := m.w[int(row)*k : int(row)*k+k]
		for c, v := range w {
			acc[c] += float64(v) * g
		}
	}
	norm := float64(m.scale) / math.Sqrt(max(sum, 1e-12))
	probs = probs[:0]
	for c := range k {
		probs = append(probs, (float64(m.bias[c])+acc[c]*norm)/m.Temperature)
	}
	softmax(probs)
	return probs
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
