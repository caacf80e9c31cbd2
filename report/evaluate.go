package report

import (
	"fmt"
	"math"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/measure"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/training"
)

// Attribute is a protected trait, such as age or sex, read only to audit the
// fairness of decisions and never to score.
type Attribute struct {
	Name string
	// Values holds one value per row as read; "" is missing.
	Values []string
	// Numeric holds one value per row for a numeric attribute, NaN when
	// missing; it is nil for a categorical attribute.
	Numeric []float64
}

// Input is what Evaluate measures: a model's scores on the rows of one file.
type Input struct {
	Title string // report title
	Data  string // name of the data file
	// Model supplies the scaling and the bands, and the model section of the
	// HTML report. When nil the default scaling and bands are used.
	Model *model.Model
	// PD and Score hold the probability of default and the credit score of
	// each row.
	PD    []float64
	Score []int
	// Y holds 1 for a bad and 0 for a good row. It is nil when the data has
	// no target; then only distributions, stability and approval rates are
	// measured.
	Y []float64
	// Baseline holds scores on a baseline file, the expected population of
	// the PSI; nil for none.
	Baseline     []int
	BaselineName string
	// Audit holds the protected attributes to measure fairness over.
	Audit []Attribute
	// Cutoff is the approval cut-off of the fairness tables: a row is
	// approved when its score is at or above it. It must lie within the
	// score range when Audit is not empty.
	Cutoff int
}

// Evaluation holds every number a report shows. Undefined numbers (the AUC
// of a file without a target) are NaN and encode as JSON null.
type Evaluation struct {
	Title     string `json:"title"`
	Data      string `json:"data"`
	Rows      int    `json:"rows"`
	HasTarget bool   `json:"has_target"`
	Bads      int    `json:"bads"`
	BadRate   Float  `json:"bad_rate"`
	MeanPD    Float  `json:"mean_pd"`

	// Ranking, on the credit score.
	AUC  Float `json:"auc"`
	Gini Float `json:"gini"`
	KS   Float `json:"ks"`
	// KSScore is the score at which the cumulative shares of bads and goods
	// at or below it differ most.
	KSScore Float `json:"ks_score"`

	// Probability accuracy, on the PD.
	Brier   Float `json:"brier"`
	LogLoss Float `json:"log_loss"`
	// AUCPD is the AUC of the model's own probability: the ranking the
	// three-digit score would keep if neither rounding nor the clip tied
	// anyone. The score's AUC falling short of it is what the scale costs.
	AUCPD Float `json:"auc_pd"`

	// ScoreMin and ScoreMax are the model's score range; FloorShare and
	// CeilingShare the shares of rows the clip holds at either end.
	ScoreMin     int     `json:"score_min"`
	ScoreMax     int     `json:"score_max"`
	FloorShare   float64 `json:"floor_share"`
	CeilingShare float64 `json:"ceiling_share"`
	// ScaleWarning says, when the scale costs ranking, how much and what to
	// do; empty when it does not.
	ScaleWarning string `json:"scale_warning,omitempty"`

	// ROC and KSCurve are thinned to at most 200 points for plotting.
	ROC     []ROCPoint `json:"roc,omitempty"`
	KSCurve []KSPoint  `json:"ks_curve,omitempty"`

	// Bands holds the distribution and the calibration per score band.
	Bands []BandStats `json:"bands"`
	// Histogram counts scores in 25-point buckets from ScoreMin to ScoreMax.
	Histogram []Bucket `json:"histogram"`

	// PSI compares the scores with the baseline's; nil without a baseline.
	PSI *Stability `json:"psi,omitempty"`

	Cutoff   int             `json:"cutoff"`
	Fairness []FairnessTable `json:"fairness,omitempty"`

	model *model.Model
}

// ROCPoint is one point of the ROC curve: calling bad every row with a score
// at or below Score gives the false- and true-positive rates. Score is +Inf
// (null in JSON) at the origin.
type ROCPoint struct {
	FPR   float64 `json:"fpr"`
	TPR   float64 `json:"tpr"`
	Score Float   `json:"score"`
}

// KSPoint holds the cumulative shares of bads and of goods scoring at or
// below Score.
type KSPoint struct {
	Score float64 `json:"score"`
	Bad   float64 `json:"bad"`
	Good  float64 `json:"good"`
}

