package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/ingest"
	"github.com/opencredit/opencredit/simulate"
)

// simFlags are the population flags of simulate and demo.
type simFlags struct {
	cfg simulate.Config
	end string // YYYY-MM: the month the period ends before
}

func (f *simFlags) register(c *cobra.Command, subjects int) {
	c.Flags().IntVar(&f.cfg.Subjects, "subjects", subjects, "people")
	c.Flags().IntVar(&f.cfg.Months, "months", 24, "months of history")
	c.Flags().Uint64Var(&f.cfg.Seed, "seed", 1, "random seed: the same flags give the same events, byte for byte")
	c.Flags().StringVar(&f.end, "end", "", "YYYY-MM: the history ends when this month begins (default: the current month, so no event is in the future)")
	c.Flags().Float64Var(&f.cfg.ShockScale, "shocks", 1, "scale of the monthly hazards of job loss and emergencies: 2 for a downturn, 0.5 for calm times")
}

// simulator checks the flags and returns the simulator they describe.
func (f *simFlags) simulator(now time.Time) (*simulate.Simulator, error) {
	cfg := f.cfg
	cfg.End = simulate.DefaultEnd(now)
	if f.end != "" {
		t, err := time.Parse("2006-01", f.end)
		if err != nil {
			return nil, opencredit.Errorf(opencredit.EINVALID, "--end %q: want a month, such as 2026-06", f.end)
		}
		cfg.End = t
	}
	return simulate.New(cfg)
}

func newSimulateCmd(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	var sf storeFlags
	var pf simFlags
	var out, groups, table string
	var intoStore, reg, quiet bool
	c := &cobra.Command{
		Use:   "simulate --subjects N --months M --seed S [--out events.ndjson | --into-store] | simulate --table F --subjects N --seed S",
		Short: "Simulate a synthetic population's payment behaviour as events (the model is in package simulate)",
		Long: `Simulate makes people with latent traits (income and its volatility, financial discipline, exposure
to job loss and emergencies), a realistic mix of products, and the events their months produce:
statements, payments and misses, bills, rentals, inquiries, verifications, collections. Defaults come
out of the latent process. No sensitive trait is generated; --groups writes an optional synthetic,
audit-only group per person for fairness reports. People are made in parallel and streamed: memory
does not grow with --subjects.

Without --into-store the events go to --out as NDJSON; --register also creates the people and their
furnishing consents in the store, which 'opencredit import' then needs. With --into-store they are
stored directly, subjects and consents included.

With --table it writes instead a tabular credit dataset for accuracy tests: one application a row
(--subjects rows), the columns a lender holds when it decides, many of them missing and some string
categories with rare levels, and the target 'default' (docs/simulation.md, "The application table").`,

		Example: `  opencredit simulate --subjects 20000 --months 24 --seed 1 --out events.ndjson
  opencredit simulate --subjects 20000 --months 24 --out events.ndjson --register --demo-key
  opencredit import events.ndjson --demo-key
  opencredit simulate --subjects 20000 --months 24 --into-store --dir opencredit-data --demo-key`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if table != "" {
				for _, name := range []string{"out", "into-store", "register", "groups", "months", "end", "shocks"} {
					if cmd.Flags().Changed(name) {
						return opencredit.Errorf(opencredit.EINVALID, "--%s does not apply to --table, which writes one application a row and takes only --subjects and --seed", name)
					}
				}
				return writeTable(table, pf.cfg, stdout, stderr)
			}
			if groups != "" {
				pf.cfg.AuditGroup = true
			}
			s, err := pf.simulator(time.Now())
			if err != nil {
				return err
			}
			n := s.Config().Subjects
			var bar *progressbar.ProgressBar
			if !quiet {
				bar = progressbar.NewOptions(n, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("people"),
					progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
			}
			progress := func(people int) {
				if bar != nil {
					bar.Set(people)
				}
			}
			start := time.Now()
			var events int
			if intoStore {
				st, err := sf.open(cmd.Context(), getenv)
				if err != nil {
					return err
				}
				defer st.Close()
				if events, err = s.Populate(cmd.Context(), st, nil, progress); err != nil {
					return err
				}
			} else {
				var st opencredit.Store
				if reg {
					if st, err = sf.open(cmd.Context(), getenv); err != nil {
						return err
					}
					defer st.Close()
				}
				write := func(w io.Writer) error {
					var err error
					events, err = writePopulation(cmd.Context(), w, s, st, progress)
					return err
				}
				if out == "-" {
					err = write(stdout)
				} else {
					err = writeFile(out, write)
				}
				if err != nil {
					return err
				}
			}
			if groups != "" {
				if err := writeFile(groups, func(w io.Writer) error { return writeGroups(cmd.Context(), w, s) }); err != nil {
					return err
				}
			}
			if bar != nil {
				bar.Finish()
			}
			where := out
			if intoStore {
				where = "the store"
			}
			fmt.Fprintf(stderr, "simulated %d people, %d events, %s to %s, in %.1fs: %s\n",
				n, events, s.Start().Format("2006-01"), s.End().AddDate(0, 0, -1).Format("2006-01"), time.Since(start).Seconds(), where)
			return nil
		},
	}
	sf.register(c)
	pf.register(c, 1000)
	c.Flags().StringVar(&out, "out", "events.ndjson", "the NDJSON file to write, - for standard output")
	c.Flags().BoolVar(&intoStore, "into-store", false, "store the people, consents and events directly instead of writing --out")
	c.Flags().BoolVar(&reg, "register", false, "with --out: also create the people and their furnishing consents in the store, for 'opencredit import'")
	c.Flags().StringVar(&groups, "groups", "", "also write subject,group CSV: a synthetic audit-only group per person, for fairness reports")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	c.Flags().StringVar(&table, "table", "", "instead of events, write the application table (CSV, one row per person, target 'default') to this file, - for standard output")
	return c
}

