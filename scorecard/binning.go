package scorecard

import (
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/policy"
	"github.com/opencredit/opencredit/training"
)

// binned is a feature after binning: its bins with counts, WoE and IV, and the
// bin of every training row.
type binned struct {
	feature model.Feature
	rowBin  []int32
}

// woeColumn returns the WoE value of every training row.
func (b *binned) woeColumn() []float64 {
	out := make([]float64, len(b.rowBin))
	for i, k := range b.rowBin {
		out[i] = b.feature.Bins[k].WoE
	}
	return out
}

func (cfg *Config) limits(rows int) limits {
	return limits{
		minCount: math.Ceil(cfg.MinBinShare * float64(rows)),
		minGoods: float64(cfg.MinGoods),
		minBads:  float64(cfg.MinBads),
		maxBins:  cfg.MaxBins,
	}
}

// binColumn bins one candidate feature.
func binColumn(col *dataset.Column, y []float64, cfg *Config) (*binned, error) {
	spec := cfg.Spec.Features[col.Name]
	var b *binned
	var err error
	if col.Kind == dataset.Categorical {
		b, err = binCategorical(col, y, spec, cfg)
	} else {
		b, err = binNumeric(col, y, spec, cfg)
	}
	if err != nil {
		return nil, err
	}
	f := &b.feature
	f.Name = col.Name
	training.Describe(f, spec)
	finishBins(f, b.rowBin, y)
	return b, nil
}

// finishBins counts goods and bads per bin and sets bad rate, WoE and IV.
func finishBins(f *model.Feature, rowBin []int32, y []float64) {
	c := make([]counts, len(f.Bins))
	var G, B float64
	for i, k := range rowBin {
		if y[i] > 0.5 {
			c[k].bads++
			B++
		} else {
			c[k].goods++
			G++
		}
	}
	f.IV = 0
	for k := range f.Bins {
		bin := &f.Bins[k]
		bin.Goods, bin.Bads, bin.Count = int(c[k].goods), int(c[k].bads), int(c[k].n())
		if bin.Count > 0 {
			bin.BadRate = c[k].bads / c[k].n()
		}
		bin.WoE, bin.IV = training.WoE(c[k].goods, c[k].bads, G, B)
		f.IV += bin.IV
	}
}

// bestPartition runs the partition for the declared trend. Auto takes the
// better of ascending and descending by IV, unless a likelihood-ratio test
// rejects monotonicity at monotoneAlpha against the best unconstrained
// binning (G = D_monotone − D_free, χ² with as many degrees of freedom as
// extra bins; Agresti, "Categorical Data Analysis", 2013, §1.3.3): then the
// unconstrained binning. Credit data has such shapes (codes such as −2 "no
// use", −1 "paid in full", 0 "revolving" before months late), and forcing a
// trend on them throws away what they say; every bin's points still follow
// its own observed bad rate.
func bestPartition(pre []counts, G, B float64, lim limits, trend string) ([]int, string) {
	if trend == "" || trend == training.Auto {
		ba, iva, oka := partition(pre, G, B, lim, training.Ascending)
		bd, ivd, okd := partition(pre, G, B, lim, training.Descending)
		var mono []int
		var monoTrend string
		switch {
		case oka && (!okd || iva >= ivd):
			mono, monoTrend = ba, training.Ascending
		case okd:
			mono, monoTrend = bd, training.Descending
		default:
			return []int{0, len(pre)}, training.None
		}
		// Monotone unless the data reject it: a likelihood-ratio test of the
		// best unconstrained binning against the best monotone one.
		bn, _, okn := partition(pre, G, B, lim, training.None)
		if okn && len(bn) > len(mono) {
			lr := deviance(pre, mono) - deviance(pre, bn)
			df := float64(len(bn) - len(mono))
			if lr > (distuv.ChiSquared{K: df}).Quantile(1-monotoneAlpha) {
				return bn, training.None
			}
		}
		return mono, monoTrend
	}
	bounds, _, ok := partition(pre, G, B, lim, trend)
	if !ok {
		return []int{0, len(pre)}, trend
	}
	return bounds, trend
}

// monotoneAlpha is the significance level at which auto gives up a monotone
// trend: a shape the data demand this strongly is real, not noise.
const monotoneAlpha = 0.001

