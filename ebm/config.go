package ebm

import (
	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/training"
)

// Config holds every training choice. DefaultConfig gives the documented
// defaults (see docs/ebm.md for why); the zero Config is not usable.
type Config struct {
	// MaxBins is the most fine bins per feature, the missing bin included
	// (256, so that a bin index fits a byte). Numeric features get quantile
	// bins, categorical ones a bin per common category and an "other" bin.
	MaxBins int
	// A category gets a bin of its own when it holds at least RareShare of
	// the training rows (0.001) and at least MinCategoryRows rows (10, as
	// InterpretML's min_cat_samples); rarer ones share the "other" bin.
	RareShare       float64
	MinCategoryRows int

	LearningRate float64 // shrinkage of every Newton step (0.1)
	MaxLeaves    int     // leaves of the tree fitted to a numeric feature per step (2)
	// MinSamplesLeaf is the fewest training rows of a bag in a leaf (4); the
	// missing bin and a category are updated only when they hold as many.
	MinSamplesLeaf int
	MinHessian     float64 // smallest hessian sum in a leaf (1e-3)
	CategoryL2     float64 // ridge penalty on a category's Newton step (10)

	MaxRounds int // upper bound on boosting rounds per bag (5000)
	// EarlyStoppingRounds stops a bag when its validation log-loss has not
	// improved by EarlyStoppingTolerance for this many rounds (15); the bag
	// keeps the shapes of its best round.
	EarlyStoppingRounds    int
	EarlyStoppingTolerance float64 // on the mean log-loss (1e-4)
	ValidationShare        float64 // share of rows each bag holds out for early stopping (0.15)
	// Bags is the number of outer bags whose shapes are averaged; 0 (the
	// default) chooses it from the rows, BagsFor.
	Bags int

	// Interactions is the most pairwise interaction terms (10): the pairs of
	// features that FAST ranks best on the main effects' residuals, each a
	// table over at most MaxInteractionBins × MaxInteractionBins coarse bins
	// (32, missing included). A pair is a reason line of its own.
	Interactions       int
	MaxInteractionBins int
	// InteractionWave, when above 0, lets the data choose how many of the
	// Interactions pairs the model keeps: they are boosted in waves of this
	// many (10), best ranked first; the first wave is always kept, and
	// growth ends at the first later wave whose fall of the validation
	// log-loss is not above WaveZ standard errors (2) (see growPairs). 0
	// keeps all Interactions pairs, boosted at once.
	InteractionWave int
	WaveZ           float64

	Seed    uint64 // every random choice derives from it
	Workers int    // bags trained in parallel; 0 means GOMAXPROCS. The model does not depend on it.

	Scaling model.Scaling
	// ScaleTail, when above 0, fits Scaling's base score and points to
	// double to the training rows so that about this share of them sits at
	// either end of the range (training.FitScaling); 0 keeps Scaling as given.
	ScaleTail float64
	Bands     []opencredit.Band
	// Spec gives dimensions, labels, units and reason codes per feature, as
	// for the scorecard. A trend of "ascending" or "descending" makes the
	// feature's shape monotone in that direction of bad rate; "none" lifts
	// the default constraint of training.LiveTrends; other trends leave the
	// shape free. Fixed cuts replace the feature's quantile bins.
	Spec training.Spec
	// AgeColumns are columns holding a person's age that the developer
	// allowed; training fails unless applicants aged 62 or more earn no fewer
	// points than any younger bin (12 CFR 1002.6(b)(2)(iv)).
	AgeColumns []string
}

// DefaultConfig returns the defaults named on Config's fields.
func DefaultConfig() Config {
	return Config{
		MaxBins:                256,
		RareShare:              0.001,
		MinCategoryRows:        10,
		LearningRate:           0.1,
		MaxLeaves:              2,
		MinSamplesLeaf:         4,
		MinHessian:             1e-3,
		CategoryL2:             10,
		MaxRounds:              5000,
		EarlyStoppingRounds:    15,
		EarlyStoppingTolerance: 1e-4,
		ValidationShare:        0.15,
		Bags:                   0,
		Interactions:           64,
		MaxInteractionBins:     32,
		InteractionWave:        10,
		WaveZ:                  2,
		Seed:                   1,
		Scaling:                model.DefaultScaling(),
		Bands:                  opencredit.DefaultBands(),
	}
}

// Bag budget: with Bags 0, a model gets about BagRowBudget rows × bags of
// boosting, between MinBags and MaxBags bags.
const (
	BagRowBudget = 100_000
	MinBags      = 4
	MaxBags      = 8
)

