package report

import (
	"fmt"
	"html/template"
	"math"
	"strconv"

	"github.com/opencredit/opencredit/model"
)

// rocChart plots the ROC curve against the diagonal of a random ranking.
func rocChart(e *Evaluation) template.HTML {
	c := newChart(chartW, chartH, "ROC curve")
	c.domain(0, 1, 0, 1)
	ticks := niceTicks(0, 1, 5)
	c.xAxis(ticks, tickShare, "false-positive rate: share of goods called bad")
	c.yAxis(ticks, tickShare, "share of bads called bad")
	c.line(0, 0, 1, 1, colorGuide, 1.5, "5 4")
	xs, ys := make([]float64, len(e.ROC)), make([]float64, len(e.ROC))
	for i, p := range e.ROC {
		xs[i], ys[i] = p.FPR, p.TPR
	}
	c.polyline(xs, ys, colorMain, 2.5, "")
	c.legend("bottom-right",
		legendItem{colorMain, "model, AUC " + fixed(e.AUC, 3), ""},
		legendItem{colorGuide, "random, AUC 0.5", "5 4"})
	return c.html()
}

// ksChart plots the cumulative shares of bads and goods by score as steps,
// with the KS gap marked where it is widest.
func ksChart(e *Evaluation) template.HTML {
	c := newChart(chartW, chartH, "Kolmogorov–Smirnov: cumulative share by score")
	lo, hi := float64(e.ScoreMin), float64(e.ScoreMax)
	c.domain(lo, hi, 0, 1)
	c.xAxis(niceTicks(lo, hi, 6), tickInt, "score")
	c.yAxis(niceTicks(0, 1, 5), tickShare, "share at or below the score")
	steps := func(share func(KSPoint) float64) (xs, ys []float64) {
		xs, ys = []float64{lo}, []float64{0}
		prev := 0.0
		for _, p := range e.KSCurve {
			x := min(max(p.Score, lo), hi)
			xs, ys = append(xs, x, x), append(ys, prev, share(p))
			prev = share(p)
		}
		return append(xs, hi), append(ys, prev)
	}
	xs, ys := steps(func(p KSPoint) float64 { return p.Bad })
	c.polyline(xs, ys, colorBad, 2, "")
	xs, ys = steps(func(p KSPoint) float64 { return p.Good })
	c.polyline(xs, ys, colorGood, 2, "")
	for _, p := range e.KSCurve {
		if e.KSScore.Valid() && p.Score == float64(e.KSScore) {
			c.line(p.Score, p.Good, p.Score, p.Bad, colorAxis, 2, "3 3")
			anchor, dx := "start", 6.0
			if c.px(p.Score) > c.w/2 {
				anchor, dx = "end", -6
			}
			c.label(p.Score, (p.Bad+p.Good)/2, dx, 4, "KS "+fixed(e.KS, 3)+" at "+fixed(e.KSScore, 0), anchor)
		}
	}
	c.legend("bottom-right",
		legendItem{colorBad, "bads", ""},
		legendItem{colorGood, "goods", ""})
	return c.html()
}

// calibrationChart plots each band's observed bad rate against its mean
// predicted PD; a calibrated model's points lie on the diagonal.
func calibrationChart(e *Evaluation) template.HTML {
	c := newChart(chartW, chartH, "Calibration by score band")
	top := 0.0
	for _, b := range e.Bands {
		if b.Rows > 0 && b.BadRate.Valid() {
			top = max(top, float64(b.MeanPD), float64(b.BadRate))
		}
	}
	top = min(niceCeil(top*1.05), 1)
	c.domain(0, top, 0, top)
	ticks := niceTicks(0, top, 5)
	c.xAxis(ticks, tickShare, "mean predicted PD")
	c.yAxis(ticks, tickShare, "observed bad rate")
	c.line(0, 0, top, top, colorGuide, 1.5, "5 4")
	for _, b := range e.Bands {
		if b.Rows == 0 || !b.BadRate.Valid() {
			continue
		}
		x, y := float64(b.MeanPD), float64(b.BadRate)
		c.point(x, y, colorMain, fmt.Sprintf("%s: %d rows, mean PD %s, bad rate %s", b.Band, b.Rows, pct(b.MeanPD), pct(b.BadRate)))
		c.pointLabel(x, y, b.Band)
	}
	c.legend("top-left", legendItem{colorGuide, "perfect calibration", "5 4"})
	return c.html()
}

