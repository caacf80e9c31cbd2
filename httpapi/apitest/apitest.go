// Package apitest starts the HTTP API over a real SQLite store and audit
// log, with one client of each role, for the tests of httpapi and of the Go
// client: both test the same service, so they share one fixture.
//
// The fixture: subjects Own and Other; Own has consented to Furnisher
// furnishing its data and to Lender pulling it for credit_application,
// rental_deposit_waiver and account_review (Lender is permitted the first
// two only); Other has consented to nothing. Own's file holds two hard
// inquiries from Furnisher a day old. The model is Model, the programs
// Programs.
package apitest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/httpapi"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/model/modeltest"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/scoring"
	"github.com/opencredit/opencredit/sqlite"
)

// Ids of the fixture. Own is the subject every client is tied to (by
// consent or binding); Other is a subject no client may reach.
const (
	Own       = "subj-own"
	Other     = "subj-other"
	Furnisher = "furn-a"
	Lender    = "lender-a"
	Operator  = "ops"
	Self      = "self-own" // the subject client bound to Own
)

// Model returns the two-feature scorecard the fixture serves. Base 500:
//
//	on_time_payment_ratio_24m  PH01  <0.9: 0   ≥0.9: 100  missing 40
//	hard_inquiries_12m         NC01  <1: 80  [1,3): 40  ≥3: 0  missing 40
//
// Own has two hard inquiries and no payments: 500 + 40 + 40 = 580, band
// fair; a third inquiry takes it to 540.
func Model(tb testing.TB) *model.Model {
	tb.Helper()
	m, err := modeltest.Scorecard(500,
		modeltest.Step(features.OnTimePaymentRatio24m, "payment_history", "PH01", []float64{0.9}, []int{0, 100}, 40),
		modeltest.Step(features.HardInquiries12m, "new_credit", "NC01", []float64{1, 3}, []int{80, 40, 0}, 40))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// Programs are the fixture's programs: bike declines a 580 score, loan
// approves it, review is a purpose Lender is not permitted.
const Programs = `programs:
  - id: bike
    name: Deposit-free bike rental
    purpose: rental_deposit_waiver
    min_score: 600
  - id: loan
    name: Small loan
    purpose: credit_application
    min_score: 500
  - id: review
    name: Account review
    purpose: account_review
    min_score: 500
`

// Server is a running fixture.
type Server struct {
	URL   string
	Store *sqlite.DB
	Audit *audit.Log
	Keys  map[string]string // client id → API key
}

// Start starts the fixture; configure, if not nil, adjusts the server's
// Deps before it starts, and the scoring service is built on the Deps' clock
// unless configure set one. Everything is closed when the test ends.
func Start(tb testing.TB, configure func(*httpapi.Deps)) *Server {
	tb.Helper()
	ctx := context.Background()
	st, log := Stores(tb)
	programs, err := decision.LoadPrograms(strings.NewReader(Programs))
	if err != nil {
		tb.Fatal(err)
	}

	past := time.Now().Add(-48 * time.Hour)
	for _, s := range []string{Own, Other} {
		if err := st.CreateSubject(ctx, s, opencredit.PII{Name: "Test Person " + s}, past); err != nil {
			tb.Fatal(err)
		}
	}
	for _, c := range []opencredit.Consent{
		{Subject: Own, Counterparty: Furnisher, Purpose: opencredit.PurposeFurnishing, GrantedAt: past},
		{Subject: Own, Counterparty: Lender, Purpose: opencredit.PurposeCreditApplication, GrantedAt: past},
		{Subject: Own, Counterparty: Lender, Purpose: opencredit.PurposeRentalDepositWaiver, GrantedAt: past},
		{Subject: Own, Counterparty: Lender, Purpose: opencredit.PurposeAccountReview, GrantedAt: past},
	} {
		if err := st.GrantConsent(ctx, c); err != nil {
			tb.Fatal(err)
		}
	}
	s := &Server{Store: st, Audit: log, Keys: Clients(tb, st, past,
		opencredit.Client{ID: Furnisher, Name: "Furnisher A", Role: opencredit.RoleFurnisher},
		opencredit.Client{ID: Lender, Name: "Lender A", Role: opencredit.RoleLender,
			Purposes: []string{opencredit.PurposeCreditApplication, opencredit.PurposeRentalDepositWaiver}},
		opencredit.Client{ID: Operator, Name: "Operator", Role: opencredit.RoleOperator},
		opencredit.Client{ID: Self, Name: "Own subject", Role: opencredit.RoleSubject, Subject: Own})}
	res, err := st.Ingest(ctx, []opencredit.Event{Inquiry(Furnisher, Own, "inq-0"), Inquiry(Furnisher, Own, "inq-1")})
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range res {
		if r.Status != opencredit.Accepted {
			tb.Fatalf("fixture event: %+v", r)
		}
	}

	deps := httpapi.Deps{Store: st, Audit: log}
	if configure != nil {
		configure(&deps)
	}
	if deps.Scoring == nil {
		svc, err := scoring.New(scoring.Config{Store: st, Model: Model(tb), Programs: programs, Log: log, Now: deps.Now})
		if err != nil {
			tb.Fatal(err)
		}
		deps.Scoring = svc
	}
	srv := httptest.NewServer(httpapi.NewServer(deps))
	tb.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Stores opens a SQLite store and a signed audit log over a SQLite audit
// store, both in a temporary directory of tb and closed when the test ends:
// the ground every fixture of the HTTP service (this one, the web pages')
// stands on.
func Stores(tb testing.TB) (*sqlite.DB, *audit.Log) {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "opencredit.db"), pii.DemoKeys())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	ast, err := sqlite.OpenAudit(ctx, filepath.Join(dir, "audit.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ast.Close() })
	signer, verifier := audittest.Keys(tb)
	log, err := audit.Open(ctx, ast, signer, verifier)
	if err != nil {
		tb.Fatal(err)
	}
	return st, log
}

// Clients creates each client in st, created at at, with a fresh API key,
// and returns the keys by client id.
func Clients(tb testing.TB, st *sqlite.DB, at time.Time, clients ...opencredit.Client) map[string]string {
	tb.Helper()
	keys := map[string]string{}
	for _, c := range clients {
		key, hash, err := opencredit.NewAPIKey()
		if err != nil {
			tb.Fatal(err)
		}
		c.CreatedAt = at
		if err := st.CreateClient(context.Background(), c, hash); err != nil {
			tb.Fatal(err)
		}
		keys[c.ID] = key
	}
	return keys
}

var eventSeq atomic.Int64

// Inquiry returns a hard-inquiry event from source about subject, a day
// old; an empty id draws a fresh one.
func Inquiry(source, subject, id string) opencredit.Event {
	if id == "" {
		id = fmt.Sprintf("evt-%d", eventSeq.Add(1))
	}
	return opencredit.Event{
		SpecVersion: "1.0", ID: id, Source: source, Type: opencredit.TypeInquiry, Subject: subject,
		Time: time.Now().Add(-24 * time.Hour).UTC().Truncate(time.Second), DataContentType: "application/json",
		Data: json.RawMessage(`{"kind":"hard","purpose":"credit_application"}`),
	}
}

// InquiryJSON is Inquiry in the CloudEvents JSON format, for request bodies.
func InquiryJSON(source, subject, id string) []byte {
	b, err := json.Marshal(Inquiry(source, subject, id))
	if err != nil {
		panic(err) // a fixed struct always encodes
	}
	return b
}
