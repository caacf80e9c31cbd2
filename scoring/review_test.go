package scoring_test

import (
	"context"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/scoring"
)

// TestReview: a person asks for a human review of a decision about them,
// named by its id; an operator resolves it; the person reads the outcome.
// A score's record, another person's decision and an index past the log
// are all "no decision", alike.
func TestReview(t *testing.T) {
	ctx := context.Background()
	w := newDisputeWorld(t)
	as := func(c opencredit.Client) scoring.Caller { return scoring.Caller{Client: c} }
	// 540 < bike's 600: declined, with a notice naming the decision.
	dec, err := w.svc.Decide(ctx, as(lender), apitest.Own, "bike")
	if err != nil {
		t.Fatal(err)
	}
	if dec.Notice == nil || dec.Notice.DecisionID == nil || *dec.Notice.DecisionID != dec.ID {
		t.Fatalf("the notice does not name decision %d: %+v", dec.ID, dec.Notice)
	}
	if r := dec.Notice.Rights[len(dec.Notice.Rights)-1]; !strings.Contains(r.Text, "POST /v1/subjects/"+apitest.Own+"/reviews") ||
		!strings.Contains(r.Text, "naming decision ") {
		t.Fatalf("the review right does not point to the route: %q", r.Text)
	}
	rec := recordsFrom(t, w.log, dec.ID)[0]
	if rec.Action != "decision" || rec.Subject != apitest.Own {
		t.Fatalf("record %d is %+v, not the decision", dec.ID, rec)
	}
	if _, err := w.svc.Score(ctx, as(lender), apitest.Own, opencredit.PurposeRentalDepositWaiver); err != nil {
		t.Fatal(err)
	}
	scoreRecord := w.log.Size() - 1

	for _, tc := range []struct {
		by   opencredit.Client
		id   int64
		code string
	}{
		{otherSelf, dec.ID, opencredit.EFORBIDDEN},
		{lender, dec.ID, opencredit.EFORBIDDEN},
		{self, scoreRecord, opencredit.ENOTFOUND},
		{self, w.log.Size() + 10, opencredit.ENOTFOUND},
		{self, -1, opencredit.ENOTFOUND},
	} {
		_, err := w.svc.RequestReview(ctx, as(tc.by), apitest.Own, tc.id, "please look again")
		if got := opencredit.ErrorCode(err); got != tc.code {
			t.Errorf("%s asking a review of record %d: %v, want %s", tc.by.ID, tc.id, err, tc.code)
		}
	}
	// Other's decision, asked by Other's own client: not a decision about Other.
	if _, err := w.svc.RequestReview(ctx, as(otherSelf), apitest.Other, dec.ID, "x"); opencredit.ErrorCode(err) != opencredit.ENOTFOUND {
		t.Errorf("a review of someone else's decision: %v", err)
	}

	from := w.log.Size()
	rv, err := w.svc.RequestReview(ctx, as(self), apitest.Own, dec.ID, "my income was verified last month")
	if err != nil {
		t.Fatal(err)
	}
	if rv.Status != opencredit.ReviewRequested || rv.Lender != apitest.Lender || rv.Outcome != "declined" || rv.Score != 540 ||
		rv.Purpose != opencredit.PurposeRentalDepositWaiver || !strings.HasPrefix(rv.ID, "rev_") {
		t.Fatalf("review %+v", rv)
	}
	if _, err := w.svc.RequestReview(ctx, as(self), apitest.Own, dec.ID, "again"); opencredit.ErrorCode(err) != opencredit.ECONFLICT {
		t.Errorf("a second request while one is open: %v", err)
	}
	for _, c := range []opencredit.Client{self, lender, furnisher} {
		if _, err := w.svc.ReviewQueue(ctx, as(c), ""); opencredit.ErrorCode(err) != opencredit.EFORBIDDEN {
			t.Errorf("%s reading the review queue: %v", c.ID, err)
		}
		if _, err := w.svc.ResolveReview(ctx, as(c), rv.ID, opencredit.ReviewUpheld, "fine"); opencredit.ErrorCode(err) != opencredit.EFORBIDDEN {
			t.Errorf("%s resolving a review: %v", c.ID, err)
		}
	}
	if _, err := w.svc.SubjectReviews(ctx, as(otherSelf), apitest.Own); opencredit.ErrorCode(err) != opencredit.EFORBIDDEN {
		t.Errorf("another person reading Own's reviews: %v", err)
	}
	q, err := w.svc.ReviewQueue(ctx, as(operator), opencredit.ReviewRequested)
	if err != nil || len(q) != 1 || q[0].ID != rv.ID {
		t.Fatalf("the operators' queue: %+v, %v", q, err)
	}
	done, err := w.svc.ResolveReview(ctx, as(operator), rv.ID, opencredit.ReviewChanged, "the verified income was left out; the lender decides again")
	if err != nil || done.Status != opencredit.ReviewChanged || done.Resolver != apitest.Operator {
		t.Fatalf("resolving: %+v, %v", done, err)
	}
	mine, err := w.svc.SubjectReviews(ctx, as(self), apitest.Own)
	if err != nil || len(mine) != 1 || mine[0].Status != opencredit.ReviewChanged || mine[0].Note != done.Note {
		t.Fatalf("the person's reviews: %+v, %v", mine, err)
	}
	want := "self-own:review_request self-own:review_request!conflict self-other:reviews_read!forbidden ops:reviews_read ops:review_changed self-own:reviews_read"
	if a := actions(recordsFrom(t, w.log, from)); a != want {
		t.Fatalf("records %q, want %q", a, want)
	}
}
