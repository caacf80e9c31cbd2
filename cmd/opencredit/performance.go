package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/monitor"
)

// newModelsPerformanceCmd back-tests a model that served: the people it
// scored (from the audit log) against what their events say happened in
// the months after (from the store).
func newModelsPerformanceCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	var sf storeFlags
	var auditDB string
	var horizon int
	var asOfText string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "performance ID [--horizon-months 12] [--as-of TIME] [--json]",
		Short: "A model's live performance as outcomes arrive: AUC, KS and bad rate by band of the people it scored, against their events in the months after",
		Long: `Reads the audit log for every score and decision model ID gave (the first per person, so that
repeated pulls weigh nothing more), keeps those whose outcome window of --horizon-months has passed
by --as-of (default now), and labels each person bad when their events in that window hold 90+ days
past due, a charge-off, a collection or a judgment (the training label). The model must be in the
registry (its bands).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if horizon < 1 || horizon > 36 {
				return opencredit.Errorf(opencredit.EINVALID, "--horizon-months %d: want 1 to 36", horizon)
			}
			asOf := time.Now().UTC()
			if asOfText != "" {
				t, err := time.Parse(time.RFC3339, asOfText)
				if err != nil {
					return opencredit.Errorf(opencredit.EINVALID, "--as-of %q: want RFC 3339, such as 2026-12-01T00:00:00Z", asOfText)
				}
				asOf = t
			}
			ctx := cmd.Context()
			return withRegistry(ctx, &sf, getenv, func(reg opencredit.ModelRegistry) error {
				st := reg.(opencredit.Store)
				v, artifact, err := reg.ModelVersion(ctx, args[0])
				if err != nil {
					return err
				}
				m, err := model.Load(bytes.NewReader(artifact))
				if err != nil {
					return err
				}
				as, err := sf.openAuditStorage(ctx, getenv, auditDB)
				if err != nil {
					return err
				}
				defer as.Close()
				n, err := as.Count(ctx)
				if err != nil {
					return err
				}
				type scored struct {
					at    time.Time
					score int
				}
				first := map[string]scored{}
				var order []string
				err = as.Records(ctx, 0, n, func(_ int64, data []byte) error {
					r, err := audit.ParseRecord(data)
					if err != nil {
						return err
					}
					if (r.Action != audit.ActionScore && r.Action != audit.ActionDecision) || r.Result.Model != v.ID || r.Result.Error != "" || r.Subject == "" {
						return nil
					}
					if _, seen := first[r.Subject]; !seen {
						first[r.Subject] = scored{r.Time, r.Result.Score}
						order = append(order, r.Subject)
					}
					return nil
				})
				if err != nil {
					return err
				}
				var outs []monitor.Outcome
				pending := 0
				for _, s := range order {
					sc := first[s]
					end := sc.at.AddDate(0, horizon, 0)
					if end.After(asOf) {
						pending++
						continue
					}
					stored, err := st.Events(ctx, s)
					if opencredit.ErrorCode(err) == opencredit.ENOTFOUND {
						continue // erased: no outcome to learn
					}
					if err != nil {
						return err
					}
					var evs []opencredit.Event
					for _, e := range stored {
						if !e.Suppressed {
							evs = append(evs, e.Event)
						}
					}
					bad, err := features.Adverse(evs, sc.at, end)
					if err != nil {
						return err
					}
					outs = append(outs, monitor.Outcome{Score: sc.score, Bad: bad})
				}
				p := monitor.Measure(v.ID, m, outs)
				if asJSON {
					return json.NewEncoder(stdout).Encode(struct {
						monitor.Performance
						Pending int `json:"pending"`
						Horizon int `json:"horizon_months"`
					}{p, pending, horizon})
				}
				fmt.Fprintf(stdout, "model %s: %d people scored with a %d-month outcome window passed by %s (%d more still in their window); %d went bad\n",
					v.ID, p.Scored, horizon, asOf.Format(time.DateOnly), pending, p.Bads)
				fmt.Fprintf(stdout, "AUC %s   KS %s\n", fmtFloat(p.AUC), fmtFloat(p.KS))
				tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "band\tfrom\tpeople\tbad\tbad rate")
				for _, b := range p.Bands {
					fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", b.Band, b.Min, b.Rows, b.Bads, fmtPct(b.BadRate))
				}
				return tw.Flush()
			})
		},
	}
	sf.register(cmd)
	cmd.Flags().StringVar(&auditDB, "audit-db", "", "the SQLite audit log (default: audit.db in --dir; the PostgreSQL store keeps its own)")
	cmd.Flags().IntVar(&horizon, "horizon-months", 12, "the outcome window after each score, in months (the training label's)")
	cmd.Flags().StringVar(&asOfText, "as-of", "", "measure as of this time (RFC 3339; default now)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the performance as JSON")
	return cmd
}

func fmtFloat(f monitor.Float) string {
	if b, _ := f.MarshalJSON(); string(b) == "null" {
		return "n/a"
	}
	return fmt.Sprintf("%.4f", float64(f))
}

func fmtPct(f monitor.Float) string {
	if b, _ := f.MarshalJSON(); string(b) == "null" {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(f))
}
