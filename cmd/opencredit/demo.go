package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/mod/sumdb/note"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/ebm"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/httpapi"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/report"
	"github.com/opencredit/opencredit/scorecard"
	"github.com/opencredit/opencredit/scoring"
	"github.com/opencredit/opencredit/simulate"
)

// demoPrograms are the demo's programs: the three of the product brief.
const demoPrograms = `# The demo's programs; the format is described in decision/doc.go.
programs:
  - id: bike-deposit-free
    name: Deposit-free bike rental
    purpose: rental_deposit_waiver
    min_score: 600

  - id: flat-deposit-free
    name: Deposit-free flat
    purpose: rental_deposit_waiver
    min_score: 650
    conditions:
      # No delay of 60 days or more. The feature store keeps the worst delay
      # over 24 months, so this is stricter than "in 12 months".
      - require: worst_days_past_due_24m < 60

  - id: credit-line
    name: Flexible credit line
    purpose: credit_application
    min_score: 600
    limit:
      currency: EUR
      cap: 5000
      step: 50
      minimum: 100
      bands:
        good:      {amount: 1000, income_multiple: 0.5}
        very good: {amount: 2500, income_multiple: 1}
        excellent: {income_multiple: 2}
`

// Client ids of the demo.
const (
	demoLender   = "demo-lender"
	demoOperator = "demo-operator"
)

// demoPerson is a simulated person the demo gives a subject token to.
type demoPerson struct {
	ID, Why, Key string
	Score        int
}

func newDemoCmd(stdout, stderr io.Writer) *cobra.Command {
	var pf simFlags
	var kind, dir, addr string
	c := &cobra.Command{
		Use:   "demo [--dir D] [--addr HOST:PORT]",
		Short: "Run OpenCredit on a simulated population: store, train, serve, and print what to try",
		Long: `Demo creates an embedded store (in a temporary directory unless --dir), simulates a population
(20,000 people over 24 months by default), builds a point-in-time training set as of month 12 with
the outcome over the 12 months after, trains and activates a scorecard, creates a demo lender,
operator and a few demo people with their tokens, and serves the API until interrupted. It prints
the keys and the requests to try. Everything uses the public demo key for personal data: never
put real data in a demo store.`,
		Example: "  go run ./cmd/opencredit demo\n  opencredit demo --dir demo-data --addr 127.0.0.1:9090",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), pf, kind, dir, addr, stdout, stderr)
		},
	}
	pf.register(c, 20000)
	c.Flags().StringVar(&kind, "model", kindScorecard, "the model to train and serve: scorecard or ebm (explainable boosting)")
	c.Flags().StringVar(&dir, "dir", "", "directory for the store, model, keys and audit log (default: a new temporary directory, removed at exit)")
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to serve on")
	return c
}

