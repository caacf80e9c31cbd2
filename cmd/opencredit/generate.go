package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventgen"
	"github.com/opencredit/opencredit/ingest"
)

// genStart is where generated histories begin, fixed so that a seed always
// gives the same events.
var genStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// register creates the generator's subjects and their furnishing consents,
// in one transaction where the store can.
func register(ctx context.Context, st opencredit.Store, g *eventgen.Generator) error {
	return ingest.Register(ctx, st, g.SubjectIDs(), genStart, g.Consents())
}

func newGenerateCmd(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	var sf storeFlags
	var cfg eventgen.GenConfig
	var out string
	var reg bool
	c := &cobra.Command{
		Use:   "generate --subjects N --months M --seed S --out events.ndjson [--register]",
		Short: "Generate valid random events (deterministic for a seed), and register their subjects and consents",
		Example: `  opencredit generate --subjects 1000 --months 24 --seed 1 --out events.ndjson --register --demo-key
  opencredit import events.ndjson --demo-key`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.Subjects < 1 || cfg.Months < 1 || cfg.Furnishers < 1 {
				return opencredit.Errorf(opencredit.EINVALID, "--subjects, --months and --furnishers must be at least 1")
			}
			cfg.Start = genStart
			g := eventgen.NewGenerator(cfg)
			if reg {
				st, err := sf.open(cmd.Context(), getenv)
				if err != nil {
					return err
				}
				defer st.Close()
				if err := register(cmd.Context(), st, g); err != nil {
					return err
				}
				fmt.Fprintf(stderr, "registered %d subjects and %d consents\n", len(g.SubjectIDs()), len(g.Consents()))
			}
			n := 0
			err := writeFile(out, func(w io.Writer) error {
				bw := bufio.NewWriter(w)
				enc := json.NewEncoder(bw)
				for {
					e, ok := g.Next()
					if !ok {
						break
					}
					if err := enc.Encode(e); err != nil {
						return err
					}
					n++
				}
				return bw.Flush()
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(stderr, "wrote %d events: %s\n", n, out)
			return nil
		},
	}
	sf.register(c)
	c.Flags().IntVar(&cfg.Subjects, "subjects", 1000, "people")
	c.Flags().IntVar(&cfg.Months, "months", 24, "months of history")
	c.Flags().IntVar(&cfg.Furnishers, "furnishers", 10, "data furnishers")
	c.Flags().Uint64Var(&cfg.Seed, "seed", 1, "random seed")
	c.Flags().StringVar(&out, "out", "events.ndjson", "the NDJSON file to write")
	c.Flags().BoolVar(&reg, "register", false, "also create the subjects and their furnishing consents in the store")
	return c
}