// deviance is −2 log-likelihood of the bad rates of the bins given by bounds.
func deviance(pre []counts, bounds []int) float64 {
	var d float64
	for s := 0; s+1 < len(bounds); s++ {
		var c counts
		for _, p := range pre[bounds[s]:bounds[s+1]] {
			c = c.add(p)
		}
		if c.goods > 0 {
			d -= 2 * c.goods * math.Log(c.goods/c.n())
		}
		if c.bads > 0 {
			d -= 2 * c.bads * math.Log(c.bads/c.n())
		}
	}
	return d
}

func totals(y []float64) (G, B float64) {
	for _, v := range y {
		if v > 0.5 {
			B++
		} else {
			G++
		}
	}
	return G, B
}

// binNumeric cuts a numeric feature: fixed cuts from the spec, or quantile
// pre-bins merged by the optimal partition. Bins are [lower, upper); the
// missing bin comes last.
func binNumeric(col *dataset.Column, y []float64, spec training.FeatureSpec, cfg *Config) (*binned, error) {
	n := len(y)
	order := make([]int32, 0, n)
	for i := 0; i < n; i++ {
		if !col.Miss[i] {
			order = append(order, int32(i))
		}
	}
	sort.Slice(order, func(a, b int) bool { return col.Num[order[a]] < col.Num[order[b]] })
	trend := spec.Trend
	var cuts []float64
	if spec.Cuts != nil {
		cuts = spec.Cuts
		trend = training.None
	} else if len(order) > 0 {
		pre := prebinCuts(col.Num, order, cfg.MaxPrebins)
		if slices.Contains(cfg.AgeColumns, col.Name) {
			pre = policy.WithAgeCut(pre)
		}
		// Counts per pre-bin.
		pc := make([]counts, len(pre)+1)
		k := 0
		for _, i := range order {
			for k < len(pre) && col.Num[i] >= pre[k] {
				k++
			}
			if y[i] > 0.5 {
				pc[k].bads++
			} else {
				pc[k].goods++
			}
		}
		G, B := totals(y)
		var bounds []int
		bounds, trend = bestPartition(pc, G, B, cfg.limits(n), trend)
		for _, s := range bounds[1 : len(bounds)-1] {
			cuts = append(cuts, pre[s-1])
		}
	}
	f := model.Feature{Kind: model.Numeric, Trend: trend, Integer: col.Integer}
	for k := 0; k <= len(cuts); k++ {
		var bin model.Bin
		if k > 0 {
			bin.Lower = ptr(cuts[k-1])
		}
		if k < len(cuts) {
			bin.Upper = ptr(cuts[k])
		}
		f.Bins = append(f.Bins, bin)
	}
	f.Bins = append(f.Bins, model.Bin{Missing: true})
	missing := int32(len(f.Bins) - 1)
	rowBin := make([]int32, n)
	for i := 0; i < n; i++ {
		if col.Miss[i] {
			rowBin[i] = missing
			continue
		}
		rowBin[i] = int32(sort.Search(len(cuts), func(k int) bool { return col.Num[i] < cuts[k] }))
	}
	return &binned{feature: f, rowBin: rowBin}, nil
}

// prebinCuts returns up to p−1 cut points at the quantiles of the sorted
// values; a feature with at most p distinct values gets a cut at each value.
// A cut c splits x < c from x ≥ c, so ties never straddle a cut.
func prebinCuts(x []float64, order []int32, p int) []float64 {
	var distinct []float64
	for k, i := range order {
		if k == 0 || x[i] != x[order[k-1]] {
			distinct = append(distinct, x[i])
			if len(distinct) > p {
				break
			}
		}
	}
	if len(distinct) <= p {
		cuts := make([]float64, 0, len(distinct)-1)
		for k := 1; k < len(distinct); k++ {
			cuts = append(cuts, training.NiceCut(distinct[k-1], distinct[k]))
		}
		return cuts
	}
	var cuts []float64
	n := len(order)
	for q := 1; q < p; q++ {
		k := q * n / p
		c := x[order[k]]
		if c <= x[order[0]] || (len(cuts) > 0 && c <= cuts[len(cuts)-1]) {
			continue
		}
		for k > 0 && x[order[k-1]] == c {
			k--
		}
		if nc := training.NiceCut(x[order[k-1]], c); len(cuts) == 0 || nc > cuts[len(cuts)-1] {
			cuts = append(cuts, nc)
		}
	}
	return cuts
}

