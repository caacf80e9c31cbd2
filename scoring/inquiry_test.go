package scoring_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/scoring"
)

// TestInquiryWindow: with an injected clock, one lender's credit_application
// pulls within 14 days of its last recorded inquiry add none; a pull 14 days
// later adds one; another lender's pull adds its own; account_review adds
// none. Each platform inquiry names the lender that asked. Scores follow
// apitest.Model: 580 with the fixture's two inquiries, 540 from the third on.
func TestInquiryWindow(t *testing.T) {
	ctx := context.Background()
	st := fixtureStore()
	now := time.Now().UTC()
	signer, verifier := audittest.Keys(t)
	log, err := audit.Open(ctx, audit.NewMemoryStorage(), signer, verifier)
	if err != nil {
		t.Fatal(err)
	}
	programs, err := decision.LoadPrograms(strings.NewReader(apitest.Programs))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := scoring.New(scoring.Config{Store: st, Model: apitest.Model(t), Programs: programs, Log: log,
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	other := opencredit.Client{ID: "lender-b", Name: "Lender B", Role: opencredit.RoleLender, Purposes: []string{opencredit.PurposeCreditApplication}}
	st.consents = append(st.consents, opencredit.Consent{Subject: apitest.Own, Counterparty: other.ID,
		Purpose: opencredit.PurposeCreditApplication, GrantedAt: now.Add(-time.Hour)})

	n := 0
	pull := func(c opencredit.Client, purpose string, wantScore int) {
		t.Helper()
		n++
		sc, err := svc.Score(ctx, scoring.Caller{Client: c, RequestID: "r" + string(rune('0'+n))}, apitest.Own, purpose)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Result.Score != wantScore {
			t.Errorf("pull %d at %s: score %d, want %d", n, now.Format(time.DateOnly), sc.Result.Score, wantScore)
		}
	}
	platform := func() map[string]int {
		t.Helper()
		evs, _ := st.Events(ctx, apitest.Own)
		out := map[string]int{}
		for _, e := range evs {
			if e.Source == opencredit.PlatformSource {
				var q opencredit.Inquiry
				if err := json.Unmarshal(e.Data, &q); err != nil {
					t.Fatal(err)
				}
				out[q.Counterparty]++
			}
		}
		return out
	}
	pull(lender, opencredit.PurposeCreditApplication, 580) // records lender's first
	now = now.Add(24 * time.Hour)
	pull(lender, opencredit.PurposeCreditApplication, 540) // within the window: none
	now = now.Add(12*24*time.Hour + 23*time.Hour)          // 13 days 23 hours after the first
	pull(lender, opencredit.PurposeCreditApplication, 540)
	if got := platform(); got[lender.ID] != 1 {
		t.Errorf("after three pulls within 14 days: %v platform inquiries, want one for %s", got, lender.ID)
	}
	pull(other, opencredit.PurposeCreditApplication, 540) // another lender: its own
	now = now.Add(time.Hour)                              // 14 days after the first
	pull(lender, opencredit.PurposeCreditApplication, 540)
	pull(lender, opencredit.PurposeRentalDepositWaiver, 540)
	if got := platform(); got[lender.ID] != 2 || got[other.ID] != 1 || len(got) != 2 {
		t.Errorf("platform inquiries %v, want 2 for %s and 1 for %s", got, lender.ID, other.ID)
	}
	if _, err := scoring.New(scoring.Config{Store: st, Model: apitest.Model(t), Log: log, InquiryWindow: -time.Second}); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("a negative window: %v", err)
	}
}

// TestRateShoppingDecisions: a program's product rides on the hard inquiry
// its decisions record, so two lenders' mortgage decisions within
// features.ShoppingWindow add one hard inquiry to the features, not two,
// while each stays on the person's file; a third, 15 days after the first,
// opens a new run and counts.
func TestRateShoppingDecisions(t *testing.T) {
	ctx := context.Background()
	st := fixtureStore()
	now := time.Now().UTC()
	signer, verifier := audittest.Keys(t)
	log, err := audit.Open(ctx, audit.NewMemoryStorage(), signer, verifier)
	if err != nil {
		t.Fatal(err)
	}
	programs, err := decision.LoadPrograms(strings.NewReader(apitest.Programs + `  - id: home
    name: Home loan
    purpose: credit_application
    product: mortgage
    min_score: 400
`))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := scoring.New(scoring.Config{Store: st, Model: apitest.Model(t), Programs: programs, Log: log,
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	var lenders []opencredit.Client
	for _, id := range []string{"bank-a", "bank-b", "bank-c"} {
		c := opencredit.Client{ID: id, Role: opencredit.RoleLender, Purposes: []string{opencredit.PurposeCreditApplication}}
		lenders = append(lenders, c)
		st.consents = append(st.consents, opencredit.Consent{Subject: apitest.Own, Counterparty: id,
			Purpose: opencredit.PurposeCreditApplication, GrantedAt: now.Add(-time.Hour)})
	}
	hard6 := func() float64 {
		t.Helper()
		fv, err := st.Features(ctx, apitest.Own, now)
		if err != nil {
			t.Fatal(err)
		}
		return fv.Values[features.HardInquiries6m]
	}
	base := hard6()
	decide := func(c opencredit.Client) {
		t.Helper()
		if _, err := svc.Decide(ctx, scoring.Caller{Client: c, RequestID: "req-" + c.ID}, apitest.Own, "home"); err != nil {
			t.Fatal(err)
		}
	}
	decide(lenders[0])
	now = now.Add(3 * 24 * time.Hour)
	decide(lenders[1])
	if got := hard6(); got != base+1 {
		t.Errorf("two mortgage applications 3 days apart: hard_inquiries_6m %v, want %v (one more than before)", got, base+1)
	}
	evs, _ := st.Events(ctx, apitest.Own)
	n := 0
	for _, e := range evs {
		var q opencredit.Inquiry
		if e.Source == opencredit.PlatformSource && json.Unmarshal(e.Data, &q) == nil {
			n++
			if q.Product != opencredit.ProductMortgage {
				t.Errorf("platform inquiry %s: product %q, want mortgage", e.ID, q.Product)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d platform inquiries on file, want both applications listed", n)
	}
	now = now.Add(12 * 24 * time.Hour) // 15 days after the first
	decide(lenders[2])
	if got := hard6(); got != base+2 {
		t.Errorf("a third application 15 days after the first: hard_inquiries_6m %v, want %v", got, base+2)
	}
}
