// Package monitor watches a served model for drift: the population
// stability index (PSI) of the live scores against the development sample's
// (model.ScoreCounts), and each feature's characteristic stability index
// (CSI: the same index over the feature's bins, against the training rows
// each bin held, model.Bin.Count), over the current UTC day and the last
// seven days. Siddiqi, "Credit Risk Scorecards" (2006), ch. 8:
//
//	PSI = Σ_k (a_k − e_k) · ln(a_k / e_k)     (shares, floored: measure.PSICounts)
//
// read as stable below 0.10, a shift to watch from 0.10 and one to act on
// from 0.25. The monitor holds counts only, never a person's data: one
// counter per score bucket and per feature bin, per day.
package monitor

import (
	"math"
	"sync"
	"time"

	"github.com/opencredit/opencredit/measure"
	"github.com/opencredit/opencredit/model"
)

// The alert thresholds of the PSI and the CSI.
const (
	Watch = 0.10
	Act   = 0.25
)

// MinRows is the fewest scores a window needs before its indexes are
// reported: on fewer, sampling noise alone passes 0.10.
const MinRows = 100

// Windows the monitor reports.
const (
	Day  = "day"  // the current UTC day
	Week = "week" // the current UTC day and the six before it
)

const days = 7

// Level is an index's alert level: "" (stable or not enough scores),
// "watch" or "act".
func Level(index float64) string {
	switch {
	case math.IsNaN(index) || index < Watch:
		return ""
	case index < Act:
		return "watch"
	default:
		return "act"
	}
}

// Drift is one window's stability.
type Drift struct {
	Model  string
	Window string
	Rows   int
	// ScorePSI is NaN when the window has fewer than MinRows scores or the
	// model records no development score distribution.
	ScorePSI float64
	// CSI holds each feature's index, by name, under the same rule.
	CSI map[string]float64
}

// Level is the window's worst alert level over the score and the features.
func (d Drift) Level() string {
	worst := Level(d.ScorePSI)
	for _, v := range d.CSI {
		if l := Level(v); l == "act" || (l == "watch" && worst == "") {
			worst = l
		}
	}
	return worst
}

// Monitor counts the scores of the model in service. It is safe for
// concurrent use. A change of model starts the counts afresh: a new model
// is compared with its own development sample.
type Monitor struct {
	mu       sync.Mutex
	now      func() time.Time
	id       string
	names    []string
	expScore []float64   // nil without ScoreCounts
	expBins  [][]float64 // per feature, training rows per bin
	scaling  model.Scaling
	day      [days]*counts // ring by UTC day number mod days
}

type counts struct {
	dayNo int64
	rows  int
	score []float64
	bins  [][]float64
}

// New returns a monitor; now defaults to time.Now.
func New(now func() time.Time) *Monitor {
	if now == nil {
		now = time.Now
	}
	return &Monitor{now: now}
}

// Observe counts one score r of model m, whose id is id.
func (mo *Monitor) Observe(id string, m *model.Model, r *model.Result) {
	mo.mu.Lock()
	defer mo.mu.Unlock()
	if id != mo.id {
		mo.reset(id, m)
	}
	n := dayNo(mo.now())
	c := mo.day[n%days]
	if c == nil || c.dayNo != n {
		c = &counts{dayNo: n, score: make([]float64, mo.scaling.ScoreBuckets()), bins: make([][]float64, len(mo.names))}
		for j := range c.bins {
			c.bins[j] = make([]float64, len(mo.expBins[j]))
		}
		mo.day[n%days] = c
	}
	c.rows++
	c.score[mo.scaling.BucketOf(r.Score)]++
	for j, b := range r.Bins {
		if j < len(c.bins) && b >= 0 && b < len(c.bins[j]) {
			c.bins[j][b]++
		}
	}
}

func (mo *Monitor) reset(id string, m *model.Model) {
	mo.id, mo.scaling, mo.day = id, m.Scaling, [days]*counts{}
	mo.names, mo.expBins, mo.expScore = nil, nil, nil
	for _, f := range m.Features {
		mo.names = append(mo.names, f.Name)
		e := make([]float64, len(f.Bins))
		for k, b := range f.Bins {
			e[k] = float64(b.Count)
		}
		mo.expBins = append(mo.expBins, e)
	}
	if m.ScoreCounts != nil {
		for _, c := range m.ScoreCounts {
			mo.expScore = append(mo.expScore, float64(c))
		}
	}
}

// Report returns the day's and the week's stability of the model in
// service; none before the first score.
func (mo *Monitor) Report() []Drift {
	mo.mu.Lock()
	defer mo.mu.Unlock()
	if mo.id == "" {
		return nil
	}
	today := dayNo(mo.now())
	out := make([]Drift, 0, 2)
	for _, w := range []struct {
		name  string
		since int64
	}{{Day, today}, {Week, today - days + 1}} {
		sum := &counts{score: make([]float64, mo.scaling.ScoreBuckets()), bins: make([][]float64, len(mo.names))}
		for j := range sum.bins {
			sum.bins[j] = make([]float64, len(mo.expBins[j]))
		}
		for _, c := range mo.day {
			if c == nil || c.dayNo < w.since || c.dayNo > today {
				continue
			}
			sum.rows += c.rows
			add(sum.score, c.score)
			for j := range sum.bins {
				add(sum.bins[j], c.bins[j])
			}
		}
		d := Drift{Model: mo.id, Window: w.name, Rows: sum.rows, ScorePSI: math.NaN(), CSI: map[string]float64{}}
		for j, name := range mo.names {
			d.CSI[name] = math.NaN()
			if sum.rows >= MinRows {
				d.CSI[name] = measure.PSICounts(mo.expBins[j], sum.bins[j])
			}
		}
		if sum.rows >= MinRows && mo.expScore != nil {
			d.ScorePSI = measure.PSICounts(mo.expScore, sum.score)
		}
		out = append(out, d)
	}
	return out
}

func add(dst, src []float64) {
	for i := range dst {
		dst[i] += src[i]
	}
}

func dayNo(t time.Time) int64 { return t.UTC().Unix() / 86400 }
