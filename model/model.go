package model

import (
	"cmp"
	"math"
	"time"

	"github.com/opencredit/opencredit"
)

// SchemaVersion is the version of the JSON artifact this package writes. Load
// refuses any other version.
const SchemaVersion = 1

// Feature kinds.
const (
	Numeric     = "numeric"
	Categorical = "categorical"
)

// Model is a trained points-table credit model.
type Model struct {
	SchemaVersion int       `json:"schema_version"`
	Kind          string    `json:"kind"` // "scorecard" or "ebm"
	CreatedAt     time.Time `json:"created_at"`
	ToolVersion   string    `json:"tool_version"`
	Target        string    `json:"target"`

	Scaling Scaling           `json:"scaling"`
	Bands   []opencredit.Band `json:"bands"`
	// Intercept is the model's log-odds of default when every feature
	// contributes nothing (the logistic intercept).
	Intercept float64 `json:"intercept"`
	// BasePoints is the score every person starts from before feature points.
	BasePoints int       `json:"base_points"`
	Features   []Feature `json:"features"`
	// Pairs are interaction terms (explainable boosting machines only);
	// every person's score and log-odds add one cell of each.
	Pairs []Pair `json:"pairs,omitempty"`
	// Derived are the definitions of the features (and of their inputs)
	// that are computed from other inputs rather than read (Derived, Row).
	Derived []Derived `json:"derived,omitempty"`
	Dropped []Dropped `json:"dropped,omitempty"`

	Training Training           `json:"training"`
	Metrics  map[string]float64 `json:"metrics,omitempty"`
	// ScoreCounts is the development sample's score distribution: the
	// training rows per ScoreBucket-point bucket from Scaling.Min (the last
	// bucket holds Scaling.Max), the expected side of the live score's
	// population stability index. Absent in models trained before it was
	// recorded; the features' bin counts serve their own stability index.
	ScoreCounts []int `json:"score_counts,omitempty"`
	// Unassigned lists selected features that no dimension mapping names.
	Unassigned []string `json:"unassigned,omitempty"`

	index []featureIndex // built by Prepare
	pairs []pairIndex    // built by Prepare
	dims  []string       // dimensions in use, in the brief's order; built by Prepare

	// Built by Prepare: how Row reads the raw inputs.
	inputs    []Input  // Inputs
	deriver   *Deriver // computes Derived; nil without
	rawAt     []int    // per raw input of deriver: its index in inputs
	derivedAt []int    // per feature: its index in deriver's definitions, or -1
	inputAt   []int    // per feature not derived: its index in inputs, else -1
}

// Scaling turns log-odds into points.
type Scaling struct {
	BaseScore float64 `json:"base_score"` // points at BaseOdds (600)
	BaseOdds  float64 `json:"base_odds"`  // good:bad odds at BaseScore (20)
	PDO       float64 `json:"pdo"`        // points to double the odds (50)
	Min       int     `json:"min"`        // lowest score (350)
	Max       int     `json:"max"`        // highest score (950)
}

// DefaultScaling is the brief's scale: 600 points at 20:1, 50 points to double
// the odds, clipped to 350–950.
func DefaultScaling() Scaling {
	return Scaling{BaseScore: 600, BaseOdds: 20, PDO: 50, Min: 350, Max: 950}
}

// Factor is PDO / ln 2, the points per unit of log-odds.
func (s Scaling) Factor() float64 { return s.PDO / math.Ln2 }

// Offset is BaseScore − Factor · ln(BaseOdds), the score at even odds.
func (s Scaling) Offset() float64 { return s.BaseScore - s.Factor()*math.Log(s.BaseOdds) }

// Feature is one model input cut into bins.
type Feature struct {
	Name      string `json:"name"`
	Kind      string `json:"kind"` // Numeric or Categorical
	Dimension string `json:"dimension,omitempty"`
	Label     string `json:"label,omitempty"` // plain-language name used in reasons
	Unit      string `json:"unit,omitempty"`
	// Reason is the plain-language statement of why this feature costs
	// points, such as "Balance is high compared with the credit limit",
	// shown before the bin in a reason; empty shows the bin alone.
	Reason      string  `json:"reason,omitempty"`
	ReasonCode  string  `json:"reason_code"`
	Trend       string  `json:"trend,omitempty"`       // bad-rate trend of the binning
	Coefficient float64 `json:"coefficient,omitempty"` // logistic coefficient on WoE (scorecard)
	IV          float64 `json:"iv"`
	// Integer is true when every training value was a whole number; it only
	// changes how bins are described ("2 months" rather than "2 to under 3").
	Integer bool  `json:"integer,omitempty"`
	Bins    []Bin `json:"bins"`
}

