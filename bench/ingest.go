package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventgen"
	"github.com/opencredit/opencredit/ingest"
)

// OpenFunc opens an empty store for a run named name (a benchmark store
// is never reused): an embedded store in dir, a directory of its own, or a
// server's store in a schema named after the run.
type OpenFunc func(ctx context.Context, name, dir string) (opencredit.Store, error)

// IngestConfig is what Ingest generates and how it stores it.
type IngestConfig struct {
	Store            string // the kind of store, as reported
	Events, Subjects int    // generated events and people
	Batch            int    // events per transaction
	Repeat           int    // runs of both, each on fresh stores
	Seed             uint64
	Start            time.Time // where the generated histories begin
	CPUProfile       string    // if not empty, a CPU profile of both runs goes here
}

// IngestResult is what bench ingest prints.
type IngestResult struct {
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
	// With Repeat above 1, the figures above are the medians of these runs
	// (the ratio the median of each run's own ratio).
	Runs []IngestRun `json:"runs,omitempty"`
}

// IngestRun is one ingestion run and the raw run after it.
type IngestRun struct {
	EventsPerSec  float64 `json:"events_per_sec"`
	RawRowsPerSec float64 `json:"raw_rows_per_sec"`
	Ratio         float64 `json:"ratio"`
}

// rawInserter is the baseline every store offers: the same rows into the
// events table, without validation or features.
type rawInserter interface {
	RawInsert(ctx context.Context, events []opencredit.Event) error
}

// Ingest generates cfg.Events events and, cfg.Repeat times, ingests them
// into a fresh store with features updated and then inserts the same rows
// raw into another, in batches of cfg.Batch, timing each. Progress goes to
// stderr.
func Ingest(ctx context.Context, cfg IngestConfig, open OpenFunc, stderr io.Writer) (IngestResult, error) {
	all, g := eventgen.Sample(eventgen.GenConfig{Seed: cfg.Seed, Subjects: cfg.Subjects, Furnishers: 10, Start: cfg.Start}, cfg.Events)
	months := g.Months()
	fmt.Fprintf(stderr, "generated %d events for %d subjects over %d months\n", len(all), cfg.Subjects, months)
	stopProfile, err := startCPUProfile(cfg.CPUProfile)
	if err != nil {
		return IngestResult{}, err
	}
	defer stopProfile()

	batch := cfg.Batch
	run := func(name string, dir string, fn func(st opencredit.Store, b []opencredit.Event) error) (float64, error) {
		st, err := open(ctx, name, dir)
		if err != nil {
			return 0, err
		}
		defer st.Close()
		if err := ingest.Register(ctx, st, g.SubjectIDs(), cfg.Start, g.Consents()); err != nil {
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
		return IngestResult{}, err
	}
	defer os.RemoveAll(tmp)
	var runs []IngestRun
	var secs, rawSecs []float64
	accepted := 0
	for k := range cfg.Repeat {
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
			return IngestResult{}, err
		}
		raw, err := run("raw", filepath.Join(tmp, fmt.Sprint("raw", k)), func(st opencredit.Store, b []opencredit.Event) error {
			ri, ok := st.(rawInserter)
			if !ok {
				return fmt.Errorf("store %s has no raw insert baseline", cfg.Store)
			}
			return ri.RawInsert(ctx, b)
		})
		if err != nil {
			return IngestResult{}, err
		}
		secs, rawSecs = append(secs, s), append(rawSecs, raw)
		n := float64(len(all))
		runs = append(runs, IngestRun{EventsPerSec: n / s, RawRowsPerSec: n / raw, Ratio: raw / s})
		os.RemoveAll(filepath.Join(tmp, fmt.Sprint("ingest", k)))
		os.RemoveAll(filepath.Join(tmp, fmt.Sprint("raw", k)))
	}
	ratios := make([]float64, len(runs))
	for i, r := range runs {
		ratios[i] = r.Ratio
	}
	sec, rawSec := median(secs), median(rawSecs)
	res := IngestResult{
		Store: cfg.Store, Events: len(all), Subjects: cfg.Subjects, Batch: batch, Accepted: accepted,
		Seconds: sec, EventsPerSec: float64(len(all)) / sec,
		RawSeconds: rawSec, RawRowsPerSec: float64(len(all)) / rawSec,
		Ratio: median(ratios), Seed: cfg.Seed, GeneratedMonth: months,
	}
	if cfg.Repeat > 1 {
		res.Runs = runs
	}
	return res, nil
}
