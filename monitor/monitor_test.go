package monitor_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/model/modeltest"
	"github.com/opencredit/opencredit/monitor"
)

// devModel is a one-feature model whose training rows were 50, 30 and 20
// in the feature's three bins (none missing), and whose development scores
// fell 60 in the first bucket (350–374) and 40 in the second (375–399).
func devModel(t *testing.T, base int) *model.Model {
	t.Helper()
	m, err := modeltest.Scorecard(base, modeltest.Step("x", "capacity", "X", []float64{1, 2}, []int{0, 10, 20}, 0))
	if err != nil {
		t.Fatal(err)
	}
	for k, c := range []int{50, 30, 20, 0} {
		m.Features[0].Bins[k].Count = c
	}
	m.ScoreCounts = make([]int, m.Scaling.ScoreBuckets())
	m.ScoreCounts[0], m.ScoreCounts[1] = 60, 40
	return m
}

// observe counts n scores in bin b at score s.
func observe(mo *monitor.Monitor, id string, m *model.Model, n, b, s int) {
	for range n {
		mo.Observe(id, m, &model.Result{Score: s, Bins: []int{b}})
	}
}

// TestStabilityByHand: live rows 20, 30, 50 over the bins (the training
// shares reversed) give CSI = (0.2−0.5)·ln(0.2/0.5) + 0 + (0.5−0.2)·ln(0.5/0.2)
// = 2 · 0.3 · ln 2.5 = 0.549774 (by hand); the scores 40 in the first
// bucket and 60 in the second give PSI = 2 · 0.2 · ln 1.5 = 0.162186, with
// the 22 empty buckets floored at 1e-4 on both sides (no term).
func TestStabilityByHand(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	mo := monitor.New(func() time.Time { return now })
	m := devModel(t, 350)
	if got := mo.Report(); got != nil {
		t.Fatalf("report before any score: %v", got)
	}
	observe(mo, "m1", m, 20, 0, 350)
	observe(mo, "m1", m, 20, 1, 350)
	observe(mo, "m1", m, 10, 1, 380)
	observe(mo, "m1", m, 50, 2, 380)
	ds := mo.Report()
	if len(ds) != 2 || ds[0].Window != monitor.Day || ds[1].Window != monitor.Week {
		t.Fatalf("report %+v, want day and week", ds)
	}
	for _, d := range ds {
		if d.Rows != 100 || math.Abs(d.CSI["x"]-0.549774) > 1e-6 || math.Abs(d.ScorePSI-0.162186) > 1e-6 {
			t.Errorf("%s: rows %d, CSI %.6f, PSI %.6f; want 100, 0.549774, 0.162186", d.Window, d.Rows, d.CSI["x"], d.ScorePSI)
		}
		if d.Level() != "act" {
			t.Errorf("%s: level %q, want act (CSI above 0.25)", d.Window, d.Level())
		}
	}
	if monitor.Level(0.162186) != "watch" || monitor.Level(0.05) != "" || monitor.Level(math.NaN()) != "" {
		t.Error("levels: 0.16 is watch, 0.05 stable, NaN nothing")
	}
}

// TestWindows: the day window holds today's scores only, the week the last
// seven days; scores eight days old are gone; fewer than MinRows report no
// index; a new model starts afresh.
func TestWindows(t *testing.T) {
	now := time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC)
	mo := monitor.New(func() time.Time { return now })
	m := devModel(t, 350)
	// Day 1: the training distribution exactly (shares 0.5, 0.3, 0.2).
	observe(mo, "m1", m, 50, 0, 350)
	observe(mo, "m1", m, 30, 1, 350)
	observe(mo, "m1", m, 20, 2, 380)
	now = now.Add(2 * time.Hour) // day 2, 01:00
	observe(mo, "m1", m, 99, 2, 380)
	ds := mo.Report()
	day, week := ds[0], ds[1]
	if day.Rows != 99 || !math.IsNaN(day.CSI["x"]) || !math.IsNaN(day.ScorePSI) {
		t.Errorf("day of 99 scores: rows %d, CSI %v, PSI %v; want 99 and no index (below %d)", day.Rows, day.CSI["x"], day.ScorePSI, monitor.MinRows)
	}
	if week.Rows != 199 || math.IsNaN(week.CSI["x"]) {
		t.Errorf("week: rows %d, CSI %v; want 199 and an index", week.Rows, week.CSI["x"])
	}
	now = now.Add(7 * 24 * time.Hour) // day 9: day 1 and 2 are out of the week
	observe(mo, "m1", m, 1, 0, 350)
	if ds := mo.Report(); ds[1].Rows != 1 {
		t.Errorf("a week later the week holds %d scores, want 1", ds[1].Rows)
	}
	observe(mo, "m2", devModel(t, 360), 1, 0, 360)
	if ds := mo.Report(); ds[0].Model != "m2" || ds[1].Rows != 1 {
		t.Errorf("after a model change: %+v, want m2's one score", ds)
	}
}

// TestCollector: the gauges Prometheus scrapes, through client_golang's
// own registry and text format.
func TestCollector(t *testing.T) {
	mo := monitor.New(nil)
	m := devModel(t, 350)
	observe(mo, "m1", m, 20, 0, 350)
	observe(mo, "m1", m, 30, 1, 350)
	observe(mo, "m1", m, 50, 2, 380)
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(monitor.Collector(mo))
	want := `
# HELP opencredit_drift_alert 1 when the window's worst stability index (score or feature) is at the level: watch from 0.10, act from 0.25; 0 otherwise.
# TYPE opencredit_drift_alert gauge
opencredit_drift_alert{level="act",model="m1",window="day"} 1
opencredit_drift_alert{level="act",model="m1",window="week"} 1
opencredit_drift_alert{level="watch",model="m1",window="day"} 0
opencredit_drift_alert{level="watch",model="m1",window="week"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "opencredit_drift_alert"); err != nil {
		t.Error(err)
	}
	if n, err := testutil.GatherAndCount(reg, "opencredit_feature_csi", "opencredit_score_psi", "opencredit_drift_scores"); err != nil || n != 6 {
		t.Errorf("%d other series (%v), want 6: CSI, PSI and rows for day and week", n, err)
	}
}
