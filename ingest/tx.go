package ingest

import (
	"context"
	"time"

	"github.com/opencredit/opencredit"
)

// Key identifies an event for exactly-once ingestion.
type Key struct{ Source, ID string }

// Pair is a subject and a furnisher that may hold the subject's furnishing consent.
type Pair struct{ Subject, Source string }

// SubjectsOf returns the subjects of pairs, each once, in order of first appearance.
func SubjectsOf(pairs []Pair) []string {
	var out []string
	seen := make(map[string]bool, len(pairs))
	for _, p := range pairs {
		if !seen[p.Subject] {
			seen[p.Subject] = true
			out = append(out, p.Subject)
		}
	}
	return out
}

// Row is an accepted event as a store writes it.
type Row struct {
	opencredit.Event
	ReceivedAt time.Time
}

// Tx is what a store's open write transaction provides to Batch. Every
// method works on a whole batch, so a store can answer with a few
// statements instead of one per event. Argument slices hold no repeats.
//
// Isolation: Batch reads states, changes them and writes them back, so the
// store must keep concurrent writers out of the subjects it touches until the
// transaction ends. SQLite does so by BEGIN IMMEDIATE (one writer at a time);
// PostgreSQL can lock the subjects' rows (SELECT ... FOR UPDATE) in
// KnownSubjects, which Batch calls before anything else.
type Tx interface {
	// KnownSubjects reports which of ids are registered and not erased.
	KnownSubjects(ctx context.Context, ids []string) (map[string]bool, error)
	// FurnishingConsents reports which pairs hold an active furnishing
	// consent (opencredit.PurposeFurnishing, counterparty = source) at t.
	FurnishingConsents(ctx context.Context, pairs []Pair, at time.Time) (map[Pair]bool, error)
	// InsertEvents inserts each row whose (source, id) is not stored yet and
	// reports, per row, whether it was inserted. It must stay right when
	// another transaction inserts the same event at the same time: SQLite
	// has one writer at a time; on PostgreSQL, INSERT ... ON CONFLICT
	// (source, id) DO NOTHING waits for a concurrent insert of the same key
	// to commit or abort, and the rows a transaction inserted carry its id.
	InsertEvents(ctx context.Context, rows []Row) ([]bool, error)
	// StoredEvents returns the stored events with these keys, so that an
	// event re-sent with other content can be told from a duplicate. Batch
	// asks only for keys InsertEvents did not insert, which are rare.
	StoredEvents(ctx context.Context, keys []Key) (map[Key]opencredit.Event, error)
	// LoadStates returns the stored feature states of subjects; a subject
	// without one is absent from the map.
	LoadStates(ctx context.Context, subjects []string) (map[string][]byte, error)
	// SaveStates stores feature states, replacing any there, stamped at.
	SaveStates(ctx context.Context, states map[string][]byte, at time.Time) error
}
