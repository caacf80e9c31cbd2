package apiclient_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, for the audit log

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/apiclient"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/httpapi"
	"github.com/opencredit/opencredit/httpapi/apitest"
)

// The fixture is apitest's, shared with httpapi's tests.
const (
	own        = apitest.Own
	furnisher  = apitest.Furnisher
	lender     = apitest.Lender
	selfClient = apitest.Self
	operator   = apitest.Operator
)

// newServer starts the fixture and returns its URL and each client's API
// key. configure, if not nil, adjusts the server's Deps.
func newServer(t *testing.T, configure func(*httpapi.Deps)) (string, map[string]string) {
	s := apitest.Start(t, configure)
	return s.URL, s.Keys
}

// inquiry is a hard-inquiry event from source about own.
func inquiry(id, source string) opencredit.Event { return apitest.Inquiry(source, own, id) }

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
	var se *apiclient.StatusError
	if !errors.As(err, &se) || se.Status != status {
		t.Errorf("error %v: want a wrapped StatusError with status %d", err, status)
	}
}

func TestClient(t *testing.T) {
	ctx := context.Background()
	url, keys := newServer(t, nil)
	furn := apiclient.New(url, keys[furnisher])
	lend := apiclient.New(url, keys[lender])
	self := apiclient.New(url, keys[selfClient])

	if err := apiclient.New(url, "").Health(ctx); err != nil {
		t.Fatalf("Health: %v", err)
	}

	res, err := furn.SendEvents(ctx, []opencredit.Event{inquiry("inq-c1", furnisher), inquiry("inq-c2", "someone-else")})
	if err != nil {
		t.Fatalf("SendEvents: %v", err)
	}
	if len(res) != 2 || res[0].Status != opencredit.Accepted || res[1].Status != opencredit.Rejected {
		t.Errorf("SendEvents results %+v, want accepted then rejected (source is not the client)", res)
	}

	// Three hard inquiries (the fixture's two and inq-c1), no payments:
	// 500 + 40 (PH01 missing) + 0 (NC01 ≥ 3) = 540, by hand from apitest.Model.
	s, err := lend.Score(ctx, own, opencredit.PurposeRentalDepositWaiver)
	if err != nil {
		t.Fatalf("Score: %v", err)
	}
	if s.Subject != own || s.Purpose != opencredit.PurposeRentalDepositWaiver || s.Score != 540 || s.Band == "" ||
		len(s.Dimensions) == 0 || s.Model != "scorecard" || s.FeaturesAsOf.IsZero() {
		t.Errorf("Score = %+v, want own's 540 for rental_deposit_waiver", s)
	}

	d, err := lend.Decide(ctx, own, "bike")
	if err != nil {
		t.Fatalf("Decide: %v", err)
	}
	if d.Decision.Outcome != decision.Declined || d.Decision.Score != 540 || d.Notice == nil {
		t.Errorf("Decide bike = %+v, want declined (540 < 600) with a notice", d)
	}
	_, err = lend.Decide(ctx, own, "no-such-program")
	wantCode(t, err, opencredit.ENOTFOUND, 404)

	data, err := self.SubjectData(ctx, own)
	if err != nil {
		t.Fatalf("SubjectData: %v", err)
	}
	if data.Subject != own || len(data.Consents) != 4 || len(data.Events) != 3 {
		t.Errorf("SubjectData = %+v, want own with 4 consents and 3 events", data)
	}
	_, err = lend.SubjectData(ctx, own)
	wantCode(t, err, opencredit.EFORBIDDEN, 403)

	ops := apiclient.New(url, keys[operator])
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
	lend := apiclient.New(url, keys[lender])

	_, err := lend.Score(ctx, own, "employment")
	wantCode(t, err, opencredit.EREFUSED, 403)

	_, err = apiclient.New(url, "oc_unknown").Score(ctx, own, opencredit.PurposeRentalDepositWaiver)
	wantCode(t, err, "unauthorized", 401)

	_, err = lend.Score(ctx, own, opencredit.PurposeAccountReview)
	wantCode(t, err, opencredit.EFORBIDDEN, 403) // consented, but not a purpose the lender is permitted
}

func TestClientRateLimited(t *testing.T) {
	ctx := context.Background()
	url, keys := newServer(t, func(d *httpapi.Deps) { d.RatePerSecond, d.Burst = 0.01, 1 })
	lend := apiclient.New(url, keys[lender])
	if _, err := lend.Score(ctx, own, opencredit.PurposeRentalDepositWaiver); err != nil {
		t.Fatalf("first Score: %v", err)
	}
	_, err := lend.Score(ctx, own, opencredit.PurposeRentalDepositWaiver)
	wantCode(t, err, "rate_limited", 429)
	if wait, ok := apiclient.RetryAfter(err); !ok || wait < time.Second {
		t.Errorf("RetryAfter(%v) = %v, %v; want at least 1s, true", err, wait, ok)
	}
}
