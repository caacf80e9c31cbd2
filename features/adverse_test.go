package features

import (
	"encoding/json"
	"testing"

	"github.com/opencredit/opencredit"
)

func TestAdverse(t *testing.T) {
	// The performance window is (2025-01-01, 2026-01-01]: its start excluded,
	// its end included.
	from, to := at("2025-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z")
	stmt90 := opencredit.AccountStatement{AccountID: "a", DaysPastDue: 90}
	tests := []struct {
		name, typ, when string
		payload         any
		want            bool
	}{
		{"statement 90 dpd at the start", opencredit.TypeAccountStatement, "2025-01-01T00:00:00Z", stmt90, false},
		{"statement 90 dpd just after the start", opencredit.TypeAccountStatement, "2025-01-01T00:00:00.000000001Z", stmt90, true},
		{"statement 90 dpd at the end", opencredit.TypeAccountStatement, "2026-01-01T00:00:00Z", stmt90, true},
		{"statement 90 dpd just after the end", opencredit.TypeAccountStatement, "2026-01-01T00:00:00.000000001Z", stmt90, false},
		{"statement 89 dpd", opencredit.TypeAccountStatement, "2025-06-01T00:00:00Z", opencredit.AccountStatement{AccountID: "a", DaysPastDue: 89}, false},
		{"missed 90 dpd", opencredit.TypePaymentMissed, "2025-06-01T00:00:00Z", opencredit.PaymentMissed{AccountID: "a", DaysPastDue: 90}, true},
		{"missed 60 dpd", opencredit.TypePaymentMissed, "2025-06-01T00:00:00Z", opencredit.PaymentMissed{AccountID: "a", DaysPastDue: 60}, false},
		{"missed 120 dpd before the window", opencredit.TypePaymentMissed, "2024-12-31T23:59:59Z", opencredit.PaymentMissed{AccountID: "a", DaysPastDue: 120}, false},
		{"payment made 120 days late", opencredit.TypePaymentMade, "2025-06-01T00:00:00Z", opencredit.PaymentMade{AccountID: "a", DaysLate: 120}, false},
		{"charge-off", opencredit.TypeAccountChargedOff, "2025-06-01T00:00:00Z", opencredit.AccountChargedOff{AccountID: "a", Amount: 1}, true},
		{"charge-off after the window", opencredit.TypeAccountChargedOff, "2026-01-02T00:00:00Z", opencredit.AccountChargedOff{AccountID: "a", Amount: 1}, false},
		{"collection at the end", opencredit.TypeCollectionOpened, "2026-01-01T00:00:00Z", opencredit.CollectionOpened{CollectionID: "c", Amount: 1}, true},
		{"bankruptcy", opencredit.TypeJudgmentFiled, "2025-06-01T00:00:00Z", opencredit.JudgmentFiled{CaseID: "b", Kind: "bankruptcy"}, true},
		{"judgment", opencredit.TypeJudgmentFiled, "2025-06-01T00:00:00Z", opencredit.JudgmentFiled{CaseID: "j", Kind: "judgment"}, false},
		{"rent missed 90 days", opencredit.TypeBillMissed, "2025-06-01T00:00:00Z", opencredit.BillMissed{BillType: "rent", DaysPastDue: 90}, false},
	}
	for _, tt := range tests {
		var b events
		b.add(tt.typ, tt.when, tt.payload)
		got, err := Adverse(b.list, from, to)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got != tt.want {
			t.Errorf("%s: Adverse = %v, want %v", tt.name, got, tt.want)
		}
	}

	// Undecodable data inside the window is an error even when another
	// event is adverse; outside the window it is not read.
	var b events
	b.add(opencredit.TypeAccountChargedOff, "2025-06-01T00:00:00Z", opencredit.AccountChargedOff{AccountID: "a", Amount: 1})
	bad := b.list[0]
	bad.Type, bad.Data = opencredit.TypePaymentMissed, json.RawMessage(`{"days_past_due":"ninety"}`)
	if _, err := Adverse(append(b.list, bad), from, to); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("bad data inside the window: err = %v, want an invalid error", err)
	}
	bad.Time = at("2024-06-01T00:00:00Z")
	if got, err := Adverse(append(b.list, bad), from, to); err != nil || !got {
		t.Errorf("bad data outside the window: %v, %v; want true, nil", got, err)
	}
	if got, err := Adverse(nil, from, to); err != nil || got {
		t.Errorf("no events: %v, %v; want false, nil", got, err)
	}
}
