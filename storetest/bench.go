package storetest

import (
	"sync"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventgen"
)

// The stores' ingestion benchmarks share one workload: generated events for
// BenchSubjects people, ingested in batches of BenchBatch. `opencredit bench
// ingest` runs the same at full size (1,000,000 events, 50,000 subjects, in
// import's batches); this one is kept short.
const (
	BenchEvents   = 100_000
	BenchSubjects = 5_000
	BenchBatch    = 5_000
	benchSeed     = 1
)

// BenchStart is when the workload's history starts; its subjects are
// registered the day before.
var BenchStart = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)

// Workload is the benchmark's events, and the subjects and furnishing
// consents a store needs before ingesting them.
type Workload struct {
	Events   []opencredit.Event
	Subjects []string
	Consents []opencredit.Consent
}

// BenchWorkload returns the workload, generated once per process.
var BenchWorkload = sync.OnceValue(func() Workload {
	events, g := eventgen.Sample(eventgen.GenConfig{Seed: benchSeed, Subjects: BenchSubjects, Furnishers: 10, Start: BenchStart}, BenchEvents)
	return Workload{Events: events, Subjects: g.SubjectIDs(), Consents: g.Consents()}
})
