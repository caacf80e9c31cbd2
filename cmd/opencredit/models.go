package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/lifecycle"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/report"
)

// newModelsCmd is the model registry's command line: the lifecycle of
// package lifecycle over the store's registry.
func newModelsCmd(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	c := &cobra.Command{Use: "models", Short: "The model registry: add, approve (four-eyes, fairness gate), activate, roll back, retire"}
	c.AddCommand(newModelsAddCmd(getenv, stdout), newModelsListCmd(getenv, stdout), newModelsShowCmd(getenv, stdout),
		newModelsApproveCmd(getenv, stdout), newModelsActivateCmd(getenv, stdout), newModelsRollbackCmd(getenv, stdout),
		newModelsRetireCmd(getenv, stdout), newModelsCardCmd(getenv, stdout, stderr), newModelsPerformanceCmd(getenv, stdout))
	return c
}

// withRegistry opens the store and runs fn on its model registry.
func withRegistry(ctx context.Context, sf *storeFlags, getenv func(string) string, fn func(opencredit.ModelRegistry) error) error {
	st, err := sf.open(ctx, getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	reg, ok := st.(opencredit.ModelRegistry)
	if !ok {
		return opencredit.Errorf(opencredit.EINTERNAL, "the %s store keeps no model registry", sf.kind)
	}
	return fn(reg)
}

func newModelsAddCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	var sf storeFlags
	var d dataFlags
	var path, name, author string
	var cutoffs []int
	cmd := &cobra.Command{
		Use:   "add --model M --author OPERATOR [--data F --audit a,b --cutoff 600]",
		Short: "Add a model to the registry as a draft, with the fairness evidence the approval gate judges",
		Long: `Adds a model artifact as a draft. With --data and --audit, the adverse impact ratio of every
audited group at each --cutoff is measured on that file (a holdout, not the training data) and kept
as the evidence the fairness gate judges at approval: any group below 0.8 blocks approval unless an
override is justified in writing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if path == "" || author == "" {
				return opencredit.Errorf(opencredit.EINVALID, "--model and --author are required")
			}
			m, err := model.LoadFile(path)
			if err != nil {
				return err
			}
			var evidence []opencredit.FairnessCheck
			if d.data != "" {
				if len(d.audit) == 0 {
					return opencredit.Errorf(opencredit.EINVALID, "--data measures fairness: name the protected attributes with --audit")
				}
				if evidence, err = fairnessEvidence(&d, m, cutoffs); err != nil {
					return err
				}
			} else if len(d.audit) > 0 {
				return opencredit.Errorf(opencredit.EINVALID, "--audit needs --data, the file to measure fairness on")
			}
			return withRegistry(cmd.Context(), &sf, getenv, func(reg opencredit.ModelRegistry) error {
				v, err := lifecycle.Add(cmd.Context(), reg, m, name, author, evidence, time.Now())
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "model %s added as a draft by %s\n", v.ID, v.Author)
				writeFairness(stdout, v)
				return nil
			})
		},
	}
	sf.register(cmd)
	d.register(cmd, false)
	// --data is optional here: a model may be added without evidence.
	cmd.Flags().Lookup("data").Usage = "CSV to measure fairness on, with the audited columns (optional)"
	_ = cmd.Flags().SetAnnotation("data", cobra.BashCompOneRequiredFlag, []string{"false"})
	cmd.Flags().StringVar(&path, "model", "", "model artifact (required)")
	cmd.Flags().StringVar(&name, "name", "", "a name for people, such as \"2026 Q4 scorecard\"")
	cmd.Flags().StringVar(&author, "author", "", "the operator who trained or wrote the model (required)")
	cmd.Flags().IntSliceVar(&cutoffs, "cutoff", []int{600}, "cut-offs to measure fairness at: each program's min_score (repeatable)")
	return cmd
}

// fairnessEvidence measures every audited group's AIR at each cut-off on
// the file d names, as evaluate does. A group whose AIR is undefined (no
// group approved at all) is left out: there is no ratio to judge.
func fairnessEvidence(d *dataFlags, m *model.Model, cutoffs []int) ([]opencredit.FairnessCheck, error) {
	in, err := evaluationInput(d, m, d.data)
	if err != nil {
		return nil, err
	}
	var out []opencredit.FairnessCheck
	for _, cut := range cutoffs {
		in.Cutoff = cut
		ev, err := report.Evaluate(in)
		if err != nil {
			return nil, err
		}
		for _, t := range ev.Fairness {
			for _, g := range t.Groups {
				if air := float64(g.AIR); !math.IsNaN(air) {
					out = append(out, opencredit.FairnessCheck{Attribute: t.Attribute, Group: g.Group, Cutoff: cut, Rows: g.Rows, AIR: air})
				}
			}
		}
	}
	return out, nil
}

// writeFairness prints a version's fairness evidence and what the gate says.
func writeFairness(w io.Writer, v opencredit.ModelVersion) {
	if len(v.Fairness) == 0 {
		fmt.Fprintln(w, "fairness: no evidence recorded (add with --data and --audit to measure it)")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "attribute\tgroup\tcut-off\trows\tAIR\t")
	for _, f := range v.Fairness {
		flag := ""
		if f.AIR < lifecycle.MinAIR {
			flag = "below 0.8"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.2f\t%s\n", f.Attribute, f.Group, f.Cutoff, f.Rows, f.AIR, flag)
	}
	tw.Flush()
	if n := len(lifecycle.Unfair(v)); n > 0 {
		fmt.Fprintf(w, "fairness gate: %d group(s) below an adverse impact ratio of 0.8; approval needs --override-fairness with the written reason\n", n)
	} else {
		fmt.Fprintln(w, "fairness gate: passes")
	}
}

func newModelsListCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	var sf storeFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the registry's models with their states",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withRegistry(cmd.Context(), &sf, getenv, func(reg opencredit.ModelRegistry) error {
				vs, err := reg.ModelVersions(cmd.Context())
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "id\tstate\tauthor\tadded\ttrain AUC\tfairness\tname")
				for _, v := range vs {
					auc := "–"
					if a, ok := v.Metrics["train_auc"]; ok {
						auc = fmt.Sprintf("%.4f", a)
					}
					fair := "no evidence"
					if len(v.Fairness) > 0 {
						fair = "passes"
						if n := len(lifecycle.Unfair(v)); n > 0 {
							fair = fmt.Sprintf("%d below 0.8", n)
						}
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.State, v.Author, v.CreatedAt.Format(time.DateTime), auc, fair, v.Name)
				}
				return tw.Flush()
			})
		},
	}
	sf.register(cmd)
	return cmd
}

func newModelsShowCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	var sf storeFlags
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a model's record: provenance, metrics, fairness evidence and every change of state",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withRegistry(cmd.Context(), &sf, getenv, func(reg opencredit.ModelRegistry) error {
				v, _, err := reg.ModelVersion(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				ts, err := reg.ModelTransitions(cmd.Context(), v.ID)
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "model %s (%s) %s\nauthor %s, added %s, training data sha256 %s\n", v.ID, v.Kind, v.State, v.Author,
					v.CreatedAt.Format(time.DateTime), orDash(v.DataSHA256))
				var names []string
				for k := range v.Metrics {
					names = append(names, k)
				}
				slices.Sort(names)
				for _, k := range names {
					fmt.Fprintf(stdout, "  %s %.4f\n", k, v.Metrics[k])
				}
				writeFairness(stdout, v)
				fmt.Fprintln(stdout, "history:")
				for _, t := range ts {
					fmt.Fprintf(stdout, "  %s  %s → %s by %s: %s\n", t.At.Format(time.DateTime), t.From, t.To, t.By, t.Note)
					if t.Override != "" {
						fmt.Fprintf(stdout, "    fairness override: %s\n", t.Override)
					}
				}
				return nil
			})
		},
	}
	sf.register(cmd)
	return cmd
}

func newModelsApproveCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	var sf storeFlags
	var by, why, override string
	cmd := &cobra.Command{
		Use:   "approve ID --by OPERATOR --justification TEXT [--override-fairness TEXT]",
		Short: "Approve a draft: by an operator other than its author, with a justification; the fairness gate applies",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withRegistry(cmd.Context(), &sf, getenv, func(reg opencredit.ModelRegistry) error {
				if err := lifecycle.Approve(cmd.Context(), reg, args[0], by, why, override, time.Now()); err != nil {
					return err
				}
				fmt.Fprintf(stdout, "model %s approved by %s\n", args[0], by)
				return nil
			})
		},
	}
	sf.register(cmd)
	cmd.Flags().StringVar(&by, "by", "", "the approving operator (not the author)")
	cmd.Flags().StringVar(&why, "justification", "", "why the model is fit to score people (recorded)")
	cmd.Flags().StringVar(&override, "override-fairness", "", "the written reason to approve a model the fairness gate refuses (recorded, shown in the model's record)")
	return cmd
}

func newModelsActivateCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	var sf storeFlags
	var by, note string
	cmd := &cobra.Command{
		Use:   "activate ID --by OPERATOR",
		Short: "Make an approved model the one that scores; the model it replaces goes back to approved",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withRegistry(cmd.Context(), &sf, getenv, func(reg opencredit.ModelRegistry) error {
				if err := lifecycle.Activate(cmd.Context(), reg, args[0], by, note, time.Now()); err != nil {
					return err
				}
				fmt.Fprintf(stdout, "model %s is active\n", args[0])
				return nil
			})
		},
	}
	sf.register(cmd)
	cmd.Flags().StringVar(&by, "by", "", "the operator (required)")
	cmd.Flags().StringVar(&note, "note", "", "why (recorded)")
	return cmd
}

func newModelsRollbackCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	var sf storeFlags
	var by string
	cmd := &cobra.Command{
		Use:   "rollback --by OPERATOR",
		Short: "Activate again the model the active one replaced",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withRegistry(cmd.Context(), &sf, getenv, func(reg opencredit.ModelRegistry) error {
				id, err := lifecycle.Rollback(cmd.Context(), reg, by, time.Now())
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "rolled back: model %s is active\n", id)
				return nil
			})
		},
	}
	sf.register(cmd)
	cmd.Flags().StringVar(&by, "by", "", "the operator (required)")
	return cmd
}

func newModelsRetireCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	var sf storeFlags
	var by, note string
	cmd := &cobra.Command{
		Use:   "retire ID --by OPERATOR",
		Short: "Retire a draft or an approved model for good",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withRegistry(cmd.Context(), &sf, getenv, func(reg opencredit.ModelRegistry) error {
				if err := lifecycle.Retire(cmd.Context(), reg, args[0], by, note, time.Now()); err != nil {
					return err
				}
				fmt.Fprintf(stdout, "model %s retired\n", args[0])
				return nil
			})
		},
	}
	sf.register(cmd)
	cmd.Flags().StringVar(&by, "by", "", "the operator (required)")
	cmd.Flags().StringVar(&note, "note", "", "why (recorded)")
	return cmd
}

func newModelsCardCmd(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	var sf storeFlags
	var d dataFlags
	var out string
	var cutoff int
	var limitations []string
	cmd := &cobra.Command{
		Use:   "card ID --out card.html [--data holdout.csv --audit a,b]",
		Short: "Write a model's card: purpose, data, features, metrics, fairness, limitations and approval history, as one HTML file",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return opencredit.Errorf(opencredit.EINVALID, "--out is required: the HTML file to write")
			}
			return withRegistry(cmd.Context(), &sf, getenv, func(reg opencredit.ModelRegistry) error {
				v, artifact, err := reg.ModelVersion(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				m, err := model.Load(bytes.NewReader(artifact))
				if err != nil {
					return fmt.Errorf("model %s in the registry: %w", v.ID, err)
				}
				ts, err := reg.ModelTransitions(cmd.Context(), v.ID)
				if err != nil {
					return err
				}
				c := report.Card{Version: v, Transitions: ts, Limitations: limitations}
				if d.data != "" {
					in, err := evaluationInput(&d, m, d.data)
					if err != nil {
						return err
					}
					in.Title, in.Cutoff = "Evaluation on "+in.Data, cutoff
					if c.Evaluation, err = report.Evaluate(in); err != nil {
						return err
					}
				}
				if err := writeFile(out, func(w io.Writer) error { return report.WriteModelCard(w, m, c) }); err != nil {
					return err
				}
				fmt.Fprintf(stderr, "model card: %s\n", out)
				return nil
			})
		},
	}
	sf.register(cmd)
	d.register(cmd, false)
	cmd.Flags().Lookup("data").Usage = "held-out CSV to evaluate the model on in the card (optional)"
	_ = cmd.Flags().SetAnnotation("data", cobra.BashCompOneRequiredFlag, []string{"false"})
	cmd.Flags().StringVar(&out, "out", "", "the HTML file to write (required)")
	cmd.Flags().IntVar(&cutoff, "cutoff", 600, "with --data: the cut-off of the fairness tables")
	cmd.Flags().StringArrayVar(&limitations, "limitation", nil, "a limitation the developer states, added to those the card derives (repeatable)")
	return cmd
}
