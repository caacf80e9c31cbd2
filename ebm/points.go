package ebm

import (
	"cmp"
	"math"
	"slices"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/policy"
	"github.com/opencredit/opencredit/training"
)

// build turns the averaged shapes into the model's features, points and base
// points, and returns every training row's log-odds of default under the
// finished model.
//
// Points use the scorecard's scaling (package model): with factor = PDO/ln 2,
// feature j in fine bin i earns
//
//	raw_ij    = −factor · logit_ij
//	points_ij ≈ raw_ij − min_i raw_ij, rounded (roundPoints)
//	base      = round(offset − factor · intercept + Σ_j min_i raw_ij)
//
// Neighbouring fine bins that earn the same points are then merged (any
// bins of equal points, for categories), the merged bin's logit being the
// row-weighted mean of its parts: the points table shows where the points
// change rather than 255 rows per feature, every score is unchanged, and a
// log-odds moves by less than a point's worth (1/factor). A feature
// whose bins all earn the same points is dropped: it can neither cost nor
// earn a point.
func build(m *model.Model, p *problem, shapes [][]float64, pairs []*pairTerm, tables [][]float64, intercept float64, cfg *Config) ([]float64, []int, error) {
	factor := cfg.Scaling.Factor()
	base := cfg.Scaling.Offset() - factor*intercept
	rowLogit := filled(len(p.y), intercept)
	rowPoints := make([]int, len(p.y))
	inPair := map[int]bool{}
	for _, t := range pairs {
		inPair[t.a], inPair[t.b] = true, true
	}
	// Every term's exact points above its least, rounded together
	// (roundPoints).
	terms := make([]*roundTerm, 0, len(p.feats)+len(pairs))
	lows := make([]float64, 0, cap(terms))
	addTerm := func(logits []float64, codes []uint16) *roundTerm {
		low := math.Inf(1)
		for _, l := range logits {
			low = min(low, -factor*l)
		}
		t := &roundTerm{exact: make([]float64, len(logits)), codes: codes}
		for k, l := range logits {
			t.exact[k] = -factor*l - low
		}
		terms, lows = append(terms, t), append(lows, low)
		return t
	}
	for j, f := range p.feats {
		t := addTerm(shapes[j], f.codes)
		t.fixed = slices.Contains(cfg.AgeColumns, f.feature.Name)
		if f.ordered() {
			t.adj = lineAdj(f.missing())
		}
	}
	for k, pt := range pairs {
		t := addTerm(tables[k], pt.codes)
		t.adj = gridAdj(pt.x.n, pt.y.n, p.feats[pt.a].ordered(), p.feats[pt.b].ordered())
	}
	roundPoints(terms, len(p.y))

	for j, f := range p.feats {
		minRaw, points := lows[j], terms[j].points
		feat, group := merge(f, shapes[j], points)
		if !inPair[j] && slices.MinFunc(feat.Bins, byPoints).Points == slices.MaxFunc(feat.Bins, byPoints).Points {
			m.Dropped = append(m.Dropped, model.Dropped{Feature: f.feature.Name, Reason: "every bin earns the same points"})
			continue
		}
		base += minRaw
		spec := cfg.Spec.Features[f.feature.Name]
		training.Describe(&feat, spec)
		switch {
		case feat.Kind == model.Categorical:
		case f.trend != "":
			feat.Trend = f.trend
		default:
			feat.Trend = training.None
		}
		binStats(&feat, f.codes, group, p.y)
		feat.DescribeBins()
		for i, c := range f.codes {
			rowLogit[i] += feat.Bins[group[c]].Logit
			rowPoints[i] += feat.Bins[group[c]].Points
		}
		if slices.Contains(cfg.AgeColumns, feat.Name) {
			if err := policy.CheckAge(&feat); err != nil {
				return nil, nil, err
			}
		}
		m.Features = append(m.Features, feat)
		if feat.Dimension == "" {
			m.Unassigned = append(m.Unassigned, feat.Name)
		}
	}
	if len(m.Features) == 0 {
		return nil, nil, opencredit.Errorf(opencredit.EINVALID, "ebm: no feature changes anyone's points: every bin of every feature earns the same")
	}
	for k, t := range pairs {
		pair := buildPair(m, p, t, tables[k], terms[len(p.feats)+k].points)
		minRaw := lows[len(p.feats)+k]
		if pair.MinPoints() == pair.MaxPoints() {
			m.Dropped = append(m.Dropped, model.Dropped{Feature: pair.Name(), Reason: "every cell of the pair earns the same points"})
			continue
		}
		base += minRaw
		for i, c := range t.codes {
			rowLogit[i] += tables[k][c]
			rowPoints[i] += pair.Points[int(c)/t.y.n][int(c)%t.y.n]
		}
		m.Pairs = append(m.Pairs, pair)
	}
	m.Intercept = intercept
	m.BasePoints = int(math.Round(base))
	for i := range rowPoints {
		rowPoints[i] = min(max(rowPoints[i]+m.BasePoints, m.Scaling.Min), m.Scaling.Max)
	}
	return rowLogit, rowPoints, nil
}