func runDemo(ctx context.Context, pf simFlags, kind, dir, addr string, stdout, stderr io.Writer) error {
	began := time.Now()
	if kind != kindScorecard && kind != ebm.Kind {
		return opencredit.Errorf(opencredit.EINVALID, "--model %q: want scorecard or ebm", kind)
	}
	if pf.cfg.Months < 13 {
		return opencredit.Errorf(opencredit.EINVALID, "--months must be at least 13: the demo trains on month 12 and the months after it")
	}
	s, err := pf.simulator(began)
	if err != nil {
		return err
	}
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	defer ln.Close() // serve closes it too; this is for the early returns
	if dir == "" {
		if dir, err = os.MkdirTemp("", "opencredit-demo-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	step := func(format string, args ...any) {
		fmt.Fprintf(stderr, "[%5.1fs] %s\n", time.Since(began).Seconds(), fmt.Sprintf(format, args...))
	}
	step("data directory %s", dir)

	dbPath := filepath.Join(dir, "opencredit.db")
	if _, err := os.Stat(dbPath); err == nil {
		return opencredit.Errorf(opencredit.EINVALID, "--dir %s already holds a store: give an empty or new directory", dir)
	}
	sf := storeFlags{kind: "sqlite", dir: dir, demo: true}
	st, err := sf.open(ctx, os.Getenv)
	if err != nil {
		return err
	}
	defer st.Close()

	// 1. Simulate and store the population; build the training set as of
	// month 12 from the same events, with the outcome over the 12 months
	// after it (what 'opencredit snapshot' computes from the store).
	asOf := s.Start().AddDate(0, 12, 0).Add(-time.Nanosecond)
	end := asOf.AddDate(0, 12, 0)
	trainPath := filepath.Join(dir, "train.csv")
	tf, err := os.Create(trainPath)
	if err != nil {
		return err
	}
	defer tf.Close()
	cw := csv.NewWriter(tf)
	cw.Write(snapshotHeader())
	fcfg := features.DefaultConfig()
	var rec []string
	bar := progressbar.NewOptions(s.Config().Subjects, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("simulating and storing people"),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
	events, err := loadPopulation(ctx, st, s, func(p simulate.Person) error {
		var err error
		if rec, _, err = snapshotRow(rec[:0], p.ID, p.Events, asOf, end, fcfg); err != nil {
			return err
		}
		return cw.Write(rec)
	}, func(people int) { bar.Set(people) })
	bar.Finish()
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	step("stored %d people and %d events, %s to %s", s.Config().Subjects, events, s.Start().Format("Jan 2006"), s.End().AddDate(0, 0, -1).Format("Jan 2006"))

	// 2. Train and activate a scorecard.
	m, err := trainDemoModel(trainPath, kind)
	if err != nil {
		return err
	}
	modelPath := filepath.Join(dir, "model.json")
	if err := m.SaveFile(modelPath); err != nil {
		return err
	}
	reportPath := filepath.Join(dir, "model.html")
	if err := writeFile(reportPath, func(w io.Writer) error { return report.WriteModelHTML(w, m, nil) }); err != nil {
		return err
	}
	step("trained %s as of %s on %d people (%d went 90+ days late or defaulted in the next 12 months): %d features, training AUC %.3f",
		map[string]string{kindScorecard: "a scorecard", ebm.Kind: "an explainable boosting model"}[m.Kind], asOf.Format("2 Jan 2006"), m.Training.Rows, m.Training.Bads, len(m.Features), m.Metrics["train_auc"])
	if err := scoring.CheckModel(m); err != nil {
		return err
	}
	programsPath := filepath.Join(dir, "programs.yaml")
	if err := os.WriteFile(programsPath, []byte(demoPrograms), 0o600); err != nil {
		return err
	}
	programs, err := decision.LoadProgramsFile(programsPath)
	if err != nil {
		return err
	}

	// 3. Audit keys, clients and demo people.
	signer, verifier, err := demoAuditKeys(filepath.Join(dir, "keys"))
	if err != nil {
		return err
	}
	now := time.Now()
	keys := map[string]string{}
	for _, cl := range []opencredit.Client{
		{ID: demoLender, Name: "Demo Lender", Role: opencredit.RoleLender,
			Purposes: []string{opencredit.PurposeCreditApplication, opencredit.PurposeAccountReview, opencredit.PurposeRentalDepositWaiver}},
		{ID: demoOperator, Name: "Demo Operator", Role: opencredit.RoleOperator},
		{ID: simulate.FurnisherIDs()[0], Name: "Demo Bank (furnisher)", Role: opencredit.RoleFurnisher},
	} {
		if keys[cl.ID], err = createClient(ctx, st, cl, now); err != nil {
			return err
		}
	}
	people, err := pickDemoPeople(ctx, st, m, s.Config().Subjects, now)
	if err != nil {
		return err
	}
	for i := range people {
		p := &people[i]
		for _, purpose := range []string{opencredit.PurposeCreditApplication, opencredit.PurposeRentalDepositWaiver, opencredit.PurposeAccountReview} {
			if err := st.GrantConsent(ctx, opencredit.Consent{Subject: p.ID, Counterparty: demoLender, Purpose: purpose, GrantedAt: now}); err != nil {
				return err
			}
		}
		cl := opencredit.Client{ID: "person-" + p.ID, Name: "Demo person " + p.ID, Role: opencredit.RoleSubject, Subject: p.ID}
		if p.Key, err = createClient(ctx, st, cl, now); err != nil {
			return err
		}
	}

	// 4. Serve.
	log, closeAudit, err := sf.openAudit(ctx, os.Getenv, signer, verifier)
	if err != nil {
		return err
	}
	defer closeAudit()
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	if f, err := os.Create(filepath.Join(dir, "server.log")); err == nil {
		defer f.Close()
		logger = slog.New(slog.NewJSONHandler(f, nil))
	}
	svc, err := scoring.New(scoring.Config{Store: st, Model: m, Programs: programs, Log: log})
	if err != nil {
		return err
	}
	handler := httpapi.NewServer(httpapi.Deps{Store: st, Scoring: svc, Audit: log, Logger: logger})
	return serve(ctx, ln, "", "", handler, log, logger, io.Discard, func(url string) {
		step("serving on %s", url)
		writeDemoGuide(stdout, url, dir, keys, people)
		writeDemoEnv(filepath.Join(dir, "demo.env"), url, keys, people)
	})
}

// trainDemoModel trains a model of the kind (scorecard or ebm) on the
// snapshot at path with the default configuration, as 'opencredit train
// --model kind --target label --id subject'.
func trainDemoModel(path, kind string) (*model.Model, error) {
	f, err := dataset.ReadFile(path, dataset.Options{Target: "label", ID: "subject", RequireTarget: true})
	if err != nil {
		return nil, err
	}
	t := trainFlags{kind: kind, cfg: scorecard.DefaultConfig(), ebm: ebm.DefaultConfig()}
	if err := t.validate(); err != nil {
		return nil, err
	}
	cfg := t.cfg
	cfg.Spec = withRegistryDefaults(cfg.Spec, f.Header)
	m, err := t.train(f.Features, f.Y, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	t.record(m, f)
	m.Training.ID = "subject"
	return m, nil
}

// demoAuditKeys makes a fresh key pair for the demo's audit log and keeps
// it in dir, so that 'opencredit audit verify' can check the log later.
func demoAuditKeys(dir string) (note.Signer, note.Verifier, error) {
	skey, vkey, err := audit.GenerateKey("opencredit-demo-audit")
	if err != nil {
		return nil, nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "audit.skey"), []byte(skey+"\n"), 0o600); err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "audit.vkey"), []byte(vkey+"\n"), 0o644); err != nil {
		return nil, nil, err
	}
	return auditKeys(filepath.Join(dir, "audit.skey"), filepath.Join(dir, "audit.vkey"))
}

