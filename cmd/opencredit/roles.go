package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/crossval"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/ebm"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/policy"
	"github.com/opencredit/opencredit/scorecard"
	"github.com/opencredit/opencredit/training"
)

// dataFlags are the column roles every command that reads a CSV takes.
type dataFlags struct {
	data, target, id, sep string
	exclude, audit        []string
	kinds                 []string
}

func (d *dataFlags) register(c *cobra.Command, needTarget bool) {
	c.Flags().StringVar(&d.data, "data", "", "CSV file with a header row (required)")
	if needTarget {
		c.Flags().StringVar(&d.target, "target", "", "target column: 1 = bad (default), 0 = good (required)")
	}
	c.Flags().StringVar(&d.id, "id", "", `id column (default: a column named "id" if there is one; "-" for none)`)
	c.Flags().StringVar(&d.sep, "sep", ",", `field separator: ",", ";" or "tab"`)
	c.Flags().StringSliceVar(&d.exclude, "exclude", nil, "columns to ignore (comma-separated)")
	c.Flags().StringSliceVar(&d.audit, "audit", nil, "protected attributes, used only for the fairness report (comma-separated)")
	c.Flags().StringSliceVar(&d.kinds, "kind", nil, "override a column's kind: COL=numeric or COL=categorical (repeatable)")
	_ = c.MarkFlagRequired("data")
}

func (d *dataFlags) options(requireTarget bool, extraKinds map[string]string) (dataset.Options, error) {
	sep, err := dataset.ParseSep(d.sep)
	if err != nil {
		return dataset.Options{}, err
	}
	kinds := map[string]string{}
	for k, v := range extraKinds {
		kinds[k] = v
	}
	for _, kv := range d.kinds {
		name, kind, ok := strings.Cut(kv, "=")
		if !ok || (kind != dataset.Numeric && kind != dataset.Categorical) {
			return dataset.Options{}, opencredit.Errorf(opencredit.EINVALID, "--kind %q: want COL=numeric or COL=categorical", kv)
		}
		kinds[name] = kind
	}
	return dataset.Options{
		Sep: sep, Target: d.target, RequireTarget: requireTarget, ID: d.id,
		Exclude: d.exclude, Audit: d.audit, Kinds: kinds,
	}, nil
}

// trainFlags are the model-building choices of train and cv.
type trainFlags struct {
	data         dataFlags
	spec         string
	notProtected []string
	allowAge     bool
	kind         string // the --model: scorecard or ebm
	cfg          scorecard.Config
	ebm          ebm.Config
	searchPairs  []int         // --search-interactions: candidates, simplest first
	searchBudget time.Duration // --search-budget
	search       *crossval.Choice
	scale        string  // --scale: fit or fixed
	scaleTail    float64 // --scale-tail
	flags        *pflag.FlagSet
}

// kindScorecard is the --model of a WoE-logistic scorecard (ebm.Kind is the other).
const kindScorecard = "scorecard"

// Flags that apply to one kind of model only.
var (
	scorecardOnlyFlags = []string{"max-prebins", "min-bin-share", "min-goods", "min-bads", "max-bins", "rare-share", "min-iv", "max-corr", "l2"}
	ebmOnlyFlags       = []string{"fine-bins", "bags", "interactions", "interaction-wave", "wave-z", "learning-rate", "max-rounds", "seed", "search-interactions", "search-budget"}
)

