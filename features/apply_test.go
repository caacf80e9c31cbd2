package features

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

func TestApplyRejects(t *testing.T) {
	var b events
	b.add(opencredit.TypeAccountOpened, "2025-01-01T00:00:00Z", opencredit.AccountOpened{AccountID: "a", Product: "card", CreditLimit: num(1000)})
	b.add(opencredit.TypeAccountStatement, "2025-02-01T00:00:00Z", opencredit.AccountStatement{AccountID: "a", Balance: 10})
	s, err := Recompute(b.list)
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := Recompute(b.list)

	ok := b.list[1]
	with := func(f func(e *opencredit.Event)) opencredit.Event {
		e := ok
		f(&e)
		return e
	}
	tests := []struct {
		name    string
		e       opencredit.Event
		payload any
	}{
		{"unknown type", with(func(e *opencredit.Event) { e.Type = "org.opencredit.account.frozen" }), nil},
		{"bad data", with(func(e *opencredit.Event) { e.Data = json.RawMessage(`{"balance":"ten"`) }), nil},
		{"zero time", with(func(e *opencredit.Event) { e.Time = time.Time{} }), nil},
		{"time in 2200", with(func(e *opencredit.Event) { e.Time = maxTime }), nil},
		{"payload of another type", ok, &opencredit.PaymentMade{AccountID: "a"}},
		{"empty account id", ok, &opencredit.AccountStatement{Balance: 1}},
		{"NaN balance", ok, &opencredit.AccountStatement{AccountID: "a", Balance: math.NaN()}},
		{"infinite limit", ok, &opencredit.AccountStatement{AccountID: "b", CreditLimit: num(math.Inf(1))}},
		{"unknown product", with(func(e *opencredit.Event) { e.Type = opencredit.TypeAccountOpened }), &opencredit.AccountOpened{AccountID: "z", Product: "pawn"}},
		{"identity level 4", with(func(e *opencredit.Event) { e.Type = opencredit.TypeIdentityVerified }), opencredit.IdentityVerified{Level: 4}},
		{"infinite income", with(func(e *opencredit.Event) { e.Type = opencredit.TypeIncomeVerified }), opencredit.IncomeVerified{MonthlyIncome: math.Inf(-1)}},
	}
	for _, tt := range tests {
		err := s.Apply(tt.e, tt.payload)
		if opencredit.ErrorCode(err) != opencredit.EINVALID {
			t.Errorf("%s: err = %v, want an invalid error", tt.name, err)
		}
		if !s.Equal(ref) {
			t.Fatalf("%s: a rejected event changed the state", tt.name)
		}
	}
}

func TestApplyPayloadForms(t *testing.T) {
	// The decoded payload, as a pointer or a value, folds in like e.Data.
	var b events
	b.add(opencredit.TypeAccountStatement, "2025-02-01T00:00:00Z", opencredit.AccountStatement{AccountID: "a", Balance: 12.5, CreditLimit: num(100), DaysPastDue: 3})
	e := b.list[0]
	ref, _ := Recompute(b.list)
	p := decodePayload(e).(*opencredit.AccountStatement)
	for _, payload := range []any{p, *p, (*opencredit.AccountStatement)(nil)} {
		s := NewState()
		if err := s.Apply(e, payload); err != nil {
			t.Fatal(err)
		}
		if !s.Equal(ref) {
			t.Errorf("payload %T folds in differently from the data", payload)
		}
	}
}

func TestNegativeZero(t *testing.T) {
	// −0 and 0 are the same balance: equal states, equal bytes.
	var b events
	b.add(opencredit.TypeAccountStatement, "2025-02-01T00:00:00Z", opencredit.AccountStatement{AccountID: "a"})
	e := b.list[0]
	s1, s2 := NewState(), NewState()
	if err := s1.Apply(e, &opencredit.AccountStatement{AccountID: "a", Balance: math.Copysign(0, -1)}); err != nil {
		t.Fatal(err)
	}
	if err := s2.Apply(e, nil); err != nil {
		t.Fatal(err)
	}
	b1, _ := s1.MarshalBinary()
	b2, _ := s2.MarshalBinary()
	if !s1.Equal(s2) || string(b1) != string(b2) {
		t.Errorf("−0 and 0 differ: %x, %x", b1, b2)
	}
}

func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range Registry {
		if seen[d.Name] {
			t.Errorf("%s listed twice", d.Name)
		}
		seen[d.Name] = true
		if !opencredit.Dimension(d.Dimension).Valid() {
			t.Errorf("%s: dimension %q is not one of the five", d.Name, d.Dimension)
		}
		if d.Meaning == "" || d.Unit == "" {
			t.Errorf("%s: no meaning or unit", d.Name)
		}
		if got, ok := Lookup(d.Name); !ok || got != d {
			t.Errorf("Lookup(%s) = %v, %v", d.Name, got, ok)
		}
	}
	if _, ok := Lookup("friends_average_score"); ok {
		t.Error("Lookup found a feature that does not exist")
	}
	// Every feature Compute can return is registered, and every one is
	// returned for a full history.
	s := NewState()
	var b events
	b.add(opencredit.TypeAccountOpened, "2025-01-01T00:00:00Z", opencredit.AccountOpened{AccountID: "a", Product: "card", CreditLimit: num(100)})
	b.add(opencredit.TypePaymentMissed, "2025-06-01T00:00:00Z", opencredit.PaymentMissed{AccountID: "a", DaysPastDue: 30})
	b.add(opencredit.TypeIncomeVerified, "2025-01-01T00:00:00Z", opencredit.IncomeVerified{MonthlyIncome: 100})
	b.add(opencredit.TypeBillPaid, "2025-06-01T00:00:00Z", opencredit.BillPaid{BillType: "rent"})
	b.add(opencredit.TypeRentalReturned, "2025-06-01T00:00:00Z", opencredit.RentalReturned{RentalID: "r"})
	for _, e := range b.list {
		if err := s.Apply(e, nil); err != nil {
			t.Fatal(err)
		}
	}
	got := s.Compute("s1", at(asOf), DefaultConfig()).Values
	for name := range got {
		if !seen[name] {
			t.Errorf("Compute returns %s, which is not registered", name)
		}
	}
	if len(got) != len(Registry) {
		t.Errorf("Compute returns %d features for a full history, want all %d", len(got), len(Registry))
	}
}
