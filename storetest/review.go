package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

func requested(id, subject string, decision int64, at time.Time) opencredit.Review {
	return opencredit.Review{ID: id, Subject: subject, DecisionID: decision, Lender: "l1",
		Purpose: opencredit.PurposeCreditApplication, Outcome: "declined", Score: 540,
		Comment: "my income was not counted", RequestedAt: at, Status: opencredit.ReviewRequested}
}

func testReviews(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	person(t, st, "s1")
	person(t, st, "s2")
	at := day0

	r := requested("r1", "s1", 7, at)
	check(t, st.RequestReview(ctx, r))
	got, err := st.Review(ctx, "r1")
	check(t, err)
	if got.ID != r.ID || got.Subject != r.Subject || got.DecisionID != 7 || got.Lender != "l1" || got.Purpose != r.Purpose ||
		got.Outcome != "declined" || got.Score != 540 || got.Comment != r.Comment || !got.RequestedAt.Equal(at) ||
		got.Status != opencredit.ReviewRequested || got.ResolvedAt != nil || got.Note != "" || got.Resolver != "" {
		t.Fatalf("Review = %+v, want %+v", got, r)
	}
	mustCode(t, st.RequestReview(ctx, requested("r2", "s1", 7, at)), opencredit.ECONFLICT, "a second review of a decision")
	mustCode(t, st.RequestReview(ctx, requested("r1", "s1", 8, at)), opencredit.ECONFLICT, "a review id taken")
	mustCode(t, st.RequestReview(ctx, requested("r2", "ghost", 8, at)), opencredit.ENOTFOUND, "a review of an unknown subject")
	bad := requested("r2", "s1", 8, at)
	bad.Status = opencredit.ReviewUpheld
	mustCode(t, st.RequestReview(ctx, bad), opencredit.EINVALID, "a review requested resolved")
	bad = requested("r2", "s1", -1, at)
	mustCode(t, st.RequestReview(ctx, bad), opencredit.EINVALID, "a negative decision id")
	_, err = st.Review(ctx, "r2")
	mustCode(t, err, opencredit.ENOTFOUND, "a review that was refused")

	check(t, st.RequestReview(ctx, requested("r3", "s2", 9, at.Add(time.Hour))))
	later := at.Add(48 * time.Hour)
	_, err = st.ResolveReview(ctx, "r1", "reversed", "looked again", "ops", later)
	mustCode(t, err, opencredit.EINVALID, "an unknown review outcome")
	_, err = st.ResolveReview(ctx, "r1", opencredit.ReviewUpheld, "", "ops", later)
	mustCode(t, err, opencredit.EINVALID, "a review resolved without a note")
	_, err = st.ResolveReview(ctx, "nope", opencredit.ReviewUpheld, "looked again", "ops", later)
	mustCode(t, err, opencredit.ENOTFOUND, "resolving an unknown review")
	res, err := st.ResolveReview(ctx, "r1", opencredit.ReviewChanged, "the verified income was missed; the lender is told", "ops", later)
	check(t, err)
	if res.Status != opencredit.ReviewChanged || res.ResolvedAt == nil || !res.ResolvedAt.Equal(later) || res.Resolver != "ops" ||
		!strings.HasPrefix(res.Note, "the verified income") {
		t.Fatalf("resolved review = %+v", res)
	}
	_, err = st.ResolveReview(ctx, "r1", opencredit.ReviewUpheld, "again", "ops", later)
	mustCode(t, err, opencredit.ECONFLICT, "resolving a resolved review")
	// Once resolved, the decision may be reviewed again.
	check(t, st.RequestReview(ctx, requested("r4", "s1", 7, later)))

	for _, tc := range []struct {
		f    opencredit.ReviewFilter
		want string
	}{
		{opencredit.ReviewFilter{}, "r1 r3 r4"},
		{opencredit.ReviewFilter{Subject: "s1"}, "r1 r4"},
		{opencredit.ReviewFilter{Status: opencredit.ReviewRequested}, "r3 r4"},
		{opencredit.ReviewFilter{Subject: "s2", Status: opencredit.ReviewChanged}, ""},
	} {
		rs, err := st.Reviews(ctx, tc.f)
		check(t, err)
		var ids []string
		for _, r := range rs {
			ids = append(ids, r.ID)
		}
		if got := strings.Join(ids, " "); got != tc.want {
			t.Errorf("Reviews(%+v) = %q, want %q", tc.f, got, tc.want)
		}
	}

	check(t, st.DeleteSubject(ctx, "s2", later))
	if rs, err := st.Reviews(ctx, opencredit.ReviewFilter{Subject: "s2"}); err != nil || len(rs) != 0 {
		t.Fatalf("an erased subject still has reviews %+v (%v)", rs, err)
	}
}
