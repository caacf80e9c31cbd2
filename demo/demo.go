package demo

import (
	"context"
	"encoding/csv"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/ebm"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/httpapi"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/monitor"
	"github.com/opencredit/opencredit/report"
	"github.com/opencredit/opencredit/scoring"
	"github.com/opencredit/opencredit/simulate"
	"github.com/opencredit/opencredit/snapshot"
	"github.com/opencredit/opencredit/web"
)

// Programs are the demo's programs, in the format of decision/doc.go: the
// three of the product brief.
const Programs = `# The demo's programs; the format is described in decision/doc.go.
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
    product: line
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
	Lender   = "demo-lender"
	Operator = "demo-operator"
)

// Person is a simulated person the demo gives a subject token to.
type Person struct {
	ID, Why, Key string
	Score        int // when the demo was built
	// SignIn is the path of the person's one-time sign-in link to their
	// pages, "/signin/…", set by Handler.
	SignIn string
}

// Config is what Build needs besides the store and the population.
type Config struct {
	// Dir is where the training set, model, report, programs, audit keys
	// and demo.env go; it must exist.
	Dir string
	// Train trains the model to serve on the training set, a CSV as
	// 'opencredit snapshot' writes, at path.
	Train func(path string) (*model.Model, error)
	// Now is the clock of the clients, consents and scores; nil means
	// time.Now.
	Now func() time.Time
	// Step, if not nil, is told each step done.
	Step func(format string, args ...any)
	// Progress, if not nil, is told how many people are simulated and
	// stored so far.
	Progress func(people int)
}

// Demo is a built demo: what it serves and what its guide shows.
type Demo struct {
	Dir      string
	Model    *model.Model
	Programs []decision.Program
	// Keys are the API keys of the demo's clients, by client id: Lender,
	// Operator and the first furnisher of the simulation.
	Keys   map[string]string
	People []Person
	// Signer and Verifier are the audit log's keys, kept in Dir/keys.
	Signer   note.Signer
	Verifier note.Verifier
}

// Build fills the empty store st with the population of s, trains a model
// as of the end of its month 12 on the 12 months after, and creates the
// programs, audit keys, clients and demo people (README, The demo):
//
//  1. simulate and store every person, and from the same events build the
//     training set as of month 12, with the outcome over the 12 months
//     after it (what 'opencredit snapshot' computes from the store);
//  2. train the model with cfg.Train, check it and write its report;
//  3. write the programs and a fresh audit key pair, create the lender,
//     the operator and the furnisher, pick the demo people and give the
//     lender their consent and each of them a subject token.
//
// s must cover at least 13 months.
func Build(ctx context.Context, st opencredit.Store, s *simulate.Simulator, cfg Config) (*Demo, error) {
	if s.Config().Months < 13 {
		return nil, opencredit.Errorf(opencredit.EINVALID, "the demo trains on month 12 and the months after it: the population needs at least 13 months, not %d", s.Config().Months)
	}
	step := cfg.Step
	if step == nil {
		step = func(string, ...any) {}
	}
	clock := cfg.Now
	if clock == nil {
		clock = time.Now
	}
	dir := cfg.Dir

	// 1. Simulate and store the population; build the training set as of
	// month 12 from the same events, with the outcome over the 12 months
	// after it (what 'opencredit snapshot' computes from the store).
	asOf := s.Start().AddDate(0, 12, 0).Add(-time.Nanosecond)
	end := asOf.AddDate(0, 12, 0)
	trainPath := filepath.Join(dir, "train.csv")
	tf, err := os.Create(trainPath)
	if err != nil {
		return nil, err
	}
	defer tf.Close()
	cw := csv.NewWriter(tf)
	cw.Write(snapshot.Header())
	fcfg := features.DefaultConfig()
	var rec []string
	events, err := s.Populate(ctx, st, func(p simulate.Person) error {
		var err error
		if rec, _, err = snapshot.Row(rec[:0], p.ID, p.Events, asOf, end, fcfg); err != nil {
			return err
		}
		return cw.Write(rec)
	}, cfg.Progress)
	if err != nil {
		return nil, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, err
	}
	step("stored %d people and %d events, %s to %s", s.Config().Subjects, events, s.Start().Format("Jan 2006"), s.End().AddDate(0, 0, -1).Format("Jan 2006"))

	// 2. Train and activate a scorecard.
	m, err := cfg.Train(trainPath)
	if err != nil {
		return nil, err
	}
	modelPath := filepath.Join(dir, "model.json")
	if err := m.SaveFile(modelPath); err != nil {
		return nil, err
	}
	if err := writeReport(filepath.Join(dir, "model.html"), m); err != nil {
		return nil, err
	}
	step("trained %s as of %s on %d people (%d went 90+ days late or defaulted in the next 12 months): %d features, training AUC %.3f",
		map[string]string{"scorecard": "a scorecard", ebm.Kind: "an explainable boosting model"}[m.Kind], asOf.Format("2 Jan 2006"), m.Training.Rows, m.Training.Bads, len(m.Features), m.Metrics["train_auc"])
	if err := scoring.CheckModel(m); err != nil {
		return nil, err
	}
	programsPath := filepath.Join(dir, "programs.yaml")
	if err := os.WriteFile(programsPath, []byte(Programs), 0o600); err != nil {
		return nil, err
	}
	programs, err := decision.LoadProgramsFile(programsPath)
	if err != nil {
		return nil, err
	}

	// 3. Audit keys, clients and demo people.
	signer, verifier, err := auditKeys(filepath.Join(dir, "keys"))
	if err != nil {
		return nil, err
	}
	now := clock()
	keys := map[string]string{}
	for _, cl := range []opencredit.Client{
		{ID: Lender, Name: "Demo Lender", Role: opencredit.RoleLender,
			Purposes: []string{opencredit.PurposeCreditApplication, opencredit.PurposeAccountReview, opencredit.PurposeRentalDepositWaiver}},
		{ID: Operator, Name: "Demo Operator", Role: opencredit.RoleOperator},
		{ID: simulate.FurnisherIDs()[0], Name: "Demo Bank (furnisher)", Role: opencredit.RoleFurnisher},
	} {
		if keys[cl.ID], err = createClient(ctx, st, cl, now); err != nil {
			return nil, err
		}
	}
	people, err := pickPeople(ctx, st, m, s.Config().Subjects, now)
	if err != nil {
		return nil, err
	}
	for i := range people {
		p := &people[i]
		for _, purpose := range []string{opencredit.PurposeCreditApplication, opencredit.PurposeRentalDepositWaiver, opencredit.PurposeAccountReview} {
			if err := st.GrantConsent(ctx, opencredit.Consent{Subject: p.ID, Counterparty: Lender, Purpose: purpose, GrantedAt: now}); err != nil {
				return nil, err
			}
		}
		cl := opencredit.Client{ID: "person-" + p.ID, Name: "Demo person " + p.ID, Role: opencredit.RoleSubject, Subject: p.ID}
		if p.Key, err = createClient(ctx, st, cl, now); err != nil {
			return nil, err
		}
	}
	return &Demo{Dir: dir, Model: m, Programs: programs, Keys: keys, People: people, Signer: signer, Verifier: verifier}, nil
}

// Handler is the API and the person's pages of the demo over st, the
// store Build filled, recording to log (opened with the demo's Signer and
// Verifier). It issues each demo person a one-time sign-in link to their
// pages (People[i].SignIn), valid for web.DefaultLinkTTL.
func (d *Demo) Handler(st opencredit.Store, log *audit.Log, logger *slog.Logger) (http.Handler, error) {
	drift := monitor.New(nil)
	svc, err := scoring.New(scoring.Config{Store: st, Model: d.Model, Programs: d.Programs, Log: log, Observer: drift})
	if err != nil {
		return nil, err
	}
	links := web.NewLinks(0, nil)
	for i := range d.People {
		token, err := links.Issue(d.People[i].Key)
		if err != nil {
			return nil, err
		}
		d.People[i].SignIn = "/signin/" + token
	}
	return httpapi.NewServer(httpapi.Deps{Store: st, Scoring: svc, Audit: log, Logger: logger,
		Drift: drift, Links: links}), nil
}

// writeReport writes the model's HTML report to path.
func writeReport(path string, m *model.Model) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := report.WriteModelHTML(f, m, nil); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// auditKeys makes a fresh key pair for the demo's audit log and keeps it
// in dir, so that 'opencredit audit verify' can check the log later.
func auditKeys(dir string) (note.Signer, note.Verifier, error) {
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
	return audit.ParseKeys(skey, vkey)
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
