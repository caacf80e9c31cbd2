package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/postgres"
	"github.com/opencredit/opencredit/storetest"
)

// freshStore opens a store in a new schema with the workload's subjects and
// consents; the schema is dropped when the benchmark ends. Registration, which
// is not measured, runs on four connections without waiting for each commit
// to reach the disk (synchronous_commit=off); the store returned waits, as
// in production.
func freshStore(b *testing.B, w storetest.Workload) *postgres.DB {
	b.Helper()
	ctx := context.Background()
	schema := newSchema(b)
	fast, err := postgres.OpenSchema(ctx, withParam(testDSN(b), "synchronous_commit", "off"), schema, pii.DemoKeys())
	if err != nil {
		b.Fatal(err)
	}
	err = inParallel(len(w.Subjects), func(i int) error {
		return fast.CreateSubject(ctx, w.Subjects[i], opencredit.PII{}, storetest.BenchStart.AddDate(0, 0, -1))
	})
	if err == nil {
		err = inParallel(len(w.Consents), func(i int) error { return fast.GrantConsent(ctx, w.Consents[i]) })
	}
	if err != nil {
		b.Fatal(err)
	}
	fast.Close()
	db, err := postgres.OpenSchema(ctx, testDSN(b), schema, pii.DemoKeys())
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// inParallel calls fn(i) for every i in [0, n) on four goroutines and
// returns the first error.
func inParallel(n int, fn func(i int) error) error {
	const workers = 4
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for k := range workers {
		wg.Go(func() {
			for i := k; i < n && errs[k] == nil; i += workers {
				errs[k] = fn(i)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// withParam adds a run-time parameter to a postgres:// connection string.
func withParam(dsn, key, value string) string {
	if strings.Contains(dsn, "?") {
		return dsn + "&" + key + "=" + value
	}
	return dsn + "?" + key + "=" + value
}

// BenchmarkIngest ingests the workload with validation, consent checks,
// exactly-once and live features. Compare its events/s with
// BenchmarkRawInsert's in the same run:
//
//	OPENCREDIT_TEST_POSTGRES=postgres://... go test -run '^$' -bench 'Ingest|RawInsert' -benchtime 3x ./postgres
func BenchmarkIngest(b *testing.B) {
	benchmark(b, func(db *postgres.DB, batch []opencredit.Event) error {
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
// the same statement, and nothing else: the baseline.
func BenchmarkRawInsert(b *testing.B) {
	benchmark(b, func(db *postgres.DB, batch []opencredit.Event) error {
		return db.RawInsert(context.Background(), batch)
	})
}

func benchmark(b *testing.B, fn func(*postgres.DB, []opencredit.Event) error) {
	testDSN(b)
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
