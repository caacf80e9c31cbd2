package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/bench"
	"github.com/opencredit/opencredit/postgres"
	"github.com/opencredit/opencredit/sqlite"
)

// benchLoadHook, nil but in tests, may change a bench load run's
// configuration and how its store is opened before it starts: the tests
// inject inconsistencies through it to show that the check fails.
var benchLoadHook func(cfg *bench.LoadConfig, open *bench.OpenFunc)

func newBenchLoadCmd(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	var sf storeFlags
	var cfg bench.LoadConfig
	var asJSON bool
	c := &cobra.Command{
		Use:   "load --duration D [--subjects N] [--store sqlite|postgres] [--writers W --readers R] [--json]",
		Short: "Post events and pull scores at once over loopback, then check that the store and the audit log hold what was acknowledged",
		Long: `Load serves the API on a fresh store, registers --subjects people with consents, a furnisher
and a lender client, and for --duration has --writers goroutines post batches of generated events
while --readers goroutines pull scores (credit_application and account_review, half each). It
prints throughput, latency percentiles and errors per operation, then checks that the events
acknowledged as accepted are the events stored, that the live features of --sample subjects equal
their recomputation from the stored events, and that the audit log verifies with one record per
request answered. The exit status is 1 when the check fails.`,
		Example: "  opencredit bench load --duration 30s --subjects 10000 --writers 4 --readers 8",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.Subjects < 1 || cfg.Writers < 0 || cfg.Readers < 0 || cfg.Writers+cfg.Readers < 1 || cfg.Duration <= 0 {
				return opencredit.Errorf(opencredit.EINVALID, "--subjects must be at least 1, --writers and --readers not negative and not both 0, --duration positive")
			}
			if cfg.Batch < 1 || cfg.Batch > api.MaxBatchEvents {
				return opencredit.Errorf(opencredit.EINVALID, "--batch must be between 1 and %d", api.MaxBatchEvents)
			}
			if cfg.Sample < 0 {
				return opencredit.Errorf(opencredit.EINVALID, "--sample must not be negative")
			}
			cfg.Store = sf.kind
			open := benchStores(sf, getenv)
			if benchLoadHook != nil {
				benchLoadHook(&cfg, &open)
			}
			res, err := bench.Load(cmd.Context(), cfg, open, benchAuditStorage(sf, getenv), stderr)
			if err != nil {
				return err
			}
			if asJSON {
				if err := json.NewEncoder(stdout).Encode(res); err != nil {
					return err
				}
			} else {
				printLoad(stdout, res)
			}
			if !res.Check.OK {
				return opencredit.Errorf(opencredit.ECONFLICT, "bench load: the consistency check failed: %s", strings.Join(res.Check.Problems, "; "))
			}
			return nil
		},
	}
	sf.register(c)
	c.Flags().DurationVar(&cfg.Duration, "duration", 0, "how long the load lasts (required)")
	c.Flags().IntVar(&cfg.Subjects, "subjects", 10000, "people registered, written to and scored")
	c.Flags().IntVar(&cfg.Writers, "writers", 2, "goroutines posting event batches")
	c.Flags().IntVar(&cfg.Readers, "readers", 8, "goroutines pulling scores")
	c.Flags().IntVar(&cfg.Batch, "batch", 100, "events per POST /v1/events")
	c.Flags().IntVar(&cfg.Sample, "sample", 1000, "subjects whose features are recomputed in the check (0: all)")
	c.Flags().Uint64Var(&cfg.Seed, "seed", 1, "random seed of the events and of the subjects picked")
	c.Flags().BoolVar(&cfg.Baseline, "baseline", true, "then run as many goroutines against a trivial handler for --duration, and report the ratio")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return c
}

// benchAuditStorage opens a benchmark's audit storage beside its store:
// audit.db in the run's directory, or the audit tables in the schema
// openFresh made for the run named "load".
func benchAuditStorage(sf storeFlags, getenv func(string) string) bench.AuditStorageFunc {
	return func(ctx context.Context, dir string) (audit.Storage, func(), error) {
		switch sf.kind {
		case "sqlite":
			st, err := sqlite.OpenAudit(ctx, filepath.Join(dir, "audit.db"))
			if err != nil {
				return nil, nil, err
			}
			return st, func() { st.Close() }, nil
		case "postgres":
			dsn, err := sf.postgres(getenv)
			if err != nil {
				return nil, nil, err
			}
			st, err := postgres.OpenAuditSchema(ctx, dsn, "opencredit_bench_load")
			if err != nil {
				return nil, nil, err
			}
			return st, func() { st.Close() }, nil
		}
		return nil, nil, badStore(sf.kind)
	}
}

func printLoad(w io.Writer, r bench.LoadResult) {
	fmt.Fprintf(w, "%s: %d subjects, %d writers (batches of %d), %d readers, %.1fs\n", r.Store, r.Subjects, r.Writers, r.Batch, r.Readers, r.DurationS)
	fmt.Fprintf(w, "  throughput: %.0f events/s accepted, %.0f scores/s\n", r.EventsPerSec, r.ScoresPerSec)
	if r.BaselinePerSec > 0 {
		fmt.Fprintf(w, "  baseline: trivial handler %.0f req/s; ratio of requests answered per second %.3f\n", r.BaselinePerSec, r.Ratio)
	}
	for _, op := range []struct {
		name string
		op   bench.LoadOp
	}{{"POST /v1/events", r.Events}, {"GET score", r.Scores}} {
		fmt.Fprintf(w, "  %-16s %7d answered  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms  errors: %s\n",
			op.name, op.op.Requests, op.op.P50ms, op.op.P90ms, op.op.P99ms, op.op.MaxMs, errorList(op.op.Errors))
	}
	c := r.Check
	verdict := "FAILED"
	if c.OK {
		verdict = "passed"
	}
	fmt.Fprintf(w, "  check %s: events accepted %d, stored %d (and %d hard inquiries); features equal recomputation for %d of %d subjects; audit: %d answers, %d records (%d refusals), verified %v at size %d\n",
		verdict, c.EventsAccepted, c.EventsStored, c.Inquiries, c.FeaturesChecked-len(c.FeaturesDiffer), c.FeaturesChecked,
		c.AuditAnswered, c.AuditRecords, c.AuditRefusals, c.AuditVerified, c.AuditSize)
	if r.AuditBytesPerRecord > 0 {
		fmt.Fprintf(w, "  audit log: %.0f bytes per record\n", r.AuditBytesPerRecord)
	}
	for _, p := range c.Problems {
		fmt.Fprintf(w, "  problem: %s\n", p)
	}
}

// errorList is "none", or the codes and their counts in code order.
func errorList(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	var s []string
	for k, v := range m {
		s = append(s, fmt.Sprintf("%s %d", k, v))
	}
	slices.Sort(s)
	return strings.Join(s, ", ")
}
