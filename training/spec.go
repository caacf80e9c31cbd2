package training

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strings"

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
//	    reason: Missed payments last month   # leads the reason text
//	  utilisation_1:            # a derived characteristic: one operation
//	    ratio: [bill_amt1, limit_bal]
//	    dimension: capacity
//	    label: Balance over credit limit last month
//	  months_late_6m:
//	    count: [pay_0, pay_2, pay_3, pay_4, pay_5, pay_6]
//	    above: 0
//
// A derived characteristic takes one of ratio, difference (two inputs),
// sum, mean, min, max (two or more) or count (one or more, with above),
// over columns of the file, live features, or other derived
// characteristics (model.Derived says how missing values are treated).
type Spec struct {
	Features map[string]FeatureSpec `yaml:"features"`
}

// FeatureSpec is one feature's entry in a Spec.
type FeatureSpec struct {
	Dimension  string    `yaml:"dimension"`
	Label      string    `yaml:"label"`
	Unit       string    `yaml:"unit"`
	ReasonCode string    `yaml:"reason_code"`
	Reason     string    `yaml:"reason"`
	Trend      string    `yaml:"trend"`
	Cuts       []float64 `yaml:"cuts"`
	Kind       string    `yaml:"kind"`

	// One of these makes the entry a derived characteristic.
	Ratio      []string `yaml:"ratio"`
	Difference []string `yaml:"difference"`
	Sum        []string `yaml:"sum"`
	Mean       []string `yaml:"mean"`
	Min        []string `yaml:"min"`
	Max        []string `yaml:"max"`
	Count      []string `yaml:"count"`
	Above      *float64 `yaml:"above"`
}

// derived returns the entry's derived characteristic, ok false when it is
// a plain column, or an error when it names more than one operation.
func (f FeatureSpec) derived(name string) (d model.Derived, ok bool, err error) {
	ops := []struct {
		op string
		of []string
	}{
		{model.OpRatio, f.Ratio}, {model.OpDifference, f.Difference}, {model.OpSum, f.Sum},
		{model.OpMean, f.Mean}, {model.OpMin, f.Min}, {model.OpMax, f.Max}, {model.OpCount, f.Count},
	}
	var found []string
	for _, o := range ops {
		if o.of != nil {
			found = append(found, o.op)
			d = model.Derived{Name: name, Op: o.op, Of: o.of}
		}
	}
	switch {
	case len(found) > 1:
		return model.Derived{}, false, opencredit.Errorf(opencredit.EINVALID, "feature %q: give one operation, not %s", name, strings.Join(found, " and "))
	case len(found) == 0 && f.Above != nil:
		return model.Derived{}, false, opencredit.Errorf(opencredit.EINVALID, "feature %q: above applies to a count", name)
	case len(found) == 0:
		return model.Derived{}, false, nil
	}
	if f.Above != nil {
		d.Above = *f.Above
	}
	if d.Op == model.OpCount && f.Above == nil {
		return model.Derived{}, false, opencredit.Errorf(opencredit.EINVALID, "feature %q: a count needs above, the value an input must exceed to count", name)
	}
	if f.Kind == model.Categorical {
		return model.Derived{}, false, opencredit.Errorf(opencredit.EINVALID, "feature %q: a derived characteristic is numeric, not categorical", name)
	}
	if err := d.Check(); err != nil {
		return model.Derived{}, false, opencredit.Errorf(opencredit.EINVALID, "%v", err)
	}
	return d, true, nil
}

// Derived returns the spec's derived characteristics in the order they are
// computed (model.Order), or an error naming a malformed one or a cycle.
func (s Spec) Derived() ([]model.Derived, error) {
	var defs []model.Derived
	for _, name := range slices.Sorted(maps.Keys(s.Features)) {
		d, ok, err := s.Features[name].derived(name)
		if err != nil {
			return nil, err
		}
		if ok {
			defs = append(defs, d)
		}
	}
	ordered, err := model.Order(defs)
	if err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "%v", err)
	}
	return ordered, nil
}

// DerivedFor returns the definitions m needs to compute its derived
// features (model.Needed), for the trainers to record in the model. The
// spec has been validated.
func (s Spec) DerivedFor(m *model.Model) []model.Derived {
	defs, err := s.Derived()
	if err != nil || len(defs) == 0 {
		return nil
	}
	names := make([]string, len(m.Features))
	for j := range m.Features {
		names[j] = m.Features[j].Name
	}
	return model.Needed(defs, names)
}

// Describe copies the spec entry's words onto a trained feature: its
// dimension, label, unit, reason text and reason code.
func Describe(f *model.Feature, s FeatureSpec) {
	f.Dimension, f.Label, f.Unit, f.Reason = s.Dimension, s.Label, s.Unit, s.Reason
	f.ReasonCode = ReasonCode(f.Name, s)
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
	_, err := s.Derived()
	return err
}

// Kinds returns the kind overrides the spec declares for columns of the
// file, for the CSV reader (a derived characteristic is no column of it).
func (s Spec) Kinds() map[string]string {
	out := map[string]string{}
	for name, f := range s.Features {
		if _, derived, _ := f.derived(name); f.Kind != "" && !derived {
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