func (t *trainFlags) register(c *cobra.Command) {
	t.data.register(c, true)
	_ = c.MarkFlagRequired("target")
	t.cfg = scorecard.DefaultConfig()
	t.ebm = ebm.DefaultConfig()
	f := c.Flags()
	t.flags = f
	f.StringVar(&t.kind, "model", kindScorecard, "the model to train: scorecard (WoE logistic) or ebm (explainable boosting: a points table with gradient-boosting accuracy)")
	f.IntVar(&t.ebm.MaxBins, "fine-bins", t.ebm.MaxBins, "ebm: most fine bins per feature, missing included (at most 256)")
	f.IntVar(&t.ebm.Bags, "bags", t.ebm.Bags, "ebm: outer bags whose shape functions are averaged; 0 chooses them from the rows (4 at 25,000 rows or more, up to 8 at 12,500 or fewer)")
	f.IntVar(&t.ebm.Interactions, "interactions", t.ebm.Interactions, "ebm: most pairwise interaction tables, ranked by FAST and kept in waves while they lower the validation loss (each a reason line of its own); 0 for main effects only")
	f.IntVar(&t.ebm.InteractionWave, "interaction-wave", t.ebm.InteractionWave, "ebm: let the data choose how many of the --interactions pairs to keep: boost them in waves of this many, keep the first, and stop at the first wave that does not lower the validation loss by more than --wave-z standard errors; 0 keeps them all")
	f.Float64Var(&t.ebm.WaveZ, "wave-z", t.ebm.WaveZ, "ebm: how many standard errors the validation log-loss must fall for a further wave of pairs to be kept")
	f.IntSliceVar(&t.searchPairs, "search-interactions", nil, "ebm: choose the number of pairs from the data among these, simplest first (such as 0,5,10,20,40): each is trained on 80% of the training rows and measured on the other 20%")
	f.DurationVar(&t.searchBudget, "search-budget", 10*time.Minute, "ebm: with --search-interactions, the most time the search may take")
	f.Float64Var(&t.ebm.LearningRate, "learning-rate", t.ebm.LearningRate, "ebm: shrinkage of every boosting step")
	f.IntVar(&t.ebm.MaxRounds, "max-rounds", t.ebm.MaxRounds, "ebm: most boosting rounds per bag (early stopping usually ends sooner)")
	f.Uint64Var(&t.ebm.Seed, "seed", t.ebm.Seed, "ebm: random seed of the bags and validation splits; the same seed gives the same model")
	f.StringVar(&t.spec, "spec", "", "YAML feature spec: dimensions, labels, reason codes, trends, fixed cut points")
	f.StringSliceVar(&t.notProtected, "not-protected", nil, "columns whose names look protected but are not (recorded in the model)")
	f.BoolVar(&t.allowAge, "allow-age", false, "allow a person's age as an input under 12 CFR 1002.6(b)(2): applicants aged 62+ must get no fewer points than younger ones")
	f.IntVar(&t.cfg.MaxPrebins, "max-prebins", t.cfg.MaxPrebins, "quantile pre-bins per numeric feature")
	f.Float64Var(&t.cfg.MinBinShare, "min-bin-share", t.cfg.MinBinShare, "smallest share of rows in a bin")
	f.IntVar(&t.cfg.MinGoods, "min-goods", t.cfg.MinGoods, "fewest goods in a bin")
	f.IntVar(&t.cfg.MinBads, "min-bads", t.cfg.MinBads, "fewest bads in a bin")
	f.IntVar(&t.cfg.MaxBins, "max-bins", t.cfg.MaxBins, "most bins per feature, missing aside")
	f.Float64Var(&t.cfg.RareShare, "rare-share", t.cfg.RareShare, `categories below this share of rows are pooled as "other"`)
	f.Float64Var(&t.cfg.MinIV, "min-iv", t.cfg.MinIV, "drop features whose information value is below this")
	f.Float64Var(&t.cfg.MaxCorr, "max-corr", t.cfg.MaxCorr, "of two features whose WoE correlate above this, drop the lower-IV one")
	f.Float64Var(&t.cfg.L2, "l2", t.cfg.L2, "ridge penalty on the logistic coefficients")
	f.Float64Var(&t.cfg.Scaling.BaseScore, "base-score", t.cfg.Scaling.BaseScore, "score at the base odds")
	f.Float64Var(&t.cfg.Scaling.BaseOdds, "base-odds", t.cfg.Scaling.BaseOdds, "good:bad odds at the base score")
	f.Float64Var(&t.cfg.Scaling.PDO, "pdo", t.cfg.Scaling.PDO, "points to double the odds")
	f.IntVar(&t.cfg.Scaling.Min, "min-score", t.cfg.Scaling.Min, "lowest score")
	f.IntVar(&t.cfg.Scaling.Max, "max-score", t.cfg.Scaling.Max, "highest score")
	f.StringVar(&t.scale, "scale", scaleFit, "fit: fit the base score and points to double to the training rows, so that about --scale-tail of them sit at either end of the range; fixed: take --base-score and --pdo as given (the default when either is given)")
	f.Float64Var(&t.scaleTail, "scale-tail", training.DefaultScaleTail, "with --scale fit: the share of training rows that may sit at either end of the score range")
}

