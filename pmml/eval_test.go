package pmml

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/opencredit/opencredit/model"
)

// evaluator is a small PMML 4.4 Scorecard consumer, written from the
// specification rather than from Export, to check that an exported document
// scores as the model does. It implements input preparation
// (MiningSchema.html: invalid values and invalidValueTreatment), the
// predicates with three-valued logic (TreeModel.html, "Predicates"), the
// Scorecard scoring procedure (Scorecard.html: the first Attribute whose
// predicate is true gives the partial score) and pointsBelow reason codes.
type evaluator struct {
	doc    *document
	fields map[string]*dataField
	arrays map[*array][]string // parsed once: a pair repeats its axes' arrays in every cell
}

func newEvaluator(doc *document) *evaluator {
	e := &evaluator{doc: doc, fields: map[string]*dataField{}, arrays: map[*array][]string{}}
	for i := range doc.DataDictionary.Fields {
		f := &doc.DataDictionary.Fields[i]
		e.fields[f.Name] = f
	}
	if td := doc.TransformationDictionary; td != nil {
		for _, d := range td.Fields {
			e.fields[d.Name] = &dataField{Name: d.Name, Optype: d.Optype, DataType: d.DataType}
		}
	}
	return e
}

// fieldValue is a prepared input value.
type fieldValue struct {
	missing bool
	str     string
	num     float64
}

type ternary int

const (
	vFalse ternary = iota
	vTrue
	vUnknown
)

type evalResult struct {
	score   int
	partial []int
	reasons []string
}

// score scores a row of raw input strings keyed by field name; a nil or
// absent entry is a missing value.
func (e *evaluator) score(row map[string]*string) (evalResult, error) {
	sc := &e.doc.Scorecard
	vals := map[string]fieldValue{}
	for _, mf := range sc.MiningSchema.Fields {
		if mf.UsageType != "active" {
			continue
		}
		v, err := e.prepare(mf, row[mf.Name])
		if err != nil {
			return evalResult{}, err
		}
		vals[mf.Name] = v
	}
	if td := e.doc.TransformationDictionary; td != nil {
		// DerivedFields in document order, each seeing those before it
		// (Transformations.html).
		for _, df := range td.Fields {
			v, err := e.apply(df.Expr, vals)
			if err != nil {
				return evalResult{}, fmt.Errorf("DerivedField %s: %w", df.Name, err)
			}
			vals[df.Name] = v
		}
	}
	res := evalResult{score: sc.InitialScore}
	type code struct {
		code   string
		points int
	}
	var codes []code
	for _, c := range sc.Characteristics.Items {
		matched := false
		for _, a := range c.Attributes {
			v, err := e.eval(a.Predicate, vals)
			if err != nil {
				return evalResult{}, fmt.Errorf("%s: %w", c.Name, err)
			}
			if v != vTrue {
				continue
			}
			res.score += a.PartialScore
			res.partial = append(res.partial, a.PartialScore)
			// pointsBelow: points lost against the baseline, summed by reason code.
			lost := c.BaselineScore - a.PartialScore
			if k := slices.IndexFunc(codes, func(x code) bool { return x.code == c.ReasonCode }); k >= 0 {
				codes[k].points += lost
			} else {
				codes = append(codes, code{c.ReasonCode, lost})
			}
			matched = true
			break
		}
		if !matched {
			return evalResult{}, fmt.Errorf("%s: no attribute matches, the scorecard returns invalid", c.Name)
		}
	}
	// Keep the codes that lost points, most first, ties in document order.
	codes = slices.DeleteFunc(codes, func(x code) bool { return x.points <= 0 })
	slices.SortStableFunc(codes, func(a, b code) int { return b.points - a.points })
	for k := 0; k < len(codes) && k < len(sc.Output.Fields)-1; k++ {
		res.reasons = append(res.reasons, codes[k].code)
	}
	return res, nil
}