// Bin is one cell of a feature. A numeric bin holds Lower ≤ x < Upper (nil
// means unbounded); a categorical bin holds its Categories. Exactly one bin of
// every feature has Missing set: it receives missing values. A categorical
// feature may have one bin with Other set: it receives categories too rare to
// group in training and categories never seen in training; without such a bin
// unseen categories go to the missing bin.
type Bin struct {
	Lower      *float64 `json:"lower,omitempty"`
	Upper      *float64 `json:"upper,omitempty"`
	Categories []string `json:"categories,omitempty"`
	Missing    bool     `json:"missing,omitempty"`
	Other      bool     `json:"other,omitempty"`

	Count   int     `json:"count"`
	Goods   int     `json:"goods"`
	Bads    int     `json:"bads"`
	BadRate float64 `json:"bad_rate"`
	WoE     float64 `json:"woe"`
	IV      float64 `json:"iv"`

	// Logit is this bin's contribution to the log-odds of default.
	Logit  float64 `json:"logit"`
	Points int     `json:"points"`
	// Text describes the bin in plain language for reasons.
	Text string `json:"text"`
}

// CompareLower orders two bins by their lower bounds, a bin without one
// (open below) first: the order a numeric feature's bins are shown and
// exported in.
func CompareLower(a, b *Bin) int {
	switch {
	case a.Lower == nil && b.Lower == nil:
		return 0
	case a.Lower == nil:
		return -1
	case b.Lower == nil:
		return 1
	}
	return cmp.Compare(*a.Lower, *b.Lower)
}

// Dropped records a candidate feature that is not in the model, and why.
type Dropped struct {
	Feature string  `json:"feature"`
	Reason  string  `json:"reason"`
	IV      float64 `json:"iv,omitempty"`
}

// Training records where a model came from, so it can be reproduced and audited.
type Training struct {
	File         string         `json:"file"`
	SHA256       string         `json:"sha256"`
	Rows         int            `json:"rows"`
	Bads         int            `json:"bads"`
	ID           string         `json:"id_column,omitempty"`
	Excluded     []string       `json:"excluded,omitempty"`
	Audit        []string       `json:"audit,omitempty"`
	NotProtected []string       `json:"not_protected,omitempty"` // protected-looking names declared not protected
	AllowAge     bool           `json:"allow_age,omitempty"`
	Options      map[string]any `json:"options,omitempty"`
}

// MaxPoints returns the most points any bin of f earns.
func (f *Feature) MaxPoints() int {
	m := math.MinInt
	for _, b := range f.Bins {
		if b.Points > m {
			m = b.Points
		}
	}
	return m
}

// MinPoints returns the fewest points any bin of f earns.
func (f *Feature) MinPoints() int {
	m := math.MaxInt
	for _, b := range f.Bins {
		if b.Points < m {
			m = b.Points
		}
	}
	return m
}

// MissingBin returns the index of f's missing bin, or -1.
func (f *Feature) MissingBin() int {
	for i, b := range f.Bins {
		if b.Missing {
			return i
		}
	}
	return -1
}

// ScoreBucket is the width, in points, of the buckets of ScoreCounts.
const ScoreBucket = 25

// ScoreBuckets is how many ScoreBucket-point buckets cover the range.
func (s Scaling) ScoreBuckets() int { return (s.Max-s.Min)/ScoreBucket + 1 }

// BucketOf is the bucket of ScoreCounts a score falls in; scores are
// clipped to the range, so every score has one.
func (s Scaling) BucketOf(score int) int {
	return min(max(score, s.Min)-s.Min, s.Max-s.Min) / ScoreBucket
}

// CountScores returns the ScoreCounts of scores.
func (s Scaling) CountScores(scores []int) []int {
	out := make([]int, s.ScoreBuckets())
	for _, v := range scores {
		out[s.BucketOf(v)]++
	}
	return out
}