// BandStats describes the rows whose score falls in one band.
type BandStats struct {
	Band  string  `json:"band"`
	Min   int     `json:"min"`
	Max   int     `json:"max"`
	Rows  int     `json:"rows"`
	Share float64 `json:"share"`
	Bads  int     `json:"bads"`
	// BadRate is the observed bad rate, MeanPD the predicted one; NaN for an
	// empty band, and BadRate NaN without a target.
	BadRate Float `json:"bad_rate"`
	MeanPD  Float `json:"mean_pd"`
}

// Bucket counts the scores from Lower to Upper, both included.
type Bucket struct {
	Lower int `json:"lower"`
	Upper int `json:"upper"`
	Rows  int `json:"rows"`
	Goods int `json:"goods"`
	Bads  int `json:"bads"`
}

// Stability is the population stability of the scores against a baseline.
type Stability struct {
	Baseline     string   `json:"baseline"`
	BaselineRows int      `json:"baseline_rows"`
	PSI          Float    `json:"psi"`
	Reading      string   `json:"reading"` // stable, some shift, significant shift
	Bins         []PSIBin `json:"bins"`
}

// PSIBin is one decile bin of the baseline scores, from Lower to Upper.
type PSIBin struct {
	Lower        int     `json:"lower"`
	Upper        int     `json:"upper"`
	Baseline     float64 `json:"baseline"` // share of the baseline rows
	Current      float64 `json:"current"`  // share of the evaluated rows
	Contribution float64 `json:"contribution"`
}

// FairnessTable holds the approval outcome per group of one attribute.
type FairnessTable struct {
	Attribute string          `json:"attribute"`
	Groups    []FairnessGroup `json:"groups"`
}

// FairnessGroup is the approval outcome for one group; see metrics.Fairness.
type FairnessGroup struct {
	Group        string  `json:"group"`
	Rows         int     `json:"rows"`
	Approved     int     `json:"approved"`
	ApprovalRate float64 `json:"approval_rate"`
	AIR          Float   `json:"air"`
	Flagged      bool    `json:"flagged"`
	MeanScore    float64 `json:"mean_score"`
	BadRate      Float   `json:"bad_rate"`
	AUC          Float   `json:"auc"`
}

const (
	maxCurvePoints = 200
	bucketWidth    = 25
)

// Evaluate measures in. It returns an EINVALID error naming the row or the
// attribute when the slices do not line up or hold impossible values.
func Evaluate(in Input) (*Evaluation, error) {
	scaling, bands := model.DefaultScaling(), opencredit.DefaultBands()
	if in.Model != nil {
		scaling, bands = in.Model.Scaling, in.Model.Bands
	}
	if err := in.validate(scaling); err != nil {
		return nil, err
	}
	n := len(in.Score)
	e := &Evaluation{
		Title: in.Title, Data: in.Data, Rows: n, HasTarget: in.Y != nil,
		BadRate: NaN, AUC: NaN, Gini: NaN, KS: NaN, KSScore: NaN, Brier: NaN, LogLoss: NaN, AUCPD: NaN,
		ScoreMin: scaling.Min, ScoreMax: scaling.Max, Cutoff: in.Cutoff, model: in.Model,
	}
	score := make([]float64, n)
	risk := make([]float64, n) // higher is riskier, for the risk-score functions
	var sumPD float64
	for i, s := range in.Score {
		score[i], risk[i] = float64(s), -float64(s)
		sumPD += in.PD[i]
	}
	e.MeanPD = Float(sumPD / float64(n))
	e.FloorShare, e.CeilingShare = training.ClipShares(in.Score, scaling.Min, scaling.Max)
	if in.Y != nil {
		for _, y := range in.Y {
			if y == 1 {
				e.Bads++
			}
		}
		e.BadRate = Float(float64(e.Bads) / float64(n))
		e.AUC = Float(measure.AUC(risk, in.Y))
		e.Gini = Float(measure.Gini(risk, in.Y))
		ks, at := measure.KS(score, in.Y)
		e.KS, e.KSScore = Float(ks), Float(at)
		e.Brier = Float(measure.Brier(in.PD, in.Y))
		e.LogLoss = Float(measure.LogLoss(in.PD, in.Y))
		e.AUCPD = Float(measure.AUC(in.PD, in.Y))
		e.ROC = rocCurve(risk, in.Y)
		e.KSCurve = ksCurve(score, in.Y, float64(e.KSScore))
	}
	e.ScaleWarning = scaleWarning(e)
	e.Bands = bandStats(bands, scaling, in.Score, in.PD, in.Y)
	e.Histogram = histogram(scaling, in.Score, in.Y)
	if len(in.Baseline) > 0 {
		e.PSI = stability(scaling, in.BaselineName, in.Baseline, score)
	}
	for _, a := range in.Audit {
		e.Fairness = append(e.Fairness, fairness(a, score, in.Y, in.Cutoff))
	}
	return e, nil
}

