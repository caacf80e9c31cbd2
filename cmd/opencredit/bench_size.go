package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/bench"
	"github.com/opencredit/opencredit/importer"
)

func newBenchSizeCmd(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	var sf storeFlags
	var cfg bench.SizeConfig
	var asJSON bool
	c := &cobra.Command{
		Use:   "size [--store sqlite|postgres] --subjects N --months M [--json]",
		Short: "Store a generated population on a fresh store and report its size on disk per person and per event",
		Long: `Size generates --subjects people with --months months of events up to the start of this month,
registers them with their consents on a fresh store and ingests the events, reading the store's size
(SQLite: its pages in use; PostgreSQL: pg_total_relation_size of its tables) before, between and after.`,
		Example: "  opencredit bench size --store postgres --subjects 20000 --months 12 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.Subjects < 1 || cfg.Months < 1 || cfg.Batch < 1 {
				return opencredit.Errorf(opencredit.EINVALID, "--subjects, --months and --batch must be at least 1")
			}
			if cfg.Batch > importer.MaxBatch {
				return opencredit.Errorf(opencredit.EINVALID, "--batch must be at most %d", importer.MaxBatch)
			}
			// The history ends where this month begins, so that no event
			// is in the future and every one is stored.
			now := time.Now().UTC()
			cfg.Store, cfg.Start = sf.kind, time.Date(now.Year(), now.Month()-time.Month(cfg.Months), 1, 0, 0, 0, 0, time.UTC)
			res, err := bench.Size(cmd.Context(), cfg, benchStores(sf, getenv), stderr)
			if err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(stdout).Encode(res)
			}
			fmt.Fprintf(stdout, "%s: %d subjects (%d consents), %d events over %d months (%d accepted)\n",
				res.Store, res.Subjects, res.Consents, res.Events, res.Months, res.Accepted)
			fmt.Fprintf(stdout, "  bytes: empty %d, registered %d, with events %d\n", res.EmptyBytes, res.RegisteredBytes, res.LoadedBytes)
			fmt.Fprintf(stdout, "  %.0f bytes per subject, %.0f bytes per event\n", res.BytesPerSubject, res.BytesPerEvent)
			for _, t := range slices.Sorted(maps.Keys(res.Tables)) {
				fmt.Fprintf(stdout, "  table %-22s %12d bytes\n", t, res.Tables[t])
			}
			if res.EventsTableBytesPerEvent > 0 {
				fmt.Fprintf(stdout, "  the events table alone: %.0f bytes per event\n", res.EventsTableBytesPerEvent)
			}
			return nil
		},
	}
	sf.register(c)
	c.Flags().IntVar(&cfg.Subjects, "subjects", 20000, "people")
	c.Flags().IntVar(&cfg.Months, "months", 12, "months of generated history")
	c.Flags().IntVar(&cfg.Batch, "batch", importer.DefaultBatch, "events per transaction, as import's --batch")
	c.Flags().Uint64Var(&cfg.Seed, "seed", 1, "random seed")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return c
}
