package report

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// The size of every chart, in pixels; a chart with one row per bin grows
// taller instead.
const (
	chartW = 480
	chartH = 320
)

// Colours from Okabe & Ito's palette, which stays distinct for colour-blind
// readers.
const (
	colorBad   = "#d55e00" // vermillion
	colorGood  = "#0072b2" // blue
	colorMain  = "#0072b2"
	colorGuide = "#888888"
	colorAxis  = "#333333"
	colorGrid  = "#e6e6e6"
)

// chart draws one SVG plot by hand: a plot area inside margins, linear
// scales from data to pixels, axes with ticks, and marks. Every piece of
// text goes through esc, so data (feature names, categories) cannot break
// the markup.
type chart struct {
	w, h                     float64
	left, right, top, bottom float64 // margins around the plot area
	x0, x1, y0, y1           float64 // data at the left, right, bottom and top edges
	b                        strings.Builder
	placed                   []box // labels placed by pointLabel
}

// box is a rectangle in pixels.
type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlaps(b box) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

// newChart starts a w × h chart with title drawn above the plot area and
// given as the accessible name.
func newChart(w, h float64, title string) *chart {
	c := &chart{w: w, h: h, left: 60, right: 16, top: 34, bottom: 46, x0: 0, x1: 1, y0: 0, y1: 1}
	fmt.Fprintf(&c.b, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" role="img" font-family="sans-serif" font-size="12">`,
		num(w), num(h), num(w), num(h))
	c.b.WriteString("<title>" + esc(title) + "</title>")
	c.text(w/2, 20, title, "middle", `font-size="14" font-weight="bold"`)
	return c
}

// domain sets the data shown: x from x0 at the left to x1 at the right, y
// from y0 at the bottom to y1 at the top.
func (c *chart) domain(x0, x1, y0, y1 float64) {
	if x1 == x0 {
		x1 = x0 + 1
	}
	if y1 == y0 {
		y1 = y0 + 1
	}
	c.x0, c.x1, c.y0, c.y1 = x0, x1, y0, y1
}

// px and py turn data coordinates into pixels.
func (c *chart) px(x float64) float64 {
	return c.left + (x-c.x0)/(c.x1-c.x0)*(c.w-c.left-c.right)
}

func (c *chart) py(y float64) float64 {
	return c.h - c.bottom - (y-c.y0)/(c.y1-c.y0)*(c.h-c.top-c.bottom)
}

// xAxis draws the bottom axis with grid lines and labelled ticks, and the
// axis label below.
func (c *chart) xAxis(ticks []float64, format func(float64) string, label string) {
	base := c.h - c.bottom
	for _, t := range ticks {
		x := c.px(t)
		c.rawLine(x, c.top, x, base, colorGrid, 1, "")
		c.rawLine(x, base, x, base+5, colorAxis, 1, "")
		c.text(x, base+18, format(t), "middle", "")
	}
	c.rawLine(c.left, base, c.w-c.right, base, colorAxis, 1, "")
	c.text(c.left+(c.w-c.left-c.right)/2, c.h-8, label, "middle", "")
}

// yAxis draws the left axis with grid lines and labelled ticks, and the
// axis label turned upright.
func (c *chart) yAxis(ticks []float64, format func(float64) string, label string) {
	for _, t := range ticks {
		y := c.py(t)
		c.rawLine(c.left, y, c.w-c.right, y, colorGrid, 1, "")
		c.rawLine(c.left-5, y, c.left, y, colorAxis, 1, "")
		c.text(c.left-8, y+4, format(t), "end", "")
	}
	c.rawLine(c.left, c.top, c.left, c.h-c.bottom, colorAxis, 1, "")
	mid := c.top + (c.h-c.top-c.bottom)/2
	c.text(14, mid, label, "middle", fmt.Sprintf(`transform="rotate(-90 14 %s)"`, num(mid)))
}

// polyline joins the data points (xs[i], ys[i]).
func (c *chart) polyline(xs, ys []float64, color string, width float64, dash string) {
	var pts []string
	for i := range xs {
		pts = append(pts, num(c.px(xs[i]))+","+num(c.py(ys[i])))
	}
	fmt.Fprintf(&c.b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="%s"%s/>`,
		strings.Join(pts, " "), color, num(width), dashAttr(dash))
}

// line draws a segment between two data points.
func (c *chart) line(x0, y0, x1, y1 float64, color string, width float64, dash string) {
	c.rawLine(c.px(x0), c.py(y0), c.px(x1), c.py(y1), color, width, dash)
}

// rawLine draws a segment between two pixel positions.
func (c *chart) rawLine(x0, y0, x1, y1 float64, color string, width float64, dash string) {
	fmt.Fprintf(&c.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>`,
		num(x0), num(y0), num(x1), num(y1), color, num(width), dashAttr(dash))
}

// bar fills the data rectangle spanned by (x0, y0) and (x1, y1), with tip
// shown on hover.
func (c *chart) bar(x0, y0, x1, y1 float64, color, tip string) {
	px0, px1 := c.px(x0), c.px(x1)
	py0, py1 := c.py(y0), c.py(y1)
	fmt.Fprintf(&c.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s">`,
		num(math.Min(px0, px1)), num(math.Min(py0, py1)), num(math.Abs(px1-px0)), num(math.Abs(py1-py0)), color)
	c.b.WriteString("<title>" + esc(tip) + "</title></rect>")
}

