package scorecard

import (
	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/training"
)

// Config holds every training choice. DefaultConfig gives the documented
// defaults; the zero Config is not usable.
type Config struct {
	MaxPrebins  int     // quantile pre-bins per numeric feature (20)
	MinBinShare float64 // smallest share of rows in a bin (0.05)
	MinGoods    int     // fewest goods in a bin (5)
	MinBads     int     // fewest bads in a bin (5)
	MaxBins     int     // most bins per feature, missing bin aside (10)
	RareShare   float64 // categories below this share of rows are pooled as "other" (0.01)
	MinIV       float64 // features below this information value are dropped (0.02)
	MaxCorr     float64 // of two features whose WoE values correlate above this, the lower-IV one is dropped (0.8)
	L2          float64 // ridge penalty on the logistic coefficients, on the summed log-likelihood (1e-4)
	Scaling     model.Scaling
	// ScaleTail, when above 0, fits Scaling's base score and points to
	// double to the training rows so that about this share of them sits at
	// either end of the range (training.FitScaling); 0 keeps Scaling as given.
	ScaleTail float64
	Bands     []opencredit.Band
	Spec      training.Spec
	// AgeColumns are columns holding a person's age that the developer allowed
	// (--allow-age); training fails unless applicants aged 62 or more earn no
	// fewer points than any younger bin (12 CFR 1002.6(b)(2)(iv)).
	AgeColumns []string
	Workers    int // parallel binning; 0 means GOMAXPROCS
}

// DefaultConfig returns the defaults named on Config's fields.
func DefaultConfig() Config {
	return Config{
		MaxPrebins:  20,
		MinBinShare: 0.05,
		MinGoods:    5,
		MinBads:     5,
		MaxBins:     10,
		RareShare:   0.01,
		MinIV:       0.02,
		MaxCorr:     0.8,
		L2:          1e-4,
		Scaling:     model.DefaultScaling(),
		Bands:       opencredit.DefaultBands(),
	}
}
