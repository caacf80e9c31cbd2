package eventjson_test

import (
	"fmt"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventgen"
	"github.com/opencredit/opencredit/eventjson"
)

func ExampleDecode() {
	now := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
	in := `{"specversion":"1.0","id":"e1","source":"furnisher-01","type":"org.opencredit.payment.missed",
	"subject":"s0000001","time":"2026-03-31T09:30:00Z",
	"data":{"account_id":"acc-1001","due_date":"2026-02-25","amount_due":50,"days_past_due":30,"currency":"EUR"}}`
	e, payload, prob := eventjson.Decode([]byte(in), now)
	if prob != nil {
		fmt.Println(prob.Reason, prob)
		return
	}
	missed := payload.(*opencredit.PaymentMissed)
	fmt.Println(e.Source, e.Subject, missed.AccountID, missed.DaysPastDue)

	_, _, prob = eventjson.Decode([]byte(`{"specversion":"1.0","id":"e2","source":"furnisher-01",
	"type":"org.opencredit.payment.missed","subject":"s0000001","time":"2026-03-31T09:30:00Z",
	"data":{"account_id":"acc-1001","due_date":"2026-02-25","amount_due":50,"days_past_due":-30,"currency":"EUR"}}`), now)
	fmt.Println(prob.Reason, prob)
	// Output:
	// furnisher-01 s0000001 acc-1001 30
	// invalid data.days_past_due: must be 1 or more
}

func ExampleGenerator() {
	g := eventgen.NewGenerator(eventgen.GenConfig{Seed: 1, Subjects: 100, Furnishers: 10,
		Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Months: 12})
	n := 0
	for _, ok := g.Next(); ok; _, ok = g.Next() {
		n++
	}
	fmt.Println(len(g.SubjectIDs()), "subjects,", len(g.Consents()) > 0, n > 5000)
	// Output: 100 subjects, true true
}
