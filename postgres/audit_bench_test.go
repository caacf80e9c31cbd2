package postgres_test

import (
	"context"
	"testing"

	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
)

// BenchmarkAuditAppend measures an append of one record, committed, to the
// PostgreSQL audit storage: the lock on audit_head, the count under it, the
// inserts and the commit. BenchmarkAuditAppendParallel is the server's case,
// concurrent requests sharing commits; BenchmarkAuditAppendTwoLogs has two
// logs on two pools, as two replicas, take turns on the lock. Compare them
// with sqlite's BenchmarkAudit* from one run:
//
//	go test ./postgres/ -run '^$' -bench Audit
func BenchmarkAuditAppend(b *testing.B) {
	ctx := context.Background()
	l := benchAuditLog(b, openAudit(b, newSchema(b)))
	recs := audittest.Records(0, 4096)
	for i := 0; b.Loop(); i++ {
		if _, err := l.Append(ctx, recs[i%len(recs)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

func BenchmarkAuditAppendParallel(b *testing.B) {
	benchAuditParallel(b, 1)
}

func BenchmarkAuditAppendTwoLogs(b *testing.B) {
	benchAuditParallel(b, 2)
}

// benchAuditParallel appends from 8 goroutines per core, spread over logs
// logs, each on a storage of its own in one schema.
func benchAuditParallel(b *testing.B, logs int) {
	ctx := context.Background()
	schema := newSchema(b)
	ls := make(chan *audit.Log, logs)
	for range logs {
		ls <- benchAuditLog(b, openAudit(b, schema))
	}
	recs := audittest.Records(0, 4096)
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		l := <-ls // the goroutines take the logs in turn
		ls <- l
		for i := 0; pb.Next(); i++ {
			if _, err := l.Append(ctx, recs[i%len(recs)]); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

func benchAuditLog(b *testing.B, st audit.Storage) *audit.Log {
	b.Helper()
	s, v := audittest.Keys(b)
	l, err := audit.Open(context.Background(), st, s, v)
	if err != nil {
		b.Fatal(err)
	}
	return l
}

// BenchmarkLatestCosigned reads each witness's latest cosigned checkpoint,
// as every proof request and every Open does, from three witnesses' 100,000
// checkpoints each (about 35 days at one every 10 s), against DISTINCT ON,
// which reads every row, in the same run:
//
//	go test ./postgres/ -run '^$' -bench LatestCosigned
//
// 2026-12-03, the server on the same 2 cores, 3 runs: skip-scan
// 297–402 µs, DISTINCT ON 1.43–2.08 s.
func BenchmarkLatestCosigned(b *testing.B) {
	ctx := context.Background()
	schema := newSchema(b)
	st := openAudit(b, schema)
	conn := rawConn(b, schema)
	if _, err := conn.Exec(ctx, `INSERT INTO audit_cosignatures (witness, size, note)
		SELECT w, s, repeat('x', 300)::bytea FROM unnest(ARRAY['w1', 'w2', 'w3']) AS w, generate_series(1, 100000) AS s`); err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `ANALYZE audit_cosignatures`); err != nil {
		b.Fatal(err)
	}
	b.Run("skip-scan", func(b *testing.B) {
		for b.Loop() {
			if got, err := st.LatestCosigned(ctx); err != nil || len(got) != 3 || got[2].Size != 100_000 {
				b.Fatalf("%v %v", len(got), err)
			}
		}
	})
	b.Run("distinct-on", func(b *testing.B) {
		for b.Loop() {
			rows, err := conn.Query(ctx, `SELECT DISTINCT ON (witness) witness, size, note FROM audit_cosignatures ORDER BY witness, size DESC`)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			if n != 3 {
				b.Fatal(n)
			}
		}
	})
}
