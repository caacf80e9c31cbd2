package scorecard_test

import (
	"sort"
	"testing"

	"github.com/opencredit/opencredit/internal/publicdata"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/scorecard"
)

// BenchmarkTrainTaiwan trains a scorecard on 24,000 Taiwan rows (target:
// under 0.5 s). Compare with BenchmarkSortBaseline, run in the same
// invocation: sorting every candidate column once, the least any binning does.
func BenchmarkTrainTaiwan(b *testing.B) {
	f := publicdata.TaiwanTrain(b)
	cfg := scorecard.DefaultConfig()
	b.ResetTimer()
	for b.Loop() {
		if _, err := scorecard.Train(f.Features, f.Y, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSortBaseline(b *testing.B) {
	f := publicdata.TaiwanTrain(b)
	buf := make([]float64, f.Rows())
	b.ResetTimer()
	for b.Loop() {
		for _, c := range f.Features {
			copy(buf, c.Num)
			sort.Float64s(buf)
		}
	}
}

// BenchmarkScoreRow scores one parsed Taiwan row with the trained scorecard,
// reasons and dimension sub-scores included (target: under 1 µs). Compare
// with BenchmarkScoreRowBaseline: summing one precomputed number per feature.
func BenchmarkScoreRow(b *testing.B) {
	f := publicdata.TaiwanTrain(b)
	m, err := scorecard.Train(f.Features, f.Y, scorecard.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	row := make([]model.Value, len(m.Features))
	for j, feat := range m.Features {
		row[j] = model.Num(f.Feature(feat.Name).Num[17])
	}
	var r model.Result
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := m.ScoreInto(row, &r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScoreRowBaseline(b *testing.B) {
	f := publicdata.TaiwanTrain(b)
	m, err := scorecard.Train(f.Features, f.Y, scorecard.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	pts := make([]int, len(m.Features))
	for j := range pts {
		pts[j] = m.Features[j].Bins[0].Points
	}
	var sink int
	b.ResetTimer()
	for b.Loop() {
		s := m.BasePoints
		for _, p := range pts {
			s += p
		}
		sink += s
	}
	_ = sink
}
