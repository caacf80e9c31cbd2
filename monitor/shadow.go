package monitor

import (
	"slices"
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/opencredit/opencredit/model"
)

// Shadow compares the model in service (the champion) with a challenger
// scoring the same live requests in shadow: how far their scores differ,
// and the swap set at each cut-off — the people one model approves and the
// other declines, which is what changing models would change. It holds
// counts only. A new pair of models starts it afresh.
type Shadow struct {
	mu      sync.Mutex
	cutoffs []int
	c       *Comparison
}

// Comparison is the champion against the challenger so far.
type Comparison struct {
	Champion, Challenger string
	Scores               int
	// SumDiff and SumAbsDiff add up challenger − champion points.
	SumDiff, SumAbsDiff float64
	Swaps               []Swap
}

// MeanDiff is the challenger's mean score minus the champion's.
func (c Comparison) MeanDiff() float64 { return c.SumDiff / float64(max(c.Scores, 1)) }

// MeanAbsDiff is the mean absolute difference of the two scores.
func (c Comparison) MeanAbsDiff() float64 { return c.SumAbsDiff / float64(max(c.Scores, 1)) }

// Swap is the swap set at one cut-off: a score at or above it approves.
type Swap struct {
	Cutoff int
	// ChampionOnly is approved by the champion and declined by the
	// challenger; ChallengerOnly the other way.
	ChampionOnly, ChallengerOnly int
}

// NewShadow compares at the cut-offs given (the programs' min_score), each
// once, in order.
func NewShadow(cutoffs []int) *Shadow {
	cs := slices.Clone(cutoffs)
	slices.Sort(cs)
	return &Shadow{cutoffs: slices.Compact(cs)}
}

// Compare counts one request scored by both models.
func (s *Shadow) Compare(championID string, champion *model.Result, challengerID string, challenger *model.Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.c == nil || s.c.Champion != championID || s.c.Challenger != challengerID {
		s.c = &Comparison{Champion: championID, Challenger: challengerID}
		for _, cut := range s.cutoffs {
			s.c.Swaps = append(s.c.Swaps, Swap{Cutoff: cut})
		}
	}
	c := s.c
	c.Scores++
	d := float64(challenger.Score - champion.Score)
	c.SumDiff += d
	c.SumAbsDiff += max(d, -d)
	for i := range c.Swaps {
		a, b := champion.Score >= c.Swaps[i].Cutoff, challenger.Score >= c.Swaps[i].Cutoff
		switch {
		case a && !b:
			c.Swaps[i].ChampionOnly++
		case b && !a:
			c.Swaps[i].ChallengerOnly++
		}
	}
}

// Report returns the comparison so far, or nil before the first request.
func (s *Shadow) Report() *Comparison {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.c == nil {
		return nil
	}
	c := *s.c
	c.Swaps = slices.Clone(s.c.Swaps)
	return &c
}

var (
	shadowScoresDesc = prometheus.NewDesc("opencredit_shadow_scores",
		"Live requests the challenger scored in shadow beside the champion.", []string{"champion", "challenger"}, nil)
	shadowDiffDesc = prometheus.NewDesc("opencredit_shadow_score_diff_mean",
		"Mean of the challenger's score minus the champion's, in points.", []string{"champion", "challenger"}, nil)
	shadowAbsDesc = prometheus.NewDesc("opencredit_shadow_score_absdiff_mean",
		"Mean absolute difference of the two models' scores, in points.", []string{"champion", "challenger"}, nil)
	shadowSwapDesc = prometheus.NewDesc("opencredit_shadow_swaps",
		"The swap set at a cut-off: requests approved by one model and declined by the other (approved_by names which).",
		[]string{"champion", "challenger", "cutoff", "approved_by"}, nil)
)

// ShadowCollector exposes the comparison as Prometheus gauges.
func ShadowCollector(s *Shadow) prometheus.Collector { return shadowCollector{s} }

type shadowCollector struct{ s *Shadow }

func (shadowCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- shadowScoresDesc
	ch <- shadowDiffDesc
	ch <- shadowAbsDesc
	ch <- shadowSwapDesc
}

func (c shadowCollector) Collect(ch chan<- prometheus.Metric) {
	r := c.s.Report()
	if r == nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(shadowScoresDesc, prometheus.GaugeValue, float64(r.Scores), r.Champion, r.Challenger)
	ch <- prometheus.MustNewConstMetric(shadowDiffDesc, prometheus.GaugeValue, r.MeanDiff(), r.Champion, r.Challenger)
	ch <- prometheus.MustNewConstMetric(shadowAbsDesc, prometheus.GaugeValue, r.MeanAbsDiff(), r.Champion, r.Challenger)
	for _, sw := range r.Swaps {
		cut := strconv.Itoa(sw.Cutoff)
		ch <- prometheus.MustNewConstMetric(shadowSwapDesc, prometheus.GaugeValue, float64(sw.ChampionOnly), r.Champion, r.Challenger, cut, "champion")
		ch <- prometheus.MustNewConstMetric(shadowSwapDesc, prometheus.GaugeValue, float64(sw.ChallengerOnly), r.Champion, r.Challenger, cut, "challenger")
	}
}
