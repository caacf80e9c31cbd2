package report

import (
	"math"
	"slices"
	"testing"
)

func TestAuditGroups(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name      string
		a         Attribute
		labels    []string
		wantOrder []string
	}{
		{
			"categorical, sorted, missing last",
			Attribute{Name: "sex", Values: []string{"m", "", "f", " f "}},
			[]string{"m", "missing", "f", "f"},
			[]string{"f", "m", "missing"},
		},
		{
			"few numeric values, one group each",
			Attribute{Name: "children", Values: make([]string, 4), Numeric: []float64{2, 0, nan, 2}},
			[]string{"children 2", "children 0", "missing", "children 2"},
			[]string{"children 0", "children 2", "missing"},
		},
		{
			// Twelve distinct ages 21..32: the quartile edges are the order
			// statistics 3, 6 and 9 (0-based), ages 24, 27 and 30.
			"many numeric values, quartile groups",
			Attribute{Name: "age", Values: make([]string, 13), Numeric: []float64{32, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, nan}},
			[]string{"age 30–32", "age 21–23", "age 21–23", "age 21–23", "age 24–26", "age 24–26", "age 24–26",
				"age 27–29", "age 27–29", "age 27–29", "age 30–32", "age 30–32", "missing"},
			[]string{"age 21–23", "age 24–26", "age 27–29", "age 30–32", "missing"},
		},
	}
	for _, tt := range tests {
		labels, order := auditGroups(tt.a)
		if !slices.Equal(labels, tt.labels) || !slices.Equal(order, tt.wantOrder) {
			t.Errorf("%s:\nlabels %q\n want  %q\norder %q\n want  %q", tt.name, labels, tt.labels, order, tt.wantOrder)
		}
	}
}
