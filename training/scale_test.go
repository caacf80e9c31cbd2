package training_test

import (
	"math"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/training"
)

// TestFitScaling checks FitScaling against values worked out by hand from
// the formulas of scale.go.
func TestFitScaling(t *testing.T) {
	// 1,001 rows with log-odds of good 0, 0.01, …, 10. Tail 1%: the type-7
	// quantiles are L_lo = 0.1 and L_hi = 9.9. Factor = (950 − 350 − 10) /
	// 9.8 = 60.204; PDO = floor(10 · 60.204 · ln 2)/10 = floor(417.30)/10 =
	// 41.7, so Factor = 41.7/ln 2 = 60.160; Offset = 650 − 60.160 · 5 =
	// 349.20; BaseScore = round(349.20 + 60.160 · ln 20) = round(529.43) = 529.
	l := make([]float64, 1001)
	for i := range l {
		l[i] = float64(i) / 100
	}
	s, err := training.FitScaling(l, model.DefaultScaling(), 0.01)
	if err != nil {
		t.Fatal(err)
	}
	if s.PDO != 41.7 || s.BaseScore != 529 || s.BaseOdds != 20 || s.Min != 350 || s.Max != 950 {
		t.Fatalf("fitted %s (base %v, pdo %v), want 529 points at 20:1, 41.7 to double, 350–950", s, s.BaseScore, s.PDO)
	}
	// The quantiles land inside the range, by the margin less rounding.
	score := func(x float64) float64 { return s.Offset() + s.Factor()*x }
	if lo, hi := score(0.1), score(9.9); lo < 350 || hi > 950 || lo > 360 || hi < 940 {
		t.Errorf("the 1%% and 99%% rows score %.1f and %.1f, want inside 350–950 by about the 5-point margin", lo, hi)
	}
	// The order of the rows does not matter.
	rev := make([]float64, len(l))
	for i, v := range l {
		rev[len(l)-1-i] = v
	}
	if r, _ := training.FitScaling(rev, model.DefaultScaling(), 0.01); r != s {
		t.Errorf("reversed rows: %s, want %s", r, s)
	}

	for _, c := range []struct {
		name string
		l    []float64
		tail float64
		want string
	}{
		{"no tail", l, 0, "scale tail 0"},
		{"tail too wide", l, 0.2, "scale tail 0.2"},
		{"NaN tail", l, math.NaN(), "scale tail NaN"},
		{"no rows", nil, 0.01, "no training rows"},
		{"no spread", []float64{2, 2, 2, 2}, 0.01, "no spread"},
	} {
		if _, err := training.FitScaling(c.l, model.DefaultScaling(), c.tail); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error naming %q", c.name, err, c.want)
		}
	}
}

func TestClipShares(t *testing.T) {
	f, c := training.ClipShares([]int{350, 350, 400, 950, 600}, 350, 950)
	if f != 0.4 || c != 0.2 {
		t.Errorf("shares %v and %v, want 0.4 and 0.2", f, c)
	}
	if f, c := training.ClipShares(nil, 350, 950); f != 0 || c != 0 {
		t.Errorf("no scores: %v, %v", f, c)
	}
}
