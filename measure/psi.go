package measure

import (
	"math"
	"sort"
)

// PSIFloor is the share an empty bin is given so that its term of the PSI
// stays finite.
const PSIFloor = 1e-4

// PSIBin is one bin of a population stability table.
type PSIBin struct {
	// Lower ≤ x < Upper; the first bin starts at −Inf and the last ends at +Inf.
	Lower, Upper float64
	// Expected and Actual are the shares of each sample in the bin, before
	// flooring.
	Expected, Actual float64
	// Contribution is the bin's term (a − e) · ln(a / e) with floored shares.
	Contribution float64
}

// PSIBins returns the population stability table of actual against expected
// over the bins cut by edges: len(edges)+1 bins, bin k holding the values x
// with edges[k−1] ≤ x < edges[k]. Edges must be strictly increasing; values
// must not be NaN. It returns nil when either sample is empty.
//
// The population stability index (Siddiqi, "Credit Risk Scorecards", 2006,
// ch. 8; Yurdakul, "Statistical properties of population stability index",
// Western Michigan University, 2018) is the symmetrised Kullback–Leibler
// divergence of the binned shares:
//
//	PSI = Σ_k (a_k − e_k) · ln(a_k / e_k),   a_k, e_k floored at PSIFloor.
//
// The common reading: below 0.1 stable, 0.1 to 0.25 some shift, above 0.25 a
// significant shift (see PSIReading).
func PSIBins(expected, actual, edges []float64) []PSIBin {
	for i := 1; i < len(edges); i++ {
		if !(edges[i] > edges[i-1]) {
			panic("metrics: PSI edges are not strictly increasing")
		}
	}
	if len(expected) == 0 || len(actual) == 0 {
		return nil
	}
	e := binShares(expected, edges)
	a := binShares(actual, edges)
	bins := make([]PSIBin, len(edges)+1)
	for k := range bins {
		b := &bins[k]
		b.Lower, b.Upper = math.Inf(-1), math.Inf(1)
		if k > 0 {
			b.Lower = edges[k-1]
		}
		if k < len(edges) {
			b.Upper = edges[k]
		}
		b.Expected, b.Actual = e[k], a[k]
		ek, ak := max(e[k], PSIFloor), max(a[k], PSIFloor)
		b.Contribution = (ak - ek) * math.Log(ak/ek)
	}
	return bins
}

// PSI returns the population stability index of actual against expected over
// the bins cut by edges, as described at PSIBins. It returns NaN when either
// sample is empty.
func PSI(expected, actual, edges []float64) float64 {
	bins := PSIBins(expected, actual, edges)
	if bins == nil {
		return math.NaN()
	}
	var sum float64
	for _, b := range bins {
		sum += b.Contribution
	}
	return sum
}

// PSICounts returns the population stability index of two distributions
// over the same bins, given as counts (or shares) per bin, with the shares
// floored as PSIBins floors them. It returns NaN when the lengths differ or
// either side counts nothing.
func PSICounts(expected, actual []float64) float64 {
	if len(expected) != len(actual) || len(expected) == 0 {
		return math.NaN()
	}
	var te, ta float64
	for k := range expected {
		te += expected[k]
		ta += actual[k]
	}
	if !(te > 0) || !(ta > 0) {
		return math.NaN()
	}
	var sum float64
	for k := range expected {
		ek, ak := max(expected[k]/te, PSIFloor), max(actual[k]/ta, PSIFloor)
		sum += (ak - ek) * math.Log(ak/ek)
	}
	return sum
}

// PSIReading names the usual reading of a PSI value: "stable" below 0.1,
// "some shift" from 0.1 to 0.25, "significant shift" above 0.25.
func PSIReading(psi float64) string {
	switch {
	case math.IsNaN(psi):
		return "undefined"
	case psi < 0.1:
		return "stable"
	case psi <= 0.25:
		return "some shift"
	default:
		return "significant shift"
	}
}

// binShares returns the share of x in each bin cut by edges.
func binShares(x, edges []float64) []float64 {
	shares := make([]float64, len(edges)+1)
	for _, v := range x {
		// The number of edges at or below v is v's bin.
		shares[sort.Search(len(edges), func(k int) bool { return edges[k] > v })]++
	}
	for k := range shares {
		shares[k] /= float64(len(x))
	}
	return shares
}

// DecileEdges returns the edges that cut x into ten bins of about equal size,
// the usual bins of a PSI; see QuantileEdges.
func DecileEdges(x []float64) []float64 { return QuantileEdges(x, 10) }

// QuantileEdges returns the edges that cut x into n bins of about equal size,
// for use with PSIBins: edge k is the order statistic x_(⌊k·m/n⌋) (0-based, m
// values that are not NaN), so about k/n of the sample lies below it. Tied
// values cannot be split, so an edge equal to the previous one or to the
// minimum is dropped and fewer than n bins may result. It returns nil when x
// has no value that is not NaN.
func QuantileEdges(x []float64, n int) []float64 {
	if n < 1 {
		panic("metrics: QuantileEdges needs n ≥ 1")
	}
	sorted := make([]float64, 0, len(x))
	for _, v := range x {
		if !math.IsNaN(v) {
			sorted = append(sorted, v)
		}
	}
	if len(sorted) == 0 {
		return nil
	}
	sort.Float64s(sorted)
	var edges []float64
	last := sorted[0]
	for k := 1; k < n; k++ {
		v := sorted[k*len(sorted)/n]
		if v > last {
			edges = append(edges, v)
			last = v
		}
	}
	return edges
}
