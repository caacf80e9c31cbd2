package eventjson

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventgen"
)

// benchEvents returns encoded generated events: the mix of types a store
// ingests.
func benchEvents(b *testing.B) [][]byte {
	g := eventgen.NewGenerator(eventgen.GenConfig{Seed: 1, Subjects: 200, Furnishers: 10, Start: genStart, Months: 12})
	var out [][]byte
	for e, ok := g.Next(); ok; e, ok = g.Next() {
		data, err := json.Marshal(e)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// BenchmarkDecode decodes generated events (about 300 bytes each).
func BenchmarkDecode(b *testing.B) {
	events := benchEvents(b)
	now := genStart.AddDate(1, 0, 1)
	size := 0
	for _, e := range events {
		size += len(e)
	}
	b.SetBytes(int64(size / len(events)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, _, p := Decode(events[i%len(events)], now); p != nil {
			b.Fatal(p)
		}
	}
}

// BenchmarkDecodeEncodingJSON is the baseline for BenchmarkDecode: what
// encoding/json alone takes to read the same events (the envelope into
// opencredit.Event, then the data into its struct with
// DisallowUnknownFields), checking nothing else.
func BenchmarkDecodeEncodingJSON(b *testing.B) {
	events := benchEvents(b)
	size := 0
	for _, e := range events {
		size += len(e)
	}
	b.SetBytes(int64(size / len(events)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		var e opencredit.Event
		if err := json.Unmarshal(events[i%len(events)], &e); err != nil {
			b.Fatal(err)
		}
		p := reflect.New(payloadTypes[e.Type]).Interface()
		dec := json.NewDecoder(bytes.NewReader(e.Data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGenerate makes events, envelope and data encoded.
func BenchmarkGenerate(b *testing.B) {
	g := eventgen.NewGenerator(eventgen.GenConfig{Seed: 1, Subjects: 1000, Furnishers: 10, Start: genStart, Months: 1 << 20})
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := g.Next(); !ok {
			b.Fatal("no more events")
		}
	}
}

// genStart is when the generated histories of the benchmarks and the fuzz
// corpus begin.
var genStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
