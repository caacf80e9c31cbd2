package sqlite_test

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
	"github.com/opencredit/opencredit/storetest"
)

// freshStore opens an empty store with the workload's subjects and consents.
func freshStore(b *testing.B, w storetest.Workload) *sqlite.DB {
	b.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "opencredit.db"), pii.DemoKeys())
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range w.Subjects {
		if err := db.CreateSubject(ctx, s, opencredit.PII{}, storetest.BenchStart.AddDate(0, 0, -1)); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range w.Consents {
		if err := db.GrantConsent(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

// BenchmarkIngest ingests the workload with validation, consent checks,
// exactly-once and live features. Compare its events/s with
// BenchmarkRawInsert's in the same run:
//
//	go test -run '^$' -bench 'Ingest|RawInsert' -benchtime 3x ./sqlite
func BenchmarkIngest(b *testing.B) {
	benchmark(b, func(db *sqlite.DB, batch []opencredit.Event) error {
		res, err := db.Ingest(context.Background(), batch)
		for _, r := range res {
			if r.Status != opencredit.Accepted {
				b.Fatalf("not accepted: %+v", r)
			}
		}
		return err
	})
}

// BenchmarkRawInsert inserts the same rows into the same events table with
// the same batching, and nothing else: the baseline.
func BenchmarkRawInsert(b *testing.B) {
	benchmark(b, func(db *sqlite.DB, batch []opencredit.Event) error {
		return db.RawInsert(context.Background(), batch)
	})
}

func benchmark(b *testing.B, fn func(*sqlite.DB, []opencredit.Event) error) {
	w := storetest.BenchWorkload()
	var elapsed time.Duration
	for range b.N {
		b.StopTimer()
		db := freshStore(b, w)
		b.StartTimer()
		start := time.Now()
		for i := 0; i < len(w.Events); i += storetest.BenchBatch {
			if err := fn(db, w.Events[i:min(i+storetest.BenchBatch, len(w.Events))]); err != nil {
				b.Fatal(err)
			}
		}
		elapsed += time.Since(start)
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(w.Events)*b.N)/elapsed.Seconds(), "events/s")
}

// BenchmarkIngestVsRaw alternates batches between ingestion into one store
// and raw insertion into another, so that a noisy machine slows both alike,
// and reports both rates, their ratio and the CPU time per event of each.
func BenchmarkIngestVsRaw(b *testing.B) {
	w := storetest.BenchWorkload()
	ctx := context.Background()
	var wall, cpu [2]time.Duration
	for range b.N {
		b.StopTimer()
		ing, raw := freshStore(b, w), freshStore(b, w)
		b.StartTimer()
		for i := 0; i < len(w.Events); i += storetest.BenchBatch {
			batch := w.Events[i:min(i+storetest.BenchBatch, len(w.Events))]
			for k, fn := range []func() error{
				func() error { _, err := ing.Ingest(ctx, batch); return err },
				func() error { return raw.RawInsert(ctx, batch) },
			} {
				c0, t0 := cpuTime(), time.Now()
				if err := fn(); err != nil {
					b.Fatal(err)
				}
				wall[k] += time.Since(t0)
				cpu[k] += cpuTime() - c0
			}
		}
		b.StopTimer()
		ing.Close()
		raw.Close()
		b.StartTimer()
	}
	n := float64(len(w.Events) * b.N)
	b.ReportMetric(n/wall[0].Seconds(), "ingest-events/s")
	b.ReportMetric(n/wall[1].Seconds(), "raw-rows/s")
	b.ReportMetric(wall[1].Seconds()/wall[0].Seconds(), "ratio")
	b.ReportMetric(float64(cpu[0].Microseconds())/n, "ingest-cpu-µs/event")
	b.ReportMetric(float64(cpu[1].Microseconds())/n, "raw-cpu-µs/row")
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