// The --scale choices.
const (
	scaleFit   = "fit"
	scaleFixed = "fixed"
)

// settleScale decides between a fitted and a fixed scale: --base-score or
// --pdo fix the scale unless --scale fit says otherwise, which is then an
// error; --base-odds is the odds a fitted scale names its base score at.
func (t *trainFlags) settleScale() error {
	changed := func(name string) bool { return t.flags != nil && t.flags.Changed(name) }
	fixing := changed("base-score") || changed("pdo")
	switch {
	case t.scale != scaleFit && t.scale != scaleFixed:
		return opencredit.Errorf(opencredit.EINVALID, "--scale %q: want fit or fixed", t.scale)
	case t.scale == scaleFit && fixing && changed("scale"):
		return opencredit.Errorf(opencredit.EINVALID, "--scale fit fits the base score and points to double; drop --base-score and --pdo, or use --scale fixed")
	case fixing:
		t.scale = scaleFixed
	}
	if t.scale == scaleFixed {
		if changed("scale-tail") {
			return opencredit.Errorf(opencredit.EINVALID, "--scale-tail applies to a fitted scale, not to --scale fixed")
		}
		t.cfg.ScaleTail, t.ebm.ScaleTail = 0, 0
		return nil
	}
	if !(t.scaleTail > 0 && t.scaleTail <= training.MaxScaleTail) {
		return opencredit.Errorf(opencredit.EINVALID, "--scale-tail %v: want a share in (0, %v]", t.scaleTail, training.MaxScaleTail)
	}
	t.cfg.ScaleTail, t.ebm.ScaleTail = t.scaleTail, t.scaleTail
	return nil
}

