package measure

import (
	"math"
	"slices"
	"testing"
)

func TestPSI(t *testing.T) {
	edges := []float64{10, 20}
	// Expected shares 0.5, 0.3, 0.2; values on an edge go to the bin above.
	expected := []float64{1, 2, 3, 4, 5, 10, 15, 19.9, 20, 30}
	// Actual shares 0.3, 0.3, 0.4.
	actual := []float64{0, 5, 9.99, 10, 12, 19, 20, 25, 30, 40}
	// By hand: (0.3−0.5) ln(0.3/0.5) + 0 + (0.4−0.2) ln 2
	//        = 0.2 · 0.5108256238 + 0.2 · 0.6931471806.
	check(t, "PSI", PSI(expected, actual, edges), 0.2407945609, 1e-9)

	bins := PSIBins(expected, actual, edges)
	if len(bins) != 3 {
		t.Fatalf("PSIBins has %d bins, want 3", len(bins))
	}
	if !math.IsInf(bins[0].Lower, -1) || bins[0].Upper != 10 || bins[1].Lower != 10 || bins[2].Lower != 20 || !math.IsInf(bins[2].Upper, 1) {
		t.Errorf("bin bounds = %+v", bins)
	}
	check(t, "expected share of bin 1", bins[0].Expected, 0.5, 1e-12)
	check(t, "actual share of bin 3", bins[2].Actual, 0.4, 1e-12)
	check(t, "contribution of bin 2", bins[1].Contribution, 0, 1e-12)

	// An empty actual bin takes the floor 1e-4, by hand:
	// (1e-4 − 0.5) ln(1e-4/0.5) + 0.2 ln(5/3) + 0.3 ln 2.5
	// = 0.4999 · 8.5171931914 + 0.2 · 0.5108256238 + 0.3 · 0.9162907319.
	check(t, "PSI with an empty bin", PSI(expected, []float64{10, 15, 20, 30}, edges), 4.6347972207, 1e-9)

	check(t, "PSI of the same sample", PSI(expected, expected, edges), 0, 1e-12)
	check(t, "PSI of nothing", PSI(expected, nil, edges), math.NaN(), 0)
}

func TestPSIReading(t *testing.T) {
	for _, tt := range []struct {
		psi  float64
		want string
	}{{0.05, "stable"}, {0.1, "some shift"}, {0.25, "some shift"}, {0.3, "significant shift"}, {math.NaN(), "undefined"}} {
		if got := PSIReading(tt.psi); got != tt.want {
			t.Errorf("PSIReading(%v) = %q, want %q", tt.psi, got, tt.want)
		}
	}
}

func TestQuantileEdges(t *testing.T) {
	tests := []struct {
		x    []float64
		n    int
		want []float64
	}{
		// Ten distinct values: each decile bin holds one.
		{[]float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 10, []float64{2, 3, 4, 5, 6, 7, 8, 9, 10}},
		// Order statistics 2, 5, 7 of the sorted values are 1, 2, 4; the
		// edge at the minimum 1 would leave an empty first bin, so it goes.
		{[]float64{1, 1, 1, 1, 1, 2, 3, 4, 5, 6}, 4, []float64{2, 4}},
		{[]float64{3, 3, 3}, 10, nil},
		{[]float64{math.NaN(), 1, 2}, 2, []float64{2}},
		{nil, 10, nil},
	}
	for _, tt := range tests {
		if got := QuantileEdges(tt.x, tt.n); !slices.Equal(got, tt.want) {
			t.Errorf("QuantileEdges(%v, %d) = %v, want %v", tt.x, tt.n, got, tt.want)
		}
	}
	if got := DecileEdges([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}); len(got) != 9 {
		t.Errorf("DecileEdges of 1..10 = %v, want 9 edges", got)
	}
}
