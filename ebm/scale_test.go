package ebm_test

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/ebm"
)

// TestScale trains on 1,000,000 synthetic rows of 30 features (25 numeric,
// 5 categorical, some values missing) and logs the training time and the
// process's peak resident memory. It runs only with OPENCREDIT_EBM_SCALE=1.
func TestScale(t *testing.T) {
	if os.Getenv("OPENCREDIT_EBM_SCALE") != "1" {
		t.Skip("set OPENCREDIT_EBM_SCALE=1 to train on 1,000,000 rows")
	}
	const n, numeric, cats = 1_000_000, 25, 5
	rng := rand.New(rand.NewPCG(2026, 11))
	logit := make([]float64, n)
	var cols []*dataset.Column
	for j := range numeric {
		c := &dataset.Column{Name: fmt.Sprintf("x%02d", j), Kind: dataset.Numeric, Num: make([]float64, n), Miss: make([]bool, n)}
		weight, freq := rng.NormFloat64()*0.4, 0.5+rng.Float64()*2
		for i := range n {
			x := rng.NormFloat64()
			if j%3 == 0 {
				x = math.Floor(rng.ExpFloat64() * 3) // counts: few distinct values
			}
			c.Num[i] = x
			logit[i] += weight * math.Sin(freq*x)
			if j%4 == 0 && rng.IntN(20) == 0 {
				c.Num[i], c.Miss[i] = math.NaN(), true
			}
		}
		cols = append(cols, c)
	}
	for j := range cats {
		c := &dataset.Column{Name: fmt.Sprintf("c%d", j), Kind: dataset.Categorical, Str: make([]string, n), Miss: make([]bool, n)}
		levels := 5 + 10*j
		names, effect := make([]string, levels), make([]float64, levels)
		for k := range levels {
			names[k], effect[k] = fmt.Sprintf("level%d", k), rng.NormFloat64()*0.3
		}
		for i := range n {
			k := min(rng.IntN(levels), rng.IntN(levels)) // skewed frequencies
			c.Str[i] = names[k]
			logit[i] += effect[k]
		}
		cols = append(cols, c)
	}
	y := make([]float64, n)
	for i := range y {
		if rng.Float64() < 1/(1+math.Exp(1.5-logit[i])) {
			y[i] = 1
		}
	}
	runtime.GC()
	before := peakRSS(t)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	allocBefore := ms.TotalAlloc

	start := time.Now()
	m, err := ebm.Train(cols, y, ebm.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&ms)
	t.Logf("1,000,000 rows × 30 features: trained in %v (%.0f rounds per bag, %d workers), train AUC %.4f",
		elapsed.Round(time.Millisecond), m.Metrics["mean_rounds"], runtime.GOMAXPROCS(0), m.Metrics["train_auc"])
	t.Logf("peak RSS %d MiB (%d MiB before training, input columns included); training allocated %d MiB in all",
		peakRSS(t)>>20, before>>20, (ms.TotalAlloc-allocBefore)>>20)
}

// peakRSS returns the process's peak resident set size (VmHWM) in bytes, or
// 0 where /proc is not there.
func peakRSS(t *testing.T) uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			var kb uint64
			if _, err := fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), &kb); err != nil {
				t.Logf("VmHWM %q: %v", rest, err)
			}
			return kb << 10
		}
	}
	return 0
}
