package measure

import "sort"

// ranked returns the row indexes sorted by score (descending when desc) and
// the numbers of bads and goods: the common start of every curve over scores.
func ranked(s, y []float64, desc bool) (idx []int, nBad, nGood float64) {
	mustSameLen(len(s), len(y))
	idx = make([]int, len(s))
	for i := range idx {
		idx[i] = i
		if y[i] > 0.5 {
			nBad++
		} else {
			nGood++
		}
	}
	if desc {
		sort.Slice(idx, func(a, b int) bool { return s[idx[a]] > s[idx[b]] })
	} else {
		sort.Slice(idx, func(a, b int) bool { return s[idx[a]] < s[idx[b]] })
	}
	return idx, nBad, nGood
}
