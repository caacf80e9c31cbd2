package training

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

// Spec is the optional YAML file a model developer gives with --spec: per
// feature, its dimension and plain-language label (for reasons and
// sub-scores), and binning choices that training never overrides.
//
//	features:
//	  pay_0:
//	    dimension: payment_history
//	    label: Repayment status last month
//	    unit: months late
//	    reason_code: PH01
//	    trend: ascending        # auto | ascending | descending | peak | valley | none
//	    cuts: [0, 1, 2]         # fixed cut points: bins (-inf,0) [0,1) [1,2) [2,+inf)
//	    kind: numeric           # or categorical
type Spec struct {
	Features map[string]FeatureSpec `yaml:"features"`
}

// FeatureSpec is one feature's entry in a Spec.
type FeatureSpec struct {
	Dimension  string    `yaml:"dimension"`
	Label      string    `yaml:"label"`
	Unit       string    `yaml:"unit"`
	ReasonCode string    `yaml:"reason_code"`
	Trend      string    `yaml:"trend"`
	Cuts       []float64 `yaml:"cuts"`
	Kind       string    `yaml:"kind"`
}

// LoadSpec reads and checks a spec file.
func LoadSpec(path string) (Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Spec{}, opencredit.Errorf(opencredit.EINVALID, "spec %s: %v", path, err)
	}
	s, err := ParseSpec(data)
	if err != nil {
		return Spec{}, opencredit.Errorf(opencredit.EINVALID, "spec %s: %v", path, err)
	}
	return s, nil
}

// ParseSpec decodes a spec from YAML, rejecting unknown keys.
func ParseSpec(data []byte) (Spec, error) {
	var s Spec
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil && !errors.Is(err, io.EOF) {
		return Spec{}, opencredit.Errorf(opencredit.EINVALID, "%v", err)
	}
	return s, s.Validate()
}

// Validate checks every entry: known dimension, trend and kind; cut points
// finite and strictly increasing.
func (s Spec) Validate() error {
	for name, f := range s.Features {
		if f.Dimension != "" && !opencredit.Dimension(f.Dimension).Valid() {
			return opencredit.Errorf(opencredit.EINVALID, "feature %q: dimension %q is not one of payment_history, capacity, history_stability, new_credit, everyday_obligations", name, f.Dimension)
		}
		if f.Trend != "" && !ValidTrend(f.Trend) {
			return opencredit.Errorf(opencredit.EINVALID, "feature %q: trend %q is not one of auto, ascending, descending, peak, valley, none", name, f.Trend)
		}
		if f.Kind != "" && f.Kind != model.Numeric && f.Kind != model.Categorical {
			return opencredit.Errorf(opencredit.EINVALID, "feature %q: kind %q is not numeric or categorical", name, f.Kind)
		}
		for i, c := range f.Cuts {
			if math.IsNaN(c) || math.IsInf(c, 0) {
				return opencredit.Errorf(opencredit.EINVALID, "feature %q: cut %d is not a finite number", name, i+1)
			}
			if i > 0 && c <= f.Cuts[i-1] {
				return opencredit.Errorf(opencredit.EINVALID, "feature %q: cuts must increase, but %v follows %v", name, c, f.Cuts[i-1])
			}
		}
	}
	return nil
}

// Kinds returns the kind overrides the spec declares, for the CSV reader.
func (s Spec) Kinds() map[string]string {
	out := map[string]string{}
	for name, f := range s.Features {
		if f.Kind != "" {
			out[name] = f.Kind
		}
	}
	return out
}

// ReasonCode returns the stable reason code of the feature name with spec
// entry f: f.ReasonCode if set, else name in upper case with every byte
// that is not an ASCII letter or digit turned into '_' (so a non-ASCII
// character gives one '_' per byte of its UTF-8 encoding). Both trainers
// use it, so that a feature keeps its code whichever model it is in.
func ReasonCode(name string, f FeatureSpec) string {
	if f.ReasonCode != "" {
		return f.ReasonCode
	}
	b := []byte(name)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			b[i] = c - 'a' + 'A'
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			b[i] = '_'
		}
	}
	return string(b)
}
