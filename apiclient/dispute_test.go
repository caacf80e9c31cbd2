package apiclient_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/apiclient"
)

// TestClientDisputesAndReviews drives every dispute and review method
// against the fixture: the person disputes, the furnisher corrects, the
// person asks for a review of a decline, the operator resolves it.
func TestClientDisputesAndReviews(t *testing.T) {
	ctx := context.Background()
	url, keys := newServer(t, nil)
	furn := apiclient.New(url, keys[furnisher])
	lend := apiclient.New(url, keys[lender])
	self := apiclient.New(url, keys[selfClient])
	ops := apiclient.New(url, keys[operator])

	d, err := self.OpenDispute(ctx, own, furnisher, "inq-0", "I never applied")
	if err != nil || d.Status != opencredit.DisputeOpen || d.EventID != "inq-0" {
		t.Fatalf("OpenDispute: %+v, %v", d, err)
	}
	_, err = lend.OpenDispute(ctx, own, furnisher, "inq-1", "x")
	wantCode(t, err, opencredit.EFORBIDDEN, http.StatusForbidden)
	if sc, err := lend.Score(ctx, own, opencredit.PurposeRentalDepositWaiver); err != nil || sc.OpenDisputes != 1 {
		t.Fatalf("a score with an open dispute: %+v, %v", sc, err)
	}
	for _, c := range []*apiclient.Client{furn, ops} {
		q, err := c.Disputes(ctx, opencredit.DisputeOpen)
		if err != nil || len(q) != 1 || q[0].ID != d.ID {
			t.Fatalf("Disputes: %+v, %v", q, err)
		}
	}
	_, err = furn.ResolveDispute(ctx, d.ID, api.ResolveDisputeRequest{Outcome: "maybe"})
	wantCode(t, err, opencredit.EINVALID, http.StatusBadRequest)
	res, err := furn.ResolveDispute(ctx, d.ID, api.ResolveDisputeRequest{Outcome: opencredit.DisputeCorrected, Note: "soft",
		Corrected: &api.CorrectedEvent{Data: json.RawMessage(`{"kind":"soft","purpose":"account_review"}`)}})
	if err != nil || res.Status != opencredit.DisputeCorrected || len(res.Original) == 0 {
		t.Fatalf("ResolveDispute: %+v, %v", res, err)
	}
	mine, err := self.SubjectDisputes(ctx, own)
	if err != nil || len(mine) != 1 || mine[0].Status != opencredit.DisputeCorrected {
		t.Fatalf("SubjectDisputes: %+v, %v", mine, err)
	}

	dec, err := lend.Decide(ctx, own, "bike")
	if err != nil {
		t.Fatal(err)
	}
	rv, err := self.RequestReview(ctx, own, dec.DecisionID, "please look again")
	if err != nil || rv.Status != opencredit.ReviewRequested || rv.DecisionID != dec.DecisionID {
		t.Fatalf("RequestReview: %+v, %v", rv, err)
	}
	_, err = self.RequestReview(ctx, own, dec.DecisionID+1000, "")
	wantCode(t, err, opencredit.ENOTFOUND, http.StatusNotFound)
	_, err = self.Reviews(ctx, "")
	wantCode(t, err, opencredit.EFORBIDDEN, http.StatusForbidden)
	q, err := ops.Reviews(ctx, opencredit.ReviewRequested)
	if err != nil || len(q) != 1 {
		t.Fatalf("Reviews: %+v, %v", q, err)
	}
	done, err := ops.ResolveReview(ctx, rv.ID, opencredit.ReviewUpheld, "the score holds")
	if err != nil || done.Status != opencredit.ReviewUpheld {
		t.Fatalf("ResolveReview: %+v, %v", done, err)
	}
	if rs, err := self.SubjectReviews(ctx, own); err != nil || len(rs) != 1 || rs[0].Note != "the score holds" {
		t.Fatalf("SubjectReviews: %+v, %v", rs, err)
	}
}