// binCategorical groups categories: those rarer than RareShare are pooled as
// "other", the rest are ordered by bad rate and the optimal partition merges
// neighbours under an ascending trend (which the ordering makes natural).
func binCategorical(col *dataset.Column, y []float64, spec training.FeatureSpec, cfg *Config) (*binned, error) {
	if spec.Cuts != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "feature %q is categorical; cut points apply to numeric features only", col.Name)
	}
	n := len(y)
	type cat struct {
		name string
		c    counts
	}
	byName := map[string]*cat{}
	var cats []*cat
	for i := 0; i < n; i++ {
		if col.Miss[i] {
			continue
		}
		c := byName[col.Str[i]]
		if c == nil {
			c = &cat{name: col.Str[i]}
			byName[col.Str[i]] = c
			cats = append(cats, c)
		}
		if y[i] > 0.5 {
			c.c.bads++
		} else {
			c.c.goods++
		}
	}
	rare := math.Ceil(cfg.RareShare * float64(n))
	// Pre-bins: common categories, then one pooled "other" pre-bin.
	type prebin struct {
		cats  []string
		other bool
		c     counts
	}
	var pre []prebin
	other := prebin{other: true}
	sort.Slice(cats, func(a, b int) bool { return cats[a].name < cats[b].name })
	for _, c := range cats {
		if c.c.n() < rare {
			other.cats = append(other.cats, c.name)
			other.c = other.c.add(c.c)
			continue
		}
		pre = append(pre, prebin{cats: []string{c.name}, c: c.c})
	}
	if len(other.cats) > 0 {
		pre = append(pre, other)
	}
	rate := func(p prebin) float64 { return (p.c.bads + 0.5) / (p.c.n() + 1) }
	sort.SliceStable(pre, func(a, b int) bool { return rate(pre[a]) < rate(pre[b]) })
	// Too many pre-bins make the partition slow and noisy: pool the smallest.
	for len(pre) > cfg.MaxPrebins*2 {
		small := 0
		for k := range pre {
			if !pre[k].other && (pre[small].other || pre[k].c.n() < pre[small].c.n()) {
				small = k
			}
		}
		oi := -1
		for k := range pre {
			if pre[k].other {
				oi = k
			}
		}
		if oi < 0 {
			pre = append(pre, prebin{other: true})
			oi = len(pre) - 1
		}
		pre[oi].cats = append(pre[oi].cats, pre[small].cats...)
		pre[oi].c = pre[oi].c.add(pre[small].c)
		pre = append(pre[:small], pre[small+1:]...)
		sort.SliceStable(pre, func(a, b int) bool { return rate(pre[a]) < rate(pre[b]) })
	}
	pc := make([]counts, len(pre))
	for k, p := range pre {
		pc[k] = p.c
	}
	G, B := totals(y)
	trend := training.Ascending
	if spec.Trend == training.None {
		trend = training.None
	}
	bounds := []int{0, len(pre)}
	if len(pre) > 0 {
		// Categories are ordered by bad rate, so the trend is ascending by
		// construction; the one bestPartition reports adds nothing.
		bounds, _ = bestPartition(pc, G, B, cfg.limits(n), trend)
	}
	f := model.Feature{Kind: model.Categorical, Trend: "by bad rate"}
	binOf := map[string]int32{}
	for s := 0; s+1 < len(bounds); s++ {
		var bin model.Bin
		for _, p := range pre[bounds[s]:bounds[s+1]] {
			bin.Other = bin.Other || p.other
			for _, c := range p.cats {
				bin.Categories = append(bin.Categories, c)
				binOf[c] = int32(len(f.Bins))
			}
		}
		sort.Strings(bin.Categories)
		f.Bins = append(f.Bins, bin)
	}
	f.Bins = append(f.Bins, model.Bin{Missing: true})
	missing := int32(len(f.Bins) - 1)
	rowBin := make([]int32, n)
	for i := 0; i < n; i++ {
		if col.Miss[i] {
			rowBin[i] = missing
		} else {
			rowBin[i] = binOf[col.Str[i]]
		}
	}
	return &binned{feature: f, rowBin: rowBin}, nil
}

func ptr(x float64) *float64 { return &x }
