package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/opencredit/opencredit"
)

// The charts are inline SVG drawn on the server: no script, no image
// request, and text a screen reader reaches through each chart's title
// and description (WAI-ARIA graphics: role="img" with aria-labelledby).
// Every string that goes into them is escaped here; the numbers are
// formatted by this file.

// palette are the band colours, worst first, each at least 4.5:1 against
// white (TestColourContrast), so that a band's name in its colour reads as
// text, well above the 3:1 graphics need (WCAG 2.2, 1.4.3 and 1.4.11). The
// stylesheet's .band-0 … .band-4 are the same colours.
var palette = []string{"#b42318", "#b54708", "#7a5c00", "#2f6f1d", "#05603a"}

// defaultBandIndex places the brief's bands on the palette; bands of other
// names are placed by position.
var defaultBandIndex = map[string]int{"poor": 0, "fair": 1, "good": 2, "very good": 3, "excellent": 4}

// bandIndex is the palette index of band i of bands.
func bandIndex(bands []opencredit.Band, i int) int {
	if k, ok := defaultBandIndex[bands[i].Name]; ok {
		return k
	}
	if len(bands) <= 1 {
		return len(palette) - 1
	}
	return i * (len(palette) - 1) / (len(bands) - 1)
}

// bandColour is the colour of band i of bands.
func bandColour(bands []opencredit.Band, i int) string { return palette[bandIndex(bands, i)] }

// bandClass is the stylesheet class of the band named name.
func bandClass(bands []opencredit.Band, name string) string {
	for i, b := range bands {
		if b.Name == name {
			return fmt.Sprintf("band-%d", bandIndex(bands, i))
		}
	}
	return ""
}

// colourOfBand is the colour of the band named name.
func colourOfBand(bands []opencredit.Band, name string) string {
	for i, b := range bands {
		if b.Name == name {
			return bandColour(bands, i)
		}
	}
	return "#101828"
}

func esc(s string) string { return template.HTMLEscapeString(s) }

func f1(x float64) string { return fmt.Sprintf("%.1f", x) }

