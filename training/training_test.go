package training

import (
	"math"
	"testing"

	"github.com/opencredit/opencredit"
)

// TestWoEByHand: 30 goods and 10 bads out of 100 goods and 50 bads.
// WoE = ln(0.30/0.20) = 0.4054651; IV = (0.30 − 0.20) · WoE = 0.0405465.
func TestWoEByHand(t *testing.T) {
	w, iv := WoE(30, 10, 100, 50)
	if math.Abs(w-0.4054651081) > 1e-9 || math.Abs(iv-0.04054651081) > 1e-10 {
		t.Errorf("woe %v iv %v", w, iv)
	}
	// No bads: 0.5 is added to both counts: ln((20.5/100)/(0.5/50)) = 3.0204249.
	if w, _ := WoE(20, 0, 100, 50); math.Abs(w-3.0204248861) > 1e-9 {
		t.Errorf("smoothed woe %v", w)
	}
	if w, iv := WoE(0, 0, 100, 50); w != 0 || iv != 0 {
		t.Errorf("empty bin woe %v iv %v", w, iv)
	}
}

func TestSpecRejects(t *testing.T) {
	for _, bad := range []string{
		"features:\n  a:\n    trend: sideways\n",
		"features:\n  a:\n    dimension: friends\n",
		"features:\n  a:\n    cuts: [3, 2]\n",
		"features:\n  a:\n    colour: red\n",
		"features:\n  a:\n    kind: text\n",
	} {
		if _, err := ParseSpec([]byte(bad)); opencredit.ErrorCode(err) != opencredit.EINVALID {
			t.Errorf("spec %q accepted: %v", bad, err)
		}
	}
}

// TestNiceCut: cut points worked by hand. The second group was the table of
// ebm's own copy, which NiceCut replaced.
func TestNiceCut(t *testing.T) {
	for _, tc := range []struct{ lo, hi, want float64 }{
		{0.8261, 0.8333333333333334, 0.83},
		{1, 2, 2},
		{49999, 50000, 50000},
		{12000, 13500, 13000},
		{-3, -1, -1},
		{16, 18, 18},
		{-0.5, 0, 0},
		{0.1, 0.30000000000000004, 0.3},
		{5, 5, 5},

		{2, 3, 3},                                // integers keep integer cuts
		{0.8461538461538461, 0.85, 0.85},         // the short number in between
		{0.84615, 0.8462, 0.8462},                // no shorter number in (lo, hi]
		{0.12, 0.97, 0.9},                        // one digit, the largest
		{-2.35, -2.3, -2.3},                      // negative
		{-2.9, -2.35, -2.4},                      // rounding up would leave (lo, hi]
		{99999, 100001, 100000},                  //
		{0.1 + 0.2, 0.31, 0.31},                  // float noise in lo
		{1e-9, 1.5e-9, 1.5e-9},                   // tiny
		{149.99999, 150.00001, 150},              //
		{0.04066, 0.04066873279233607, 0.040668}, // 0.0407 and 0.04067 are above hi
	} {
		got := NiceCut(tc.lo, tc.hi)
		if got != tc.want || !(got > tc.lo || tc.lo == tc.hi) || got > tc.hi {
			t.Errorf("NiceCut(%v, %v) = %v, want %v", tc.lo, tc.hi, got, tc.want)
		}
	}
}
