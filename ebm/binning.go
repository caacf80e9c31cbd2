package ebm

import (
	"cmp"
	"slices"
	"sort"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/policy"
	"github.com/opencredit/opencredit/training"
)

// fine is a candidate feature cut into fine bins. Its bins are those of the
// model feature it becomes, before bins of equal points are merged: for a
// numeric feature the value bins in increasing order, for a categorical one a
// bin per common category (by name) and the other bin; the missing bin is
// always last.
type fine struct {
	feature model.Feature // Name, Kind, Integer and the bins' bounds, categories and flags
	codes   []uint16      // fine bin of every training row
	counts  []int         // training rows per bin
	trend   string        // monotone constraint: Ascending, Descending or ""
}

func (f *fine) bins() int    { return len(f.feature.Bins) }
func (f *fine) missing() int { return len(f.feature.Bins) - 1 }

// ordered reports whether the non-missing bins have an order (numeric).
func (f *fine) ordered() bool { return f.feature.Kind == model.Numeric }

// binColumn cuts one column into at most cfg.MaxBins fine bins.
func binColumn(col *dataset.Column, cfg *Config) (*fine, error) {
	spec := cfg.Spec.Features[col.Name]
	f := &fine{feature: model.Feature{Name: col.Name, Integer: col.Integer}}
	if col.Kind == dataset.Categorical {
		if spec.Cuts != nil {
			return nil, opencredit.Errorf(opencredit.EINVALID, "ebm: feature %q is categorical; cut points apply to numeric features only", col.Name)
		}
		f.feature.Kind = model.Categorical
		binCategories(f, col, cfg)
	} else {
		f.feature.Kind = model.Numeric
		f.trend = monotoneTrend(col.Name, spec.Trend)
		cuts := spec.Cuts
		if slices.Contains(cfg.AgeColumns, col.Name) && cuts == nil {
			// One value bin is kept for the cut at 62.
			cuts = policy.WithAgeCut(quantileCuts(col, cfg.MaxBins-2))
		} else if cuts == nil {
			cuts = quantileCuts(col, cfg.MaxBins-1)
		}
		binNumbers(f, col, cuts)
	}
	if f.bins() > cfg.MaxBins {
		return nil, opencredit.Errorf(opencredit.EINVALID, "ebm: feature %q has %d bins, more than max bins %d", col.Name, f.bins(), cfg.MaxBins)
	}
	f.counts = make([]int, f.bins())
	for _, c := range f.codes {
		f.counts[c]++
	}
	return f, nil
}

// quantileCuts returns at most bins−1 cut points that split the non-missing
// values into runs of nearly equal size (groupRuns over the distinct
// values). A cut c separates x < c from x ≥ c, so ties never straddle it; it
// is a short decimal between the last value below and the first value above
// (training.NiceCut), so that a reason reads "below 0.85" and not "below
// 0.8461538461538461".
func quantileCuts(col *dataset.Column, bins int) []float64 {
	xs := make([]float64, 0, len(col.Num))
	for i, x := range col.Num {
		if !col.Miss[i] {
			xs = append(xs, x)
		}
	}
	slices.Sort(xs)
	distinct := 0
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			distinct++
		}
	}
	values := make([]float64, 0, distinct) // distinct values, with sizes[k] rows of values[k]
	sizes := make([]int, 0, distinct)
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			values = append(values, x)
			sizes = append(sizes, 0)
		}
		sizes[len(sizes)-1]++
	}
	var cuts []float64
	for _, k := range groupRuns(sizes, bins)[1:] {
		cuts = append(cuts, training.NiceCut(values[k-1], values[k]))
	}
	return cuts
}

// groupRuns groups consecutive runs of sizes[k] rows into at most bins
// groups of nearly equal size and returns the first run of each group.
// Walking the runs, a group closes once it holds its fair share of the rows
// still to place: a heavy run (many zero balances) fills a group alone and
// the rest are spread over what remains.
func groupRuns(sizes []int, bins int) []int {
	left := 0
	for _, n := range sizes {
		left += n
	}
	starts := []int{0}
	inGroup := 0
	for k, n := range sizes {
		inGroup += n
		groupsLeft := bins - len(starts) + 1
		if k+1 < len(sizes) && groupsLeft > 1 && inGroup*groupsLeft >= left {
			starts = append(starts, k+1)
			left -= inGroup
			inGroup = 0
		}
	}
	return starts
}

// binNumbers makes the bins [−∞, c₁), [c₁, c₂), …, [c_k, +∞) and missing.
func binNumbers(f *fine, col *dataset.Column, cuts []float64) {
	cuts = slices.Clone(cuts) // the bins point into it
	for k := 0; k <= len(cuts); k++ {
		var b model.Bin
		if k > 0 {
			b.Lower = &cuts[k-1]
		}
		if k < len(cuts) {
			b.Upper = &cuts[k]
		}
		f.feature.Bins = append(f.feature.Bins, b)
	}
	f.feature.Bins = append(f.feature.Bins, model.Bin{Missing: true})
	missing := uint16(len(cuts) + 1)
	f.codes = make([]uint16, len(col.Num))
	for i, x := range col.Num {
		if col.Miss[i] {
			f.codes[i] = missing
			continue
		}
		f.codes[i] = uint16(sort.Search(len(cuts), func(k int) bool { return x < cuts[k] }))
	}
}

// binCategories gives every category holding at least cfg.RareShare of the
// rows and cfg.MinCategoryRows rows a bin of its own, up to cfg.MaxBins−2 of
// the most frequent ones; the rest share the other bin, which also receives
// categories never seen in training.
func binCategories(f *fine, col *dataset.Column, cfg *Config) {
	count := map[string]int{}
	for i, s := range col.Str {
		if !col.Miss[i] {
			count[s]++
		}
	}
	type cat struct {
		name string
		n    int
	}
	cats := make([]cat, 0, len(count))
	for s, n := range count {
		cats = append(cats, cat{s, n})
	}
	// Most frequent first, then by name: the cap keeps the common ones.
	slices.SortFunc(cats, func(a, b cat) int {
		return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.name, b.name))
	})
	rare := max(cfg.RareShare*float64(len(col.Str)), float64(cfg.MinCategoryRows))
	var own, other []string
	for _, c := range cats {
		if float64(c.n) >= rare && len(own) < cfg.MaxBins-2 {
			own = append(own, c.name)
		} else {
			other = append(other, c.name)
		}
	}
	slices.Sort(own)
	slices.Sort(other)
	binOf := make(map[string]uint16, len(cats))
	for k, s := range own {
		binOf[s] = uint16(k)
		f.feature.Bins = append(f.feature.Bins, model.Bin{Categories: []string{s}})
	}
	for _, s := range other {
		binOf[s] = uint16(len(own))
	}
	f.feature.Bins = append(f.feature.Bins, model.Bin{Categories: other, Other: true}, model.Bin{Missing: true})
	missing := uint16(len(own) + 1)
	f.codes = make([]uint16, len(col.Str))
	for i, s := range col.Str {
		if col.Miss[i] {
			f.codes[i] = missing
		} else {
			f.codes[i] = binOf[s]
		}
	}
}
