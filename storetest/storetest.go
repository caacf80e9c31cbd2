package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

// Run runs the conformance suite. open must return a new, empty store for
// each call; the suite closes it.
func Run(t *testing.T, open func(t *testing.T) opencredit.Store) {
	newStore := func(t *testing.T) opencredit.Store {
		t.Helper()
		st := open(t)
		t.Cleanup(func() {
			if err := st.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
		return st
	}
	tests := []struct {
		name string
		fn   func(t *testing.T, newStore func(*testing.T) opencredit.Store)
	}{
		{"Subjects", testSubjects},
		{"NationalID", testNationalID},
		{"Consents", testConsents},
		{"IngestOutcomes", testIngestOutcomes},
		{"IngestDuplicates", testIngestDuplicates},
		{"IngestOrder", testIngestOrder},
		{"WithdrawalStopsIngestion", testWithdrawalStopsIngestion},
		{"EventsInTimeOrder", testEventsInTimeOrder},
		{"SuppressRestore", testSuppressRestore},
		{"DisputeOpen", testDisputeOpen},
		{"DisputeResolve", testDisputeResolve},
		{"Reviews", testReviews},
		{"DeleteSubject", testDeleteSubject},
		{"Freezes", testFreezes},
		{"GeneratedStream", testGeneratedStream},
		{"Clients", testClients},
		{"ClientConflicts", testClientConflicts},
		{"ClientInvalid", testClientInvalid},
		{"ModelRegistry", testModelRegistry},
		{"ModelActivationRace", testModelActivationRace},
		{"DiskSize", testDiskSize},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore) })
	}
}

// Times of the suite's fixtures: all in the past of the real clock.
var (
	created = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	granted = time.Date(2022, 1, 2, 0, 0, 0, 0, time.UTC)
	day0    = time.Date(2024, 1, 15, 10, 0, 0, 0, time.UTC)
)

func code(err error) string { return opencredit.ErrorCode(err) }

func mustCode(t *testing.T, err error, want, what string) {
	t.Helper()
	if got := code(err); got != want {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, want)
	}
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// person registers subject id with furnishing consent to each furnisher.
func person(t *testing.T, st opencredit.Store, id string, furnishers ...string) {
	t.Helper()
	ctx := context.Background()
	check(t, st.CreateSubject(ctx, id, opencredit.PII{Name: "Person " + id}, created))
	for _, f := range furnishers {
		check(t, st.GrantConsent(ctx, opencredit.Consent{Subject: id, Counterparty: f, Purpose: opencredit.PurposeFurnishing, GrantedAt: granted}))
	}
}

func mkEvent(id, source, subject, typ string, at time.Time, data any) opencredit.Event {
	raw, err := json.Marshal(data)
	if err != nil {
		panic(err)
	}
	return opencredit.Event{SpecVersion: "1.0", ID: id, Source: source, Subject: subject, Type: typ, Time: at,
		DataContentType: "application/json", Data: raw}
}

func inquiry(id, source, subject string, at time.Time) opencredit.Event {
	return mkEvent(id, source, subject, opencredit.TypeInquiry, at, opencredit.Inquiry{Kind: "hard", Purpose: opencredit.PurposeCreditApplication})
}

func payment(id, source, subject string, at time.Time, daysLate int) opencredit.Event {
	return mkEvent(id, source, subject, opencredit.TypePaymentMade, at, opencredit.PaymentMade{
		AccountID: "acc-" + subject, DueDate: opencredit.Date(at.AddDate(0, 0, -daysLate).Format(time.DateOnly)),
		Amount: 100, AmountDue: 100, DaysLate: daysLate, Currency: "EUR"})
}

func missed(id, source, subject string, at time.Time, dpd int) opencredit.Event {
	return mkEvent(id, source, subject, opencredit.TypePaymentMissed, at, opencredit.PaymentMissed{
		AccountID: "acc-" + subject, DueDate: opencredit.Date(at.AddDate(0, 0, -dpd).Format(time.DateOnly)),
		AmountDue: 100, DaysPastDue: dpd, Currency: "EUR"})
}

// history is a small mixed history of subject from furnisher f.
func history(subject, f string) []opencredit.Event {
	limit := 1000.0
	return []opencredit.Event{
		mkEvent(subject+"-open", f, subject, opencredit.TypeAccountOpened, day0, opencredit.AccountOpened{
			AccountID: "acc-" + subject, Product: opencredit.ProductCard, CreditLimit: &limit, Currency: "EUR"}),
		mkEvent(subject+"-st1", f, subject, opencredit.TypeAccountStatement, day0.AddDate(0, 1, 0), opencredit.AccountStatement{
			AccountID: "acc-" + subject, Balance: 400, CreditLimit: &limit, Currency: "EUR"}),
		payment(subject+"-p1", f, subject, day0.AddDate(0, 1, 10), 0),
		missed(subject+"-m1", f, subject, day0.AddDate(0, 2, 12), 30),
		payment(subject+"-p2", f, subject, day0.AddDate(0, 2, 20), 38),
		inquiry(subject+"-q1", f, subject, day0.AddDate(0, 3, 0)),
		mkEvent(subject+"-inc", f, subject, opencredit.TypeIncomeVerified, day0.AddDate(0, 3, 1), opencredit.IncomeVerified{
			MonthlyIncome: 2500, Currency: "EUR", Method: "payslip"}),
		mkEvent(subject+"-id", f, subject, opencredit.TypeIdentityVerified, day0.AddDate(0, 3, 2), opencredit.IdentityVerified{
			Level: 2, Method: "passport"}),
	}
}

func ingest(t *testing.T, st opencredit.Store, batch []opencredit.Event) []opencredit.IngestResult {
	t.Helper()
	res, err := st.Ingest(context.Background(), batch)
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	if len(res) != len(batch) {
		t.Fatalf("Ingest: %d results for %d events", len(res), len(batch))
	}
	return res
}

func statuses(res []opencredit.IngestResult) map[string]int {
	m := map[string]int{}
	for _, r := range res {
		m[r.Status]++
	}
	return m
}

func allAccepted(t *testing.T, res []opencredit.IngestResult) {
	t.Helper()
	for i, r := range res {
		if r.Status != opencredit.Accepted {
			t.Fatalf("event %d: %+v, want accepted", i, r)
		}
	}
}

// features returns the live and the recomputed vector, failing unless they are equal.
func features(t *testing.T, st opencredit.Store, subject string, asOf time.Time) map[string]float64 {
	t.Helper()
	ctx := context.Background()
	live, err := st.Features(ctx, subject, asOf)
	check(t, err)
	re, err := st.RecomputeFeatures(ctx, subject, asOf)
	check(t, err)
	if live.Subject != subject || !live.AsOf.Equal(asOf) {
		t.Fatalf("Features(%s, %s) names %s as of %s", subject, asOf, live.Subject, live.AsOf)
	}
	if !maps.Equal(live.Values, re.Values) {
		t.Fatalf("subject %s as of %s: live features differ from a recomputation:\n%s", subject, asOf.Format(time.DateOnly), diff(live.Values, re.Values))
	}
	return live.Values
}

// diff lists the features on which a (first) and b (second) differ.
func diff(a, b map[string]float64) string {
	s := ""
	for k, va := range a {
		if vb, ok := b[k]; !ok || va != vb {
			s += fmt.Sprintf("  %s: %v vs %v (present: %v)\n", k, va, vb, ok)
		}
	}
	for k, vb := range b {
		if _, ok := a[k]; !ok {
			s += fmt.Sprintf("  %s: absent vs %v\n", k, vb)
		}
	}
	return s
}
