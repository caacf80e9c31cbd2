package features

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

// at parses an RFC 3339 time, for readable test tables.
func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func num(v float64) *float64 { return &v }

// events builds events from one source with ids e1, e2, ... in order.
type events struct {
	source string
	list   []opencredit.Event
}

func (b *events) add(typ, when string, payload any) *events {
	return b.addID(fmt.Sprintf("e%d", len(b.list)+1), typ, when, payload)
}

func (b *events) addID(id, typ, when string, payload any) *events {
	data, err := json.Marshal(payload)
	if err != nil {
		panic(err)
	}
	src := b.source
	if src == "" {
		src = "bank"
	}
	b.list = append(b.list, opencredit.Event{
		SpecVersion: "1.0", ID: id, Source: src, Type: typ, Subject: "s1",
		Time: at(when), Data: data,
	})
	return b
}

// compute recomputes the state of evs and returns its features as of asOf.
func compute(t *testing.T, evs []opencredit.Event, asOf string, cfg Config) map[string]float64 {
	t.Helper()
	s, err := Recompute(evs)
	if err != nil {
		t.Fatal(err)
	}
	return s.Compute("s1", at(asOf), cfg).Values
}

// want checks one feature: tol is the absolute tolerance; a NaN want means
// the feature must be absent.
func want(t *testing.T, got map[string]float64, name string, w, tol float64) {
	t.Helper()
	if _, ok := Lookup(name); !ok {
		t.Fatalf("feature %s is not in the registry", name)
	}
	v, ok := got[name]
	switch {
	case math.IsNaN(w) && ok:
		t.Errorf("%s = %v, want absent", name, v)
	case math.IsNaN(w):
	case !ok:
		t.Errorf("%s absent, want %v", name, w)
	case math.Abs(v-w) > tol:
		t.Errorf("%s = %v, want %v (±%g)", name, v, w, tol)
	}
}

var absent = math.NaN()

// decodePayload decodes an event's data into its root payload struct, as
// the event package will before Apply.
func decodePayload(e opencredit.Event) any {
	var p any
	switch e.Type {
	case opencredit.TypeAccountOpened:
		p = new(opencredit.AccountOpened)
	case opencredit.TypeAccountStatement:
		p = new(opencredit.AccountStatement)
	case opencredit.TypeAccountClosed:
		p = new(opencredit.AccountClosed)
	case opencredit.TypeAccountChargedOff:
		p = new(opencredit.AccountChargedOff)
	case opencredit.TypePaymentMade:
		p = new(opencredit.PaymentMade)
	case opencredit.TypePaymentMissed:
		p = new(opencredit.PaymentMissed)
	case opencredit.TypeBillPaid:
		p = new(opencredit.BillPaid)
	case opencredit.TypeBillMissed:
		p = new(opencredit.BillMissed)
	case opencredit.TypeRentalReturned:
		p = new(opencredit.RentalReturned)
	case opencredit.TypeRentalOverdue:
		p = new(opencredit.RentalOverdue)
	case opencredit.TypeInquiry:
		p = new(opencredit.Inquiry)
	case opencredit.TypeIncomeVerified:
		p = new(opencredit.IncomeVerified)
	case opencredit.TypeIdentityVerified:
		p = new(opencredit.IdentityVerified)
	case opencredit.TypeCollectionOpened:
		p = new(opencredit.CollectionOpened)
	case opencredit.TypeJudgmentFiled:
		p = new(opencredit.JudgmentFiled)
	default:
		panic("unknown type " + e.Type)
	}
	if err := json.Unmarshal(e.Data, p); err != nil {
		panic(err)
	}
	return p
}
