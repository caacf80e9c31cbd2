package pmml

import (
	"encoding/xml"
	"strconv"

	"github.com/opencredit/opencredit/model"
)

// derivedField writes a derived characteristic as a DerivedField whose
// Apply computes what model.Deriver does, in PMML 4.4's built-in functions
// (Functions.html). Every step guards its inputs with isNotMissing and
// leaves the result missing through an "if" without an else part, so the
// document does not rest on how a consumer treats a missing argument of
// an arithmetic function:
//
//   - ratio a/b: if(isNotMissing(a), if(isNotMissing(b), if(notEqual(b, 0), /(a, b))))
//   - difference a−b: if(isNotMissing(a), if(isNotMissing(b), -(a, b)))
//   - sum, mean, count: if(any present, sum(if(isNotMissing(x), x, 0), …)),
//     mean dividing by sum(if(isNotMissing(x), 1, 0), …), count summing
//     if(isNotMissing(x), if(greaterThan(x, above), 1, 0), 0)
//   - min, max: if(any present, min(if(isNotMissing(x), x, first present), …)),
//     first present being if(isNotMissing(x1), x1, if(isNotMissing(x2), x2, …)):
//     a missing input stands in as a value already among the present ones,
//     which changes neither the least nor the greatest.
//
// A derived value that overflows to an infinity is missing in the model and
// infinite in PMML; no credit figure comes near.
func derivedField(d *model.Derived) derived {
	return derived{Name: d.Name, Optype: "continuous", DataType: "double", Expr: derivedExpr(d)}
}

func derivedExpr(d *model.Derived) expr {
	refs := make([]expr, len(d.Of))
	for i, in := range d.Of {
		refs[i] = fieldRef(in)
	}
	switch d.Op {
	case model.OpRatio:
		a, b := refs[0], refs[1]
		return when(present(a), when(present(b), when(apply("notEqual", b, constant(0)), apply("/", a, b))))
	case model.OpDifference:
		a, b := refs[0], refs[1]
		return when(present(a), when(present(b), apply("-", a, b)))
	}
	terms := make([]expr, len(refs))
	for i, r := range refs {
		switch d.Op {
		case model.OpSum, model.OpMean:
			terms[i] = apply("if", present(r), r, constant(0))
		case model.OpCount:
			terms[i] = apply("if", present(r), apply("if", apply("greaterThan", r, constant(d.Above)), constant(1), constant(0)), constant(0))
		case model.OpMin, model.OpMax:
			terms[i] = apply("if", present(r), r, firstPresent(refs))
		}
	}
	var body expr
	switch d.Op {
	case model.OpMean:
		counts := make([]expr, len(refs))
		for i, r := range refs {
			counts[i] = apply("if", present(r), constant(1), constant(0))
		}
		body = apply("/", total(terms), total(counts))
	case model.OpMin:
		body = apply("min", terms...)
	case model.OpMax:
		body = apply("max", terms...)
	default:
		body = total(terms)
	}
	return when(anyPresent(refs), body)
}

// total sums terms: the term itself when there is one.
func total(terms []expr) expr {
	if len(terms) == 1 {
		return terms[0]
	}
	return apply("sum", terms...)
}

func anyPresent(refs []expr) expr {
	if len(refs) == 1 {
		return present(refs[0])
	}
	tests := make([]expr, len(refs))
	for i, r := range refs {
		tests[i] = present(r)
	}
	return apply("or", tests...)
}

func firstPresent(refs []expr) expr {
	if len(refs) == 1 {
		return refs[0]
	}
	return apply("if", present(refs[0]), refs[0], firstPresent(refs[1:]))
}

func present(r expr) expr { return apply("isNotMissing", r) }

// when is if(cond, then) with no else part: missing when cond is false.
func when(cond, then expr) expr { return apply("if", cond, then) }

func apply(function string, args ...expr) expr {
	return expr{XMLName: xml.Name{Local: "Apply"}, Function: function, Args: args}
}

func fieldRef(name string) expr {
	return expr{XMLName: xml.Name{Local: "FieldRef"}, Field: name}
}

func constant(x float64) expr {
	return expr{XMLName: xml.Name{Local: "Constant"}, DataType: "double", Value: strconv.FormatFloat(x, 'g', -1, 64)}
}
