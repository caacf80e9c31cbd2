package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

// manyEvents is a long file for the benchmark: ten cards opened 100
// months ago, each with a statement and an on-time payment every month
// since: 10 + 10 × 99 × 2 = 1,990 events, 2,019 with personEvents.
func manyEvents(now time.Time) []opencredit.Event {
	var es []opencredit.Event
	for a := 1; a <= 10; a++ {
		acct := fmt.Sprintf("long-%d", a)
		es = append(es, event(opencredit.TypeAccountOpened, acct+"-open", monthDay(now, 100, 2), opencredit.AccountOpened{AccountID: acct, Product: "card", CreditLimit: ptr(2000), Currency: "EUR"}))
		for k := 99; k >= 1; k-- {
			due := monthDay(now, k, 21)
			es = append(es, event(opencredit.TypeAccountStatement, fmt.Sprintf("%s-st-%d", acct, k), monthDay(now, k, 6),
				opencredit.AccountStatement{AccountID: acct, Balance: 300, CreditLimit: ptr(2000), Currency: "EUR"}))
			es = append(es, event(opencredit.TypePaymentMade, fmt.Sprintf("%s-pay-%d", acct, k), due,
				opencredit.PaymentMade{AccountID: acct, DueDate: opencredit.Date(due.Format(time.DateOnly)), Amount: 40, AmountDue: 40, Currency: "EUR"}))
		}
	}
	return es
}

// BenchmarkMyScorePage renders the score page (the score, a 12-month
// history, reasons, charts) and the data page for a person with 2,019
// events, beside the baseline of the same run: the API's own-score pull
// for the same person. Each page writes its audit records (the score page
// two, the API one) to a SQLite log with synchronous=FULL, as serve does.
//
//	go test ./web/ -run '^$' -bench MyScorePage -benchtime 200x
func BenchmarkMyScorePage(b *testing.B) {
	f := newFixture(b, nil)
	es := manyEvents(f.clock.now())
	for i := 0; i < len(es); i += 500 {
		f.ingest(es[i:min(i+500, len(es))]...)
	}
	held, err := f.store.Events(b.Context(), person)
	if err != nil || len(held) < 2000 {
		b.Fatalf("%d events, %v; want at least 2,000", len(held), err)
	}
	br := f.browser()
	br.signIn(f.keys[selfID])
	b.Run("score-page", func(b *testing.B) {
		for b.Loop() {
			if r := br.get("/score"); r.status != http.StatusOK {
				b.Fatalf("/score: %d", r.status)
			}
		}
	})
	b.Run("data-page", func(b *testing.B) {
		for b.Loop() {
			if r := br.get("/data"); r.status != http.StatusOK {
				b.Fatalf("/data: %d", r.status)
			}
		}
	})
	// The disputes pages, with one dispute open: the person's reads their
	// disputes and their file (to say what each record is), the form
	// their file, the operator's queue the disputes alone.
	if err := f.store.OpenDispute(b.Context(), opencredit.Dispute{ID: "dsp_bench", Subject: person, Source: furnisher, EventID: "pay-2",
		Comment: "I paid this", OpenedAt: f.clock.now(), Status: opencredit.DisputeOpen}); err != nil {
		b.Fatal(err)
	}
	b.Run("disputes-page", func(b *testing.B) {
		for b.Loop() {
			if r := br.get("/disputes"); r.status != http.StatusOK {
				b.Fatalf("/disputes: %d", r.status)
			}
		}
	})
	b.Run("dispute-form", func(b *testing.B) {
		for b.Loop() {
			if r := br.get("/disputes/new?source=furn-a&event=pay-4"); r.status != http.StatusOK {
				b.Fatalf("/disputes/new: %d", r.status)
			}
		}
	})
	ops := f.browser()
	ops.signInTo(f.keys[opsID], "/ops/disputes")
	b.Run("ops-disputes-page", func(b *testing.B) {
		for b.Loop() {
			if r := ops.get("/ops/disputes"); r.status != http.StatusOK {
				b.Fatalf("/ops/disputes: %d", r.status)
			}
		}
	})
	// Last, since the session then keeps it: the score page with a what-if
	// of 12 more months paid on time, which reads the file and recomputes
	// its features on a copy.
	b.Run("score-page-whatif-12-months", func(b *testing.B) {
		token := br.get("/score").csrf(b)
		if r := br.do("POST", "/whatif", url.Values{"csrf": {token}, "months": {"12"}, "improve": {"revolving_utilisation"}}); r.status != http.StatusSeeOther {
			b.Fatalf("what-if: %d", r.status)
		}
		for b.Loop() {
			if r := br.get("/score"); r.status != http.StatusOK {
				b.Fatalf("/score: %d", r.status)
			}
		}
	})
	b.Run("api-score", func(b *testing.B) {
		for b.Loop() {
			req, _ := http.NewRequest("GET", f.url+"/v1/subjects/"+person+"/score?purpose=subject_self_access", nil)
			req.Header.Set("Authorization", "Bearer "+f.keys[selfID])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("API: %d", resp.StatusCode)
			}
		}
	})
}
