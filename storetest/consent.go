package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

func testConsents(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	check(t, st.CreateSubject(ctx, "s1", opencredit.PII{}, created))
	t1 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	t2 := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	t3 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	check(t, st.GrantConsent(ctx, opencredit.Consent{Subject: "s1", Counterparty: "bank", Purpose: opencredit.PurposeCreditApplication, GrantedAt: t1}))
	check(t, st.GrantConsent(ctx, opencredit.Consent{Subject: "s1", Counterparty: "util", Purpose: opencredit.PurposeFurnishing, GrantedAt: t1}))
	check(t, st.WithdrawConsent(ctx, "s1", "bank", opencredit.PurposeCreditApplication, t2))
	// A new grant after the withdrawal is a new consent.
	check(t, st.GrantConsent(ctx, opencredit.Consent{Subject: "s1", Counterparty: "bank", Purpose: opencredit.PurposeCreditApplication, GrantedAt: t3}))

	for _, tc := range []struct {
		counterparty, purpose string
		at                    time.Time
		want                  bool
	}{
		{"bank", opencredit.PurposeCreditApplication, t1.Add(-time.Second), false},
		{"bank", opencredit.PurposeCreditApplication, t1, true},
		{"bank", opencredit.PurposeCreditApplication, t2.Add(-time.Nanosecond), true},
		{"bank", opencredit.PurposeCreditApplication, t2, false},
		{"bank", opencredit.PurposeCreditApplication, t3.Add(-time.Hour), false},
		{"bank", opencredit.PurposeCreditApplication, t3, true},
		{"bank", opencredit.PurposeAccountReview, t3, false},
		{"bank", opencredit.PurposeFurnishing, t3, false},
		{"util", opencredit.PurposeFurnishing, t3, true},
		{"other", opencredit.PurposeFurnishing, t3, false},
	} {
		got, err := st.HasConsent(ctx, "s1", tc.counterparty, tc.purpose, tc.at)
		check(t, err)
		if got != tc.want {
			t.Errorf("HasConsent(s1, %s, %s, %s) = %v, want %v", tc.counterparty, tc.purpose, tc.at.Format(time.RFC3339Nano), got, tc.want)
		}
	}

	cs, err := st.Consents(ctx, "s1")
	check(t, err)
	if len(cs) != 3 {
		t.Fatalf("Consents lists %d, want 3: %+v", len(cs), cs)
	}
	withdrawn := 0
	for _, c := range cs {
		if c.Subject != "s1" {
			t.Errorf("consent of %s listed for s1", c.Subject)
		}
		if c.WithdrawnAt != nil {
			withdrawn++
			if c.Counterparty != "bank" || !c.GrantedAt.Equal(t1) || !c.WithdrawnAt.Equal(t2) {
				t.Errorf("withdrawn consent %+v, want bank granted %s withdrawn %s", c, t1, t2)
			}
		}
	}
	if withdrawn != 1 {
		t.Errorf("%d withdrawn consents listed, want 1", withdrawn)
	}

	mustCode(t, st.WithdrawConsent(ctx, "s1", "nobody", opencredit.PurposeFurnishing, t3), opencredit.ENOTFOUND, "withdrawing a consent never given")
	mustCode(t, st.GrantConsent(ctx, opencredit.Consent{Subject: "ghost", Counterparty: "bank", Purpose: opencredit.PurposeAccountReview, GrantedAt: t1}),
		opencredit.ENOTFOUND, "a consent of an unknown subject")
	mustCode(t, st.GrantConsent(ctx, opencredit.Consent{Subject: "s1", Counterparty: "boss", Purpose: "employment_screening", GrantedAt: t1}),
		opencredit.EINVALID, "a consent for a refused purpose")
	mustCode(t, st.GrantConsent(ctx, opencredit.Consent{Subject: "s1", Counterparty: "", Purpose: opencredit.PurposeFurnishing, GrantedAt: t1}),
		opencredit.EINVALID, "a consent without counterparty")
}

func testWithdrawalStopsIngestion(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	person(t, st, "s1", "f1")
	allAccepted(t, ingest(t, st, []opencredit.Event{inquiry("e1", "f1", "s1", day0)}))
	check(t, st.WithdrawConsent(ctx, "s1", "f1", opencredit.PurposeFurnishing, time.Now()))
	res := ingest(t, st, []opencredit.Event{inquiry("e2", "f1", "s1", day0)})
	if res[0].Status != opencredit.Rejected || res[0].Reason != opencredit.ReasonNoConsent {
		t.Fatalf("an event right after withdrawal: %+v, want rejected no_consent", res[0])
	}
	evs, err := st.Events(ctx, "s1")
	check(t, err)
	if len(evs) != 1 {
		t.Fatalf("%d events stored, want 1", len(evs))
	}
}