// createClient registers a client with a new key and returns the key.
func createClient(ctx context.Context, st opencredit.Store, cl opencredit.Client, now time.Time) (string, error) {
	key, hash, err := opencredit.NewAPIKey()
	if err != nil {
		return "", err
	}
	cl.CreatedAt = now
	return key, st.CreateClient(ctx, cl, hash)
}

// demoCandidates is how many people pickDemoPeople looks at.
const demoCandidates = 2000

// pickDemoPeople chooses, among the first people, three to give tokens to:
// the best score, one just below the bike program's 600 (declined, with
// reasons), and a thin file (no credit account, bills and rentals only).
func pickDemoPeople(ctx context.Context, st opencredit.Store, m *model.Model, subjects int, now time.Time) ([]demoPerson, error) {
	type scored struct {
		id    string
		score int
		thin  bool
	}
	var all []scored
	for i := range min(subjects, demoCandidates) {
		id := simulate.SubjectID(i)
		fv, err := st.Features(ctx, id, now)
		if err != nil {
			return nil, err
		}
		res, err := scoring.ScoreFeatures(m, fv) // the score the guide's requests will show
		if err != nil {
			return nil, err
		}
		_, hasCredit := fv.Values[features.OldestAccountMonths]
		all = append(all, scored{id, res.Score, !hasCredit && fv.Values[features.Bills12m] > 0})
	}
	if len(all) == 0 {
		return nil, opencredit.Errorf(opencredit.EINVALID, "no people to choose demo people from")
	}
	best := slices.MaxFunc(all, func(a, b scored) int { return a.score - b.score })
	out := []demoPerson{{ID: best.id, Why: "the best score among the first people", Score: best.score}}
	var below *scored
	for k := range all {
		if a := &all[k]; a.score < 600 && a.score >= 500 && (below == nil || a.score > below.score) {
			below = a
		}
	}
	if below != nil {
		out = append(out, demoPerson{ID: below.id, Why: "just below 600: declined for the bike, with reasons", Score: below.score})
	}
	if k := slices.IndexFunc(all, func(a scored) bool { return a.thin }); k >= 0 {
		out = append(out, demoPerson{ID: all[k].id, Why: "a thin file: bills and rentals, no credit account", Score: all[k].score})
	}
	return out, nil
}

