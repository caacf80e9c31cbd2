package report

import (
	"fmt"
	"html/template"
	"math"
	"strconv"

	"github.com/opencredit/opencredit/model"
)

// The shape of a model is its points: for a feature, the points of each bin
// in the order of its values (the shape function of a generalised additive
// model, Hastie & Tibshirani, "Generalized Additive Models", 1990; drawn per
// feature as InterpretML does, Nori et al. 2019), and for a pair, the points
// of each cell. A scorecard's shape is a step function of its WoE binning,
// an explainable boosting machine's is learnt; both are drawn the same way.

// Gaps between labels, in pixels, below which labels are thinned out.
const (
	labelGap        = 8
	rotatedLabelGap = 13
)

// pointsChart plots the shape function of f: a bar per bin from 0 to its
// points, the bins in reading order (binOrder) along x, the missing and
// other bins set apart at the right in grey. A numeric feature's axis is
// labelled with the cuts between bins, a categorical one's with the bins'
// categories, turned to fit.
func pointsChart(f *model.Feature) template.HTML {
	order, apart := binOrder(f)
	n := len(order)
	categorical := f.Kind == model.Categorical
	labels := make([]string, n)
	for k, bi := range order {
		labels[k] = truncate(f.BinLabel(bi), 16)
	}
	extra := 0.0 // room below the axis for turned labels
	if categorical {
		for _, l := range labels {
			extra = max(extra, textWidthPx(l)*(math.Sqrt2/2))
		}
		extra = max(extra-18, 0)
	}
	w := min(max(chartW, 90+12*float64(n)), 960)
	c := newChart(w, chartH+extra, "Points per bin: "+truncate(f.Name, 48))
	c.bottom += extra

	// Bin k fills x from slot(k) to slot(k)+1; a gap sets the missing and
	// other bins apart.
	gap := 0.0
	if apart > 0 && apart < n {
		gap = 0.6
	}
	slot := func(k int) float64 {
		if k >= n-apart {
			return float64(k) + gap
		}
		return float64(k)
	}
	span := float64(n) + gap
	lo, hi := 0, 0
	for _, b := range f.Bins {
		lo, hi = min(lo, b.Points), max(hi, b.Points)
	}
	// Headroom above and below for the value labels.
	yHi, yLo := 0.0, 0.0
	if hi > 0 {
		yHi = niceCeil(float64(hi) * 1.15)
	}
	if lo < 0 {
		yLo = -niceCeil(float64(-lo) * 1.15)
	}
	c.domain(0, span, yLo, yHi)
	var yt []float64 // points: whole ticks only
	for _, t := range niceTicks(c.y0, c.y1, 5) {
		if t == math.Trunc(t) {
			yt = append(yt, t)
		}
	}
	c.yAxis(yt, tickInt, "points")

	axisLabel := f.Name
	if f.Unit != "" {
		axisLabel += " (" + f.Unit + ")"
	}
	slotPx := c.px(1) - c.px(0)
	c.xAxis(nil, tickInt, axisLabel)
	if categorical {
		c.slotLabels(labels, slot, rotatedLabelGap, true)
	} else {
		// Cuts at the boundaries between interval bins, then the bins set apart.
		var at []float64
		var cuts []string
		for k := 1; k < n-apart; k++ {
			if u := f.Bins[order[k-1]].Upper; u != nil {
				at, cuts = append(at, float64(k)), append(cuts, cutLabel(*u))
			}
		}
		c.boundaryLabels(at, cuts)
		apartLabels := make([]string, n)
		for k := n - apart; k < n; k++ {
			apartLabels[k] = labels[k]
		}
		c.slotLabels(apartLabels, slot, labelGap, false)
	}
	if yLo < 0 {
		c.line(0, 0, span, 0, colorAxis, 1, "")
	}
	inset := 0.12
	if slotPx < 5 {
		inset = 0
	}
	for k, bi := range order {
		b := &f.Bins[bi]
		color := colorMain
		if k >= n-apart {
			color = colorGuide
		}
		x := slot(k)
		tip := fmt.Sprintf("%s: %d points", f.BinLabel(bi), b.Points)
		if b.Count > 0 {
			tip += fmt.Sprintf(", %d rows, bad rate %s", b.Count, pct(Float(b.BadRate)))
		}
		c.bar(x+inset, 0, x+1-inset, float64(b.Points), color, tip)
		if slotPx >= 20 {
			dy := -4.0
			if b.Points < 0 {
				dy = 14
			}
			c.label(x+0.5, float64(b.Points), 0, dy, strconv.Itoa(b.Points), "middle")
		}
	}
	return c.html()
}

