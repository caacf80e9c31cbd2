package training

import (
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

// FuzzParseSpec feeds arbitrary YAML to the spec reader: it must never
// panic, must fail with an invalid-input error, and a spec it accepts must
// give derived characteristics that compute.
func FuzzParseSpec(f *testing.F) {
	f.Add([]byte(balanceSpecYAML))
	f.Add([]byte("features: {x: {ratio: [a, b]}, y: {count: [x, c], above: 0.5}}"))
	f.Add([]byte("features: {x: {sum: [a, y]}, y: {max: [b, x]}}"))
	f.Add([]byte("features: {a: {cuts: [1, 2], trend: ascending}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSpec(data)
		if err != nil {
			if opencredit.ErrorCode(err) != opencredit.EINVALID {
				t.Fatalf("error without the invalid code: %v", err)
			}
			return
		}
		defs, err := s.Derived()
		if err != nil {
			t.Fatalf("a spec that passed Validate: Derived: %v", err)
		}
		d, err := model.NewDeriver(defs)
		if err != nil {
			t.Fatalf("a spec that passed Validate: NewDeriver: %v", err)
		}
		raw := make([]model.Value, len(d.Raw()))
		for k := range raw {
			raw[k] = model.Num(2)
		}
		out := d.Derive(nil, raw)
		if len(out) != len(defs) {
			t.Fatalf("%d values for %d definitions", len(out), len(defs))
		}
	})
}

const balanceSpecYAML = `features:
  utilisation: {ratio: [balance, limit], dimension: capacity, label: Balance over limit, reason: Balance is high}
  months_late: {count: [late_1, late_2], above: 0, trend: ascending}
  paid: {sum: [p1, p2, p3]}
  share: {ratio: [paid, balance]}
`
