package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/bench"
	"github.com/opencredit/opencredit/importer"
)

func newBenchCmd(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	c := &cobra.Command{Use: "bench", Short: "Measure throughput against a baseline run in the same process"}
	c.AddCommand(newBenchIngestCmd(getenv, stdout, stderr))
	c.AddCommand(newBenchServeCmd(getenv, stdout, stderr))
	c.AddCommand(newBenchLoadCmd(getenv, stdout, stderr))
	c.AddCommand(newBenchSizeCmd(getenv, stdout, stderr))
	c.AddCommand(newBenchTrainCmd(stdout, stderr))
	return c
}

// benchStores opens the benchmarks' fresh stores as the store flags say:
// SQLite in the directory the benchmark gives, or PostgreSQL in a schema
// named after the run. Benchmark data carries no PII: the demo key will do.
func benchStores(sf storeFlags, getenv func(string) string) bench.OpenFunc {
	sf.demo = true
	return func(ctx context.Context, name, dir string) (opencredit.Store, error) {
		if sf.kind == "sqlite" {
			sf.dir = dir
		}
		return openFresh(ctx, &sf, getenv, name)
	}
}

func newBenchIngestCmd(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	var sf storeFlags
	var cfg bench.IngestConfig
	var asJSON bool
	c := &cobra.Command{
		Use:     "ingest [--store sqlite|postgres] --events N --subjects M [--json]",
		Short:   "Ingest generated events with features updated, and insert the same rows raw, in one run",
		Example: "  opencredit bench ingest --store sqlite --events 1000000 --subjects 50000 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.Events < 1 || cfg.Subjects < 1 || cfg.Batch < 1 {
				return opencredit.Errorf(opencredit.EINVALID, "--events, --subjects and --batch must be at least 1")
			}
			if cfg.Batch > importer.MaxBatch {
				return opencredit.Errorf(opencredit.EINVALID, "--batch must be at most %d", importer.MaxBatch)
			}
			if cfg.Repeat < 1 || cfg.Repeat > 20 {
				return opencredit.Errorf(opencredit.EINVALID, "--repeat must be between 1 and 20")
			}
			cfg.Store, cfg.Start = sf.kind, genStart
			res, err := bench.Ingest(cmd.Context(), cfg, benchStores(sf, getenv), stderr)
			if err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(stdout).Encode(res)
			}
			fmt.Fprintf(stdout, "%s: %d events (%d accepted) in %.2fs: %.0f events/s with features; raw inserts %.0f rows/s; ratio %.2f\n",
				res.Store, res.Events, res.Accepted, res.Seconds, res.EventsPerSec, res.RawRowsPerSec, res.Ratio)
			return nil
		},
	}
	sf.register(c)
	c.Flags().IntVar(&cfg.Events, "events", 1000000, "events to ingest")
	c.Flags().IntVar(&cfg.Subjects, "subjects", 50000, "people")
	c.Flags().IntVar(&cfg.Batch, "batch", importer.DefaultBatch, "events per transaction, as import's --batch")
	c.Flags().Uint64Var(&cfg.Seed, "seed", 1, "random seed")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	c.Flags().StringVar(&cfg.CPUProfile, "cpuprofile", "", "write a CPU profile of both runs to this file")
	c.Flags().IntVar(&cfg.Repeat, "repeat", 1, "run both N times, each on fresh stores, and report the medians with every run")
	return c
}