// writeDemoGuide prints what to open and which keys to use.
func writeDemoGuide(w io.Writer, url, dir string, keys map[string]string, people []demoPerson) {
	var b strings.Builder
	fmt.Fprintf(&b, "\nOpenCredit demo: %s  (data in %s; Ctrl-C stops it)\n", url, dir)
	fmt.Fprintf(&b, "Every key below is for this demo only. They are also in %s, for: source %s\n\n", filepath.Join(dir, "demo.env"), filepath.Join(dir, "demo.env"))
	fmt.Fprintf(&b, "  LENDER=%s     # %s: credit_application, account_review, rental_deposit_waiver\n", keys[demoLender], demoLender)
	fmt.Fprintf(&b, "  OPERATOR=%s   # %s: model, programs, audit log, metrics\n", keys[demoOperator], demoOperator)
	for k, p := range people {
		fmt.Fprintf(&b, "  PERSON%d=%s    # subject %s (score %d now): %s\n", k+1, p.Key, p.ID, p.Score, p.Why)
	}
	p1 := people[0].ID
	declined := p1
	if len(people) > 1 {
		declined = people[1].ID
	}
	fmt.Fprintf(&b, "\nA score with its reasons (the lender holds these people's consent, and no one else's):\n")
	fmt.Fprintf(&b, "  curl -s -H \"Authorization: Bearer $LENDER\" '%s/v1/subjects/%s/score?purpose=rental_deposit_waiver'\n", url, declined)
	fmt.Fprintf(&b, "A decision, and for a decline its adverse-action notice (add -H 'Accept: text/html' > notice.html for the printable page):\n")
	fmt.Fprintf(&b, "  curl -s -H \"Authorization: Bearer $LENDER\" -d '{\"subject\":\"%s\",\"program\":\"bike-deposit-free\"}' %s/v1/decisions\n", declined, url)
	fmt.Fprintf(&b, "A refused purpose, and a person the lender has no consent for:\n")
	fmt.Fprintf(&b, "  curl -s -H \"Authorization: Bearer $LENDER\" '%s/v1/subjects/%s/score?purpose=employment'\n", url, p1)
	fmt.Fprintf(&b, "  curl -s -H \"Authorization: Bearer $LENDER\" '%s/v1/subjects/%s/score?purpose=credit_application'\n", url, simulate.SubjectID(demoCandidates))
	fmt.Fprintf(&b, "A person's own data and score:\n")
	fmt.Fprintf(&b, "  curl -s -H \"Authorization: Bearer $PERSON1\" %s/v1/subjects/%s/data\n", url, p1)
	fmt.Fprintf(&b, "  curl -s -H \"Authorization: Bearer $PERSON1\" '%s/v1/subjects/%s/score?purpose=subject_self_access'\n", url, p1)
	fmt.Fprintf(&b, "Who asked for what (the audit log), and the model:\n")
	fmt.Fprintf(&b, "  curl -s -H \"Authorization: Bearer $OPERATOR\" %s/v1/audit/records\n", url)
	fmt.Fprintf(&b, "  curl -s -H \"Authorization: Bearer $OPERATOR\" %s/v1/model\n", url)
	fmt.Fprintf(&b, "The API: %s/openapi.yaml; the model's report: %s\n", url, filepath.Join(dir, "model.html"))
	fmt.Fprintf(&b, "After stopping (with --dir): opencredit audit verify --db %s --vkey %s\n",
		filepath.Join(dir, "audit.db"), filepath.Join(dir, "keys", "audit.vkey"))
	io.WriteString(w, b.String())
}

// writeDemoEnv writes the keys as shell variables.
func writeDemoEnv(path, url string, keys map[string]string, people []demoPerson) {
	var b strings.Builder
	fmt.Fprintf(&b, "OPENCREDIT_URL=%s\nLENDER=%s\nOPERATOR=%s\nFURNISHER=%s\n", url, keys[demoLender], keys[demoOperator], keys[simulate.FurnisherIDs()[0]])
	for k, p := range people {
		fmt.Fprintf(&b, "PERSON%d=%s\nPERSON%d_ID=%s\n", k+1, p.Key, k+1, p.ID)
	}
	os.WriteFile(path, []byte(b.String()), 0o600)
}