// histogramChart plots the number of rows per 25-point bucket, stacked into
// goods and bads when the target is known, with the approval cut-off.
func histogramChart(e *Evaluation) template.HTML {
	c := newChart(chartW, chartH, "Score distribution")
	most := 0
	for _, b := range e.Histogram {
		most = max(most, b.Rows)
	}
	lo, hi := float64(e.ScoreMin), float64(e.ScoreMax+1)
	// Headroom for the legend and the cut-off label.
	top := niceCeil(float64(most) * 1.2)
	c.domain(lo, hi, 0, top)
	c.xAxis(niceTicks(lo, hi, 6), tickInt, "score")
	var yt []float64 // counts: whole ticks only
	for _, t := range niceTicks(0, top, 5) {
		if t == math.Trunc(t) {
			yt = append(yt, t)
		}
	}
	c.yAxis(yt, tickInt, "rows")
	for _, b := range e.Histogram {
		x0, x1 := float64(b.Lower)+0.5, float64(b.Upper)+0.5
		span := scoreRange(b.Lower, b.Upper)
		if !e.HasTarget {
			c.bar(x0, 0, x1, float64(b.Rows), colorMain, fmt.Sprintf("%s: %d rows", span, b.Rows))
			continue
		}
		c.bar(x0, 0, x1, float64(b.Goods), colorGood, fmt.Sprintf("%s: %d goods", span, b.Goods))
		c.bar(x0, float64(b.Goods), x1, float64(b.Rows), colorBad, fmt.Sprintf("%s: %d bads", span, b.Bads))
	}
	if len(e.Fairness) > 0 {
		x := float64(e.Cutoff)
		c.line(x, 0, x, top, colorAxis, 1.5, "5 4")
		c.label(x, top, 4, 14, "cut-off "+strconv.Itoa(e.Cutoff), "start")
	}
	if e.HasTarget {
		c.legend("top-right", legendItem{colorGood, "goods", ""}, legendItem{colorBad, "bads", ""})
	}
	return c.html()
}

// woeRow is the height of one bin in a WoE chart.
const woeRow = 24

// woeChart plots the WoE of each bin of f as a horizontal bar, the bins
// labelled down the left side. A bar is coloured by whether the bin's bad
// rate is above or below the feature's, which reads the same whichever sign
// convention the WoE was computed with.
func woeChart(f *model.Feature) template.HTML {
	n := len(f.Bins)
	c := newChart(chartW, float64(34+n*woeRow+46), "WoE per bin: "+truncate(f.Name, 48))
	c.left = 170
	most := 0.0
	var count, bads int
	for _, b := range f.Bins {
		most = max(most, math.Abs(b.WoE))
		count, bads = count+b.Count, bads+b.Bads
	}
	rate := float64(bads) / float64(max(count, 1))
	// Room beyond the longest bar for its value label.
	most = niceCeil(most * 1.35)
	// Bins run down the chart: bin k fills y from k to k+1.
	c.domain(-most, most, float64(n), 0)
	c.xAxis(niceTicks(-most, most, 6), tickNum, "weight of evidence (WoE)")
	for k, b := range f.Bins {
		label := f.BinLabel(k)
		c.text(c.left-8, c.py(float64(k)+0.5)+4, truncate(label, 22), "end", "")
		color := colorGood
		if b.BadRate > rate {
			color = colorBad
		}
		c.bar(0, float64(k)+0.15, b.WoE, float64(k)+0.85, color,
			fmt.Sprintf("%s: WoE %.4f, %d rows, bad rate %s, %d points", label, b.WoE, b.Count, pct(Float(b.BadRate)), b.Points))
		anchor, dx := "start", 4.0
		if b.WoE < 0 {
			anchor, dx = "end", -4
		}
		c.label(b.WoE, float64(k)+0.5, dx, 4, strconv.FormatFloat(b.WoE, 'f', 2, 64), anchor)
	}
	c.line(0, 0, 0, float64(n), colorAxis, 1, "")
	return c.html()
}
