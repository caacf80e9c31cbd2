package apiclient_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/apiclient"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/scoring"
	"github.com/opencredit/opencredit/witness"
)

// TestAuditProofs: an access to Own's file is proved to the operator and to
// Own's client against a witnessed checkpoint, and both proofs check
// offline with the log's and the witness's keys; a record about another
// person is not given to Own's client, and the wrong roles are refused.
func TestAuditProofs(t *testing.T) {
	ctx := context.Background()
	s := apitest.Start(t, nil)
	lend := apiclient.New(s.URL, s.Keys[lender])
	self := apiclient.New(s.URL, s.Keys[selfClient])
	op := apiclient.New(s.URL, s.Keys[operator])

	if _, err := lend.Score(ctx, own, opencredit.PurposeCreditApplication); err != nil {
		t.Fatal(err)
	}
	ownIdx := s.Audit.Size() - 1
	otherIdx, err := s.Audit.Append(ctx, audit.Record{Time: time.Now(), Client: lender, Role: opencredit.RoleLender,
		Purpose: opencredit.PurposeCreditApplication, Subject: apitest.Other, Action: audit.ActionScore, RequestID: "r-other"})
	if err != nil {
		t.Fatal(err)
	}
	// Nothing signed yet: no proof.
	_, err = op.AuditRecordProof(ctx, ownIdx)
	wantCode(t, err, opencredit.ENOTFOUND, http.StatusNotFound)

	// The witness cosigns the log's checkpoint, and serve keeps the note.
	cp, err := s.Audit.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, wv := audittest.WitnessKeys(t)
	_, lv := audittest.Keys(t)
	state, err := witness.OpenState(t.TempDir() + "/w.json")
	if err != nil {
		t.Fatal(err)
	}
	w, err := witness.New(c, []note.Verifier{lv}, state, nil)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := w.AddCheckpoint(ctx, witness.Request{Checkpoint: cp})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Audit.SaveCosigned(ctx, c.Name(), otherIdx+1, append(cp, lines...)); err != nil {
		t.Fatal(err)
	}

	check := func(who string, got any) audit.Record {
		t.Helper()
		b, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		p, err := audit.ParseProof(b)
		if err != nil {
			t.Fatalf("%s: the response does not decode as a proof: %v", who, err)
		}
		r, err := audit.CheckProof(p, lv, wv)
		if err != nil {
			t.Fatalf("%s: the proof does not check: %v", who, err)
		}
		return r
	}
	p, err := op.AuditRecordProof(ctx, ownIdx)
	if err != nil {
		t.Fatal(err)
	}
	if r := check("operator", p); r.Subject != own || r.Client != lender || p.TreeSize != otherIdx+1 {
		t.Fatalf("operator's proof of %d: record %+v, size %d", ownIdx, r, p.TreeSize)
	}
	p, err = self.AccessProof(ctx, own, ownIdx)
	if err != nil {
		t.Fatal(err)
	}
	if r := check("subject", p); r.Subject != own || r.Action != audit.ActionScore {
		t.Fatalf("subject's proof of %d: record %+v", ownIdx, r)
	}
	// The fetch itself is recorded, about Own.
	last, err := s.Audit.Record(ctx, s.Audit.Size()-1)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := audit.ParseRecord(last); err != nil || r.Action != scoring.ActionAccessProof || r.Subject != own || r.Client != selfClient {
		t.Fatalf("the last record is %+v, %v; want Own's access_proof", r, err)
	}

	// Another person's record, through Own's route: as if it did not exist.
	_, err = self.AccessProof(ctx, own, otherIdx)
	wantCode(t, err, opencredit.ENOTFOUND, http.StatusNotFound)
	// Another person's route.
	_, err = self.AccessProof(ctx, apitest.Other, otherIdx)
	wantCode(t, err, opencredit.EFORBIDDEN, http.StatusForbidden)
	// Wrong roles.
	_, err = lend.AccessProof(ctx, own, ownIdx)
	wantCode(t, err, opencredit.EFORBIDDEN, http.StatusForbidden)
	_, err = self.AuditRecordProof(ctx, ownIdx)
	wantCode(t, err, opencredit.EFORBIDDEN, http.StatusForbidden)
	_, err = lend.AuditRecordProof(ctx, ownIdx)
	wantCode(t, err, opencredit.EFORBIDDEN, http.StatusForbidden)
	// A bad index.
	_, err = op.AuditRecordProof(ctx, -1)
	wantCode(t, err, opencredit.EINVALID, http.StatusBadRequest)
}
