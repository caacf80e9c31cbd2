package measure

import (
	"math"
	"sort"
)

// AUC is the area under the ROC curve of risk scores s against outcomes y: the
// probability that a random bad has a higher score than a random good, ties
// counting one half (the Mann–Whitney U statistic divided by n_bad · n_good;
// Hanley & McNeil, Radiology 143, 1982). It returns NaN when y holds one class.
func AUC(s, y []float64) float64 {
	mustSameLen(len(s), len(y))
	idx := make([]int, len(s))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return s[idx[a]] < s[idx[b]] })
	var nBad, nGood, rankSum float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && s[idx[j]] == s[idx[i]] {
			j++
		}
		// Ranks i+1..j share their average rank.
		avg := float64(i+1+j) / 2
		for k := i; k < j; k++ {
			if y[idx[k]] > 0.5 {
				nBad++
				rankSum += avg
			} else {
				nGood++
			}
		}
		i = j
	}
	if nBad == 0 || nGood == 0 {
		return math.NaN()
	}
	return (rankSum - nBad*(nBad+1)/2) / (nBad * nGood)
}
