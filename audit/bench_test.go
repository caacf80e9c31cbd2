package audit_test

import (
	"context"
	"testing"

	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
)

// The benchmarks here measure the log over MemoryStorage: what Log itself
// costs an append (encoding, hashing, the group commit) and Verify, apart
// from any database. The SQLite storage's, the figures of the README, are
// sqlite's BenchmarkAudit*:
//
//	go test ./audit/ -run '^$' -bench .

const benchRecords = 4096 // distinct records, reused round-robin

func benchData(b *testing.B) ([]audit.Record, [][]byte) {
	recs := audittest.Records(0, benchRecords)
	data := make([][]byte, len(recs))
	for i, r := range recs {
		var err error
		if data[i], err = r.Encode(); err != nil {
			b.Fatal(err)
		}
	}
	return recs, data
}

func BenchmarkAppend(b *testing.B) {
	ctx := context.Background()
	recs, data := benchData(b)
	st := audit.NewMemoryStorage()
	s, v := audittest.Keys(b)
	l, err := audit.Open(ctx, st, s, v)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data[0])))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := l.Append(ctx, recs[i%benchRecords]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkAppendParallel is the server's case: many requests appending at
// once, serialised by the log.
func BenchmarkAppendParallel(b *testing.B) {
	ctx := context.Background()
	recs, _ := benchData(b)
	st := audit.NewMemoryStorage()
	s, v := audittest.Keys(b)
	l, err := audit.Open(ctx, st, s, v)
	if err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			if _, err := l.Append(ctx, recs[i%benchRecords]); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkVerify measures Verify over a log of 100,000 records, per record.
func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	recs, _ := benchData(b)
	st := audit.NewMemoryStorage()
	s, v := audittest.Keys(b)
	l, err := audit.Open(ctx, st, s, v)
	if err != nil {
		b.Fatal(err)
	}
	const size = 100_000
	for n := 0; n < size; n += 1000 {
		if _, err := l.Append(ctx, recs[:1000]...); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := l.Checkpoint(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		rep, err := audit.Verify(ctx, st, v)
		if err != nil || !rep.OK() {
			b.Fatal(rep.Problems, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/size, "ns/record")
}
