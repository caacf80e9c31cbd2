package scoring_test

import (
	"context"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/scoring"
)

// BenchmarkScoreDisputeCheck measures what the dispute rule adds to a pull,
// in one run on one SQLite store (a person with three events and no
// dispute, the common case): "score" is the whole Score (audit record in
// memory); "disputes" the one read it makes for disputes (the person's
// open ones, to suppress the lapsed and count the rest); "features" the
// read of the live features, for scale.
func BenchmarkScoreDisputeCheck(b *testing.B) {
	ctx := context.Background()
	w := newDisputeWorld(b)
	by := scoring.Caller{Client: lender}
	b.Run("score", func(b *testing.B) {
		for b.Loop() {
			if _, err := w.svc.Score(ctx, by, apitest.Own, opencredit.PurposeRentalDepositWaiver); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("disputes", func(b *testing.B) {
		for b.Loop() {
			if _, err := w.st.Disputes(ctx, opencredit.DisputeFilter{Subject: apitest.Own, Status: opencredit.DisputeOpen}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("features", func(b *testing.B) {
		for b.Loop() {
			if _, err := w.st.Features(ctx, apitest.Own, w.now); err != nil {
				b.Fatal(err)
			}
		}
	})
}