// point marks a data point with a dot, with tip shown on hover.
func (c *chart) point(x, y float64, color, tip string) {
	fmt.Fprintf(&c.b, `<circle cx="%s" cy="%s" r="4.5" fill="%s">`, num(c.px(x)), num(c.py(y)), color)
	c.b.WriteString("<title>" + esc(tip) + "</title></circle>")
}

// label writes s at a data point, shifted by (dx, dy) pixels.
func (c *chart) label(x, y, dx, dy float64, s, anchor string) {
	c.text(c.px(x)+dx, c.py(y)+dy, s, anchor, "")
}

// pointLabel writes s next to the data point (x, y): to its right, left,
// above or below, on the first side where it stays inside the chart and
// overlaps no label placed before.
func (c *chart) pointLabel(x, y float64, s string) {
	px, py := c.px(x), c.py(y)
	w := textWidthPx(s)
	sides := []struct {
		dx, dy float64
		anchor string
		left   float64 // box's left edge relative to px+dx
	}{{8, 4, "start", 0}, {-8, 4, "end", -w}, {0, -9, "middle", -w / 2}, {0, 18, "middle", -w / 2}}
	pick := 0
	for i, sd := range sides {
		b := box{px + sd.dx + sd.left, py + sd.dy - 11, px + sd.dx + sd.left + w, py + sd.dy + 3}
		if b.x0 < 0 || b.x1 > c.w || b.y0 < c.top || b.y1 > c.h-c.bottom {
			continue
		}
		clear := true
		for _, p := range c.placed {
			clear = clear && !b.overlaps(p)
		}
		if clear {
			pick = i
			break
		}
	}
	sd := sides[pick]
	c.placed = append(c.placed, box{px + sd.dx + sd.left, py + sd.dy - 11, px + sd.dx + sd.left + w, py + sd.dy + 3})
	c.text(px+sd.dx, py+sd.dy, s, sd.anchor, "")
}

// textWidthPx estimates the width of s at the charts' 12-pixel sans-serif.
func textWidthPx(s string) float64 { return 6.8 * float64(len([]rune(s))) }

// text writes s at a pixel position; attrs are extra SVG attributes.
func (c *chart) text(x, y float64, s, anchor, attrs string) {
	c.textFill(x, y, s, anchor, colorAxis, attrs)
}

// textFill writes s at a pixel position in color.
func (c *chart) textFill(x, y float64, s, anchor, color, attrs string) {
	if attrs != "" {
		attrs = " " + attrs
	}
	fmt.Fprintf(&c.b, `<text x="%s" y="%s" text-anchor="%s" fill="%s"%s>%s</text>`,
		num(x), num(y), anchor, color, attrs, esc(s))
}

// legendItem is one entry of a legend: a swatch of color and its meaning.
type legendItem struct {
	color, text, dash string
}

// legend lists items in a box in a corner of the plot area: "top-left",
// "top-right" or "bottom-right".
func (c *chart) legend(corner string, items ...legendItem) {
	w := 0.0
	for _, it := range items {
		w = max(w, 40+textWidthPx(it.text))
	}
	h := 8 + 18*float64(len(items))
	x, y := c.left+10, c.top+8
	switch corner {
	case "top-right":
		x = c.w - c.right - 10 - w
	case "bottom-right":
		x, y = c.w-c.right-10-w, c.h-c.bottom-8-h
	}
	fmt.Fprintf(&c.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="#ffffff" fill-opacity="0.9" stroke="%s"/>`,
		num(x), num(y), num(w), num(h), colorGrid)
	for i, it := range items {
		ly := y + 16 + 18*float64(i)
		c.rawLine(x+8, ly-4, x+26, ly-4, it.color, 3, it.dash)
		c.text(x+32, ly, it.text, "start", "")
	}
}

// html closes the chart and returns its markup.
func (c *chart) html() template.HTML {
	c.b.WriteString("</svg>")
	// Every piece of text was escaped by esc and every number formatted by
	// num, so the markup is safe to embed as it is.
	return template.HTML(c.b.String())
}

// niceTicks returns about n round tick values (multiples of 1, 2, 2.5 or 5
// times a power of ten) between lo and hi.
func niceTicks(lo, hi float64, n int) []float64 {
	if !(hi > lo) || n < 1 {
		return []float64{lo}
	}
	span := hi - lo
	mag := math.Pow(10, math.Floor(math.Log10(span/float64(n))))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		step = m * mag
		if span/step <= float64(n) {
			break
		}
	}
	var ticks []float64
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+1e-9*step; k++ {
		// Round away the binary noise of k·step (0.30000000000000004).
		v := math.Round(k*step/mag*1e6) / 1e6 * mag
		if v == 0 {
			v = 0 // not −0, which would print as "-0"
		}
		ticks = append(ticks, v)
	}
	return ticks
}

// niceCeil rounds x up to a round number for the top of an axis.
func niceCeil(x float64) float64 {
	if !(x > 0) {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*mag >= x {
			return m * mag
		}
	}
	return 10 * mag
}

// esc escapes text for SVG (XML) character data and attribute values.
func esc(s string) string {
	return svgEscaper.Replace(s)
}

var svgEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// num formats a pixel coordinate with at most one decimal.
func num(x float64) string {
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}

func dashAttr(dash string) string {
	if dash == "" {
		return ""
	}
	return ` stroke-dasharray="` + dash + `"`
}

// Tick formats.

func tickShare(x float64) string {
	return strconv.FormatFloat(math.Round(100*x*1e6)/1e6, 'f', -1, 64) + "%"
}
func tickInt(x float64) string { return strconv.FormatFloat(x, 'f', 0, 64) }
func tickNum(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