// writeTable writes the simulator's application table of --subjects rows.
func writeTable(path string, cfg simulate.Config, stdout, stderr io.Writer) error {
	if cfg.Subjects < 1 || cfg.Subjects > simulate.MaxTableRows {
		return opencredit.Errorf(opencredit.EINVALID, "--subjects %d: the table needs 1 to %d rows", cfg.Subjects, simulate.MaxTableRows)
	}
	start := time.Now()
	var bad int
	write := func(w io.Writer) error {
		var err error
		bad, err = simulate.WriteTable(w, simulate.TableConfig{Rows: cfg.Subjects, Seed: cfg.Seed})
		return err
	}
	var err error
	if path == "-" {
		err = write(stdout)
	} else {
		err = writeFile(path, write)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %d applications (%.2f%% bad) in %.1fs: %s\n", cfg.Subjects, 100*float64(bad)/float64(cfg.Subjects), time.Since(start).Seconds(), path)
	return nil
}

// writePopulation writes every event of every person of s as NDJSON and,
// when st is not nil, registers the people and their consents in it.
func writePopulation(ctx context.Context, w io.Writer, s *simulate.Simulator, st opencredit.Store, progress func(int)) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	var buf []byte
	n, people := 0, 0
	var ids []string
	var consents []opencredit.Consent
	register := func() error {
		if st == nil || len(ids) == 0 {
			return nil
		}
		err := ingest.Register(ctx, st, ids, s.Start(), consents)
		ids, consents = ids[:0], consents[:0]
		return err
	}
	err := s.Run(ctx, 0, func(p simulate.Person) error {
		if st != nil {
			ids, consents = append(ids, p.ID), append(consents, p.Consents...)
			if len(ids) == 1000 {
				if err := register(); err != nil {
					return err
				}
			}
		}
		buf = p.AppendNDJSON(buf[:0])
		if _, err := bw.Write(buf); err != nil {
			return err
		}
		n += len(p.Events)
		people++
		if progress != nil && people%1000 == 0 {
			progress(people)
		}
		return nil
	})
	if err == nil {
		err = register()
	}
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// writeGroups writes subject,group for every person: the audit-only group.
func writeGroups(ctx context.Context, w io.Writer, s *simulate.Simulator) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"subject", "group"})
	err := s.Run(ctx, 0, func(p simulate.Person) error { return cw.Write([]string{p.ID, p.Group}) })
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
