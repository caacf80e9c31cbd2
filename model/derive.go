package model

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// The operations of a derived characteristic.
const (
	OpRatio      = "ratio"      // of[0] / of[1]; missing when either is missing or of[1] is 0
	OpDifference = "difference" // of[0] − of[1]; missing when either is missing
	OpSum        = "sum"        // sum of the inputs present
	OpMean       = "mean"       // mean of the inputs present
	OpMin        = "min"        // least input present
	OpMax        = "max"        // greatest input present
	OpCount      = "count"      // how many inputs present are above Above
)

// Ops lists the operations in the order the documentation gives them.
func Ops() []string {
	return []string{OpRatio, OpDifference, OpSum, OpMean, OpMin, OpMax, OpCount}
}

// MaxDerivedInputs bounds the inputs of one derived characteristic.
const MaxDerivedInputs = 64

// Derived is a characteristic computed from other inputs of the same person:
// the columns of a file, the live features of the store, or derived
// characteristics declared before it. The model computes it from the raw
// inputs wherever it scores (batch, API, the PMML export), so that it is
// the same number in training and in service.
//
// An input that is missing is left out of sum, mean, min, max and count,
// which are missing only when every input is; ratio and difference are
// missing when either input is, and ratio when its denominator is 0.
type Derived struct {
	Name string   `json:"name"`
	Op   string   `json:"op"`
	Of   []string `json:"of"`
	// Above is count's threshold: an input counts when it is greater.
	Above float64 `json:"above,omitempty"`
}

// String writes d the way the spec declares it, such as "ratio(bill_amt1, limit_bal)".
func (d *Derived) String() string {
	s := d.Op + "(" + strings.Join(d.Of, ", ")
	if d.Op == OpCount {
		s += "; above " + fmtNum(d.Above)
	}
	return s + ")"
}

// Describe says in words how d is computed, for reports and model cards.
func (d *Derived) Describe() string {
	list := strings.Join(d.Of, ", ")
	switch d.Op {
	case OpRatio:
		return d.Of[0] + " divided by " + d.Of[1] + " (no value when " + d.Of[1] + " is 0)"
	case OpDifference:
		return d.Of[0] + " minus " + d.Of[1]
	case OpSum:
		return "sum of " + list
	case OpMean:
		return "mean of " + list
	case OpMin:
		return "least of " + list
	case OpMax:
		return "greatest of " + list
	case OpCount:
		return "how many of " + list + " are above " + fmtNum(d.Above)
	}
	return d.String()
}

// Check validates one definition on its own: a known operation, the number
// of inputs it takes, input names that are not empty and not repeated, and
// a finite threshold. It does not look at where the inputs come from.
func (d *Derived) Check() error {
	if d.Name == "" {
		return fmt.Errorf("a derived characteristic has no name")
	}
	if !slices.Contains(Ops(), d.Op) {
		return fmt.Errorf("derived %q: operation %q is not one of %s", d.Name, d.Op, strings.Join(Ops(), ", "))
	}
	switch n := len(d.Of); {
	case (d.Op == OpRatio || d.Op == OpDifference) && n != 2:
		return fmt.Errorf("derived %q: %s takes exactly 2 inputs, got %d", d.Name, d.Op, n)
	case d.Op == OpCount && n < 1:
		return fmt.Errorf("derived %q: count takes at least 1 input", d.Name)
	case d.Op != OpRatio && d.Op != OpDifference && d.Op != OpCount && n < 2:
		return fmt.Errorf("derived %q: %s takes at least 2 inputs, got %d", d.Name, d.Op, n)
	case n > MaxDerivedInputs:
		return fmt.Errorf("derived %q: %d inputs, at most %d", d.Name, n, MaxDerivedInputs)
	}
	seen := map[string]bool{}
	for _, in := range d.Of {
		switch {
		case in == "":
			return fmt.Errorf("derived %q: an input name is empty", d.Name)
		case in == d.Name:
			return fmt.Errorf("derived %q: takes itself as an input", d.Name)
		case seen[in]:
			return fmt.Errorf("derived %q: input %q is named twice", d.Name, in)
		}
		seen[in] = true
	}
	if d.Op != OpCount && d.Above != 0 {
		return fmt.Errorf("derived %q: above applies to count only", d.Name)
	}
	if math.IsNaN(d.Above) || math.IsInf(d.Above, 0) {
		return fmt.Errorf("derived %q: above is not a finite number", d.Name)
	}
	return nil
}

