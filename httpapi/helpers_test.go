package httpapi_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, for the audit log

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/httpapi"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/model/modeltest"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
)

// Ids of the fixture. own is the subject every client is tied to (by
// consent or binding); other is a subject no client may reach.
const (
	own        = "subj-own"
	other      = "subj-other"
	furnisher  = "furn-a"
	lender     = "lender-a"
	operator   = "ops"
	selfClient = "self-own"
)

// fixture is a server over a real SQLite store and audit log, with one
// client of each role.
type fixture struct {
	t     *testing.T
	url   string
	store *sqlite.DB
	audit *audit.Log
	keys  map[string]string // client id → API key
}

// testModel is a two-feature scorecard, scored by hand below. Base 500:
//
//	on_time_payment_ratio_24m  PH01  <0.9: 0   ≥0.9: 100  missing 40
//	hard_inquiries_12m         NC01  <1: 80  [1,3): 40  ≥3: 0  missing 40
//
// The own subject has two hard inquiries and no payments: 500 + 40 + 40 =
// 580, band fair.
func testModel(t *testing.T) *model.Model {
	t.Helper()
	m, err := modeltest.Scorecard(500,
		modeltest.Step(features.OnTimePaymentRatio24m, "payment_history", "PH01", []float64{0.9}, []int{0, 100}, 40),
		modeltest.Step(features.HardInquiries12m, "new_credit", "NC01", []float64{1, 3}, []int{80, 40, 0}, 40))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// testPrograms: bike declines a 580 score, loan approves it, review is a
// purpose the lender is not permitted.
const testPrograms = `programs:
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

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, nil)
}

// newFixtureWith is newFixture with Deps adjusted by configure, if not nil.
func newFixtureWith(t *testing.T, configure func(*httpapi.Deps)) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	adb, err := sql.Open("sqlite", filepath.Join(dir, "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { adb.Close() })
	ast, err := audit.NewSQLiteStorage(ctx, adb)
	if err != nil {
		t.Fatal(err)
	}
	signer, verifier := audittest.Keys(t)
	log, err := audit.Open(ctx, ast, signer, verifier)
	if err != nil {
		t.Fatal(err)
	}
	programs, err := decision.LoadPrograms(strings.NewReader(testPrograms))
	if err != nil {
		t.Fatal(err)
	}

	past := time.Now().Add(-48 * time.Hour)
	for _, s := range []string{own, other} {
		if err := st.CreateSubject(ctx, s, opencredit.PII{Name: "Test Person " + s}, past); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []opencredit.Consent{
		{Subject: own, Counterparty: furnisher, Purpose: opencredit.PurposeFurnishing, GrantedAt: past},
		{Subject: own, Counterparty: lender, Purpose: opencredit.PurposeCreditApplication, GrantedAt: past},
		{Subject: own, Counterparty: lender, Purpose: opencredit.PurposeRentalDepositWaiver, GrantedAt: past},
		{Subject: own, Counterparty: lender, Purpose: opencredit.PurposeAccountReview, GrantedAt: past},
	} {
		if err := st.GrantConsent(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{t: t, store: st, audit: log, keys: map[string]string{}}
	for _, c := range []opencredit.Client{
		{ID: furnisher, Name: "Furnisher A", Role: opencredit.RoleFurnisher},
		{ID: lender, Name: "Lender A", Role: opencredit.RoleLender,
			Purposes: []string{opencredit.PurposeCreditApplication, opencredit.PurposeRentalDepositWaiver}},
		{ID: operator, Name: "Operator", Role: opencredit.RoleOperator},
		{ID: selfClient, Name: "Own subject", Role: opencredit.RoleSubject, Subject: own},
	} {
		key, hash, err := opencredit.NewAPIKey()
		if err != nil {
			t.Fatal(err)
		}
		c.CreatedAt = past
		if err := st.CreateClient(ctx, c, hash); err != nil {
			t.Fatal(err)
		}
		f.keys[c.ID] = key
	}
	// Two hard inquiries on the own subject's file.
	var batch []opencredit.Event
	for i := range 2 {
		var e opencredit.Event
		if err := json.Unmarshal(inquiry(furnisher, own, fmt.Sprintf("inq-%d", i)), &e); err != nil {
			t.Fatal(err)
		}
		batch = append(batch, e)
	}
	res, err := st.Ingest(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != opencredit.Accepted {
			t.Fatalf("fixture event: %+v", r)
		}
	}

	deps := httpapi.Deps{Store: st, Model: testModel(t), Programs: programs, Audit: log}
	if configure != nil {
		configure(&deps)
	}
	srv := httptest.NewServer(httpapi.NewServer(deps))
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

var eventSeq atomic.Int64

// inquiry returns a hard-inquiry event in the CloudEvents JSON format; an
// empty id draws a fresh one.
func inquiry(source, subject, id string) []byte {
	if id == "" {
		id = fmt.Sprintf("evt-%d", eventSeq.Add(1))
	}
	return fmt.Appendf(nil, `{"specversion":"1.0","id":%q,"source":%q,"type":"org.opencredit.inquiry.made","subject":%q,`+
		`"time":%q,"datacontenttype":"application/json","data":{"kind":"hard","purpose":"credit_application"}}`,
		id, source, subject, time.Now().Add(-24*time.Hour).UTC().Format(time.RFC3339))
}

// response is a decoded reply.
type response struct {
	status int
	body   map[string]any
	raw    string
}

// do sends a request as the client holding key ("" for none).
func (f *fixture) do(method, path, key string, body []byte) response {
	f.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, f.url+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	out := response{status: resp.StatusCode, raw: string(b)}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		f.t.Errorf("%s %s: Content-Type %q, want application/json", method, path, ct)
	}
	if err := json.Unmarshal(b, &out.body); err != nil {
		f.t.Fatalf("%s %s: body is not a JSON object: %v: %s", method, path, err, b)
	}
	// Every JSON response of the suite must match the OpenAPI document
	// (issue 4). Metrics (text) and the document itself (YAML) are read
	// without do and so are exempt.
	doc, err := openAPIDoc()
	if err != nil {
		f.t.Fatal(err)
	}
	for _, e := range validateResponse(doc, method, path, resp.StatusCode, b) {
		f.t.Errorf("%s %s: %d does not match openapi.yaml: %s\n%s", method, path, resp.StatusCode, e, b)
	}
	return out
}

// errorCode returns the code of an error reply, "" if it has none.
func (r response) errorCode() string {
	e, _ := r.body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

func (r response) errorMessage() string {
	e, _ := r.body["error"].(map[string]any)
	msg, _ := e["message"].(string)
	return msg
}