// boundaryLabels writes labels[i] under the x axis at data position at[i],
// leaving out any that would crowd the one before.
func (c *chart) boundaryLabels(at []float64, labels []string) {
	base := c.h - c.bottom
	right := math.Inf(-1)
	for i, x := range at {
		px, w := c.px(x), textWidthPx(labels[i])
		if px-w/2 < right+labelGap {
			continue
		}
		right = px + w/2
		c.rawLine(px, base, px, base+5, colorAxis, 1, "")
		c.text(px, base+18, labels[i], "middle", "")
	}
}

// slotLabels writes labels[k] under the middle of slot k (skipping empty
// ones), turned 45° when turn is set, leaving out any closer than gap pixels
// to the one before.
func (c *chart) slotLabels(labels []string, slot func(int) float64, gap float64, turn bool) {
	base := c.h - c.bottom
	right := math.Inf(-1)
	for k, s := range labels {
		if s == "" {
			continue
		}
		px := c.px(slot(k) + 0.5)
		if !turn {
			w := textWidthPx(s)
			if px-w/2 < right+gap {
				continue
			}
			right = px + w/2
			c.text(px, base+18, s, "middle", "")
			continue
		}
		if px < right+gap {
			continue
		}
		right = px
		y := base + 14
		c.text(px+4, y, s, "end", fmt.Sprintf(`transform="rotate(-45 %s %s)"`, num(px+4), num(y)))
	}
}