// apply evaluates an expression (Transformations.html: FieldRef, Constant,
// Apply; Functions.html for the built-in functions Export uses). As the
// specification says of Apply, a function other than isMissing,
// isNotMissing and if is missing when any argument is; if is missing when
// its condition is, and when it is false and has no else part. Booleans
// are carried as 1 and 0.
func (e *evaluator) apply(x expr, vals map[string]fieldValue) (fieldValue, error) {
	missing := fieldValue{missing: true, num: math.NaN()}
	num := func(v float64) fieldValue { return fieldValue{num: v} }
	boolean := func(b bool) fieldValue {
		if b {
			return num(1)
		}
		return num(0)
	}
	switch x.XMLName.Local {
	case "FieldRef":
		v, ok := vals[x.Field]
		if !ok {
			return fieldValue{}, fmt.Errorf("FieldRef to unknown field %q", x.Field)
		}
		return v, nil
	case "Constant":
		f, err := strconv.ParseFloat(x.Value, 64)
		if err != nil || x.DataType != "double" {
			return fieldValue{}, fmt.Errorf("Constant %q of type %q", x.Value, x.DataType)
		}
		return num(f), nil
	case "Apply":
	default:
		return fieldValue{}, fmt.Errorf("expression %s", x.XMLName.Local)
	}
	args := make([]fieldValue, len(x.Args))
	for i, a := range x.Args {
		if x.Function == "if" && i > 0 {
			break // evaluated below, once the condition is known
		}
		v, err := e.apply(a, vals)
		if err != nil {
			return fieldValue{}, err
		}
		args[i] = v
	}
	switch x.Function {
	case "isNotMissing":
		return boolean(!args[0].missing), nil
	case "if":
		if len(x.Args) < 2 || len(x.Args) > 3 {
			return fieldValue{}, fmt.Errorf("if with %d arguments", len(x.Args))
		}
		switch {
		case args[0].missing:
			return missing, nil
		case args[0].num != 0:
			return e.apply(x.Args[1], vals)
		case len(x.Args) == 3:
			return e.apply(x.Args[2], vals)
		}
		return missing, nil
	}
	for _, a := range args {
		if a.missing {
			return missing, nil
		}
	}
	two := func() error {
		if len(args) != 2 {
			return fmt.Errorf("%s with %d arguments", x.Function, len(args))
		}
		return nil
	}
	switch x.Function {
	case "notEqual", "greaterThan", "/", "-":
		if err := two(); err != nil {
			return fieldValue{}, err
		}
	case "or", "sum", "min", "max":
		if len(args) < 2 {
			return fieldValue{}, fmt.Errorf("%s with %d arguments", x.Function, len(args))
		}
	default:
		return fieldValue{}, fmt.Errorf("function %q", x.Function)
	}
	a := args[0].num
	switch x.Function {
	case "notEqual":
		return boolean(a != args[1].num), nil
	case "greaterThan":
		return boolean(a > args[1].num), nil
	case "/":
		if args[1].num == 0 {
			return missing, nil // Functions.html: division by zero is an error; invalid here
		}
		return num(a / args[1].num), nil
	case "-":
		return num(a - args[1].num), nil
	}
	for _, v := range args[1:] {
		switch x.Function {
		case "or":
			a = math.Max(a, v.num)
		case "sum":
			a += v.num
		case "min":
			a = math.Min(a, v.num)
		case "max":
			a = math.Max(a, v.num)
		}
	}
	return num(a), nil
}

func (e *evaluator) prepare(mf miningField, raw *string) (fieldValue, error) {
	if raw == nil {
		return fieldValue{missing: true}, nil
	}
	df := e.fields[mf.Name]
	if df == nil {
		return fieldValue{}, fmt.Errorf("no DataField %q", mf.Name)
	}
	v := fieldValue{str: *raw, num: math.NaN()}
	valid := true
	switch df.Optype {
	case "continuous":
		x, err := strconv.ParseFloat(*raw, 64)
		valid = err == nil && !math.IsNaN(x)
		v.num = x
	case "categorical":
		if len(df.Values) > 0 {
			valid = slices.ContainsFunc(df.Values, func(x value) bool { return x.Value == *raw })
		}
	default:
		return fieldValue{}, fmt.Errorf("optype %q", df.Optype)
	}
	if valid {
		return v, nil
	}
	switch mf.InvalidValueTreatment {
	case "asMissing":
		return fieldValue{missing: true}, nil
	case "asIs":
		return v, nil
	default: // returnInvalid
		return fieldValue{}, fmt.Errorf("invalid value %q for %s", *raw, mf.Name)
	}
}

