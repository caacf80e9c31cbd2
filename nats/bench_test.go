package nats_test

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/opencredit/opencredit/eventfile"
	"github.com/opencredit/opencredit/importer"
	"github.com/opencredit/opencredit/nats"
)

// BenchmarkConsumeVsImport measures events/s from a JetStream stream
// (embedded server, events published beforehand) into a fresh SQLite store
// against `import` of the same events as an NDJSON file into another fresh
// store, in the same run, and reports both and their ratio. Each iteration
// does both; the events are OPENCREDIT_BENCH_EVENTS (default 50,000)
// generated events for N/40 people.
//
//	go test -run '^$' -bench ConsumeVsImport -benchtime 3x ./nats
func BenchmarkConsumeVsImport(b *testing.B) {
	n := 50_000
	if v, err := strconv.Atoi(os.Getenv("OPENCREDIT_BENCH_EVENTS")); err == nil && v > 0 {
		n = v
	}
	w := newWorkload(b, n)
	var file bytes.Buffer
	for _, raw := range w.raws {
		file.Write(raw)
		file.WriteByte('\n')
	}
	for _, batch := range []int{nats.DefaultBatch, 5000} {
		b.Run("batch="+strconv.Itoa(batch), func(b *testing.B) {
			var tImport, tConsume time.Duration
			for i := 0; i < b.N; i++ {
				// import of the file.
				st := newStore(b, w, false)
				r, err := eventfile.NewReader(bytes.NewReader(file.Bytes()), eventfile.NDJSON)
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				sum, err := importer.Import(context.Background(), r, st, importer.Options{})
				tImport += time.Since(start)
				if err != nil || sum.Accepted != n {
					b.Fatalf("import: %+v, %v", sum, err)
				}

				// The same events from the stream.
				s := startServer(b, "bench")
				nc := connect(b, s.ClientURL())
				js := jetStream(b, nc)
				cfg := testConfig("bench" + strconv.Itoa(i))
				cfg.Batch, cfg.MaxWait, cfg.AckWait = batch, 50*time.Millisecond, time.Minute
				cfg.Metrics = nats.NewMetrics()
				if err := nats.EnsureStreams(context.Background(), js, cfg); err != nil {
					b.Fatal(err)
				}
				publishAll(b, nc, cfg, w, w.events)
				st2 := newStore(b, w, false)
				start = time.Now()
				_, run := runConsumer(b, js, st2, cfg)
				for cfg.Metrics.Counts().Stored < n {
					time.Sleep(time.Millisecond)
				}
				tConsume += time.Since(start)
				if err := run.stop(b); err != nil {
					b.Fatal(err)
				}
				s.Shutdown()
			}
			imp := float64(n*b.N) / tImport.Seconds()
			con := float64(n*b.N) / tConsume.Seconds()
			b.ReportMetric(imp, "import-events/s")
			b.ReportMetric(con, "jetstream-events/s")
			b.ReportMetric(con/imp, "jetstream/import")
		})
	}
}
