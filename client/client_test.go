package client_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, for the audit log

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/client"
	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/httpapi"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/model/modeltest"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
)

// The fixture, a trimmed copy of httpapi's: one subject with consents to a
// furnisher and a lender, and a client bound to the subject.
const (
	own        = "subj-own"
	furnisher  = "furn-a"
	lender     = "lender-a"
	selfClient = "self-own"
	operator   = "ops"
)

// testModel is httpapi's two-feature scorecard. Base 500:
//
//	on_time_payment_ratio_24m  PH01  <0.9: 0   ≥0.9: 100  missing 40
//	hard_inquiries_12m         NC01  <1: 80  [1,3): 40  ≥3: 0  missing 40
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

const testPrograms = `programs:
  - id: bike
    name: Deposit-free bike rental
    purpose: rental_deposit_waiver
    min_score: 600
`

// newServer starts the API over a fresh SQLite store and audit log and
// returns its URL and each client's API key. configure, if not nil,
// adjusts the server's Deps.
func newServer(t *testing.T, configure func(*httpapi.Deps)) (string, map[string]string) {
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
	if err := st.CreateSubject(ctx, own, opencredit.PII{Name: "Test Person"}, past); err != nil {
		t.Fatal(err)
	}
	for _, c := range []opencredit.Consent{
		{Subject: own, Counterparty: furnisher, Purpose: opencredit.PurposeFurnishing, GrantedAt: past},
		{Subject: own, Counterparty: lender, Purpose: opencredit.PurposeRentalDepositWaiver, GrantedAt: past},
	} {
		if err := st.GrantConsent(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	keys := map[string]string{}
	for _, c := range []opencredit.Client{
		{ID: furnisher, Name: "Furnisher A", Role: opencredit.RoleFurnisher},
		{ID: lender, Name: "Lender A", Role: opencredit.RoleLender, Purposes: []string{opencredit.PurposeRentalDepositWaiver}},
		{ID: selfClient, Name: "Own subject", Role: opencredit.RoleSubject, Subject: own},
		{ID: operator, Name: "Operator", Role: opencredit.RoleOperator},
	} {
		key, hash, err := opencredit.NewAPIKey()
		if err != nil {
			t.Fatal(err)
		}
		c.CreatedAt = past
		if err := st.CreateClient(ctx, c, hash); err != nil {
			t.Fatal(err)
		}
		keys[c.ID] = key
	}
	deps := httpapi.Deps{Store: st, Model: testModel(t), Programs: programs, Audit: log}
	if configure != nil {
		configure(&deps)
	}
	srv := httptest.NewServer(httpapi.NewServer(deps))
	t.Cleanup(srv.Close)
	return srv.URL, keys
}

// inquiry is a hard-inquiry event from source about own.
func inquiry(id, source string) opencredit.Event {
	return opencredit.Event{
		SpecVersion: "1.0", ID: id, Source: source, Type: "org.opencredit.inquiry.made", Subject: own,
		Time: time.Now().Add(-24 * time.Hour).UTC().Truncate(time.Second), DataContentType: "application/json",
		Data: json.RawMessage(`{"kind":"hard","purpose":"credit_application"}`),
	}
}

// wantCode checks err is an *opencredit.Error with the code and a message.
func wantCode(t *testing.T, err error, code string, status int) {
	t.Helper()
	var e *opencredit.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want an *opencredit.Error", err, err)
	}
	if e.Code != code || e.Message == "" {
		t.Errorf("error code %q message %q, want code %q and a message", e.Code, e.Message, code)
	}
	var se *client.StatusError
	if !errors.As(err, &se) || se.Status != status {
		t.Errorf("error %v: want a wrapped StatusError with status %d", err, status)
	}
}

func TestClient(t *testing.T) {
	ctx := context.Background()
	url, keys := newServer(t, nil)
	furn := client.New(url, keys[furnisher])
	lend := client.New(url, keys[lender])
	self := client.New(url, keys[selfClient])

	if err := client.New(url, "").Health(ctx); err != nil {
		t.Fatalf("Health: %v", err)
	}

	res, err := furn.SendEvents(ctx, []opencredit.Event{inquiry("inq-1", furnisher), inquiry("inq-2", "someone-else")})
	if err != nil {
		t.Fatalf("SendEvents: %v", err)
	}
	if len(res) != 2 || res[0].Status != opencredit.Accepted || res[1].Status != opencredit.Rejected {
		t.Errorf("SendEvents results %+v, want accepted then rejected (source is not the client)", res)
	}

	// One hard inquiry, no payments: 500 + 40 (PH01 missing) + 40 (NC01 in
	// [1,3)) = 580, by hand from testModel.
	s, err := lend.Score(ctx, own, opencredit.PurposeRentalDepositWaiver)
	if err != nil {
		t.Fatalf("Score: %v", err)
	}
	if s.Subject != own || s.Purpose != opencredit.PurposeRentalDepositWaiver || s.Score != 580 || s.Band == "" ||
		len(s.Dimensions) == 0 || s.Model != "scorecard" || s.FeaturesAsOf.IsZero() {
		t.Errorf("Score = %+v, want own's 580 for rental_deposit_waiver", s)
	}

	d, err := lend.Decide(ctx, own, "bike")
	if err != nil {
		t.Fatalf("Decide: %v", err)
	}
	if d.Decision.Outcome != decision.Declined || d.Decision.Score != 580 || d.Notice == nil {
		t.Errorf("Decide bike = %+v, want declined (580 < 600) with a notice", d)
	}
	_, err = lend.Decide(ctx, own, "no-such-program")
	wantCode(t, err, opencredit.ENOTFOUND, 404)

	data, err := self.SubjectData(ctx, own)
	if err != nil {
		t.Fatalf("SubjectData: %v", err)
	}
	if data.Subject != own || len(data.Consents) != 2 || len(data.Events) != 1 {
		t.Errorf("SubjectData = %+v, want own with 2 consents and 1 event", data)
	}
	_, err = lend.SubjectData(ctx, own)
	wantCode(t, err, opencredit.EFORBIDDEN, 403)

	ops := client.New(url, keys[operator])
	id, m, err := ops.Model(ctx)
	if err != nil || id != s.ModelID || id != d.ModelID || len(m.Features) != 2 {
		t.Errorf("Model = %q, %v, %v; want the score's model %q", id, m, err, s.ModelID)
	}
	if progs, err := ops.Programs(ctx); err != nil || len(progs) == 0 {
		t.Errorf("Programs = %v, %v", progs, err)
	}
	recs, size, err := ops.AuditRecords(ctx, 0, 2)
	if err != nil || len(recs) != 2 || size < 4 {
		t.Fatalf("AuditRecords = %d records of %d, %v", len(recs), size, err)
	}
	if r, err := audit.ParseRecord(recs[0].Record); err != nil || r.Action != audit.ActionEvents {
		t.Errorf("record 0 = %+v, %v; want the events sent first", r, err)
	}
	if cp, err := ops.AuditCheckpoint(ctx); err != nil || !bytes.Contains(cp, []byte("\n")) {
		t.Errorf("AuditCheckpoint = %q, %v", cp, err)
	}
	_, _, err = lend.Model(ctx)
	wantCode(t, err, opencredit.EFORBIDDEN, 403)
}

func TestClientErrors(t *testing.T) {
	ctx := context.Background()
	url, keys := newServer(t, nil)
	lend := client.New(url, keys[lender])

	_, err := lend.Score(ctx, own, "employment")
	wantCode(t, err, opencredit.EREFUSED, 403)

	_, err = client.New(url, "oc_unknown").Score(ctx, own, opencredit.PurposeRentalDepositWaiver)
	wantCode(t, err, "unauthorized", 401)

	_, err = lend.Score(ctx, own, opencredit.PurposeCreditApplication)
	wantCode(t, err, opencredit.EFORBIDDEN, 403) // not a purpose the lender is permitted
}

func TestClientRateLimited(t *testing.T) {
	ctx := context.Background()
	url, keys := newServer(t, func(d *httpapi.Deps) { d.RatePerSecond, d.Burst = 0.01, 1 })
	lend := client.New(url, keys[lender])
	if _, err := lend.Score(ctx, own, opencredit.PurposeRentalDepositWaiver); err != nil {
		t.Fatalf("first Score: %v", err)
	}
	_, err := lend.Score(ctx, own, opencredit.PurposeRentalDepositWaiver)
	wantCode(t, err, "rate_limited", 429)
	if wait, ok := client.RetryAfter(err); !ok || wait < time.Second {
		t.Errorf("RetryAfter(%v) = %v, %v; want at least 1s, true", err, wait, ok)
	}
}
