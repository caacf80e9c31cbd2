package main

import (
	"bytes"
	"context"
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
	"github.com/opencredit/opencredit/scoring"
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
	var challenger string
	var cutoffs []int
	cmd := &cobra.Command{
		Use:   "performance ID [--challenger ID2 [--cutoff 600]...] [--horizon-months 12] [--as-of TIME] [--json]",
		Short: "A model's live performance as outcomes arrive: AUC, KS and bad rate by band of the people it scored, against their events in the months after",
		Long: `Reads the audit log for every score and decision model ID gave (the first per person, so that
repeated pulls weigh nothing more), keeps those whose outcome window of --horizon-months has passed
by --as-of (default now), and labels each person bad when their events in that window hold 90+ days
past due, a charge-off, a collection or a judgment (the training label). The model must be in the
registry (its bands).

With --challenger ID2, another registry model (any state) is compared on the same people: it
scores each person's features as of the moment the champion scored them (the store's features are
point in time), which is what a shadow challenger saw then, up to events furnished late and
disputes resolved since (the report counts the people whose champion score those moved). It
reports both models' AUC, KS and bad rate by band, the mean score difference, and the swap set at
each --cutoff with the bads on each side.`,
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
				v, m, err := registryModel(ctx, reg, args[0])
				if err != nil {
					return err
				}
				var cv opencredit.ModelVersion
				var cm *model.Model
				if challenger != "" {
					if challenger == v.ID {
						return opencredit.Errorf(opencredit.EINVALID, "--challenger %s is the model measured: name another", challenger)
					}
					if cv, cm, err = registryModel(ctx, reg, challenger); err != nil {
						return fmt.Errorf("--challenger %s: %w", challenger, err)
					}
				}
				as, err := sf.openAuditStorage(ctx, getenv, auditDB)
				if err != nil {
					return err
				}
				defer as.Close()
				firsts, err := firstScores(ctx, as, v.ID)
				if err != nil {
					return err
				}
				var outs []monitor.Outcome
				var pairs []monitor.Paired
				pending, restated := 0, 0
				for _, sc := range firsts {
					end := sc.at.AddDate(0, horizon, 0)
					if end.After(asOf) {
						pending++
						continue
					}
					bad, ok, err := outcome(ctx, st, sc.subject, sc.at, end)
					if err != nil {
						return err
					}
					if !ok {
						continue // erased: no outcome to learn
					}
					outs = append(outs, monitor.Outcome{Score: sc.score, Bad: bad})
					if cm == nil {
						continue
					}
					// The challenger scores the features the person had when
					// the champion scored them (point in time), as the shadow
					// did, except for events furnished late, or suppressed or
					// restored by a dispute since: the champion's rescoring
					// on the same features tells how many people that moved.
					fv, err := st.Features(ctx, sc.subject, sc.at)
					if err != nil {
						return err
					}
					cr, err := scoring.ScoreFeatures(cm, fv)
					if err != nil {
						return fmt.Errorf("--challenger %s: scoring %s: %w", cv.ID, sc.subject, err)
					}
					if again, err := scoring.ScoreFeatures(m, fv); err == nil && again.Score != sc.score {
						restated++
					}
					pairs = append(pairs, monitor.Paired{Champion: sc.score, Challenger: cr.Score, Bad: bad})
				}
				if cm != nil {
					return printComparison(stdout, monitor.CompareOutcomes(v.ID, m, cv.ID, cm, pairs, cutoffs), asJSON, horizon, pending, restated, asOf)
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
	cmd.Flags().StringVar(&challenger, "challenger", "", "a registry model to compare on the same people: scored on each person's features as of the champion's score")
	cmd.Flags().IntSliceVar(&cutoffs, "cutoff", []int{600}, "with --challenger, a cut-off (a program's min_score) to count the swap set at; repeat for several")
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

// registryModel loads a registry model's version and artifact.
func registryModel(ctx context.Context, reg opencredit.ModelRegistry, id string) (opencredit.ModelVersion, *model.Model, error) {
	v, artifact, err := reg.ModelVersion(ctx, id)
	if err != nil {
		return v, nil, err
	}
	m, err := model.Load(bytes.NewReader(artifact))
	if err != nil {
		return v, nil, fmt.Errorf("model %s in the registry does not load: %w", id, err)
	}
	return v, m, nil
}

// firstScore is the first score a model gave a person.
type firstScore struct {
	subject string
	at      time.Time
	score   int
}

// firstScores reads the audit log for the first score or decision model
// id gave each person, in the log's order; refusals are not scores.
func firstScores(ctx context.Context, as audit.Storage, id string) ([]firstScore, error) {
	n, err := as.Count(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []firstScore
	err = as.Records(ctx, 0, n, func(_ int64, data []byte) error {
		r, err := audit.ParseRecord(data)
		if err != nil {
			return err
		}
		if (r.Action != audit.ActionScore && r.Action != audit.ActionDecision) || r.Result.Model != id || r.Result.Error != "" || r.Subject == "" {
			return nil
		}
		if !seen[r.Subject] {
			seen[r.Subject] = true
			out = append(out, firstScore{r.Subject, r.Time, r.Result.Score})
		}
		return nil
	})
	return out, err
}

// outcome tells whether the subject went bad in (from, end] by their
// unsuppressed events; ok is false for an erased subject.
func outcome(ctx context.Context, st opencredit.Store, subject string, from, end time.Time) (bad, ok bool, err error) {
	stored, err := st.Events(ctx, subject)
	if opencredit.ErrorCode(err) == opencredit.ENOTFOUND {
		return false, false, nil
	}
	if err != nil {
		return false, false, err
	}
	var evs []opencredit.Event
	for _, e := range stored {
		if !e.Suppressed {
			evs = append(evs, e.Event)
		}
	}
	bad, err = features.Adverse(evs, from, end)
	return bad, err == nil, err
}

// printComparison writes the champion-challenger report.
func printComparison(w io.Writer, c monitor.ChallengerPerformance, asJSON bool, horizon, pending, restated int, asOf time.Time) error {
	if asJSON {
		return json.NewEncoder(w).Encode(struct {
			monitor.ChallengerPerformance
			Pending  int `json:"pending"`
			Restated int `json:"restated"`
			Horizon  int `json:"horizon_months"`
		}{c, pending, restated, horizon})
	}
	a, b := c.Champion, c.Challenger
	fmt.Fprintf(w, "champion %s, challenger %s: %d people the champion scored with a %d-month outcome window passed by %s (%d more still in their window); %d went bad\n",
		a.Model, b.Model, a.Scored, horizon, asOf.Format(time.DateOnly), pending, a.Bads)
	if restated > 0 {
		fmt.Fprintf(w, "%d of them score differently with the champion today on the same date's features (events furnished late, disputes resolved): the challenger saw those too\n", restated)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "model\trole\tAUC\tKS")
	fmt.Fprintf(tw, "%s\tchampion\t%s\t%s\n", a.Model, fmtFloat(a.AUC), fmtFloat(a.KS))
	fmt.Fprintf(tw, "%s\tchallenger\t%s\t%s\n", b.Model, fmtFloat(b.AUC), fmtFloat(b.KS))
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "challenger minus champion: mean %s points, mean absolute %s points\n", fmtPoints(c.MeanDiff, true), fmtPoints(c.MeanAbsDiff, false))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "cut-off\tapproved by champion only\tof whom bad\tapproved by challenger only\tof whom bad")
	for _, s := range c.Swaps {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\n", s.Cutoff, s.ChampionOnly, s.ChampionOnlyBads, s.ChallengerOnly, s.ChallengerOnlyBads)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "model\tband\tfrom\tpeople\tbad\tbad rate")
	for _, p := range []monitor.Performance{a, b} {
		for _, bd := range p.Bands {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", p.Model, bd.Band, bd.Min, bd.Rows, bd.Bads, fmtPct(bd.BadRate))
		}
	}
	return tw.Flush()
}

func fmtPoints(f monitor.Float, sign bool) string {
	if b, _ := f.MarshalJSON(); string(b) == "null" {
		return "n/a"
	}
	if sign {
		return fmt.Sprintf("%+.1f", float64(f))
	}
	return fmt.Sprintf("%.1f", float64(f))
}
