package training

import (
	"math"
	"slices"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

// Fitting the score scale to the training population.
//
// A score is a line through the log-odds of good, clipped to the range:
//
//	score = clip(Offset + Factor · ln(good:bad odds), Min, Max)
//	Factor = PDO / ln 2,  Offset = BaseScore − Factor · ln(BaseOdds)
//
// (Siddiqi, "Credit Risk Scorecards", 2006, ch. 8). A fixed scale (600 at
// 20:1, 50 to double) suits one population and clips another: a model whose
// people spread over more log-odds than (Max − Min)/Factor leaves its
// riskiest all at Min, tied, and a lender's cut-off there cannot tell them
// apart. FitScaling instead takes the tail and 1 − tail quantiles of the
// training rows' log-odds, L_lo and L_hi, and maps them onto the range less
// a margin for the rounding of each bin's points:
//
//	Factor    = (Max − Min − 2·margin) / (L_hi − L_lo), PDO = Factor · ln 2,
//	            rounded down to 0.1
//	Offset    = (Min + Max)/2 − Factor · (L_lo + L_hi)/2   (the middle to the middle)
//	BaseScore = Offset + Factor · ln(BaseOdds), rounded to a whole point
//
// so at most about tail of the training rows sit at either end. BaseOdds,
// Min and Max are kept as given: BaseScore is the score those odds get.

// ScaleMargin is the points FitScaling keeps free at each end of the range
// for the rounding of every bin's points to a whole number (each off by
// less than a point, and mostly cancelling).
const ScaleMargin = 5

// MaxScaleTail is the largest tail share FitScaling takes: beyond it the
// range would no longer hold most of the population.
const MaxScaleTail = 0.1

// FitScaling returns s with BaseScore and PDO fitted so that the log-odds of
// good, goodLogOdds (one per training row), fill s.Min to s.Max with about
// tail of the rows beyond either end. It fails when tail is outside
// (0, MaxScaleTail] or the rows leave no spread to fit: a model that gives
// everyone the same odds.
func FitScaling(goodLogOdds []float64, s model.Scaling, tail float64) (model.Scaling, error) {
	switch {
	case !(tail > 0 && tail <= MaxScaleTail):
		return s, opencredit.Errorf(opencredit.EINVALID, "scale tail %v: want a share in (0, %v]", tail, MaxScaleTail)
	case !(s.BaseOdds > 0) || s.Max-s.Min <= 4*ScaleMargin:
		return s, opencredit.Errorf(opencredit.EINVALID, "scale: base odds %v and range %d–%d cannot be fitted", s.BaseOdds, s.Min, s.Max)
	case len(goodLogOdds) == 0:
		return s, opencredit.Errorf(opencredit.EINVALID, "scale: no training rows to fit the score scale to")
	}
	l := slices.Clone(goodLogOdds)
	slices.Sort(l)
	lo, hi := quantile(l, tail), quantile(l, 1-tail)
	if !(hi-lo > 1e-9) || math.IsInf(hi-lo, 0) {
		return s, opencredit.Errorf(opencredit.EINVALID,
			"scale: the model gives %.1f%% or more of the training rows the same odds, so there is no spread to fit the score scale to; fix the scale instead (--scale fixed)", 100*(1-2*tail))
	}
	factor := float64(s.Max-s.Min-2*ScaleMargin) / (hi - lo)
	s.PDO = math.Floor(10*factor*math.Ln2) / 10
	if s.PDO < 0.1 {
		s.PDO = 0.1
	}
	factor = s.Factor()
	offset := float64(s.Min+s.Max)/2 - factor*(lo+hi)/2
	s.BaseScore = math.Round(offset + factor*math.Log(s.BaseOdds))
	return s, nil
}

// quantile is the p-quantile of sorted x, interpolating between order
// statistics (type 7 of Hyndman and Fan, 1996; numpy's default).
func quantile(x []float64, p float64) float64 {
	h := p * float64(len(x)-1)
	i := int(math.Floor(h))
	if i >= len(x)-1 {
		return x[len(x)-1]
	}
	return x[i] + (h-float64(i))*(x[i+1]-x[i])
}

// ClipShares returns the shares of scores at or below min and at or above
// max: the rows the clip ties together at either end.
func ClipShares(scores []int, min, max int) (floor, ceiling float64) {
	if len(scores) == 0 {
		return 0, 0
	}
	var f, c int
	for _, v := range scores {
		if v <= min {
			f++
		}
		if v >= max {
			c++
		}
	}
	return float64(f) / float64(len(scores)), float64(c) / float64(len(scores))
}

// DefaultScaleTail is the share of training rows `opencredit train` lets
// sit at either end of a fitted scale: 0.5%, few enough that a cut-off is
// never set among people the clip has tied.
const DefaultScaleTail = 0.005
