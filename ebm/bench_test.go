package ebm_test

import (
	"testing"

	"github.com/opencredit/opencredit/ebm"
	"github.com/opencredit/opencredit/internal/publicdata"
)

// BenchmarkTrainTaiwan trains the EBM with main effects only on the 24,000
// training rows of fold 0 of Taiwan. The target is XGBoost's time on the same rows with the
// peer settings (400 trees of depth 4, hist, 2 threads), measured in the same
// session: on 2026-11-29, 0.38–0.52 s per fit against 0.38–0.40 s here.
func BenchmarkTrainTaiwan(b *testing.B) { benchTrain(b, false) }

// BenchmarkTrainTaiwanPairs is BenchmarkTrainTaiwan with the default pairs,
// grown in waves (ten fixed pairs: 0.48–0.50 s on 2026-11-29).
func BenchmarkTrainTaiwanPairs(b *testing.B) { benchTrain(b, true) }

func benchTrain(b *testing.B, pairs bool) {
	f := publicdata.TaiwanTrain(b)
	cfg := ebm.DefaultConfig()
	if !pairs {
		cfg.Interactions = 0
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m, err := ebm.Train(f.Features, f.Y, cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(m.Metrics["mean_rounds"], "rounds")
		if pairs {
			b.ReportMetric(m.Metrics["pairs"], "pairs")
			b.ReportMetric(m.Metrics["pair_mean_rounds"], "pair_rounds")
		}
	}
}