// validate checks the numeric options.
func (t *trainFlags) validate() error {
	if err := t.settleScale(); err != nil {
		return err
	}
	c := t.cfg
	if t.kind != kindScorecard && t.kind != ebm.Kind {
		return opencredit.Errorf(opencredit.EINVALID, "--model %q: want scorecard or ebm", t.kind)
	}
	other := ebmOnlyFlags
	if t.kind == ebm.Kind {
		other = scorecardOnlyFlags
	}
	for _, name := range other {
		if t.flags != nil && t.flags.Changed(name) {
			return opencredit.Errorf(opencredit.EINVALID, "--%s does not apply to --model %s", name, t.kind)
		}
	}
	for i, k := range t.searchPairs {
		if k < 0 || k > 200 || (i > 0 && k <= t.searchPairs[i-1]) {
			return opencredit.Errorf(opencredit.EINVALID, "--search-interactions %v: want rising numbers of pairs from 0 to 200, simplest first", t.searchPairs)
		}
	}
	if len(t.searchPairs) > 0 && t.flags != nil && t.flags.Changed("interactions") {
		return opencredit.Errorf(opencredit.EINVALID, "--interactions fixes the number of pairs and --search-interactions chooses it: give one")
	}
	if len(t.searchPairs) > 0 && t.flags != nil && (t.flags.Changed("interaction-wave") || t.flags.Changed("wave-z")) {
		return opencredit.Errorf(opencredit.EINVALID, "--search-interactions tries fixed numbers of pairs and --interaction-wave or --wave-z grow them in waves: give one")
	}
	if t.searchBudget < 0 {
		return opencredit.Errorf(opencredit.EINVALID, "--search-budget %s is negative", t.searchBudget)
	}
	if t.kind == ebm.Kind {
		e := t.ebmConfig(scorecard.Config{Scaling: c.Scaling, Bands: c.Bands})
		if err := e.Validate(); err != nil {
			return err
		}
	}
	switch {
	case c.MaxPrebins < 2:
		return opencredit.Errorf(opencredit.EINVALID, "--max-prebins must be at least 2")
	case c.MinBinShare < 0 || c.MinBinShare >= 0.5:
		return opencredit.Errorf(opencredit.EINVALID, "--min-bin-share must be in [0, 0.5)")
	case c.MinGoods < 0 || c.MinBads < 0:
		return opencredit.Errorf(opencredit.EINVALID, "--min-goods and --min-bads may not be negative")
	case c.MaxBins < 1:
		return opencredit.Errorf(opencredit.EINVALID, "--max-bins must be at least 1")
	case c.RareShare < 0 || c.RareShare >= 1:
		return opencredit.Errorf(opencredit.EINVALID, "--rare-share must be in [0, 1)")
	case c.MaxCorr <= 0 || c.MaxCorr > 1:
		return opencredit.Errorf(opencredit.EINVALID, "--max-corr must be in (0, 1]")
	case c.L2 < 0:
		return opencredit.Errorf(opencredit.EINVALID, "--l2 may not be negative")
	case !(c.Scaling.PDO > 0) || !(c.Scaling.BaseOdds > 0):
		return opencredit.Errorf(opencredit.EINVALID, "--pdo and --base-odds must be positive")
	case c.Scaling.Min >= c.Scaling.Max:
		return opencredit.Errorf(opencredit.EINVALID, "--min-score must be below --max-score")
	}
	return nil
}

// load reads the training data and applies the protected-trait policy.
func (t *trainFlags) load() (*dataset.Frame, scorecard.Config, error) {
	if err := t.validate(); err != nil {
		return nil, t.cfg, err
	}
	cfg := t.cfg // as validate settled it
	if t.spec != "" {
		s, err := training.LoadSpec(t.spec)
		if err != nil {
			return nil, cfg, err
		}
		cfg.Spec = s
	}
	opt, err := t.data.options(true, cfg.Spec.Kinds())
	if err != nil {
		return nil, cfg, err
	}
	f, err := dataset.ReadFile(t.data.data, opt)
	if err != nil {
		return nil, cfg, err
	}
	// Derived characteristics become columns before the policy check, so
	// that their names are checked as every input's is; AddDerived refuses
	// one that takes a protected attribute.
	if _, err := training.AddDerived(f, cfg.Spec); err != nil {
		return nil, cfg, err
	}
	var names []string
	for _, c := range f.Features {
		names = append(names, c.Name)
	}
	cfg.Spec = withRegistryDefaults(cfg.Spec, names)
	ages, err := policy.CheckInputs(names, policy.Declarations{
		Audit: t.data.audit, Exclude: t.data.exclude, NotProtected: t.notProtected, AllowAge: t.allowAge,
	})
	if err != nil {
		return nil, cfg, fmt.Errorf("%s: %w", f.File, err)
	}
	cfg.AgeColumns = ages
	return f, cfg, nil
}

// ebmConfig is the EBM configuration of the flags, with the scaling, spec
// and allowed age columns that load settled in cfg.
func (t *trainFlags) ebmConfig(cfg scorecard.Config) ebm.Config {
	e := t.ebm
	e.Scaling, e.ScaleTail, e.Bands, e.Spec, e.AgeColumns = cfg.Scaling, cfg.ScaleTail, cfg.Bands, cfg.Spec, cfg.AgeColumns
	return e
}