func (in *Input) validate(scaling model.Scaling) error {
	n := len(in.Score)
	bad := func(format string, args ...any) error {
		return opencredit.Errorf(opencredit.EINVALID, "report: "+format, args...)
	}
	if n == 0 {
		return bad("no rows to evaluate")
	}
	if len(in.PD) != n {
		return bad("%d probabilities of default for %d scores", len(in.PD), n)
	}
	if in.Y != nil && len(in.Y) != n {
		return bad("%d target values for %d scores", len(in.Y), n)
	}
	// Rows are counted from 1, as a person reading the data file would.
	for i, p := range in.PD {
		if !(p >= 0 && p <= 1) {
			return bad("row %d: probability of default %v is not in [0, 1]", i+1, p)
		}
	}
	for i, y := range in.Y {
		if y != 0 && y != 1 {
			return bad("row %d: target %v is not 0 (good) or 1 (bad)", i+1, y)
		}
	}
	for _, a := range in.Audit {
		if a.Name == "" {
			return bad("an audit attribute has no name")
		}
		if len(a.Values) != n {
			return bad("audit attribute %q has %d values for %d rows", a.Name, len(a.Values), n)
		}
		if a.Numeric != nil && len(a.Numeric) != n {
			return bad("audit attribute %q has %d numeric values for %d rows", a.Name, len(a.Numeric), n)
		}
	}
	if len(in.Audit) > 0 && (in.Cutoff < scaling.Min || in.Cutoff > scaling.Max) {
		return bad("approval cut-off %d is outside the score range %d–%d", in.Cutoff, scaling.Min, scaling.Max)
	}
	return nil
}

// rocCurve returns the ROC curve of the scores, thinned, with thresholds
// turned back from risk into credit scores.
func rocCurve(risk, y []float64) []ROCPoint {
	pts := measure.ROC(risk, y)
	var out []ROCPoint
	for _, i := range thin(len(pts), maxCurvePoints, -1) {
		p := pts[i]
		out = append(out, ROCPoint{FPR: p.FPR, TPR: p.TPR, Score: Float(-p.Threshold)})
	}
	return out
}

// ksCurve returns the cumulative distributions of the scores of bads and
// goods, thinned but keeping the point where KS is reached.
func ksCurve(score, y []float64, at float64) []KSPoint {
	pts := measure.KSCurve(score, y)
	keep := -1
	for i, p := range pts {
		if p.Score == at {
			keep = i
		}
	}
	var out []KSPoint
	for _, i := range thin(len(pts), maxCurvePoints, keep) {
		out = append(out, KSPoint(pts[i]))
	}
	return out
}

// thin returns at most limit indexes of 0..n-1, evenly spaced, always with
// the first, the last and keep (when keep ≥ 0).
func thin(n, limit, keep int) []int {
	var idx []int
	if n <= limit {
		for i := range n {
			idx = append(idx, i)
		}
		return idx
	}
	m := limit
	if keep >= 0 {
		m--
	}
	for k := range m {
		i := k * (n - 1) / (m - 1)
		if keep >= 0 && i > keep && (len(idx) == 0 || idx[len(idx)-1] < keep) {
			idx = append(idx, keep)
		}
		if len(idx) == 0 || idx[len(idx)-1] != i {
			idx = append(idx, i)
		}
	}
	return idx
}

func bandStats(bands []opencredit.Band, scaling model.Scaling, score []int, pd, y []float64) []BandStats {
	out := make([]BandStats, len(bands))
	at := map[string]int{}
	for k, b := range bands {
		out[k] = BandStats{Band: b.Name, Min: b.Min, Max: scaling.Max, BadRate: NaN, MeanPD: NaN}
		if k+1 < len(bands) {
			out[k].Max = bands[k+1].Min - 1
		}
		at[b.Name] = k
	}
	label := make([]string, len(score))
	for i, s := range score {
		label[i] = opencredit.BandOf(bands, s)
	}
	for _, c := range measure.Calibration(pd, y, label) {
		b := &out[at[c.Group]]
		b.Rows, b.Bads = c.N, c.Bads
		b.Share = float64(c.N) / float64(len(score))
		b.MeanPD, b.BadRate = Float(c.MeanPD), Float(c.BadRate)
	}
	return out
}

