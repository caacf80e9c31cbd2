package scorecard

import "math"

// counts is the goods and bads in a bin.
type counts struct{ goods, bads float64 }

func (c counts) n() float64 { return c.goods + c.bads }

func (c counts) add(d counts) counts { return counts{c.goods + d.goods, c.bads + d.bads} }

// woe returns the weight of evidence and the IV contribution of a bin with c
// goods and bads, out of G goods and B bads in total. An empty bin has WoE 0.
func woe(c counts, G, B float64) (w, iv float64) {
	if c.n() == 0 {
		return 0, 0
	}
	g, b := c.goods, c.bads
	if g == 0 || b == 0 {
		g, b = g+0.5, b+0.5
	}
	pg, pb := g/G, b/B
	w = math.Log(pg / pb)
	return w, (pg - pb) * w
}
