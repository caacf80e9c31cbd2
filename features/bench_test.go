package features

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

// history returns months of a typical file ending at genNow: a card, a
// credit line and a loan with a statement and a payment each per month, a
// utility, a telecom and a rent bill per month, and now and then an
// inquiry, a rental or a verification — about 10 events a month. Event ids
// are UUID-sized, as furnishers send them.
func history(months int) []opencredit.Event {
	r := &rng{s: 42}
	var evs []opencredit.Event
	add := func(typ string, t time.Time, p any) {
		data, _ := json.Marshal(p)
		evs = append(evs, opencredit.Event{
			SpecVersion: "1.0", ID: fmt.Sprintf("%08x-4b1e-4c7a-9d2f-%012x", len(evs), r.next()>>16),
			Source: "bank", Type: typ, Subject: "s", Time: t, Data: data,
		})
	}
	start := genNow.AddDate(0, -months, 0)
	add(opencredit.TypeAccountOpened, start, opencredit.AccountOpened{AccountID: "card", Product: "card", CreditLimit: num(3000), Currency: "EUR"})
	add(opencredit.TypeAccountOpened, start.Add(time.Hour), opencredit.AccountOpened{AccountID: "line", Product: "line", CreditLimit: num(1000), Currency: "EUR"})
	add(opencredit.TypeAccountOpened, start.Add(2*time.Hour), opencredit.AccountOpened{AccountID: "loan", Product: "loan", Principal: num(12000), Currency: "EUR"})
	add(opencredit.TypeIdentityVerified, start, opencredit.IdentityVerified{Level: 2})
	add(opencredit.TypeIncomeVerified, start, opencredit.IncomeVerified{MonthlyIncome: 2800, Currency: "EUR"})
	for m := 0; m < months; m++ {
		day := start.AddDate(0, m, 0)
		for i, a := range []string{"card", "line", "loan"} {
			st := opencredit.AccountStatement{AccountID: a, Balance: float64(r.intn(300000)) / 100, Currency: "EUR"}
			if a != "loan" {
				st.CreditLimit = num(3000)
			}
			add(opencredit.TypeAccountStatement, day.Add(time.Duration(i)*time.Hour), st)
			add(opencredit.TypePaymentMade, day.AddDate(0, 0, 20).Add(time.Duration(r.intn(86400))*time.Second),
				opencredit.PaymentMade{AccountID: a, Amount: 50, AmountDue: 50, DaysLate: pick(r, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3), Currency: "EUR"})
		}
		for _, bt := range []string{"utility", "telecom", "rent"} {
			add(opencredit.TypeBillPaid, day.AddDate(0, 0, 3+r.intn(5)).Add(time.Duration(r.intn(86400))*time.Second),
				opencredit.BillPaid{BillType: bt, AccountID: bt, Amount: 60, DaysLate: pick(r, 0, 0, 0, 0, 1), Currency: "EUR"})
		}
		if r.chance(0.3) {
			add(opencredit.TypeInquiry, day.AddDate(0, 0, 12), opencredit.Inquiry{Kind: pick(r, "hard", "soft"), Purpose: "credit_application"})
		}
		if r.chance(0.3) {
			add(opencredit.TypeRentalReturned, day.AddDate(0, 0, 15), opencredit.RentalReturned{RentalID: "r", Item: "bike", DaysLate: 0})
		}
	}
	return evs
}

// nextEvents returns n events of the months after history's end, each with
// its payload decoded, cycling through the history's own kinds of event.
func nextEvents(n int) ([]opencredit.Event, []any) {
	h := history(48)
	evs, ps := make([]opencredit.Event, n), make([]any, n)
	for i := range evs {
		e := h[5+i%(len(h)-5)]
		e.ID = fmt.Sprintf("next-%d", i)
		e.Time = genNow.Add(time.Duration(i) * time.Minute)
		evs[i], ps[i] = e, decodePayload(e)
	}
	return evs, ps
}

func twoYears(b *testing.B) []byte {
	s, err := Recompute(history(24))
	if err != nil {
		b.Fatal(err)
	}
	enc, _ := s.MarshalBinary()
	return enc
}

// BenchmarkApply measures one Apply on a state holding two years of history,
// with the payload already decoded (as ingestion passes it) and without.
func BenchmarkApply(b *testing.B) {
	enc := twoYears(b)
	const reset = 256 // applied events before the state is restored, so it does not grow
	evs, ps := nextEvents(reset)
	for _, decoded := range []bool{true, false} {
		name := "decoded"
		if !decoded {
			name = "json"
		}
		b.Run(name, func(b *testing.B) {
			var s State
			i := 0
			for b.Loop() {
				if i%reset == 0 {
					b.StopTimer()
					if err := s.UnmarshalBinary(enc); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				var p any
				if decoded {
					p = ps[i%reset]
				}
				if err := s.Apply(evs[i%reset], p); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkMarshalRoundTrip measures MarshalBinary then UnmarshalBinary of
// a state holding two years of history, and each on its own: MarshalBinary
// of a decoded state (which copies what it read) and of one built by Apply.
func BenchmarkMarshalRoundTrip(b *testing.B) {
	enc := twoYears(b)
	fresh, _ := Recompute(history(24))
	var s State
	if err := s.UnmarshalBinary(enc); err != nil {
		b.Fatal(err)
	}
	b.Run("roundtrip", func(b *testing.B) {
		for b.Loop() {
			out, err := s.MarshalBinary()
			if err != nil {
				b.Fatal(err)
			}
			if err := s.UnmarshalBinary(out); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(enc)), "state-bytes")
	})
	b.Run("unmarshal", func(b *testing.B) {
		for b.Loop() {
			var u State
			if err := u.UnmarshalBinary(enc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("marshal-decoded", func(b *testing.B) {
		for b.Loop() {
			s.MarshalBinary()
		}
	})
	b.Run("marshal-built", func(b *testing.B) {
		for b.Loop() {
			fresh.MarshalBinary()
		}
	})
}

// BenchmarkIngest measures the ingestion path per subject and batch —
// UnmarshalBinary, Apply × k with decoded payloads, MarshalBinary — on two
// years of history, reported per event.
func BenchmarkIngest(b *testing.B) {
	enc := twoYears(b)
	for _, k := range []int{1, 10, 50} {
		evs, ps := nextEvents(k)
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) {
			for b.Loop() {
				var s State
				if err := s.UnmarshalBinary(enc); err != nil {
					b.Fatal(err)
				}
				for j := range evs {
					if err := s.Apply(evs[j], ps[j]); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := s.MarshalBinary(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*k), "ns/event")
		})
	}
}

// BenchmarkCompute measures the features of two years of history.
func BenchmarkCompute(b *testing.B) {
	s, _ := Recompute(history(24))
	for b.Loop() {
		s.Compute("s", genNow, DefaultConfig())
	}
}

// BenchmarkBaselineVarints decodes 1000 four-byte varints with
// encoding/binary: a yardstick of the machine's speed, to read the other
// benchmarks against on noisy machines.
func BenchmarkBaselineVarints(b *testing.B) {
	var buf []byte
	for i := range 1000 {
		buf = binary.AppendUvarint(buf, uint64(1<<21+i*997))
	}
	var sum uint64
	for b.Loop() {
		for off := 0; off < len(buf); {
			u, n := binary.Uvarint(buf[off:])
			sum += u
			off += n
		}
	}
	if sum == 1 {
		b.Log(sum)
	}
}