// train trains the model the flags ask for on cols and y.
func (t *trainFlags) train(cols []*dataset.Column, y []float64, cfg scorecard.Config) (*model.Model, error) {
	if t.kind != ebm.Kind {
		return scorecard.Train(cols, y, cfg)
	}
	e := t.ebmConfig(cfg)
	if len(t.searchPairs) > 0 {
		// The number of pairs from the data: each candidate trained on an
		// inner 80% of these rows and measured on the other 20%.
		// The candidates are fixed numbers of pairs, so no waves.
		e.InteractionWave, t.ebm.InteractionWave = 0, 0
		f := &dataset.Frame{File: "the training rows", Features: cols, Y: y, Lines: make([]int, len(y))}
		c, err := crossval.Choose(f, t.searchPairs, func(fr *dataset.Frame, k int) (*model.Model, error) {
			inner := e
			inner.Interactions = k
			return ebm.Train(fr.Features, fr.Y, inner)
		}, crossval.ChooseOptions{ValidationShare: 0.2, Seed: e.Seed, Budget: t.searchBudget, Tolerance: 0.0005})
		if err != nil {
			return nil, err
		}
		e.Interactions, t.ebm.Interactions, t.search = c.Value, c.Value, &c
	}
	return ebm.Train(cols, y, e)
}

// record stores in the model what it was trained from and with.
func (t *trainFlags) record(m *model.Model, f *dataset.Frame) {
	var bads int
	for _, v := range f.Y {
		if v > 0.5 {
			bads++
		}
	}
	m.Target = f.TargetName
	m.Training = model.Training{
		File: f.File, SHA256: f.SHA256, Rows: f.Rows(), Bads: bads,
		Excluded: t.data.exclude, Audit: t.data.audit, NotProtected: t.notProtected, AllowAge: t.allowAge,
		Options: map[string]any{
			"max_prebins": t.cfg.MaxPrebins, "min_bin_share": t.cfg.MinBinShare, "min_goods": t.cfg.MinGoods,
			"min_bads": t.cfg.MinBads, "max_bins": t.cfg.MaxBins, "rare_share": t.cfg.RareShare,
			"min_iv": t.cfg.MinIV, "max_corr": t.cfg.MaxCorr, "l2": t.cfg.L2, "spec": t.spec,
			"scale_tail": t.cfg.ScaleTail,
		},
	}
	if t.kind == ebm.Kind {
		e := t.ebm
		m.Training.Options = e.Options()
		m.Training.Options["spec"] = t.spec
		if e.Bags == 0 {
			// As Train chose them from the rows.
			m.Training.Options["bags"] = int(m.Metrics["bags"])
			m.Training.Options["bags_from_rows"] = true
		}
		if t.search != nil {
			m.Training.Options["interactions_search"] = *t.search
		}
	}
}

// withRegistryDefaults gives every column named after a live feature (a
// training set written by 'opencredit snapshot') its dimension, label and
// unit from the feature registry and its monotone trend from
// training.LiveTrends, unless the spec says otherwise.
func withRegistryDefaults(s training.Spec, columns []string) training.Spec {
	out := training.Spec{Features: map[string]training.FeatureSpec{}}
	for name, fs := range s.Features {
		out.Features[name] = fs
	}
	for _, c := range columns {
		d, ok := features.Lookup(c)
		if !ok {
			continue
		}
		fs := out.Features[c]
		if fs.Dimension == "" {
			fs.Dimension = d.Dimension
		}
		if fs.Label == "" {
			fs.Label = features.Labels[c]
		}
		if fs.Unit == "" {
			fs.Unit = features.ReasonUnit(d)
		}
		if fs.Trend == "" {
			fs.Trend = training.LiveTrends[c] // the scorecard too: identity level 2 never earns less than 1
		}
		out.Features[c] = fs
	}
	return out
}
