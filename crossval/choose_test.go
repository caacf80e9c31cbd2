package crossval_test

import (
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit/crossval"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/internal/publicdata"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/scorecard"
)

// TestChoose picks, among scorecards of 2, 4 and 10 bins per feature on
// German, the one whose inner validation AUC is best, a larger one only
// when it beats a smaller by more than the tolerance; with each trial
// taking a minute on an injected clock, a 150 s budget runs two and says
// which were left.
func TestChoose(t *testing.T) {
	f := publicdata.Read(t, "german.csv")
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	train := func(fr *dataset.Frame, bins int) (*model.Model, error) {
		clock = clock.Add(time.Minute)
		cfg := scorecard.DefaultConfig()
		cfg.MaxBins = bins
		return scorecard.Train(fr.Features, fr.Y, cfg)
	}
	c, err := crossval.Choose(f, []int{2, 4, 10}, train, crossval.ChooseOptions{ValidationShare: 0.2, Seed: 1, Tolerance: 0.0005, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Trials) != 3 || c.Stopped != "" {
		t.Fatalf("trials %+v, stopped %q; want all three", c.Trials, c.Stopped)
	}
	best := c.Trials[0]
	for _, tr := range c.Trials[1:] {
		if tr.AUC > best.AUC+0.0005 {
			best = tr
		}
	}
	if c.Value != best.Value || c.Trials[0].Seconds != 60 {
		t.Errorf("chose %d from %+v, want %d", c.Value, c.Trials, best.Value)
	}
	t.Logf("trials %+v, chose %d bins", c.Trials, c.Value)
	if c.Trials[0].AUC >= c.Trials[1].AUC {
		t.Errorf("two bins per feature (%.4f) rank as well as four (%.4f): the search measures nothing", c.Trials[0].AUC, c.Trials[1].AUC)
	}

	c, err = crossval.Choose(f, []int{2, 4, 10}, train, crossval.ChooseOptions{ValidationShare: 0.2, Seed: 1, Budget: 150 * time.Second, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Trials) != 2 || !strings.Contains(c.Stopped, "[10] left untried") {
		t.Errorf("with a 150 s budget: %d trials, stopped %q; want 2 and 10 left", len(c.Trials), c.Stopped)
	}
	if _, err := crossval.Choose(f, nil, train, crossval.ChooseOptions{ValidationShare: 0.2}); err == nil {
		t.Error("no candidates: no error")
	}
	if _, err := crossval.Choose(f, []int{1}, train, crossval.ChooseOptions{ValidationShare: 0.6}); err == nil {
		t.Error("validation share 0.6: no error")
	}
}
