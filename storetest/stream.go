package storetest

import (
	"context"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventgen"
)

// testGeneratedStream is the property test of live features: a generated
// stream of a few thousand events goes into one store in random batches and,
// shuffled with a share of it re-sent, into another. Both must accept the
// same events, and for every subject and several as-of dates the live
// features must equal a recomputation and agree between the stores.
func testGeneratedStream(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d (the stream, the batch sizes and the shuffle follow from it)", seed)
	start := time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)
	const months = 30
	g := eventgen.NewGenerator(eventgen.GenConfig{Seed: seed, Subjects: 60, Furnishers: 4, Start: start, Months: months})
	var stream []opencredit.Event
	for e, ok := g.Next(); ok; e, ok = g.Next() {
		stream = append(stream, e)
	}
	if len(stream) < 1000 {
		t.Fatalf("seed %d: the generator made only %d events", seed, len(stream))
	}
	a, b := newStore(t), newStore(t)
	for _, st := range []opencredit.Store{a, b} {
		for _, s := range g.SubjectIDs() {
			check(t, st.CreateSubject(ctx, s, opencredit.PII{}, start.AddDate(0, 0, -1)))
		}
		for _, c := range g.Consents() {
			check(t, st.GrantConsent(ctx, c))
		}
	}
	rng := rand.New(rand.NewPCG(seed, 2))
	send := func(st opencredit.Store, events []opencredit.Event) map[string]int {
		total := map[string]int{}
		for len(events) > 0 {
			n := min(len(events), 1+rng.IntN(400))
			for k, v := range statuses(ingest(t, st, events[:n])) {
				total[k] += v
			}
			events = events[n:]
		}
		return total
	}
	sa := send(a, stream)
	mixed := slices.Clone(stream)
	for range len(stream) / 10 {
		mixed = append(mixed, stream[rng.IntN(len(stream))])
	}
	rng.Shuffle(len(mixed), func(i, j int) { mixed[i], mixed[j] = mixed[j], mixed[i] })
	sb := send(b, mixed)
	if sa[opencredit.Accepted] == 0 || sa[opencredit.Accepted] != sb[opencredit.Accepted] || sa[opencredit.Rejected] != sb[opencredit.Rejected] ||
		sb[opencredit.Duplicate] != sa[opencredit.Duplicate]+len(mixed)-len(stream) {
		t.Fatalf("seed %d: in order %v, shuffled with %d re-sent %v", seed, sa, len(mixed)-len(stream), sb)
	}
	t.Logf("%d events: %v", len(stream), sa)

	end := start.AddDate(0, months, 0)
	asOfs := []time.Time{start.AddDate(0, 6, 0), start.AddDate(0, 12, 17), end.Add(-time.Nanosecond), end.AddDate(8, 0, 0)}
	for _, s := range g.SubjectIDs() {
		for _, asOf := range asOfs {
			fa, fb := features(t, a, s, asOf), features(t, b, s, asOf)
			if !maps.Equal(fa, fb) {
				t.Fatalf("seed %d: subject %s as of %s: the two stores disagree:\n%s", seed, s, asOf.Format(time.DateOnly), diff(fa, fb))
			}
		}
		ea, err := a.Events(ctx, s)
		check(t, err)
		eb, err := b.Events(ctx, s)
		check(t, err)
		if !slices.Equal(eventIDs(ea), eventIDs(eb)) {
			t.Fatalf("seed %d: subject %s: the stores hold different events: %d and %d", seed, s, len(ea), len(eb))
		}
	}
}
