package pmml

import (
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

// Names of the Output fields. They share the field namespace of the document
// with the DataFields, so no feature or target may take them.
const (
	scoreField        = "score"
	reasonFieldPrefix = "reason_code_"
)

// Export writes m as a PMML 4.4 document holding one Scorecard model;
// docs/pmml.md says how each part of m is expressed. m must be a
// valid model, as model.Load returns it or as it is after m.Prepare.
//
// Export writes nothing and returns an EINVALID error when m holds something
// the document cannot carry faithfully: a feature or pair without a reason
// code, a name or category that XML cannot hold, a category ending in a
// backslash, a feature or target named like an output field, or a pair that
// does not fit the model's features. It never leaves a pair out, which would
// change the scores. Other errors come from w.
func Export(w io.Writer, m *model.Model) error {
	doc, err := build(m)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("pmml: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("pmml: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("pmml: %w", err)
	}
	return nil
}

func invalid(format string, args ...any) error {
	return opencredit.Errorf(opencredit.EINVALID, "pmml: "+format, args...)
}

// build turns m into the document Export writes.
func build(m *model.Model) (*document, error) {
	if err := check(m); err != nil {
		return nil, err
	}
	doc := &document{
		Version: "4.4",
		Header:  buildHeader(m),
	}
	sc := scorecard{
		ModelName:           "opencredit",
		FunctionName:        "regression",
		InitialScore:        m.BasePoints,
		UseReasonCodes:      "true",
		ReasonCodeAlgorithm: "pointsBelow",
		BaselineMethod:      "max",
		Extensions: []extension{{
			Extender: "OpenCredit",
			Name:     "opencredit:clip",
			Value:    strconv.Itoa(m.Scaling.Min) + " " + strconv.Itoa(m.Scaling.Max),
		}},
	}
	if m.Kind != "" {
		sc.ModelName += "_" + m.Kind
	}
	var fields []dataField
	kinds := map[string]*model.Feature{}
	for j := range m.Features {
		kinds[m.Features[j].Name] = &m.Features[j]
	}
	// The document's inputs are the model's raw inputs; a derived feature
	// is a DerivedField computed from them (derive.go).
	for _, in := range m.Inputs() {
		field := dataField{Name: in.Name}
		mining := miningField{Name: in.Name, UsageType: "active"}
		switch in.Kind {
		case model.Numeric:
			field.Optype, field.DataType = "continuous", "double"
			mining.InvalidValueTreatment = "asMissing"
		case model.Categorical:
			field.Optype, field.DataType = "categorical", "string"
			for _, b := range kinds[in.Name].Bins {
				for _, c := range b.Categories {
					field.Values = append(field.Values, value{c})
				}
			}
			// Categories unseen in training are invalid values of a
			// field that lists its Values; asMissing would send them
			// to the missing bin instead of the other bin.
			mining.InvalidValueTreatment = "asIs"
		}
		fields = append(fields, field)
		sc.MiningSchema.Fields = append(sc.MiningSchema.Fields, mining)
	}
	if len(m.Derived) > 0 {
		defs, err := model.Order(m.Derived)
		if err != nil {
			return nil, invalid("%v", err)
		}
		doc.TransformationDictionary = &transformationDictionary{}
		for i := range defs {
			doc.TransformationDictionary.Fields = append(doc.TransformationDictionary.Fields, derivedField(&defs[i]))
		}
	}
	for j := range m.Features {
		f := &m.Features[j]
		sc.Characteristics.Items = append(sc.Characteristics.Items, characteristic{
			Name:          characteristicName(f.Name),
			ReasonCode:    f.ReasonCode,
			BaselineScore: f.MaxPoints(),
			Attributes:    featureAttributes(f),
		})
	}
	// Pairs read the features' fields, so they add Characteristics only.
	for i := range m.Pairs {
		p := &m.Pairs[i]
		sc.Characteristics.Items = append(sc.Characteristics.Items, characteristic{
			Name:          characteristicName(p.Name()),
			ReasonCode:    p.ReasonCode,
			BaselineScore: p.MaxPoints(),
			Attributes:    pairAttributes(p),
		})
	}
	fields = append(fields, dataField{
		Name:     m.Target,
		Optype:   "categorical",
		DataType: "integer",
		Values:   []value{{"0"}, {"1"}},
	})
	doc.DataDictionary = dataDictionary{NumberOfFields: len(fields), Fields: fields}
	sc.MiningSchema.Fields = append(sc.MiningSchema.Fields, miningField{Name: m.Target, UsageType: "target"})
	sc.Output.Fields = append(sc.Output.Fields, outputField{
		Name: scoreField, Optype: "continuous", DataType: "double", Feature: "predictedValue",
	})
	for k := 1; k <= model.MaxReasons; k++ {
		sc.Output.Fields = append(sc.Output.Fields, outputField{
			Name: reasonFieldPrefix + strconv.Itoa(k), Optype: "categorical", DataType: "string",
			Feature: "reasonCode", Rank: k,
		})
	}
	doc.Scorecard = sc
	return doc, nil
}

func buildHeader(m *model.Model) header {
	h := header{
		Copyright:   "OpenCredit",
		Description: "OpenCredit model",
		Application: application{Name: "OpenCredit", Version: m.ToolVersion},
	}
	if m.Kind != "" {
		h.Description = "OpenCredit " + m.Kind + " model"
	}
	if !m.CreatedAt.IsZero() {
		ts := m.CreatedAt.UTC().Format(time.RFC3339)
		h.Description += ", created " + ts
		h.Timestamp = ts
	}
	return h
}

// characteristicName names the Characteristic of a feature or a pair after
// the name model.Reason.Feature gives it.
func characteristicName(term string) string { return term + "_points" }

// check refuses a model the document cannot carry faithfully, and the few
// invalid models build would otherwise index out of range on.
func check(m *model.Model) error {
	if m.Target == "" {
		return invalid("the model names no target field")
	}
	for _, t := range [...]struct{ what, s string }{{"target", m.Target}, {"kind", m.Kind}, {"tool version", m.ToolVersion}} {
		if why := checkXMLText(t.s); why != "" {
			return invalid("model %s %q cannot be written: %s", t.what, t.s, why)
		}
	}
	taken := map[string]string{scoreField: "an output field"}
	for k := 1; k <= model.MaxReasons; k++ {
		taken[reasonFieldPrefix+strconv.Itoa(k)] = "an output field"
	}
	// Characteristic names are informational in PMML, but two alike would
	// leave a reader unable to tell which term a partial score belongs to.
	chars := map[string]string{}
	// Every field name, the inputs' and the derived characteristics', is
	// one name of the document's field namespace.
	names := map[string]bool{}
	for _, in := range m.Inputs() {
		names[in.Name] = true
	}
	for i := range m.Derived {
		names[m.Derived[i].Name] = true
	}
	for _, name := range slices.Sorted(maps.Keys(names)) {
		if prev, ok := taken[name]; ok {
			return invalid("field %q has the name of %s", name, prev)
		}
		taken[name] = "field " + strconv.Quote(name)
		if why := checkXMLText(name); why != "" {
			return invalid("field name %q cannot be written: %s", name, why)
		}
	}
	for j := range m.Features {
		f := &m.Features[j]
		what := "feature " + strconv.Quote(f.Name)
		if err := checkReasonCode(what, f.ReasonCode); err != nil {
			return err
		}
		if err := checkBins(what, f.Kind, f.Bins); err != nil {
			return err
		}
		chars[characteristicName(f.Name)] = what
	}
	if prev, ok := taken[m.Target]; ok {
		return invalid("target %q has the name of %s", m.Target, prev)
	}
	for i := range m.Pairs {
		p := &m.Pairs[i]
		what := "pair " + strconv.Quote(p.Name())
		if err := checkPair(m, p, what); err != nil {
			return err
		}
		name := characteristicName(p.Name())
		if prev, ok := chars[name]; ok {
			return invalid("%s: its characteristic %q has the name of %s's", what, name, prev)
		}
		chars[name] = what
	}
	return nil
}

func checkReasonCode(what, code string) error {
	if code == "" {
		return invalid("%s has no reason code, which a PMML scorecard with reason codes needs", what)
	}
	if why := checkXMLText(code); why != "" {
		return invalid("%s: reason code %q cannot be written: %s", what, code, why)
	}
	return nil
}

// checkBins refuses bins of a feature or a pair's axis that the predicates
// cannot express, and those that no valid model has.
func checkBins(what, kind string, bins []model.Bin) error {
	if kind != model.Numeric && kind != model.Categorical {
		return invalid("%s: unknown kind %q", what, kind)
	}
	missing, other := 0, 0
	for _, b := range bins {
		if b.Missing {
			missing++
		}
		if b.Other && kind == model.Categorical {
			other++
		}
		for _, c := range b.Categories {
			if why := checkArrayValue(c); why != "" {
				return invalid("%s: category %q cannot be written: %s", what, c, why)
			}
		}
	}
	if missing != 1 || other > 1 {
		return invalid("%s has %d missing and %d other bins; is the model valid?", what, missing, other)
	}
	return nil
}

// checkPair refuses a pair that cannot be written as a Characteristic over
// the model's fields. Leaving it out instead would change every score.
func checkPair(m *model.Model, p *model.Pair, what string) error {
	if err := checkReasonCode(what, p.ReasonCode); err != nil {
		return err
	}
	if p.Features[0] == p.Features[1] {
		return invalid("%s pairs a feature with itself", what)
	}
	for k, name := range p.Features {
		j := slices.IndexFunc(m.Features, func(f model.Feature) bool { return f.Name == name })
		if j < 0 {
			return invalid("%s: %q is not a feature of the model", what, name)
		}
		ax := &p.Axes[k]
		if ax.Kind != m.Features[j].Kind {
			return invalid("%s: the axis of %q is %s but the feature is %s", what, name, ax.Kind, m.Features[j].Kind)
		}
		if err := checkBins(what+" axis "+strconv.Quote(name), ax.Kind, ax.Bins); err != nil {
			return err
		}
	}
	rows, cols := len(p.Axes[0].Bins), len(p.Axes[1].Bins)
	if len(p.Points) != rows {
		return invalid("%s: the points table has %d rows, want one per bin of %q (%d)", what, len(p.Points), p.Features[0], rows)
	}
	for r, row := range p.Points {
		if len(row) != cols {
			return invalid("%s: row %d of the points table has %d cells, want one per bin of %q (%d)", what, r, len(row), p.Features[1], cols)
		}
	}
	return nil
}

// rule is one Attribute of a feature or of a pair's axis before its points
// are known: a predicate and the bin whose points it earns. PMML scores a
// Characteristic by its first Attribute whose predicate is true, so a list
// of rules is tried in order.
type rule struct {
	bin  int
	pred predicate
}

// binRules lists the rules that send a value of f to the bin
// model.Model.BinOf sends it to, in the order they must be tried.
func binRules(f *model.Feature) []rule {
	if f.Kind == model.Numeric {
		return numericRules(f)
	}
	return categoricalRules(f)
}

// featureAttributes lists the Attributes of feature f: one per rule, with
// the points of its bin.
func featureAttributes(f *model.Feature) []attribute {
	rules := binRules(f)
	attrs := make([]attribute, len(rules))
	for i, r := range rules {
		attrs[i] = attribute{PartialScore: f.Bins[r.bin].Points, Predicate: r.pred}
	}
	return attrs
}

// pairAttributes lists the Attributes of pair p: one per rule a of the first
// axis and rule b of the second, every b for the first a before any for the
// second, each scoring and(a, b) with the points of the cell of their bins.
// The first true Attribute is then the one of the first true a and the first
// true b, the cell the model scores: no Attribute of an earlier a is true,
// and the first true a has a true b because every value meets a rule of each
// axis.
func pairAttributes(p *model.Pair) []attribute {
	rows, cols := binRules(axisFeature(p, 0)), binRules(axisFeature(p, 1))
	attrs := make([]attribute, 0, len(rows)*len(cols))
	for _, a := range rows {
		for _, b := range cols {
			attrs = append(attrs, attribute{
				PartialScore: p.Points[a.bin][b.bin],
				Predicate:    compound("and", a.pred, b.pred),
			})
		}
	}
	return attrs
}

// axisFeature returns axis k of p as a feature over the pair's field, for
// binRules.
func axisFeature(p *model.Pair, k int) *model.Feature {
	return &model.Feature{Name: p.Features[k], Kind: p.Axes[k].Kind, Bins: p.Axes[k].Bins}
}

// numericRules lists the rules of a numeric feature: the missing bin under
// isMissing, then one interval per bin in increasing order.
func numericRules(f *model.Feature) []rule {
	rules := []rule{{bin: f.MissingBin(), pred: isMissing(f.Name)}}
	for _, bi := range intervalOrder(f) {
		b := &f.Bins[bi]
		rules = append(rules, rule{bin: bi, pred: interval(f.Name, b.Lower, b.Upper)})
	}
	return rules
}

// intervalOrder returns the indexes of f's interval bins, every bin but a
// missing bin without bounds, sorted by lower bound, unbounded first. It is
// the order model.Model.BinOf searches.
func intervalOrder(f *model.Feature) []int {
	var order []int
	for i, b := range f.Bins {
		if !(b.Missing && b.Lower == nil && b.Upper == nil) {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return model.CompareLower(&f.Bins[a], &f.Bins[b]) })
	return order
}

// categoricalRules lists the rules of a categorical feature. The order
// carries the model's rules: missing first, then the category bins, then a
// catch-all that sends every other category where model.Model.BinOf does,
// to the other bin or, without one, to the missing bin.
func categoricalRules(f *model.Feature) []rule {
	miss := f.MissingBin()
	rules := []rule{{bin: miss, pred: isMissing(f.Name)}}
	other := -1
	for bi := range f.Bins {
		b := &f.Bins[bi]
		switch {
		case b.Other:
			other = bi
		case len(b.Categories) > 0:
			rules = append(rules, rule{bin: bi, pred: isIn(f.Name, b.Categories)})
		case !b.Missing:
			// No value reaches a bin without categories that is
			// neither missing nor other; False keeps its points on
			// record without changing any score.
			rules = append(rules, rule{bin: bi, pred: boolean(false)})
		}
	}
	switch {
	case other < 0:
		rules = append(rules, rule{bin: miss, pred: boolean(true)})
	case len(f.Bins[other].Categories) == 0:
		rules = append(rules, rule{bin: other, pred: boolean(true)})
	default:
		// Listing the other bin's own categories changes nothing, as
		// True matches anyway, but shows a reader where they went.
		rules = append(rules, rule{bin: other, pred: compound("or", isIn(f.Name, f.Bins[other].Categories), boolean(true))})
	}
	return rules
}

// interval is the predicate lower ≤ x < upper, where a nil bound is unbounded.
func interval(field string, lower, upper *float64) predicate {
	switch {
	case lower == nil && upper == nil:
		return boolean(true)
	case lower == nil:
		return simple(field, "lessThan", *upper)
	case upper == nil:
		return simple(field, "greaterOrEqual", *lower)
	}
	return compound("and", simple(field, "greaterOrEqual", *lower), simple(field, "lessThan", *upper))
}

func simple(field, op string, x float64) predicate {
	return predicate{
		XMLName:  xml.Name{Local: "SimplePredicate"},
		Field:    field,
		Operator: op,
		Value:    strconv.FormatFloat(x, 'g', -1, 64),
	}
}

func isMissing(field string) predicate {
	return predicate{XMLName: xml.Name{Local: "SimplePredicate"}, Field: field, Operator: "isMissing"}
}

func isIn(field string, categories []string) predicate {
	return predicate{
		XMLName:         xml.Name{Local: "SimpleSetPredicate"},
		Field:           field,
		BooleanOperator: "isIn",
		Array:           &array{N: len(categories), Type: "string", Raw: arrayContent(categories)},
	}
}

func compound(op string, ps ...predicate) predicate {
	return predicate{XMLName: xml.Name{Local: "CompoundPredicate"}, BooleanOperator: op, Predicates: ps}
}

func boolean(v bool) predicate {
	if v {
		return predicate{XMLName: xml.Name{Local: "True"}}
	}
	return predicate{XMLName: xml.Name{Local: "False"}}
}
