package model

import (
	"bytes"
	"math"
	"testing"

	"github.com/opencredit/opencredit"
)

// FuzzLoad feeds arbitrary bytes to the model loader: it must never panic,
// must fail with an invalid-input error, and a model it accepts must score.
func FuzzLoad(f *testing.F) {
	var buf bytes.Buffer
	if err := testModel(f).Save(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	buf.Reset()
	if err := pairModel(f).Save(&buf); err != nil { // a model with pair tables
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	buf.Reset()
	dm := testModel(f) // a model with a derived feature: a = max(x1, x2)
	dm.Derived = []Derived{{Name: "a", Op: OpMax, Of: []string{"x1", "x2"}}}
	if err := dm.Save(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"schema_version":1}`))
	f.Add([]byte(`{"schema_version":1,"features":[{"name":"a","kind":"numeric","reason_code":"A","bins":[{"missing":true}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load(bytes.NewReader(data))
		if err != nil {
			if opencredit.ErrorCode(err) != opencredit.EINVALID {
				t.Fatalf("error without the invalid code: %v", err)
			}
			return
		}
		row := make([]Value, len(m.Features))
		for _, v := range []Value{Num(0), Num(-1e308), Num(math.Inf(1)), MissingValue(), Cat("x")} {
			for j := range row {
				row[j] = v
				if m.Features[j].Kind == Categorical && !v.Missing {
					row[j] = Cat("x")
				}
			}
			if len(m.Derived) > 0 { // the derived features computed from raw inputs of v
				row = m.RowOf(row, func(string) Value {
					if v.Str != "" {
						return Num(1)
					}
					return v
				})
			}
			r, err := m.Score(row)
			if err != nil {
				t.Fatal(err)
			}
			if r.Score < m.Scaling.Min || r.Score > m.Scaling.Max {
				t.Fatalf("score %d outside %d–%d", r.Score, m.Scaling.Min, m.Scaling.Max)
			}
		}
	})
}