// cutLabel prints a cut between two numeric bins as model.Feature.BinLabel
// prints a bound: the shortest decimal that reads back as the same number,
// without an exponent.
func cutLabel(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// pairChart draws the points table of p as a heat map: a row per bin of the
// first feature, top to bottom, a column per bin of the second, left to
// right, both in reading order (binOrder), each cell coloured from
// vermillion (the pair's fewest points) through white to blue (its most)
// and labelled with its points when it is large enough.
func pairChart(p *model.Pair) template.HTML {
	fa, fb := axisFeature(p, 0), axisFeature(p, 1)
	rows, _ := binOrder(fa)
	cols, _ := binOrder(fb)
	nr, nc := float64(len(rows)), float64(len(cols))
	cell := math.Floor(min(40, max(12, 384/max(nr, nc))))
	// Bin labels shrink with the cells, to 9 pixels.
	font := min(12, max(9, cell-2))
	scale := font / 12
	rowLabels, colLabels := make([]string, len(rows)), make([]string, len(cols))
	rowPx, colPx := 0.0, 0.0
	for i, r := range rows {
		rowLabels[i] = truncate(fa.BinLabel(r), 20)
		rowPx = max(rowPx, scale*textWidthPx(rowLabels[i]))
	}
	for j, col := range cols {
		colLabels[j] = truncate(fb.BinLabel(col), 20)
		colPx = max(colPx, scale*textWidthPx(colLabels[j]))
	}
	title := "Points per cell: " + truncate(p.Name(), 60)
	// Column labels hang down from the grid, turned 45° and to the left
	// when the columns are wide enough, upright when they are not; the
	// second feature's name goes below them.
	angle, drop, reach := -45.0, colPx*(math.Sqrt2/2), colPx*(math.Sqrt2/2)
	if cell < 18 {
		angle, drop, reach = -90, colPx, 0
	}
	left := max(30+rowPx+8, reach-cell/2+8)
	top, right := 40.0, 96.0
	under := 14 + drop + 24
	w := max(left+nc*cell+right, textWidthPx(title)*14/12+24)
	h := top + max(nr*cell+under, 8*14+12) // room for the legend
	c := newChart(w, h, title)
	// The grid's cells are square; the chart may be wider and taller.
	c.left, c.top = left, top
	c.right, c.bottom = w-left-nc*cell, h-top-nr*cell
	c.domain(0, nc, nr, 0)

	lo, hi := p.MinPoints(), p.MaxPoints()
	share := func(v int) float64 { // of the way from lo to hi
		if hi == lo {
			return 0.5
		}
		return float64(v-lo) / float64(hi-lo)
	}
	for i, r := range rows {
		for j, col := range cols {
			v := p.Points[r][col]
			fill, ink := heat(share(v))
			tip := fmt.Sprintf("%s; %s: %d points", p.Axes[0].Bins[r].Text, p.Axes[1].Bins[col].Text, v)
			if p.Axes[0].Bins[r].Text == "" || p.Axes[1].Bins[col].Text == "" {
				tip = fmt.Sprintf("%s: %s, %s: %s: %d points", p.Features[0], fa.BinLabel(r), p.Features[1], fb.BinLabel(col), v)
			}
			if p.Count != nil {
				tip += fmt.Sprintf(", %d rows", p.Count[r][col])
			}
			c.bar(float64(j), float64(i), float64(j+1), float64(i+1), fill, tip)
			if cell >= 22 {
				c.textFill(c.px(float64(j)+0.5), c.py(float64(i)+0.5)+4, strconv.Itoa(v), "middle", ink, `font-size="11"`)
			}
		}
	}
	size := fmt.Sprintf(`font-size="%s"`, num(font))
	for i := range rows {
		c.text(c.left-6, c.py(float64(i)+0.5)+font/3, rowLabels[i], "end", size)
	}
	base := c.py(nr)
	for j := range cols {
		x, y := c.px(float64(j)+0.5)+font/3, base+6
		if angle == -45 {
			y += 8
		}
		c.text(x, y, colLabels[j], "end", fmt.Sprintf(`%s transform="rotate(%s %s %s)"`, size, num(angle), num(x), num(y)))
	}
	mid := c.top + nr*cell/2
	c.text(14, mid, truncate(p.Features[0], 40), "middle", fmt.Sprintf(`transform="rotate(-90 14 %s)"`, num(mid)))
	c.text(c.left+nc*cell/2, base+under-8, truncate(p.Features[1], 60), "middle", "")

	// Legend: eight steps from the most points at the top to the fewest.
	lx := c.left + nc*cell + 16
	c.text(lx, c.top-6, "points", "start", "")
	const steps = 8
	for k := range steps {
		fill, _ := heat(1 - float64(k)/(steps-1))
		fmt.Fprintf(&c.b, `<rect x="%s" y="%s" width="14" height="14" fill="%s"/>`, num(lx), num(c.top+14*float64(k)), fill)
	}
	c.text(lx+20, c.top+11, strconv.Itoa(hi), "start", "")
	c.text(lx+20, c.top+14*(steps-1)+11, strconv.Itoa(lo), "start", "")
	return c.html()
}

// heat returns the fill at t (0–1) of a scale diverging from vermillion (0)
// through near-white to blue (1), Okabe & Ito's pair that stays apart for
// colour-blind readers, and the ink that reads on it.
func heat(t float64) (fill, ink string) {
	low, mid, high := [3]float64{0xd5, 0x5e, 0x00}, [3]float64{0xf7, 0xf7, 0xf7}, [3]float64{0x00, 0x72, 0xb2}
	from, to, s := low, mid, 2*t
	if t > 0.5 {
		from, to, s = mid, high, 2*t-1
	}
	var rgb [3]int
	for i := range rgb {
		rgb[i] = int(math.Round(from[i] + s*(to[i]-from[i])))
	}
	ink = colorAxis
	if math.Abs(t-0.5) > 0.3 {
		ink = "#ffffff"
	}
	return fmt.Sprintf("#%02x%02x%02x", rgb[0], rgb[1], rgb[2]), ink
}