// dialSVG draws the score on a half-circle of the scale, each band's arc
// in its colour, a marker at the score, and the score and band in words.
func dialSVG(score int, band string, lo, hi int, bands []opencredit.Band, title, desc string) template.HTML {
	const cx, cy, r = 150.0, 150.0, 120.0
	at := func(s int) (float64, float64) {
		f := float64(min(max(s, lo), hi)-lo) / float64(hi-lo)
		a := math.Pi * (1 - f)
		return cx + r*math.Cos(a), cy - r*math.Sin(a)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="dial" viewBox="0 0 300 185" role="img" aria-labelledby="dial-title dial-desc" focusable="false">`)
	fmt.Fprintf(&b, `<title id="dial-title">%s</title><desc id="dial-desc">%s</desc>`, esc(title), esc(desc))
	for i, bd := range bands {
		from := max(bd.Min, lo)
		to := hi
		if i+1 < len(bands) {
			to = min(bands[i+1].Min, hi)
		}
		if to <= from {
			continue
		}
		x1, y1 := at(from)
		x2, y2 := at(to)
		fmt.Fprintf(&b, `<path d="M%s %s A%s %s 0 0 1 %s %s" fill="none" stroke="%s" stroke-width="22"/>`,
			f1(x1), f1(y1), f1(r), f1(r), f1(x2), f1(y2), bandColour(bands, i))
	}
	mx, my := at(score)
	fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="15" fill="#ffffff" stroke="#101828" stroke-width="5"/>`, f1(mx), f1(my))
	fmt.Fprintf(&b, `<text x="150" y="128" text-anchor="middle" class="dial-score" fill="#101828">%d</text>`, score)
	fmt.Fprintf(&b, `<text x="150" y="160" text-anchor="middle" class="dial-band" fill="%s">%s</text>`, colourOfBand(bands, band), esc(band))
	fmt.Fprintf(&b, `<text x="30" y="182" text-anchor="middle" class="dial-end" fill="#344054">%d</text>`, lo)
	fmt.Fprintf(&b, `<text x="270" y="182" text-anchor="middle" class="dial-end" fill="#344054">%d</text>`, hi)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// radarPoint is one axis of a radar chart: a label and a value 0–100.
type radarPoint struct {
	Label string
	Value float64
}

// radarSVG draws the sub-scores on one axis each, with rings at 25, 50,
// 75 and 100, and each axis's short name and value at its end.
func radarSVG(pts []radarPoint, title, desc string) template.HTML {
	const cx, cy, r = 200.0, 172.0, 100.0
	n := len(pts)
	angle := func(k int) float64 { return -math.Pi/2 + 2*math.Pi*float64(k)/float64(n) }
	at := func(k int, v float64) (float64, float64) {
		return cx + r*v/100*math.Cos(angle(k)), cy + r*v/100*math.Sin(angle(k))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="radar" viewBox="0 0 400 310" role="img" aria-labelledby="radar-title radar-desc" focusable="false">`)
	fmt.Fprintf(&b, `<title id="radar-title">%s</title><desc id="radar-desc">%s</desc>`, esc(title), esc(desc))
	for _, ring := range []float64{25, 50, 75, 100} {
		var ps []string
		for k := range n {
			x, y := at(k, ring)
			ps = append(ps, f1(x)+","+f1(y))
		}
		fmt.Fprintf(&b, `<polygon points="%s" fill="none" stroke="#d0d5dd" stroke-width="1"/>`, strings.Join(ps, " "))
	}
	var ps []string
	for k, p := range pts {
		x, y := at(k, 100)
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#d0d5dd" stroke-width="1"/>`, f1(cx), f1(cy), f1(x), f1(y))
		vx, vy := at(k, max(p.Value, 2))
		ps = append(ps, f1(vx)+","+f1(vy))
	}
	fmt.Fprintf(&b, `<polygon points="%s" fill="#1570ef" fill-opacity="0.18" stroke="#175cd3" stroke-width="3"/>`, strings.Join(ps, " "))
	for k, p := range pts {
		vx, vy := at(k, max(p.Value, 2))
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="5" fill="#175cd3"/>`, f1(vx), f1(vy))
		lx, ly := at(k, 114)
		anchor := "middle"
		switch {
		case lx > cx+10:
			anchor = "start"
		case lx < cx-10:
			anchor = "end"
		}
		switch {
		case ly < cy-r+1: // the top axis: both lines above its end
			ly -= 26
		case ly > cy:
			ly += 14
		default:
			ly -= 4
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="%s" class="radar-label" fill="#101828">%s<tspan x="%s" dy="22" class="radar-value">%d</tspan></text>`,
			f1(lx), f1(ly), anchor, esc(p.Label), f1(lx), int(math.Round(p.Value)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// linePoint is one point of a line chart.
type linePoint struct {
	Label string // the x axis's label, such as "Mar 2026"
	Value int
}

// lineSVG draws a score over time, with a light grid every 50 points
// between the lowest and the highest point's ranges.
func lineSVG(pts []linePoint, lo, hi int, title, desc string) template.HTML {
	const left, right, top, bottom = 46.0, 388.0, 14.0, 206.0
	minV, maxV := hi, lo
	for _, p := range pts {
		minV, maxV = min(minV, p.Value), max(maxV, p.Value)
	}
	yLo := max(lo, (minV-25)/50*50)
	yHi := min(hi, (maxV+74)/50*50)
	if yHi <= yLo {
		yLo, yHi = lo, hi
	}
	y := func(v int) float64 {
		return bottom - (bottom-top)*float64(v-yLo)/float64(yHi-yLo)
	}
	x := func(k int) float64 {
		if len(pts) == 1 {
			return (left + right) / 2
		}
		return left + (right-left)*float64(k)/float64(len(pts)-1)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="line" viewBox="0 0 400 250" role="img" aria-labelledby="line-title line-desc" focusable="false">`)
	fmt.Fprintf(&b, `<title id="line-title">%s</title><desc id="line-desc">%s</desc>`, esc(title), esc(desc))
	for v := yLo; v <= yHi; v += 50 {
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#eaecf0" stroke-width="1"/>`, f1(left), f1(y(v)), f1(right), f1(y(v)))
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" class="axis" fill="#475467">%d</text>`, f1(left-8), f1(y(v)+5), v)
	}
	var ps []string
	for k, p := range pts {
		ps = append(ps, f1(x(k))+","+f1(y(p.Value)))
	}
	fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="#175cd3" stroke-width="3.5" stroke-linejoin="round"/>`, strings.Join(ps, " "))
	for k, p := range pts {
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="5" fill="#175cd3"/>`, f1(x(k)), f1(y(p.Value)))
		if k == 0 || k == len(pts)-1 {
			anchor := "middle"
			if k == 0 && len(pts) > 1 {
				anchor = "start"
			} else if k == len(pts)-1 && len(pts) > 1 {
				anchor = "end"
			}
			fmt.Fprintf(&b, `<text x="%s" y="240" text-anchor="%s" class="axis" fill="#475467">%s</text>`, f1(x(k)), anchor, esc(p.Label))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
