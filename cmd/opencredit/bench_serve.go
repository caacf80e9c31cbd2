package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/bench"
)

func newBenchServeCmd(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	var sf storeFlags
	var cfg bench.ServeConfig
	var asJSON bool
	c := &cobra.Command{
		Use:     "serve [--store sqlite|postgres] --subjects N --duration D [--concurrency C] [--json]",
		Short:   "Measure GET score over loopback, audit write included, against a trivial handler in the same run",
		Example: "  opencredit bench serve --subjects 100000 --duration 15s --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.Subjects < 1 || cfg.Concurrency < 1 || cfg.Duration <= 0 {
				return opencredit.Errorf(opencredit.EINVALID, "--subjects and --concurrency must be at least 1 and --duration positive")
			}
			cfg.Store, cfg.Start = sf.kind, genStart
			res, err := bench.Serve(cmd.Context(), cfg, benchStores(sf, getenv), openAuditLog, stderr)
			if err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(stdout).Encode(res)
			}
			fmt.Fprintf(stdout, "%s: %d subjects, %d goroutines, %.0fs: %.0f scores/s (p50 %.2f ms, p99 %.2f ms, %d errors); trivial handler %.0f req/s; ratio %.3f\n",
				res.Store, res.Subjects, res.Concurrency, res.DurationS, res.ScoresPerSec, res.P50ms, res.P99ms, res.Errors, res.BaselinePerSec, res.Ratio)
			return nil
		},
	}
	sf.register(c)
	c.Flags().IntVar(&cfg.Subjects, "subjects", 100000, "people registered and scored at random")
	c.Flags().DurationVar(&cfg.Duration, "duration", 15*time.Second, "how long each of the two runs lasts")
	c.Flags().IntVar(&cfg.Concurrency, "concurrency", 16, "requests in flight at once")
	c.Flags().Uint64Var(&cfg.Seed, "seed", 1, "random seed of the history and of the subjects picked")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	c.Flags().StringVar(&cfg.CPUProfile, "cpuprofile", "", "write a CPU profile of the scoring run (server and load together) to this file")
	return c
}
