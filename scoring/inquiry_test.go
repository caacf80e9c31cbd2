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
