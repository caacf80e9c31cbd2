package crossval

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/measure"
	"github.com/opencredit/opencredit/model"
)

// Choosing a model's capacity from the data: each candidate value (the
// number of EBM pairs, say) is trained on an inner split of the training
// rows and measured on the rest, within a time budget, and the best is
// kept. Nothing of the outer test data is seen, so a cross-validation
// around it stays honest (nested cross-validation: Varma and Simon, "Bias
// in error estimation when using cross-validation for model selection",
// BMC Bioinformatics 7:91, 2006).

// ChooseOptions bound the search.
type ChooseOptions struct {
	// ValidationShare of the rows, drawn at random by Seed within each
	// class (stratified), measures each candidate; the rest train it.
	ValidationShare float64
	Seed            uint64
	// Budget bounds the search's time: a candidate is not started when the
	// last one's time would take the search past it. The first candidate
	// always runs.
	Budget time.Duration
	// Tolerance: a larger candidate must beat the best smaller one's
	// validation AUC by more than this to be chosen; otherwise the simpler
	// model wins.
	Tolerance float64
	Now       func() time.Time
}

// Trial is one candidate's result.
type Trial struct {
	Value   int     `json:"value"`
	AUC     float64 `json:"auc"`
	Seconds float64 `json:"seconds"`
}

// Choice is the search's outcome.
type Choice struct {
	Value  int     `json:"value"`
	Trials []Trial `json:"trials"`
	// Stopped says why candidates were left untried, "" when none was.
	Stopped string `json:"stopped,omitempty"`
}

// Choose tries candidates, in the order given (simplest first), training
// each with train on the inner training rows of f and measuring its AUC on
// the inner validation rows.
func Choose(f *dataset.Frame, candidates []int, train func(*dataset.Frame, int) (*model.Model, error), o ChooseOptions) (Choice, error) {
	switch {
	case len(candidates) == 0:
		return Choice{}, opencredit.Errorf(opencredit.EINVALID, "capacity search: no candidates")
	case !(o.ValidationShare > 0 && o.ValidationShare < 0.5):
		return Choice{}, opencredit.Errorf(opencredit.EINVALID, "capacity search: validation share %v is not in (0, 0.5)", o.ValidationShare)
	case f.Y == nil:
		return Choice{}, opencredit.Errorf(opencredit.EINVALID, "%s: the capacity search needs a target column", f.File)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	inner, valid := stratifiedSplit(f.Y, o.ValidationShare, o.Seed)
	if len(valid) < 20 {
		return Choice{}, opencredit.Errorf(opencredit.EINVALID, "%s: %d rows leave too few (%d) to choose the capacity on", f.File, f.Rows(), len(valid))
	}
	tr, va := f.Subset(inner), f.Subset(valid)
	start := o.Now()
	var c Choice
	best := -1
	var last time.Duration
	for k, v := range candidates {
		if k > 0 && o.Budget > 0 && o.Now().Sub(start)+last > o.Budget {
			c.Stopped = fmt.Sprintf("the %s budget would be passed: %v left untried", o.Budget, candidates[k:])
			break
		}
		t0 := o.Now()
		m, err := train(tr, v)
		if err != nil {
			return Choice{}, fmt.Errorf("capacity search, candidate %d: %w", v, err)
		}
		pd, _, err := ScoreAll(m, va)
		if err != nil {
			return Choice{}, fmt.Errorf("capacity search, candidate %d: %w", v, err)
		}
		last = o.Now().Sub(t0)
		c.Trials = append(c.Trials, Trial{Value: v, AUC: measure.AUC(pd, va.Y), Seconds: last.Seconds()})
		if best < 0 || c.Trials[len(c.Trials)-1].AUC > c.Trials[best].AUC+o.Tolerance {
			best = len(c.Trials) - 1
		}
	}
	c.Value = c.Trials[best].Value
	return c, nil
}

// stratifiedSplit draws share of each class's rows for validation.
func stratifiedSplit(y []float64, share float64, seed uint64) (train, valid []int) {
	r := rand.New(rand.NewPCG(seed, 0x636170616369)) // "capaci"
	for _, class := range []float64{0, 1} {
		var rows []int
		for i, v := range y {
			if v == class {
				rows = append(rows, i)
			}
		}
		r.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
		n := int(float64(len(rows))*share + 0.5)
		valid = append(valid, rows[:n]...)
		train = append(train, rows[n:]...)
	}
	return train, valid
}