func (e *evaluator) eval(p predicate, vals map[string]fieldValue) (ternary, error) {
	switch p.XMLName.Local {
	case "True":
		return vTrue, nil
	case "False":
		return vFalse, nil
	case "SimplePredicate":
		v, ok := vals[p.Field]
		if !ok {
			return 0, fmt.Errorf("predicate on unknown field %q", p.Field)
		}
		switch p.Operator {
		case "isMissing":
			return truth(v.missing), nil
		case "isNotMissing":
			return truth(!v.missing), nil
		}
		if v.missing {
			return vUnknown, nil
		}
		if e.fields[p.Field].Optype != "continuous" {
			switch p.Operator {
			case "equal":
				return truth(v.str == p.Value), nil
			case "notEqual":
				return truth(v.str != p.Value), nil
			}
			return 0, fmt.Errorf("operator %s on categorical field %s", p.Operator, p.Field)
		}
		ref, err := strconv.ParseFloat(p.Value, 64)
		if err != nil {
			return 0, err
		}
		x := v.num
		switch p.Operator {
		case "equal":
			return truth(x == ref), nil
		case "notEqual":
			return truth(x != ref), nil
		case "lessThan":
			return truth(x < ref), nil
		case "lessOrEqual":
			return truth(x <= ref), nil
		case "greaterThan":
			return truth(x > ref), nil
		case "greaterOrEqual":
			return truth(x >= ref), nil
		}
		return 0, fmt.Errorf("unknown operator %q", p.Operator)
	case "SimpleSetPredicate":
		v, ok := vals[p.Field]
		if !ok || p.Array == nil || p.Array.Type != "string" {
			return 0, fmt.Errorf("bad SimpleSetPredicate on %q", p.Field)
		}
		set, ok := e.arrays[p.Array]
		if !ok {
			var err error
			if set, err = parseArray(p.Array.Text); err != nil {
				return 0, err
			}
			e.arrays[p.Array] = set
		}
		if len(set) != p.Array.N {
			return 0, fmt.Errorf("array n=%d holds %d values", p.Array.N, len(set))
		}
		if v.missing {
			return vUnknown, nil
		}
		in := slices.Contains(set, v.str)
		switch p.BooleanOperator {
		case "isIn":
			return truth(in), nil
		case "isNotIn":
			return truth(!in), nil
		}
		return 0, fmt.Errorf("unknown set operator %q", p.BooleanOperator)
	case "CompoundPredicate":
		if len(p.Predicates) < 2 {
			return 0, fmt.Errorf("CompoundPredicate with %d children", len(p.Predicates))
		}
		var seen [3]bool
		for _, q := range p.Predicates {
			v, err := e.eval(q, vals)
			if err != nil {
				return 0, err
			}
			seen[v] = true
		}
		switch p.BooleanOperator {
		case "and":
			if seen[vFalse] {
				return vFalse, nil
			}
			if seen[vUnknown] {
				return vUnknown, nil
			}
			return vTrue, nil
		case "or":
			if seen[vTrue] {
				return vTrue, nil
			}
			if seen[vUnknown] {
				return vUnknown, nil
			}
			return vFalse, nil
		}
		return 0, fmt.Errorf("unsupported booleanOperator %q", p.BooleanOperator)
	}
	return 0, fmt.Errorf("unsupported predicate %q", p.XMLName.Local)
}

func truth(b bool) ternary {
	if b {
		return vTrue
	}
	return vFalse
}

// sample is one input value in both forms: the string a PMML consumer reads
// (nil when missing) and the model's Value.
type sample struct {
	raw *string
	v   model.Value
}

func (s sample) String() string {
	if s.raw == nil {
		return "missing"
	}
	return strconv.Quote(*s.raw)
}

// featureBins returns the bins that cut feature j of m: its own, and those
// of every pair axis over it.
func featureBins(m *model.Model, j int) [][]model.Bin {
	f := &m.Features[j]
	out := [][]model.Bin{f.Bins}
	for _, p := range m.Pairs {
		for k, name := range p.Features {
			if name == f.Name {
				out = append(out, p.Axes[k].Bins)
			}
		}
	}
	return out
}

// numericSamples returns values at, just below and just above every bound of
// the bins, half a unit either side, far out on both sides, missing, and a
// string that is not a number (which the model's caller reads as missing).
func numericSamples(cuts [][]model.Bin) []sample {
	xs := []float64{0, math.Copysign(0, -1), -1e300, 1e300, -math.MaxFloat64, math.MaxFloat64}
	for _, bins := range cuts {
		for _, b := range bins {
			for _, c := range []*float64{b.Lower, b.Upper} {
				if c != nil {
					xs = append(xs, *c, math.Nextafter(*c, math.Inf(-1)), math.Nextafter(*c, math.Inf(1)), *c-0.5, *c+0.5)
				}
			}
		}
	}
	var out []sample
	seen := map[string]bool{}
	for _, x := range xs {
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !seen[s] {
			seen[s] = true
			out = append(out, sample{&s, model.Num(x)})
		}
	}
	notNumber := "n/a"
	return append(out, sample{nil, model.MissingValue()}, sample{&notNumber, model.MissingValue()})
}

