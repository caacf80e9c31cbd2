package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/demo"
	"github.com/opencredit/opencredit/ebm"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/scorecard"
	"github.com/opencredit/opencredit/training"
)

func newDemoCmd(stdout, stderr io.Writer) *cobra.Command {
	var pf simFlags
	var kind, dir, addr string
	c := &cobra.Command{
		Use:   "demo [--dir D] [--addr HOST:PORT]",
		Short: "Run OpenCredit on a simulated population: store, train, serve, and print what to try",
		Long: `Demo creates an embedded store (in a temporary directory unless --dir), simulates a population
(20,000 people over 24 months by default), builds a point-in-time training set as of month 12 with
the outcome over the 12 months after, trains and activates a scorecard, creates a demo lender,
operator and a few demo people with their tokens, and serves the API until interrupted. It prints
the keys and the requests to try. Everything uses the public demo key for personal data: never
put real data in a demo store.`,
		Example: "  go run ./cmd/opencredit demo\n  opencredit demo --dir demo-data --addr 127.0.0.1:9090",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), pf, kind, dir, addr, stdout, stderr)
		},
	}
	pf.register(c, 20000)
	c.Flags().StringVar(&kind, "model", kindScorecard, "the model to train and serve: scorecard or ebm (explainable boosting)")
	c.Flags().StringVar(&dir, "dir", "", "directory for the store, model, keys and audit log (default: a new temporary directory, removed at exit)")
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to serve on")
	return c
}

// runDemo checks the flags, takes the port, opens the store in dir (a new
// temporary directory when empty), has package demo build the demo in it,
// and serves it with its audit log until ctx ends.
func runDemo(ctx context.Context, pf simFlags, kind, dir, addr string, stdout, stderr io.Writer) error {
	began := time.Now()
	if kind != kindScorecard && kind != ebm.Kind {
		return opencredit.Errorf(opencredit.EINVALID, "--model %q: want scorecard or ebm", kind)
	}
	if pf.cfg.Months < 13 {
		return opencredit.Errorf(opencredit.EINVALID, "--months must be at least 13: the demo trains on month 12 and the months after it")
	}
	s, err := pf.simulator(began)
	if err != nil {
		return err
	}
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	defer ln.Close() // serve closes it too; this is for the early returns
	if dir == "" {
		if dir, err = os.MkdirTemp("", "opencredit-demo-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	step := func(format string, args ...any) {
		fmt.Fprintf(stderr, "[%5.1fs] %s\n", time.Since(began).Seconds(), fmt.Sprintf(format, args...))
	}
	step("data directory %s", dir)

	dbPath := filepath.Join(dir, "opencredit.db")
	if _, err := os.Stat(dbPath); err == nil {
		return opencredit.Errorf(opencredit.EINVALID, "--dir %s already holds a store: give an empty or new directory", dir)
	}
	sf := storeFlags{kind: "sqlite", dir: dir, demo: true}
	st, err := sf.open(ctx, os.Getenv)
	if err != nil {
		return err
	}
	defer st.Close()

	bar := progressbar.NewOptions(s.Config().Subjects, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("simulating and storing people"),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
	endBar := sync.OnceFunc(func() { bar.Finish() }) // once the population is stored, before the first step after it
	d, err := demo.Build(ctx, st, s, demo.Config{
		Dir:      dir,
		Train:    func(path string) (*model.Model, error) { return trainDemoModel(path, kind) },
		Now:      time.Now,
		Step:     func(format string, args ...any) { endBar(); step(format, args...) },
		Progress: func(people int) { bar.Set(people) },
	})
	endBar()
	if err != nil {
		return err
	}

	log, closeAudit, err := sf.openAudit(ctx, os.Getenv, d.Signer, d.Verifier)
	if err != nil {
		return err
	}
	defer closeAudit()
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	if f, err := os.Create(filepath.Join(dir, "server.log")); err == nil {
		defer f.Close()
		logger = slog.New(slog.NewJSONHandler(f, nil))
	}
	handler, err := d.Handler(st, log, logger)
	if err != nil {
		return err
	}
	return serve(ctx, ln, "", "", handler, log, nil, logger, io.Discard, func(url string) {
		step("serving on %s", url)
		d.WriteGuide(stdout, url)
		d.WriteEnv(url)
	})
}

// trainDemoModel trains a model of the kind (scorecard or ebm) on the
// snapshot at path with the default configuration, as 'opencredit train
// --model kind --target label --id subject'.
func trainDemoModel(path, kind string) (*model.Model, error) {
	f, err := dataset.ReadFile(path, dataset.Options{Target: "label", ID: "subject", RequireTarget: true})
	if err != nil {
		return nil, err
	}
	t := trainFlags{kind: kind, cfg: scorecard.DefaultConfig(), ebm: ebm.DefaultConfig(), scale: scaleFit, scaleTail: training.DefaultScaleTail}
	if err := t.validate(); err != nil {
		return nil, err
	}
	cfg := t.cfg
	cfg.Spec = withRegistryDefaults(cfg.Spec, f.Header)
	m, err := t.train(f.Features, f.Y, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	t.record(m, f)
	m.Training.ID = "subject"
	return m, nil
}