// buildPair turns a pair's averaged table and the points of its cells,
// scaled and rounded as the main effects' are, into a model.Pair. The
// pair's dimension is its features' if they share one, else the first
// feature's (the earlier in the file); its reason code joins theirs with
// "_X_".
func buildPair(m *model.Model, p *problem, t *pairTerm, table []float64, points []int) model.Pair {
	fa, fb := &m.Features[featureIndex(m, p.feats[t.a].feature.Name)], &m.Features[featureIndex(m, p.feats[t.b].feature.Name)]
	pair := model.Pair{
		Features:   [2]string{fa.Name, fb.Name},
		Dimension:  cmp.Or(fa.Dimension, fb.Dimension),
		Label:      cmp.Or(fa.Label, fa.Name) + " with " + cmp.Or(fb.Label, fb.Name),
		ReasonCode: fa.ReasonCode + "_X_" + fb.ReasonCode,
		Axes: [2]model.Axis{
			{Kind: fa.Kind, Integer: fa.Integer, Bins: slices.Clone(t.x.bins)},
			{Kind: fb.Kind, Integer: fb.Integer, Bins: slices.Clone(t.y.bins)},
		},
	}
	for i := range t.x.n {
		cells := i * t.y.n
		pair.Logit = append(pair.Logit, slices.Clone(table[cells:cells+t.y.n]))
		pair.Count = append(pair.Count, slices.Clone(t.counts[cells:cells+t.y.n]))
		pair.Points = append(pair.Points, slices.Clone(points[cells:cells+t.y.n]))
	}
	pair.DescribeBins(m)
	return pair
}

func featureIndex(m *model.Model, name string) int {
	return slices.IndexFunc(m.Features, func(f model.Feature) bool { return f.Name == name })
}

func byPoints(a, b model.Bin) int { return cmp.Compare(a.Points, b.Points) }

// merge groups the fine bins of f that earn the same points: neighbours for
// a numeric feature, any for a categorical one (best first). The missing bin
// stays alone. It returns the feature with the merged bins and the merged bin
// of every fine bin.
func merge(f *fine, logits []float64, points []int) (model.Feature, []int) {
	feat := f.feature
	fb := f.feature.Bins
	miss := f.missing()
	group := make([]int, len(fb))
	var members [][]int
	if f.ordered() {
		for k := range miss {
			if k == 0 || points[k] != points[k-1] {
				members = append(members, nil)
			}
			members[len(members)-1] = append(members[len(members)-1], k)
		}
	} else {
		byPts := map[int]int{}
		for k := range miss {
			g, ok := byPts[points[k]]
			if !ok {
				g = len(members)
				byPts[points[k]] = g
				members = append(members, nil)
			}
			members[g] = append(members[g], k)
		}
		slices.SortFunc(members, func(a, b []int) int { return cmp.Compare(points[b[0]], points[a[0]]) })
	}
	members = append(members, []int{miss})
	feat.Bins = make([]model.Bin, len(members))
	for g, ks := range members {
		b := &feat.Bins[g]
		b.Points = points[ks[0]]
		var w, sum, plain float64
		for _, k := range ks {
			group[k] = g
			w += float64(f.counts[k])
			sum += float64(f.counts[k]) * logits[k]
			plain += logits[k]
			b.Missing = b.Missing || fb[k].Missing
			b.Other = b.Other || fb[k].Other
			b.Categories = append(b.Categories, fb[k].Categories...)
		}
		b.Lower, b.Upper = fb[ks[0]].Lower, fb[ks[len(ks)-1]].Upper
		if w > 0 {
			b.Logit = sum / w
		} else {
			b.Logit = plain / float64(len(ks))
		}
		slices.Sort(b.Categories)
	}
	return feat, group
}

// binStats counts the training rows, goods and bads of every bin and sets
// its bad rate, and its weight of evidence and information value as the
// scorecard's bins have them (training.WoE).
func binStats(f *model.Feature, codes []uint16, group []int, y []float64) {
	goods := make([]float64, len(f.Bins))
	bads := make([]float64, len(f.Bins))
	var G, B float64
	for i, c := range codes {
		g := group[c]
		bads[g] += y[i]
		goods[g] += 1 - y[i]
		B += y[i]
	}
	G = float64(len(y)) - B
	f.IV = 0
	for k := range f.Bins {
		b := &f.Bins[k]
		b.Goods, b.Bads, b.Count = int(goods[k]), int(bads[k]), int(goods[k]+bads[k])
		b.BadRate = 0
		if b.Count > 0 {
			b.BadRate = bads[k] / float64(b.Count)
		}
		b.WoE, b.IV = training.WoE(goods[k], bads[k], G, B)
		f.IV += b.IV
	}
}