// Order returns the definitions so that each comes after every derived
// characteristic it takes as input, ties kept in the given order, or an
// error naming a cycle or a name defined twice.
func Order(defs []Derived) ([]Derived, error) {
	index := map[string]int{}
	for i := range defs {
		if err := defs[i].Check(); err != nil {
			return nil, err
		}
		if _, dup := index[defs[i].Name]; dup {
			return nil, fmt.Errorf("derived %q is defined twice", defs[i].Name)
		}
		index[defs[i].Name] = i
	}
	const (
		unseen = iota
		visiting
		done
	)
	state := make([]int, len(defs))
	out := make([]Derived, 0, len(defs))
	var visit func(i int, path []string) error
	visit = func(i int, path []string) error {
		switch state[i] {
		case done:
			return nil
		case visiting:
			return fmt.Errorf("derived characteristics form a cycle: %s", strings.Join(append(path, defs[i].Name), " → "))
		}
		state[i] = visiting
		for _, in := range defs[i].Of {
			if j, ok := index[in]; ok {
				if err := visit(j, append(path, defs[i].Name)); err != nil {
					return err
				}
			}
		}
		state[i] = done
		out = append(out, defs[i])
		return nil
	}
	for i := range defs {
		if err := visit(i, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Needed returns, in order, the definitions among defs (as Order returns
// them) that computing the named values takes: those named, and the
// derived characteristics they take as inputs, transitively.
func Needed(defs []Derived, names []string) []Derived {
	index := map[string]int{}
	for i := range defs {
		index[defs[i].Name] = i
	}
	need := make([]bool, len(defs))
	var mark func(name string)
	mark = func(name string) {
		i, ok := index[name]
		if !ok || need[i] {
			return
		}
		need[i] = true
		for _, in := range defs[i].Of {
			mark(in)
		}
	}
	for _, n := range names {
		mark(n)
	}
	var out []Derived
	for i := range defs {
		if need[i] {
			out = append(out, defs[i])
		}
	}
	return out
}

// Deriver computes derived characteristics from raw inputs. Build one with
// NewDeriver; it is safe for concurrent use.
type Deriver struct {
	defs []Derived
	args [][]arg
	raw  []string // the raw inputs, each once, in first-use order
}

// arg is one input of a definition: a raw input by its position in Raw,
// or the value of an earlier definition.
type arg struct {
	raw     int // index into raw, when derived is -1
	derived int // index into defs, or -1 for a raw input
}

// NewDeriver checks and orders defs (Order) and resolves their inputs: a
// name defined among defs is that definition's value, any other is a raw
// input.
func NewDeriver(defs []Derived) (*Deriver, error) {
	ordered, err := Order(defs)
	if err != nil {
		return nil, err
	}
	d := &Deriver{defs: ordered, args: make([][]arg, len(ordered))}
	pos := map[string]int{}
	for i := range ordered {
		pos[ordered[i].Name] = i
	}
	rawAt := map[string]int{}
	for i := range ordered {
		for _, in := range ordered[i].Of {
			if j, ok := pos[in]; ok {
				d.args[i] = append(d.args[i], arg{derived: j})
				continue
			}
			k, seen := rawAt[in]
			if !seen {
				k = len(d.raw)
				rawAt[in] = k
				d.raw = append(d.raw, in)
			}
			d.args[i] = append(d.args[i], arg{raw: k, derived: -1})
		}
	}
	return d, nil
}

// Defs returns the definitions in the order they are computed.
func (d *Deriver) Defs() []Derived { return d.defs }

// Raw returns the raw inputs the definitions read, each once.
func (d *Deriver) Raw() []string { return d.raw }

// Index returns the position of the definition called name in Defs, or -1.
func (d *Deriver) Index(name string) int {
	for i := range d.defs {
		if d.defs[i].Name == name {
			return i
		}
	}
	return -1
}

// Derive computes every definition into dst (one value per Defs entry,
// reused when long enough) from raw, the values of the raw inputs in the
// order Raw names them.
// A raw input that is categorical or missing counts as missing, and a
// result that overflows to an infinity is missing (NaN).
func (d *Deriver) Derive(dst []float64, raw []Value) []float64 {
	dst = slices.Grow(dst[:0], len(d.defs))[:len(d.defs)]
	for i := range d.defs {
		x := d.eval(i, dst, raw)
		if math.IsInf(x, 0) {
			x = math.NaN() // an overflow is no value a bin could hold
		}
		dst[i] = x
	}
	return dst
}

// eval computes definition i; out holds the values of the definitions
// before it. NaN is missing.
func (d *Deriver) eval(i int, out []float64, raw []Value) float64 {
	def := &d.defs[i]
	get := func(a arg) float64 {
		if a.derived >= 0 {
			return out[a.derived]
		}
		v := raw[a.raw]
		if v.Missing || v.Str != "" {
			return math.NaN()
		}
		return v.Num
	}
	args := d.args[i]
	switch def.Op {
	case OpRatio:
		a, b := get(args[0]), get(args[1])
		if b == 0 {
			return math.NaN()
		}
		return a / b // NaN when either is
	case OpDifference:
		return get(args[0]) - get(args[1])
	}
	var acc float64
	n := 0
	for _, a := range args {
		x := get(a)
		if math.IsNaN(x) {
			continue
		}
		switch {
		case def.Op == OpSum || def.Op == OpMean:
			acc += x
		case def.Op == OpCount:
			if x > def.Above {
				acc++
			}
		case n == 0:
			acc = x
		case def.Op == OpMin:
			acc = math.Min(acc, x)
		case def.Op == OpMax:
			acc = math.Max(acc, x)
		}
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	if def.Op == OpMean {
		return acc / float64(n)
	}
	return acc
}

// Input is one raw value a model reads: a column of a file or a live
// feature.
type Input struct {
	Name string
	Kind string // Numeric or Categorical
}

// Inputs returns the raw values m reads to score: its features that are not
// derived, then the inputs of its derived characteristics that are not
// features themselves (numeric), each once, as the model is now (Prepare
// keeps the list Row reads by).
func (m *Model) Inputs() []Input {
	var out []Input
	seen := map[string]bool{}
	derived := map[string]bool{}
	for i := range m.Derived {
		derived[m.Derived[i].Name] = true
	}
	for j := range m.Features {
		f := &m.Features[j]
		if !derived[f.Name] {
			out = append(out, Input{Name: f.Name, Kind: f.Kind})
			seen[f.Name] = true
		}
	}
	for i := range m.Derived {
		for _, in := range m.Derived[i].Of {
			if !derived[in] && !seen[in] {
				seen[in] = true
				out = append(out, Input{Name: in, Kind: Numeric})
			}
		}
	}
	return out
}

// Row fills row, one value per feature, from in, the values of the raw
// inputs in the order Inputs gives them: a feature that is a derived
// characteristic is computed from its inputs, the others are read as they
// are. Every caller that scores (a file, the live features) builds its row
// with it, so that a derived characteristic is computed one way; the inputs
// are matched to the features once, by Prepare, not by name on every row.
func (m *Model) Row(row, in []Value) []Value {
	row = slices.Grow(row[:0], len(m.Features))[:len(m.Features)]
	if m.derivedAt == nil || len(in) != len(m.inputs) {
		return row[:0] // ScoreInto refuses it, naming the count
	}
	var buf [16]float64
	var dv []float64
	if m.deriver != nil {
		var rb [16]Value
		raw := rb[:0]
		for _, k := range m.rawAt {
			raw = append(raw, in[k])
		}
		dv = m.deriver.Derive(buf[:0], raw)
	}
	for j := range m.Features {
		if k := m.derivedAt[j]; k >= 0 {
			row[j] = Num(dv[k])
			continue
		}
		row[j] = in[m.inputAt[j]]
	}
	return row
}

// RowOf is Row with each raw input looked up by name through value: for
// callers that hold a person's values by name and score one row.
func (m *Model) RowOf(row []Value, value func(name string) Value) []Value {
	in := make([]Value, len(m.inputs))
	for k, x := range m.inputs {
		in[k] = value(x.Name)
	}
	return m.Row(row, in)
}

// validateDerived checks the derived characteristics: each well formed,
// no cycle, each one a numeric feature or the input of another, and no
// derived characteristic fed a categorical feature.
func (m *Model) validateDerived() error {
	if len(m.Derived) == 0 {
		return nil
	}
	if _, err := Order(m.Derived); err != nil {
		return invalid("%v", err)
	}
	kind := map[string]string{}
	for j := range m.Features {
		kind[m.Features[j].Name] = m.Features[j].Kind
	}
	used := map[string]bool{}
	for i := range m.Derived {
		for _, in := range m.Derived[i].Of {
			used[in] = true
			if kind[in] == Categorical {
				return invalid("derived %q takes categorical feature %q; derived characteristics take numbers", m.Derived[i].Name, in)
			}
		}
	}
	for i := range m.Derived {
		d := &m.Derived[i]
		k, isFeature := kind[d.Name]
		switch {
		case isFeature && k != Numeric:
			return invalid("feature %q is derived but %s; derived characteristics are numeric", d.Name, k)
		case !isFeature && !used[d.Name]:
			return invalid("derived %q is neither a feature nor the input of one", d.Name)
		}
	}
	return nil
}

// prepareDerived builds the deriver and matches every feature, and every
// raw input of the deriver, to its place: in the deriver's definitions or
// in Inputs.
func (m *Model) prepareDerived() {
	m.inputs = m.Inputs()
	pos := make(map[string]int, len(m.inputs))
	for k, in := range m.inputs {
		pos[in.Name] = k
	}
	m.derivedAt, m.inputAt = make([]int, len(m.Features)), make([]int, len(m.Features))
	m.deriver, m.rawAt = nil, nil
	if len(m.Derived) > 0 {
		d, err := NewDeriver(m.Derived)
		if err != nil {
			panic("model: derived characteristics passed validation but not NewDeriver: " + err.Error())
		}
		m.deriver = d
		for _, name := range d.Raw() {
			m.rawAt = append(m.rawAt, pos[name])
		}
	}
	for j := range m.Features {
		m.derivedAt[j], m.inputAt[j] = -1, -1
		if m.deriver != nil {
			m.derivedAt[j] = m.deriver.Index(m.Features[j].Name)
		}
		if m.derivedAt[j] < 0 {
			m.inputAt[j] = pos[m.Features[j].Name]
		}
	}
}

// Definition says in words how the value called name is computed, followed
// by the derived characteristics it takes in turn ("paid_6m divided by
// billed_6m (no value when billed_6m is 0); paid_6m: sum of …"), or "" when
// name is read as it is.
func (m *Model) Definition(name string) string {
	index := map[string]*Derived{}
	for i := range m.Derived {
		index[m.Derived[i].Name] = &m.Derived[i]
	}
	d, ok := index[name]
	if !ok {
		return ""
	}
	parts := []string{d.Describe()}
	seen := map[string]bool{name: true}
	queue := slices.Clone(d.Of)
	for len(queue) > 0 {
		in := queue[0]
		queue = queue[1:]
		sub, ok := index[in]
		if !ok || seen[in] {
			continue
		}
		seen[in] = true
		parts = append(parts, in+": "+sub.Describe())
		queue = append(queue, sub.Of...)
	}
	return strings.Join(parts, "; ")
}

// ValueOf returns the value m scores for the feature or derived
// characteristic called name: computed when it is derived, else value(name).
func (m *Model) ValueOf(name string, value func(string) Value) Value {
	k := -1
	if m.deriver != nil {
		k = m.deriver.Index(name)
	}
	if k < 0 {
		return value(name)
	}
	raw := make([]Value, len(m.deriver.Raw()))
	for i, in := range m.deriver.Raw() {
		raw[i] = value(in)
	}
	return Num(m.deriver.Derive(nil, raw)[k])
}

// IsDerived reports whether the feature called name is computed from other
// inputs, so that setting its value alone changes nothing.
func (m *Model) IsDerived(name string) bool {
	for i := range m.Derived {
		if m.Derived[i].Name == name {
			return true
		}
	}
	return false
}
