package bench

import (
	"testing"
	"time"
)

// TestMedian: the middle value of an odd count, the mean of the two middle
// values of an even one (by hand).
func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{{[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(append([]float64(nil), c.xs...)); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
}

// TestQuantileMS: nearest rank over the sorted latencies, in milliseconds
// (by hand: of 1..10 ms, the 0.5-quantile is rank 5, the 6th value; the
// 0.99-quantile the last).
func TestQuantileMS(t *testing.T) {
	var l load
	for i := 1; i <= 10; i++ {
		l.latencies = append(l.latencies, time.Duration(i)*time.Millisecond)
	}
	if got := l.quantileMS(0.5); got != 6 {
		t.Errorf("p50 = %v ms, want 6", got)
	}
	if got := l.quantileMS(0.99); got != 10 {
		t.Errorf("p99 = %v ms, want 10", got)
	}
	if got := (load{}).quantileMS(0.5); got != 0 {
		t.Errorf("p50 of no requests = %v, want 0", got)
	}
}
