package simulate

import (
	"bytes"
	"math"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
)

// testEnd is the end of the simulated periods in tests.
var testEnd = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// nFeatures is len(features.Registry), checked by TestFeatureCount.
const nFeatures = 19

// Indexes of features in features.Registry, checked by TestFeatureCount.
const (
	fWorstDPD      = 1
	fUtilisation   = 5
	fHardInq12m    = 13
	fBillsOnTime   = 15
	fMonthsSince30 = 2
)

// row is what the calibration and learnability tests need of one person:
// the features as of months 12 and 18 (NaN where absent), the labels over
// the windows after them, and a few latent and event facts.
type row struct {
	x12, x18  [nFeatures]float64
	bad12_6   bool // adverse in (month 12, month 18]
	bad12_12  bool // adverse in (month 12, month 24]
	bad18_6   bool // adverse in (month 18, month 24]
	savings12 float64
	base      float64 // usual monthly income
	zInc      float64
	group     string
	events    int
	credit12  bool // an account opened in months 0–11
	card12    bool // a card opened in months 0–11
	bnpl12    bool // a BNPL plan opened in months 0–11
}

// The population of the calibration and learnability tests: large enough
// for their tolerances, small enough to make and reduce in a few seconds.
const (
	sampleSize = 6000
	sampleSeed = 1 // printed by the tests that fail on it
)

var sample struct {
	once sync.Once
	rows []row
	err  error
}

// sampleRows simulates sampleSize people over 24 months once per test
// binary (seed sampleSeed, with audit groups) and reduces each to a row.
func sampleRows(t testing.TB) []row {
	sample.once.Do(func() {
		begin := time.Now()
		sample.rows, sample.err = simulateRows(Config{Subjects: sampleSize, Months: 24, Seed: sampleSeed, End: testEnd, AuditGroup: true})
		t.Logf("sample of %d people (seed %d) made and reduced in %v", sampleSize, sampleSeed, time.Since(begin).Round(time.Millisecond))
	})
	if sample.err != nil {
		t.Fatal(sample.err)
	}
	return sample.rows
}

// asOf returns the last second of month k−1 of the period: features as of
// it see months 0 to k−1.
func asOf(s *Simulator, k int) time.Time { return s.Start().AddDate(0, k, 0).Add(-time.Second) }

// simulateRows makes and reduces the people of cfg on every core.
func simulateRows(cfg Config) ([]row, error) {
	s, err := New(cfg)
	if err != nil {
		return nil, err
	}
	rows := make([]row, cfg.Subjects)
	errs := make([]error, cfg.Subjects)
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				rows[i], errs[i] = personRow(s, i)
			}
		})
	}
	for i := range cfg.Subjects {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// personRow simulates person i and computes, as the snapshot command does,
// the features from the events up to months 12 and 18 and the labels from
// features.Adverse over the windows after them.
func personRow(s *Simulator, i int) (row, error) {
	var r row
	p := s.life(i, func(p *person) {
		if p.m == 11 {
			r.savings12, r.base, r.zInc, r.group = p.savings, p.base, p.zInc, p.group
		}
	})
	a12, a18, a24 := asOf(s, 12), asOf(s, 18), asOf(s, 24)
	r.events = len(p.Events)
	n12, n18 := 0, 0
	for _, e := range p.Events {
		if !e.Time.After(a12) {
			n12++
			if e.Type == opencredit.TypeAccountOpened {
				r.credit12 = true
				r.card12 = r.card12 || bytes.Contains(e.Data, []byte(`"product":"card"`))
				r.bnpl12 = r.bnpl12 || bytes.Contains(e.Data, []byte(`"product":"bnpl"`))
			}
		}
		if !e.Time.After(a18) {
			n18++
		}
	}
	// Events are in time order, so the past is a prefix.
	for _, c := range []struct {
		past []opencredit.Event
		at   time.Time
		x    *[nFeatures]float64
	}{{p.Events[:n12], a12, &r.x12}, {p.Events[:n18], a18, &r.x18}} {
		st, err := features.Recompute(c.past)
		if err != nil {
			return r, err
		}
		fv := st.Compute(p.ID, c.at, features.DefaultConfig())
		for j, d := range features.Registry {
			v, ok := fv.Values[d.Name]
			if !ok {
				v = math.NaN()
			}
			c.x[j] = v
		}
	}
	var err error
	if r.bad12_6, err = features.Adverse(p.Events, a12, a18); err != nil {
		return r, err
	}
	if r.bad12_12, err = features.Adverse(p.Events, a12, a24); err != nil {
		return r, err
	}
	r.bad18_6, err = features.Adverse(p.Events, a18, a24)
	return r, err
}
