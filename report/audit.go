package report

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/opencredit/opencredit/measure"
)

const (
	// A numeric attribute with more distinct values than maxDistinct is cut
	// into quantileGroups groups of about equal size; with fewer, each value
	// is a group.
	maxDistinct    = 10
	quantileGroups = 4
	missingGroup   = "missing"
)

// auditGroups labels each row with its group of attribute a and returns the
// labels in display order: categories alphabetically, numeric groups by
// value, missing last.
func auditGroups(a Attribute) (labels, order []string) {
	if a.Numeric == nil {
		return categoricalGroups(a.Values)
	}
	return numericGroups(a.Name, a.Numeric)
}

func categoricalGroups(values []string) (labels, order []string) {
	labels = make([]string, len(values))
	seen := map[string]bool{}
	hasMissing := false
	for i, v := range values {
		v = strings.TrimSpace(v)
		if v == "" || v == missingGroup {
			labels[i] = missingGroup
			hasMissing = true
			continue
		}
		labels[i] = v
		if !seen[v] {
			seen[v] = true
			order = append(order, v)
		}
	}
	sort.Strings(order)
	if hasMissing {
		order = append(order, missingGroup)
	}
	return labels, order
}

func numericGroups(name string, x []float64) (labels, order []string) {
	labels = make([]string, len(x))
	var present []float64
	distinct := map[float64]bool{}
	for _, v := range x {
		if !math.IsNaN(v) {
			present = append(present, v)
			distinct[v] = true
		}
	}
	// group[i] is row i's group: a distinct value's rank, or a quantile
	// group; −1 when missing.
	group := make([]int, len(x))
	var lo, hi []float64 // range of each group
	if len(distinct) <= maxDistinct {
		values := make([]float64, 0, len(distinct))
		for v := range distinct {
			values = append(values, v)
		}
		slices.Sort(values)
		for i, v := range x {
			group[i], _ = slices.BinarySearch(values, v)
		}
		lo, hi = values, values
	} else {
		edges := measure.QuantileEdges(present, quantileGroups)
		lo = make([]float64, len(edges)+1)
		hi = make([]float64, len(edges)+1)
		for k := range lo {
			lo[k], hi[k] = math.Inf(1), math.Inf(-1)
		}
		for i, v := range x {
			k := sort.Search(len(edges), func(k int) bool { return edges[k] > v })
			group[i] = k
			if !math.IsNaN(v) {
				lo[k], hi[k] = min(lo[k], v), max(hi[k], v)
			}
		}
	}
	names := make([]string, len(lo))
	for k := range lo {
		names[k] = name + " " + fmtValue(lo[k])
		if hi[k] != lo[k] {
			names[k] += "–" + fmtValue(hi[k])
		}
	}
	used := make([]bool, len(lo))
	hasMissing := false
	for i, v := range x {
		if math.IsNaN(v) {
			labels[i] = missingGroup
			hasMissing = true
			continue
		}
		labels[i] = names[group[i]]
		used[group[i]] = true
	}
	for k, name := range names {
		if used[k] {
			order = append(order, name)
		}
	}
	if hasMissing {
		order = append(order, missingGroup)
	}
	return labels, order
}

// fmtValue prints a number without a trailing ".0" or exponent noise.
func fmtValue(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}
