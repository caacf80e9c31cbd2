package pmml

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
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

// Export writes m as a PMML 4.4 document holding one Scorecard model; the
// package documentation says how each part of m is expressed. m must be a
// valid model, as model.Load returns it or as it is after m.Prepare.
//
// Export writes nothing and returns an EINVALID error when m holds something
// the document cannot carry faithfully: a feature without a reason code, a
// name or category that XML cannot hold, a category ending in a backslash, or
// a feature or target named like an output field. Other errors come from w.
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
	for j := range m.Features {
		f := &m.Features[j]
		field := dataField{Name: f.Name}
		mining := miningField{Name: f.Name, UsageType: "active"}
		var attrs []attribute
		switch f.Kind {
		case model.Numeric:
			field.Optype, field.DataType = "continuous", "double"
			mining.InvalidValueTreatment = "asMissing"
			attrs = numericAttributes(f)
		case model.Categorical:
			field.Optype, field.DataType = "categorical", "string"
			for _, b := range f.Bins {
				for _, c := range b.Categories {
					field.Values = append(field.Values, value{c})
				}
			}
			// Categories unseen in training are invalid values of a
			// field that lists its Values; asMissing would send them
			// to the missing bin instead of the other bin.
			mining.InvalidValueTreatment = "asIs"
			attrs = categoricalAttributes(f)
		}
		fields = append(fields, field)
		sc.MiningSchema.Fields = append(sc.MiningSchema.Fields, mining)
		sc.Characteristics.Items = append(sc.Characteristics.Items, characteristic{
			Name:          f.Name + "_points",
			ReasonCode:    f.ReasonCode,
			BaselineScore: f.MaxPoints(),
			Attributes:    attrs,
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
	for j := range m.Features {
		f := &m.Features[j]
		if prev, ok := taken[f.Name]; ok {
			return invalid("feature %q has the name of %s", f.Name, prev)
		}
		taken[f.Name] = "feature " + strconv.Quote(f.Name)
		if why := checkXMLText(f.Name); why != "" {
			return invalid("feature name %q cannot be written: %s", f.Name, why)
		}
		if f.ReasonCode == "" {
			return invalid("feature %q has no reason code, which a PMML scorecard with reason codes needs", f.Name)
		}
		if why := checkXMLText(f.ReasonCode); why != "" {
			return invalid("feature %q: reason code %q cannot be written: %s", f.Name, f.ReasonCode, why)
		}
		if f.Kind != model.Numeric && f.Kind != model.Categorical {
			return invalid("feature %q: unknown kind %q", f.Name, f.Kind)
		}
		missing, other := 0, 0
		for _, b := range f.Bins {
			if b.Missing {
				missing++
			}
			if b.Other && f.Kind == model.Categorical {
				other++
			}
			for _, c := range b.Categories {
				if why := checkArrayValue(c); why != "" {
					return invalid("feature %q: category %q cannot be written: %s", f.Name, c, why)
				}
			}
		}
		if missing != 1 || other > 1 {
			return invalid("feature %q has %d missing and %d other bins; is the model valid?", f.Name, missing, other)
		}
	}
	if prev, ok := taken[m.Target]; ok {
		return invalid("target %q has the name of %s", m.Target, prev)
	}
	return nil
}

// numericAttributes lists the Attributes of a numeric feature: the missing
// bin under isMissing, then one interval per bin in increasing order.
func numericAttributes(f *model.Feature) []attribute {
	miss := &f.Bins[f.MissingBin()]
	attrs := []attribute{{PartialScore: miss.Points, Predicate: isMissing(f.Name)}}
	for _, bi := range intervalOrder(f) {
		b := &f.Bins[bi]
		attrs = append(attrs, attribute{PartialScore: b.Points, Predicate: interval(f.Name, b.Lower, b.Upper)})
	}
	return attrs
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
	slices.SortStableFunc(order, func(a, b int) int {
		la, lb := f.Bins[a].Lower, f.Bins[b].Lower
		switch {
		case la == nil && lb == nil:
			return 0
		case la == nil:
			return -1
		case lb == nil:
			return 1
		}
		return cmp.Compare(*la, *lb)
	})
	return order
}

// categoricalAttributes lists the Attributes of a categorical feature. PMML
// scores a Characteristic by its first matching Attribute, so the order
// carries the model's rules: missing first, then the category bins, then a
// catch-all that sends every other category where model.Model.BinOf does,
// to the other bin or, without one, to the missing bin.
func categoricalAttributes(f *model.Feature) []attribute {
	miss := &f.Bins[f.MissingBin()]
	attrs := []attribute{{PartialScore: miss.Points, Predicate: isMissing(f.Name)}}
	var other *model.Bin
	for bi := range f.Bins {
		b := &f.Bins[bi]
		switch {
		case b.Other:
			other = b
		case len(b.Categories) > 0:
			attrs = append(attrs, attribute{PartialScore: b.Points, Predicate: isIn(f.Name, b.Categories)})
		case !b.Missing:
			// No value reaches a bin without categories that is
			// neither missing nor other; False keeps its points on
			// record without changing any score.
			attrs = append(attrs, attribute{PartialScore: b.Points, Predicate: boolean(false)})
		}
	}
	switch {
	case other == nil:
		attrs = append(attrs, attribute{PartialScore: miss.Points, Predicate: boolean(true)})
	case len(other.Categories) == 0:
		attrs = append(attrs, attribute{PartialScore: other.Points, Predicate: boolean(true)})
	default:
		// Listing the other bin's own categories changes nothing, as
		// True matches anyway, but shows a reader where they went.
		attrs = append(attrs, attribute{
			PartialScore: other.Points,
			Predicate:    compound("or", isIn(f.Name, other.Categories), boolean(true)),
		})
	}
	return attrs
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
