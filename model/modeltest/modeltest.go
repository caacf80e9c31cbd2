// Package modeltest builds small points models by hand, for tests and for
// benchmarks that measure scoring rather than training. Each bin's log-odds
// contribution is −points/100, so more points always mean less risk.
package modeltest

import (
	"fmt"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

// Step returns a numeric feature whose bins are cut at cuts — points[0] below
// cuts[0], points[i] in [cuts[i−1], cuts[i]), the last from the last cut on —
// with a missing bin earning missing points. len(points) must be len(cuts)+1.
func Step(name, dimension, reasonCode string, cuts []float64, points []int, missing int) model.Feature {
	if len(points) != len(cuts)+1 {
		panic(fmt.Sprintf("modeltest: %d points for %d cuts", len(points), len(cuts)))
	}
	f := model.Feature{Name: name, Kind: model.Numeric, Dimension: dimension, ReasonCode: reasonCode}
	for i, p := range points {
		b := model.Bin{Points: p, Logit: -float64(p) / 100}
		if i > 0 {
			lo := cuts[i-1]
			b.Lower = &lo
		}
		if i < len(cuts) {
			hi := cuts[i]
			b.Upper = &hi
		}
		f.Bins = append(f.Bins, b)
	}
	f.Bins = append(f.Bins, model.Bin{Missing: true, Points: missing, Logit: -float64(missing) / 100})
	f.DescribeBins()
	return f
}

// Scorecard returns a prepared scorecard of the features on the default
// scale and bands, starting every person at base points.
func Scorecard(base int, features ...model.Feature) (*model.Model, error) {
	m := &model.Model{
		SchemaVersion: model.SchemaVersion, Kind: "scorecard", Target: "bad",
		Scaling: model.DefaultScaling(), Bands: opencredit.DefaultBands(),
		Intercept: -3, BasePoints: base, Features: features,
	}
	if err := m.Prepare(); err != nil {
		return nil, err
	}
	return m, nil
}