// categoricalSamples returns every category of the bins, categories never
// seen (a near miss in case and spacing, an empty string, quotes, markup)
// and missing.
func categoricalSamples(cuts [][]model.Bin) []sample {
	var ss []string
	for _, bins := range cuts {
		for _, b := range bins {
			ss = append(ss, b.Categories...)
		}
	}
	for _, c := range slices.Clone(ss) {
		ss = append(ss, c+" ", " "+c, c+`"`)
	}
	ss = append(ss, "never seen", "", `"`, `\`, "<Array>", "OWN", "Own")
	var out []sample
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, sample{&s, model.Cat(s)})
		}
	}
	return append(out, sample{nil, model.MissingValue()})
}

// rowPlan lists the rows to score as an index into each feature's samples:
// every combination when there are at most maxRows, otherwise a pass that
// shows every sample of every feature at least once followed by random rows
// drawn with seed.
func rowPlan(samples [][]sample, maxRows int, seed uint64) [][]int {
	total := 1
	longest := 0
	for _, s := range samples {
		total *= len(s)
		longest = max(longest, len(s))
	}
	var plan [][]int
	if total <= maxRows {
		idx := make([]int, len(samples))
		for {
			plan = append(plan, slices.Clone(idx))
			j := 0
			for ; j < len(idx); j++ { // next combination, odometer style
				idx[j]++
				if idx[j] < len(samples[j]) {
					break
				}
				idx[j] = 0
			}
			if j == len(idx) {
				return plan
			}
		}
	}
	for r := range longest {
		row := make([]int, len(samples))
		for j := range samples {
			row[j] = r % len(samples[j])
		}
		plan = append(plan, row)
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	for len(plan) < maxRows {
		row := make([]int, len(samples))
		for j := range samples {
			row[j] = rng.IntN(len(samples[j]))
		}
		plan = append(plan, row)
	}
	return plan
}

// TestEvaluateMatchesModel scores rows built from the sample values of every
// feature with the evaluator and with model.Model.Score and requires the same
// points per feature and per pair, the same total before clipping, the same
// score after it and the same reason codes. The hand-built models keep every
// row of their samples in a full grid (at most 50,000 rows); the trained EBM
// has far more, and is scored on a pass that shows every sample of every
// feature, then random rows up to 5,000: a pair of two 32-bin axes has
// 1,024 Attributes, which this evaluator tries one by one.
func TestEvaluateMatchesModel(t *testing.T) {
	const seed = 20250301
	type testModel struct {
		name    string
		m       *model.Model
		maxRows int
	}
	var models []testModel
	for _, tm := range testModels(t) {
		models = append(models, testModel{tm.name, tm.m, 50000})
	}
	models = append(models, testModel{"trained ebm", trainedEBM(t), 5000})
	for _, tm := range models {
		m := tm.m
		t.Run(tm.name, func(t *testing.T) {
			ev := newEvaluator(parse(t, export(t, m)))
			samples := make([][]sample, len(m.Features))
			for j := range m.Features {
				if m.Features[j].Kind == model.Numeric {
					samples[j] = numericSamples(featureBins(m, j))
				} else {
					samples[j] = categoricalSamples(featureBins(m, j))
				}
			}
			plan := rowPlan(samples, tm.maxRows, seed)
			failures := 0
			for _, idx := range plan {
				values := make([]model.Value, len(m.Features))
				raw := map[string]*string{}
				for j, k := range idx {
					values[j] = samples[j][k].v
					raw[m.Features[j].Name] = samples[j][k].raw
				}
				if !agree(t, m, ev, values, raw) {
					failures++
					if failures == 10 {
						t.Fatalf("too many failures (random rows drawn with seed %d)", seed)
					}
				}
			}
			if failures > 0 {
				t.Logf("random rows drawn with seed %d", seed)
			}
			t.Logf("%d rows", len(plan))
		})
	}
}

func agree(t *testing.T, m *model.Model, ev *evaluator, values []model.Value, raw map[string]*string) bool {
	t.Helper()
	describe := func() string {
		s := ""
		for _, f := range m.Features {
			s += fmt.Sprintf(" %s=%v", f.Name, sample{raw: raw[f.Name]})
		}
		return s
	}
	want, err := m.Score(values)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ev.score(raw)
	if err != nil {
		t.Errorf("row%s: evaluator: %v", describe(), err)
		return false
	}
	// The model's points per feature, then per pair: the document's order.
	points := slices.Concat(want.Points, want.PairPoints)
	total := m.BasePoints
	for _, p := range points {
		total += p
	}
	var wantCodes []string
	for _, r := range want.Reasons {
		wantCodes = append(wantCodes, r.Code)
	}
	// A PMML scorecard cannot clip: the consumer clips (package comment).
	clipped := min(max(got.score, m.Scaling.Min), m.Scaling.Max)
	if got.score != total || clipped != want.Score || !slices.Equal(got.partial, points) || !slices.Equal(got.reasons, wantCodes) {
		t.Errorf("row%s:\n PMML  score %d (clipped %d) points %v reasons %v\n model score %d (total %d) points %v reasons %v",
			describe(), got.score, clipped, got.partial, got.reasons, want.Score, total, points, wantCodes)
		return false
	}
	return true
}

// TestEvaluatorCatchesMistakes guards the evaluator itself: documents with
// the mistakes the attribute order and invalid-value treatment exist to
// avoid must score differently from the model.
func TestEvaluatorCatchesMistakes(t *testing.T) {
	m := goldenModel(t)
	unseen := "never seen"
	row := map[string]*string{"utilization": nil, "housing": &unseen}
	want, err := m.Score([]model.Value{model.MissingValue(), model.Cat(unseen)})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("asMissing on a categorical feature", func(t *testing.T) {
		doc := parse(t, export(t, m))
		doc.Scorecard.MiningSchema.Fields[1].InvalidValueTreatment = "asMissing"
		got, err := newEvaluator(doc).score(row)
		if err != nil {
			t.Fatal(err)
		}
		if got.score == want.Score {
			t.Errorf("an unseen category treated as missing scored %d like the model; the test cannot tell the difference", got.score)
		}
	})
	t.Run("catch-all first", func(t *testing.T) {
		doc := parse(t, export(t, m))
		attrs := doc.Scorecard.Characteristics.Items[1].Attributes
		last := attrs[len(attrs)-1]
		copy(attrs[1:], attrs[:len(attrs)-1])
		attrs[0] = last
		got, err := newEvaluator(doc).score(row)
		if err != nil {
			t.Fatal(err)
		}
		known := "own"
		got2, err := newEvaluator(doc).score(map[string]*string{"utilization": nil, "housing": &known})
		if err != nil {
			t.Fatal(err)
		}
		want2, _ := m.Score([]model.Value{model.MissingValue(), model.Cat(known)})
		if got.score == want.Score && got2.score == want2.Score {
			t.Error("moving the catch-all first changed no score")
		}
	})
	t.Run("pair left out", func(t *testing.T) {
		m := pairModel(t)
		doc := parse(t, export(t, m))
		doc.Scorecard.Characteristics.Items = doc.Scorecard.Characteristics.Items[:len(m.Features)]
		if differs(t, m, newEvaluator(doc)) == 0 {
			t.Error("leaving the pairs out changed no score")
		}
	})
	t.Run("pair cells out of order", func(t *testing.T) {
		// Reversed, the last cell that matches wins: catch-all × catch-all first.
		m := pairModel(t)
		doc := parse(t, export(t, m))
		for i := range m.Pairs {
			attrs := doc.Scorecard.Characteristics.Items[len(m.Features)+i].Attributes
			slices.Reverse(attrs)
		}
		if differs(t, m, newEvaluator(doc)) == 0 {
			t.Error("reversing the cells of every pair changed no score")
		}
	})
}

// differs counts the rows of every sample of pairModel's features that ev
// scores differently from the model.
func differs(t *testing.T, m *model.Model, ev *evaluator) int {
	t.Helper()
	var samples [3][]sample
	samples[0] = numericSamples(featureBins(m, 0))
	samples[1] = categoricalSamples(featureBins(m, 1))
	samples[2] = numericSamples(featureBins(m, 2))
	n := 0
	for _, a := range samples[0] {
		for _, b := range samples[1] {
			for _, c := range samples[2] {
				want, err := m.Score([]model.Value{a.v, b.v, c.v})
				if err != nil {
					t.Fatal(err)
				}
				got, err := ev.score(map[string]*string{"utilization": a.raw, "housing": b.raw, "months_on_file": c.raw})
				if err != nil || got.score != want.Score {
					n++
				}
			}
		}
	}
	return n
}
