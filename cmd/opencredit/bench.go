package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventgen"
	"github.com/opencredit/opencredit/importer"
)

func newBenchCmd(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	c := &cobra.Command{Use: "bench", Short: "Measure throughput against a baseline run in the same process"}
	c.AddCommand(newBenchIngestCmd(getenv, stdout, stderr))
	c.AddCommand(newBenchServeCmd(getenv, stdout, stderr))
	c.AddCommand(newBenchTrainCmd(stdout, stderr))
	return c
}

// ingestResult is what bench ingest prints.
type ingestResult struct {
	Store          string  `json:"store"`
	Events         int     `json:"events"`
	Subjects       int     `json:"subjects"`
	Batch          int     `json:"batch"`
	Accepted       int     `json:"accepted"`
	Seconds        float64 `json:"seconds"`
	EventsPerSec   float64 `json:"events_per_sec"`
	RawSeconds     float64 `json:"raw_seconds"`
	RawRowsPerSec  float64 `json:"raw_rows_per_sec"`
	Ratio          float64 `json:"ratio"`
	PeakHeapMB     float64 `json:"peak_heap_mb,omitempty"`
	Seed           uint64  `json:"seed"`
	GeneratedMonth int     `json:"months"`
	// With --repeat, the figures above are the medians of these runs (the
	// ratio the median of each run's own ratio).
	Runs []ingestRun `json:"runs,omitempty"`
}

// ingestRun is one ingestion run and the raw run after it.
type ingestRun struct {
	EventsPerSec  float64 `json:"events_per_sec"`
	RawRowsPerSec float64 `json:"raw_rows_per_sec"`
	Ratio         float64 `json:"ratio"`
}

// median returns the median of xs, which it sorts.
func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// rawInserter is the baseline every store offers: the same rows into the
// events table, without validation or features.
type rawInserter interface {
	RawInsert(ctx context.Context, events []opencredit.Event) error
}

func newBenchIngestCmd(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	var sf storeFlags
	var events, subjects, batch, repeat int
	var seed uint64
	var asJSON bool
	var cpuProfile string
	c := &cobra.Command{
		Use:     "ingest [--store sqlite|postgres] --events N --subjects M [--json]",
		Short:   "Ingest generated events with features updated, and insert the same rows raw, in one run",
		Example: "  opencredit bench ingest --store sqlite --events 1000000 --subjects 50000 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if events < 1 || subjects < 1 || batch < 1 {
				return opencredit.Errorf(opencredit.EINVALID, "--events, --subjects and --batch must be at least 1")
			}
			if batch > importer.MaxBatch {
				return opencredit.Errorf(opencredit.EINVALID, "--batch must be at most %d", importer.MaxBatch)
			}
			if repeat < 1 || repeat > 20 {
				return opencredit.Errorf(opencredit.EINVALID, "--repeat must be between 1 and 20")
			}
			sf.demo = true // benchmark data carries no PII
			all, g := eventgen.Sample(eventgen.GenConfig{Seed: seed, Subjects: subjects, Furnishers: 10, Start: genStart}, events)
			months := g.Months()
			fmt.Fprintf(stderr, "generated %d events for %d subjects over %d months\n", len(all), subjects, months)
			stopProfile, err := startCPUProfile(cpuProfile)
			if err != nil {
				return err
			}
			defer stopProfile()

			run := func(name string, dir string, fn func(st opencredit.Store, b []opencredit.Event) error) (float64, error) {
				if sf.kind == "sqlite" {
					sf.dir = dir
				}
				st, err := openFresh(ctx, &sf, getenv, name)
				if err != nil {
					return 0, err
				}
				defer st.Close()
				if err := register(ctx, st, g); err != nil {
					return 0, err
				}
				bar := progressbar.NewOptions(len(all), progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription(name),
					progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
				start := time.Now()
				for i := 0; i < len(all); i += batch {
					j := min(i+batch, len(all))
					if err := fn(st, all[i:j]); err != nil {
						return 0, err
					}
					bar.Add(j - i)
				}
				secs := time.Since(start).Seconds()
				bar.Finish()
				return secs, nil
			}
			tmp, err := os.MkdirTemp("", "opencredit-bench-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(tmp)
			var runs []ingestRun
			var secs, rawSecs []float64
			accepted := 0
			for k := range repeat {
				accepted = 0
				s, err := run("ingest", filepath.Join(tmp, fmt.Sprint("ingest", k)), func(st opencredit.Store, b []opencredit.Event) error {
					res, err := st.Ingest(ctx, b)
					for _, r := range res {
						if r.Status == opencredit.Accepted {
							accepted++
						}
					}
					return err
				})
				if err != nil {
					return err
				}
				raw, err := run("raw", filepath.Join(tmp, fmt.Sprint("raw", k)), func(st opencredit.Store, b []opencredit.Event) error {
					ri, ok := st.(rawInserter)
					if !ok {
						return fmt.Errorf("store %s has no raw insert baseline", sf.kind)
					}
					return ri.RawInsert(ctx, b)
				})
				if err != nil {
					return err
				}
				secs, rawSecs = append(secs, s), append(rawSecs, raw)
				n := float64(len(all))
				runs = append(runs, ingestRun{EventsPerSec: n / s, RawRowsPerSec: n / raw, Ratio: raw / s})
				os.RemoveAll(filepath.Join(tmp, fmt.Sprint("ingest", k)))
				os.RemoveAll(filepath.Join(tmp, fmt.Sprint("raw", k)))
			}
			ratios := make([]float64, len(runs))
			for i, r := range runs {
				ratios[i] = r.Ratio
			}
			sec, rawSec := median(secs), median(rawSecs)
			res := ingestResult{
				Store: sf.kind, Events: len(all), Subjects: subjects, Batch: batch, Accepted: accepted,
				Seconds: sec, EventsPerSec: float64(len(all)) / sec,
				RawSeconds: rawSec, RawRowsPerSec: float64(len(all)) / rawSec,
				Ratio: median(ratios), Seed: seed, GeneratedMonth: months,
			}
			if repeat > 1 {
				res.Runs = runs
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
	c.Flags().IntVar(&events, "events", 1000000, "events to ingest")
	c.Flags().IntVar(&subjects, "subjects", 50000, "people")
	c.Flags().IntVar(&batch, "batch", importer.DefaultBatch, "events per transaction, as import's --batch")
	c.Flags().Uint64Var(&seed, "seed", 1, "random seed")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	c.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of both runs to this file")
	c.Flags().IntVar(&repeat, "repeat", 1, "run both N times, each on fresh stores, and report the medians with every run")
	return c
}