// BagsFor is the number of bags chosen for rows training rows: averaging
// more bags lowers the variance of the shapes, which matters most where
// rows are few and costs least there, so the bags grow as the rows shrink,
// at a constant cost, from MinBags (25,000 rows or more) to MaxBags (12,500
// or fewer). On the four datasets measured (docs/ebm.md) more bags never
// lowered the AUC; past 8 they gained little for their time.
func BagsFor(rows int) int {
	if rows <= 0 {
		return MaxBags
	}
	return max(MinBags, min(MaxBags, BagRowBudget/rows))
}

// Validate checks every option and the spec, naming the first that is wrong.
func (c *Config) Validate() error {
	bad := func(format string, args ...any) error {
		return opencredit.Errorf(opencredit.EINVALID, "ebm: "+format, args...)
	}
	switch {
	case c.MaxBins < 3 || c.MaxBins > 1<<16:
		return bad("max bins %d is not in [3, 65536]", c.MaxBins)
	case !(c.RareShare >= 0 && c.RareShare < 1):
		return bad("rare share %v is not in [0, 1)", c.RareShare)
	case !(c.LearningRate > 0 && c.LearningRate <= 1):
		return bad("learning rate %v is not in (0, 1]", c.LearningRate)
	case c.MinCategoryRows < 1:
		return bad("min category rows %d is below 1", c.MinCategoryRows)
	case c.MaxLeaves < 2:
		return bad("max leaves %d is below 2", c.MaxLeaves)
	case c.MinSamplesLeaf < 1:
		return bad("min samples per leaf %d is below 1", c.MinSamplesLeaf)
	case !(c.MinHessian >= 0):
		return bad("min hessian %v is negative", c.MinHessian)
	case !(c.CategoryL2 >= 0):
		return bad("category L2 %v is negative", c.CategoryL2)
	case c.MaxRounds < 1:
		return bad("max rounds %d is below 1", c.MaxRounds)
	case c.EarlyStoppingRounds < 1:
		return bad("early stopping rounds %d is below 1", c.EarlyStoppingRounds)
	case !(c.EarlyStoppingTolerance >= 0):
		return bad("early stopping tolerance %v is negative", c.EarlyStoppingTolerance)
	case !(c.ValidationShare > 0 && c.ValidationShare <= 0.5):
		return bad("validation share %v is not in (0, 0.5]", c.ValidationShare)
	case c.Bags < 0:
		return bad("bags %d is negative", c.Bags)
	case c.Interactions < 0:
		return bad("interactions %d is negative", c.Interactions)
	case c.InteractionWave < 0:
		return bad("interaction wave %d is negative", c.InteractionWave)
	case !(c.WaveZ >= 0):
		return bad("wave z %v is negative", c.WaveZ)
	case c.MaxInteractionBins < 3 || c.MaxInteractionBins > 255:
		return bad("max interaction bins %d is not in [3, 255]", c.MaxInteractionBins)
	case c.Workers < 0:
		return bad("workers %d is negative", c.Workers)
	case !(c.Scaling.PDO > 0) || !(c.Scaling.BaseOdds > 0):
		return bad("scaling needs pdo > 0 and base odds > 0, got pdo %v, base odds %v", c.Scaling.PDO, c.Scaling.BaseOdds)
	case c.Scaling.Min >= c.Scaling.Max:
		return bad("scaling min %d is not below max %d", c.Scaling.Min, c.Scaling.Max)
	case c.ScaleTail < 0 || c.ScaleTail > training.MaxScaleTail:
		return bad("scale tail %v is not in [0, %v]", c.ScaleTail, training.MaxScaleTail)
	case len(c.Bands) == 0:
		return bad("no score bands")
	}
	return c.Spec.Validate()
}

// Options returns the training choices as recorded in model.Training.Options.
func (c *Config) Options() map[string]any {
	return map[string]any{
		"max_bins": c.MaxBins, "rare_share": c.RareShare, "learning_rate": c.LearningRate,
		"min_category_rows": c.MinCategoryRows, "max_leaves": c.MaxLeaves, "min_samples_leaf": c.MinSamplesLeaf,
		"min_hessian": c.MinHessian, "category_l2": c.CategoryL2, "max_rounds": c.MaxRounds,
		"early_stopping_rounds": c.EarlyStoppingRounds, "early_stopping_tolerance": c.EarlyStoppingTolerance,
		"validation_share": c.ValidationShare, "bags": c.Bags, "interactions": c.Interactions, "max_interaction_bins": c.MaxInteractionBins,
		"interaction_wave": c.InteractionWave, "wave_z": c.WaveZ, "seed": c.Seed,
		"scale_tail": c.ScaleTail,
	}
}
