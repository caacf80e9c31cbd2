package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/dispute"
	"github.com/opencredit/opencredit/scoring"
)

// operatorFlags are what the dispute and review commands share: the store,
// the audit log every access is recorded in, and the operator who acts
// (recorded as the client, and as a resolution's resolver).
type operatorFlags struct {
	sf       storeFlags
	skey     string
	vkey     string
	operator string
}

func (o *operatorFlags) register(c *cobra.Command) {
	o.sf.register(c)
	c.Flags().StringVar(&o.skey, "audit-key", "", "the signer key of the audit log, from audit keygen (required: every read and resolution is recorded)")
	c.Flags().StringVar(&o.vkey, "audit-vkey", "", "the verifier key (default: --audit-key with .vkey for .skey)")
	c.Flags().StringVar(&o.operator, "operator", "", "the id of the operator acting, as the audit log names them (required)")
}

// open opens the store and its audit log, after checking the flags.
// The returned done signs a checkpoint over what the command appended and
// closes both, setting *err if it was nil and signing failed.
func (o *operatorFlags) open(ctx context.Context, getenv func(string) string) (opencredit.Store, *audit.Log, func(err *error), error) {
	if o.operator == "" || o.skey == "" {
		return nil, nil, nil, opencredit.Errorf(opencredit.EINVALID, "--operator and --audit-key are required: every read and resolution is recorded, under the operator's id")
	}
	if err := opencredit.CheckID("--operator", o.operator); err != nil {
		return nil, nil, nil, err
	}
	if o.operator == opencredit.PlatformSource {
		return nil, nil, nil, opencredit.Errorf(opencredit.EINVALID, "--operator %q is the platform's own id", o.operator)
	}
	vkey := o.vkey
	if vkey == "" {
		vkey = strings.TrimSuffix(o.skey, ".skey") + ".vkey"
	}
	signer, verifier, err := auditKeys(o.skey, vkey)
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := o.sf.open(ctx, getenv)
	if err != nil {
		return nil, nil, nil, err
	}
	log, closeAudit, err := o.sf.openAudit(ctx, getenv, signer, verifier)
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	return st, log, func(err *error) {
		// Sign what this command appended, as serve does when it stops.
		if log.Size() > 0 {
			if _, cerr := log.Checkpoint(context.WithoutCancel(ctx)); cerr != nil && *err == nil {
				*err = cerr
			}
		}
		closeAudit()
		st.Close()
	}, nil
}

func (o *operatorFlags) caller() scoring.Caller {
	return scoring.Caller{Client: opencredit.Client{ID: o.operator, Role: opencredit.RoleOperator}}
}

// list is an operator's audited listing, the shape of disputes list and
// reviews list: open the store and the audit log, read the items, record
// one access per subject listed (as the API does), and print them as JSON
// or as a table of header and one row per item.
func list[T any](o *operatorFlags, ctx context.Context, getenv func(string) string, stdout io.Writer, asJSON bool, action string,
	read func(context.Context, opencredit.Store, *audit.Log, time.Time) ([]T, error), subject func(T) string,
	header string, row func(T) string) (err error) {
	st, log, done, err := o.open(ctx, getenv)
	if err != nil {
		return err
	}
	defer done(&err)
	now := time.Now().UTC()
	items, err := read(ctx, st, log, now)
	if err != nil {
		return err
	}
	subjects := make([]string, len(items))
	for i, it := range items {
		subjects[i] = subject(it)
	}
	if _, err := log.Append(ctx, scoring.AccessRecords(now, o.caller(), action, subjects)...); err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(stdout).Encode(items)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, it := range items {
		fmt.Fprintln(tw, row(it))
	}
	return tw.Flush()
}

func newDisputesCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	c := &cobra.Command{Use: "disputes", Short: "List and resolve disputes (FCRA §611) on the store, as an operator, every access audited"}
	c.AddCommand(newDisputesListCmd(getenv, stdout), newDisputesResolveCmd(getenv, stdout))
	return c
}

func newDisputesListCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	var o operatorFlags
	var f opencredit.DisputeFilter
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--status S] [--subject ID] [--source F] --operator ID --audit-key K",
		Short: "List disputes, oldest first, after suppressing those past the 30-day deadline",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			switch f.Status {
			case "", opencredit.DisputeOpen, opencredit.DisputeVerified, opencredit.DisputeCorrected, opencredit.DisputeDeleted, opencredit.DisputeSuppressed:
			default:
				return opencredit.Errorf(opencredit.EINVALID, "--status %q: want open, verified, corrected, deleted or suppressed", f.Status)
			}
			return list(&o, cmd.Context(), getenv, stdout, asJSON, scoring.ActionDisputesRead,
				func(ctx context.Context, st opencredit.Store, log *audit.Log, now time.Time) ([]opencredit.Dispute, error) {
					if _, err := scoring.LapseDisputes(ctx, st, log, f.Subject, now); err != nil {
						return nil, err
					}
					return st.Disputes(ctx, f)
				},
				func(d opencredit.Dispute) string { return d.Subject },
				"ID\tSTATUS\tSUBJECT\tSOURCE\tEVENT\tOPENED\tDUE\tRESOLVED\tCOMMENT",
				func(d opencredit.Dispute) string {
					resolved := "-"
					if d.ResolvedAt != nil {
						resolved = d.ResolvedAt.Format(time.RFC3339) + " by " + d.Resolver
					}
					return fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", d.ID, d.Status, d.Subject, d.Source, d.EventID,
						d.OpenedAt.Format(time.RFC3339), dispute.Due(d).Format(time.RFC3339), resolved, oneLine(d.Comment))
				})
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&f.Status, "status", "", "only disputes of this status: open, verified, corrected, deleted, suppressed")
	cmd.Flags().StringVar(&f.Subject, "subject", "", "only this subject's disputes")
	cmd.Flags().StringVar(&f.Source, "source", "", "only disputes of events from this furnisher")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the disputes as a JSON array")
	return cmd
}

func newDisputesResolveCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	var o operatorFlags
	var id, outcome, note, dataPath, eventTime string
	cmd := &cobra.Command{
		Use:   "resolve --id D --outcome verified|corrected|deleted [--note N] [--data FILE --time T] --operator ID --audit-key K",
		Short: "Resolve a dispute as an operator; corrected takes the event's corrected data from --data",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if id == "" {
				return opencredit.Errorf(opencredit.EINVALID, "--id is required")
			}
			if err := dispute.CheckOutcome(outcome); err != nil {
				return opencredit.Errorf(opencredit.EINVALID, "--outcome: %v", err)
			}
			if (outcome == opencredit.DisputeCorrected) != (dataPath != "") {
				return opencredit.Errorf(opencredit.EINVALID, "--data FILE (the event's corrected data as JSON) goes with --outcome corrected, and only with it")
			}
			if eventTime != "" && dataPath == "" {
				return opencredit.Errorf(opencredit.EINVALID, "--time corrects the event's time: it goes with --data")
			}
			var corrected *opencredit.Event
			if dataPath != "" {
				b, err := os.ReadFile(dataPath)
				if err != nil {
					return opencredit.Errorf(opencredit.EINVALID, "--data: %v", err)
				}
				if !json.Valid(b) {
					return opencredit.Errorf(opencredit.EINVALID, "--data %s: not valid JSON", dataPath)
				}
				corrected = &opencredit.Event{Data: json.RawMessage(b)}
				if eventTime != "" {
					t, err := time.Parse(time.RFC3339Nano, eventTime)
					if err != nil {
						return opencredit.Errorf(opencredit.EINVALID, "--time %q: want RFC 3339, e.g. 2026-03-01T10:00:00Z", eventTime)
					}
					corrected.Time = t
				}
			}
			ctx := cmd.Context()
			st, log, done, err := o.open(ctx, getenv)
			if err != nil {
				return err
			}
			defer done(&err)
			now := time.Now().UTC()
			d, err := st.Dispute(ctx, id)
			if err != nil {
				return err
			}
			// As the API does: a lapsed dispute is suppressed first, so the
			// person's history shows it before the late answer.
			if _, err := scoring.LapseDisputes(ctx, st, log, d.Subject, now); err != nil {
				return err
			}
			d, err = st.ResolveDispute(ctx, opencredit.DisputeResolution{ID: id, Status: outcome, Note: note,
				Resolver: o.operator, At: now, Corrected: corrected})
			if err != nil {
				return err
			}
			by := o.caller()
			if _, err := log.Append(ctx, audit.Record{Time: now, Client: by.Client.ID, Role: by.Client.Role,
				Purpose: scoring.PurposeOperations, Subject: d.Subject, Action: "dispute_" + outcome, Result: audit.Result{Items: 1}}); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "dispute %s %s\n", d.ID, d.Status)
			return nil
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&id, "id", "", "the dispute's id (required)")
	cmd.Flags().StringVar(&outcome, "outcome", "", "verified, corrected or deleted (required)")
	cmd.Flags().StringVar(&note, "note", "", "a note on the outcome, which the person reads")
	cmd.Flags().StringVar(&dataPath, "data", "", "for corrected: a file holding the event's corrected data (JSON)")
	cmd.Flags().StringVar(&eventTime, "time", "", "for corrected: the event's corrected time (RFC 3339), when it was wrong too")
	return cmd
}

func newReviewsCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	c := &cobra.Command{Use: "reviews", Short: "List and resolve human reviews of decisions (GDPR Art. 22(3)) on the store, every access audited"}
	c.AddCommand(newReviewsListCmd(getenv, stdout), newReviewsResolveCmd(getenv, stdout))
	return c
}

func newReviewsListCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	var o operatorFlags
	var f opencredit.ReviewFilter
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--status S] [--subject ID] --operator ID --audit-key K",
		Short: "List requests for human review, oldest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			switch f.Status {
			case "", opencredit.ReviewRequested, opencredit.ReviewUpheld, opencredit.ReviewChanged:
			default:
				return opencredit.Errorf(opencredit.EINVALID, "--status %q: want requested, upheld or changed", f.Status)
			}
			return list(&o, cmd.Context(), getenv, stdout, asJSON, scoring.ActionReviewsRead,
				func(ctx context.Context, st opencredit.Store, _ *audit.Log, _ time.Time) ([]opencredit.Review, error) {
					return st.Reviews(ctx, f)
				},
				func(r opencredit.Review) string { return r.Subject },
				"ID\tSTATUS\tSUBJECT\tDECISION\tLENDER\tOUTCOME\tSCORE\tREQUESTED\tCOMMENT",
				func(r opencredit.Review) string {
					return fmt.Sprintf("%s\t%s\t%s\t%d\t%s\t%s\t%d\t%s\t%s", r.ID, r.Status, r.Subject, r.DecisionID, r.Lender, r.Outcome,
						r.Score, r.RequestedAt.Format(time.RFC3339), oneLine(orDash(r.Comment)))
				})
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&f.Status, "status", "", "only reviews of this status: requested, upheld, changed")
	cmd.Flags().StringVar(&f.Subject, "subject", "", "only this subject's reviews")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the reviews as a JSON array")
	return cmd
}

func newReviewsResolveCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	var o operatorFlags
	var id, outcome, note string
	cmd := &cobra.Command{
		Use:   "resolve --id R --outcome upheld|changed --note N --operator ID --audit-key K",
		Short: "Record a review's outcome and the note the person reads",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if id == "" {
				return opencredit.Errorf(opencredit.EINVALID, "--id is required")
			}
			if err := opencredit.CheckReviewResolution(outcome, note, "cli", time.Now()); err != nil {
				return opencredit.Errorf(opencredit.EINVALID, "--outcome, --note: %v", err)
			}
			ctx := cmd.Context()
			st, log, done, err := o.open(ctx, getenv)
			if err != nil {
				return err
			}
			defer done(&err)
			now := time.Now().UTC()
			r, err := st.ResolveReview(ctx, id, outcome, note, o.operator, now)
			if err != nil {
				return err
			}
			by := o.caller()
			if _, err := log.Append(ctx, audit.Record{Time: now, Client: by.Client.ID, Role: by.Client.Role,
				Purpose: scoring.PurposeOperations, Subject: r.Subject, Action: "review_" + outcome,
				Result: audit.Result{Decision: r.Outcome, Score: r.Score}}); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "review %s %s\n", r.ID, r.Status)
			return nil
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&id, "id", "", "the review's id (required)")
	cmd.Flags().StringVar(&outcome, "outcome", "", "upheld or changed (required)")
	cmd.Flags().StringVar(&note, "note", "", "why the decision stands, or how it should change (required: the person reads it)")
	return cmd
}

// oneLine shortens free text to one line of at most 60 characters for a table.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return s
}

// disputeSweepEvery is how often serve suppresses the disputes past their
// deadline. A score suppresses its subject's lapsed disputes before it
// reads features anyway; the sweep is for the furnisher's queue and the
// person's page to show the suppression without waiting for a score, so an
// hour is soon enough against a 30-day deadline.
const disputeSweepEvery = time.Hour

// sweepDisputes runs svc.SuppressLapsed every interval until ctx ends,
// logging what it suppressed and any failure (the next sweep, or the next
// score, tries again).
func sweepDisputes(ctx context.Context, svc *scoring.Service, every time.Duration, logger *slog.Logger) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if n, err := svc.SuppressLapsed(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			logger.Error("suppressing lapsed disputes", "err", err)
		} else if n > 0 {
			logger.Info("suppressed lapsed disputes", "disputes", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
