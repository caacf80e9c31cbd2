package monitor

import (
	"math"
	"slices"

	"github.com/opencredit/opencredit/model"
)

// Paired is one person both models scored: the champion's score as it was
// served, the challenger's on the same person's features as of that
// moment, and whether the person went bad in the outcome window after it.
type Paired struct {
	Champion, Challenger int
	Bad                  bool
}

// ChallengerPerformance is the champion against a challenger on the people
// the champion scored, once their outcomes are known: each model's
// performance (Measure), how far their scores differ, and the swap set at
// each cut-off with how many of the people swapped went bad — the
// comparison report of the issue, "as outcomes arrive, both models' AUC".
type ChallengerPerformance struct {
	Champion   Performance `json:"champion"`
	Challenger Performance `json:"challenger"`
	// MeanDiff is the challenger's mean score minus the champion's, in
	// points; MeanAbsDiff the mean absolute difference (null without people).
	MeanDiff    Float         `json:"mean_diff"`
	MeanAbsDiff Float         `json:"mean_abs_diff"`
	Swaps       []OutcomeSwap `json:"swaps"`
}

// OutcomeSwap is the swap set at one cut-off (a score at or above it
// approves), with the bads among each side: the people a change of model
// would newly decline (ChampionOnly) and newly approve (ChallengerOnly).
type OutcomeSwap struct {
	Cutoff             int `json:"cutoff"`
	ChampionOnly       int `json:"champion_only"`
	ChampionOnlyBads   int `json:"champion_only_bads"`
	ChallengerOnly     int `json:"challenger_only"`
	ChallengerOnlyBads int `json:"challenger_only_bads"`
}

// CompareOutcomes measures champion and challenger (each by its own bands)
// on the same people, and their swap sets at cutoffs (each once, in order).
func CompareOutcomes(championID string, champion *model.Model, challengerID string, challenger *model.Model, ps []Paired, cutoffs []int) ChallengerPerformance {
	a, b := make([]Outcome, len(ps)), make([]Outcome, len(ps))
	var sum, sumAbs float64
	for i, p := range ps {
		a[i], b[i] = Outcome{Score: p.Champion, Bad: p.Bad}, Outcome{Score: p.Challenger, Bad: p.Bad}
		d := float64(p.Challenger - p.Champion)
		sum += d
		sumAbs += math.Abs(d)
	}
	out := ChallengerPerformance{Champion: Measure(championID, champion, a), Challenger: Measure(challengerID, challenger, b),
		MeanDiff: Float(math.NaN()), MeanAbsDiff: Float(math.NaN())}
	if len(ps) > 0 {
		out.MeanDiff, out.MeanAbsDiff = Float(sum/float64(len(ps))), Float(sumAbs/float64(len(ps)))
	}
	cs := slices.Clone(cutoffs)
	slices.Sort(cs)
	for _, cut := range slices.Compact(cs) {
		sw := OutcomeSwap{Cutoff: cut}
		for _, p := range ps {
			x, y := p.Champion >= cut, p.Challenger >= cut
			switch {
			case x && !y:
				sw.ChampionOnly++
				if p.Bad {
					sw.ChampionOnlyBads++
				}
			case y && !x:
				sw.ChallengerOnly++
				if p.Bad {
					sw.ChallengerOnlyBads++
				}
			}
		}
		out.Swaps = append(out.Swaps, sw)
	}
	return out
}