func histogram(scaling model.Scaling, score []int, y []float64) []Bucket {
	nb := max((scaling.Max-scaling.Min+bucketWidth-1)/bucketWidth, 1)
	out := make([]Bucket, nb)
	for k := range out {
		out[k].Lower = scaling.Min + k*bucketWidth
		out[k].Upper = min(out[k].Lower+bucketWidth-1, scaling.Max)
	}
	out[nb-1].Upper = scaling.Max
	for i, s := range score {
		// A score outside the range (from another model) counts at its end.
		b := &out[min(max((s-scaling.Min)/bucketWidth, 0), nb-1)]
		b.Rows++
		switch {
		case y == nil:
		case y[i] == 1:
			b.Bads++
		default:
			b.Goods++
		}
	}
	return out
}

func stability(scaling model.Scaling, name string, baseline []int, score []float64) *Stability {
	expected := make([]float64, len(baseline))
	for i, s := range baseline {
		expected[i] = float64(s)
	}
	edges := measure.DecileEdges(expected)
	psi := measure.PSI(expected, score, edges)
	st := &Stability{Baseline: name, BaselineRows: len(baseline), PSI: Float(psi), Reading: measure.PSIReading(psi)}
	for _, b := range measure.PSIBins(expected, score, edges) {
		// Scores are whole numbers, so [lower, upper) is lower..upper−1.
		lo, hi := scaling.Min, scaling.Max
		if !math.IsInf(b.Lower, 0) {
			lo = int(b.Lower)
		}
		if !math.IsInf(b.Upper, 0) {
			hi = int(b.Upper) - 1
		}
		st.Bins = append(st.Bins, PSIBin{Lower: lo, Upper: hi, Baseline: b.Expected, Current: b.Actual, Contribution: b.Contribution})
	}
	return st
}

func fairness(a Attribute, score, y []float64, cutoff int) FairnessTable {
	labels, order := auditGroups(a)
	byName := map[string]measure.FairnessGroup{}
	for _, g := range measure.Fairness(score, y, labels, float64(cutoff)) {
		byName[g.Group] = g
	}
	t := FairnessTable{Attribute: a.Name}
	for _, name := range order {
		g := byName[name]
		t.Groups = append(t.Groups, FairnessGroup{
			Group: g.Group, Rows: g.N, Approved: g.Approved, ApprovalRate: g.ApprovalRate,
			AIR: Float(g.AIR), Flagged: g.Flagged, MeanScore: g.MeanScore,
			BadRate: Float(g.BadRate), AUC: Float(g.AUC),
		})
	}
	return t
}

// ScaleCostTolerance is how far the score's AUC may fall short of the
// probability's before the report warns: rounding each bin to whole points
// costs a few ten-thousandths; more is the clip tying people together.
const ScaleCostTolerance = 0.001

// MaxEndShare is the share of rows at either end of the range above which a
// file without a target is warned about, having no AUC to measure the cost.
const MaxEndShare = 0.05

// scaleWarning says when the scale costs ranking.
func scaleWarning(e *Evaluation) string {
	ends := fmt.Sprintf("%.1f%% of rows score %d (the floor) and %.1f%% score %d (the ceiling)",
		100*e.FloorShare, e.ScoreMin, 100*e.CeilingShare, e.ScoreMax)
	const remedy = "retrain with `opencredit train --scale fit` (the default) to fit the scale to the population, or widen --min-score/--max-score"
	switch {
	case e.HasTarget && e.AUC.Valid() && e.AUCPD.Valid() && float64(e.AUCPD-e.AUC) > ScaleCostTolerance:
		return fmt.Sprintf("the score ranks worse than the model's probability (AUC %.4f against %.4f): %s, tied there; %s",
			float64(e.AUC), float64(e.AUCPD), ends, remedy)
	case !e.HasTarget && max(e.FloorShare, e.CeilingShare) > MaxEndShare:
		return fmt.Sprintf("%s: the clip ties them together, and a cut-off there cannot tell them apart; %s", ends, remedy)
	}
	return ""
}
