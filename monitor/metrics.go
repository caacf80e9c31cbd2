package monitor

import (
	"math"

	"github.com/prometheus/client_golang/prometheus"
)

var (
	psiDesc = prometheus.NewDesc("opencredit_score_psi",
		"Population stability index of the live scores against the model's development sample, over the window (day: the current UTC day; week: the last 7 days). Absent below 100 scores.",
		[]string{"model", "window"}, nil)
	csiDesc = prometheus.NewDesc("opencredit_feature_csi",
		"Characteristic stability index of a model feature's bins against its training rows, over the window. Absent below 100 scores.",
		[]string{"model", "window", "feature"}, nil)
	alertDesc = prometheus.NewDesc("opencredit_drift_alert",
		"1 when the window's worst stability index (score or feature) is at the level: watch from 0.10, act from 0.25; 0 otherwise.",
		[]string{"model", "window", "level"}, nil)
	rowsDesc = prometheus.NewDesc("opencredit_drift_scores",
		"Scores counted in the window for the stability indexes.",
		[]string{"model", "window"}, nil)
)

// Collector exposes the monitor's report as Prometheus gauges, read at each
// scrape. Alert on opencredit_drift_alert{level="act"} == 1.
func Collector(mo *Monitor) prometheus.Collector { return collector{mo} }

type collector struct{ mo *Monitor }

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- psiDesc
	ch <- csiDesc
	ch <- alertDesc
	ch <- rowsDesc
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	for _, d := range c.mo.Report() {
		ch <- prometheus.MustNewConstMetric(rowsDesc, prometheus.GaugeValue, float64(d.Rows), d.Model, d.Window)
		if !math.IsNaN(d.ScorePSI) {
			ch <- prometheus.MustNewConstMetric(psiDesc, prometheus.GaugeValue, d.ScorePSI, d.Model, d.Window)
		}
		for name, v := range d.CSI {
			if !math.IsNaN(v) {
				ch <- prometheus.MustNewConstMetric(csiDesc, prometheus.GaugeValue, v, d.Model, d.Window, name)
			}
		}
		level := d.Level()
		for _, l := range []string{"watch", "act"} {
			v := 0.0
			if level == l {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(alertDesc, prometheus.GaugeValue, v, d.Model, d.Window, l)
		}
	}
}
