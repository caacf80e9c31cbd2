package training

import "math"

// WoE returns the weight of evidence of a bin with goods and bads, out of
// totalGoods and totalBads in all, and the bin's part of the information
// value: WoE = ln((g/G)/(b/B)) and IV = (g/G − b/B)·WoE (Siddiqi, "Credit
// Risk Scorecards", 2006, ch. 6). A bin with no goods or no bads gets 0.5
// added to both counts first; an empty bin has WoE and IV 0. The counts are
// whole numbers, float64 because both trainers sum them as such.
func WoE(goods, bads, totalGoods, totalBads float64) (woe, iv float64) {
	if goods+bads == 0 {
		return 0, 0
	}
	g, b := goods, bads
	if g == 0 || b == 0 {
		g, b = g+0.5, b+0.5
	}
	pg, pb := g/totalGoods, b/totalBads
	woe = math.Log(pg / pb)
	return woe, (pg - pb) * woe
}
