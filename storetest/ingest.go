package storetest

import (
	"context"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

func testIngestOutcomes(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	person(t, st, "s1", "f1")
	person(t, st, "s2") // no consent to anyone

	malformed := inquiry("bad-json", "f1", "s1", day0)
	malformed.Data = json.RawMessage(`{"kind": "hard", "purpose": `)
	mistyped := mkEvent("bad-field", "f1", "s1", opencredit.TypeIdentityVerified, day0, map[string]any{"level": "three", "method": "x"})
	unknownType := inquiry("bad-type", "f1", "s1", day0)
	unknownType.Type = "org.opencredit.social.post"
	huge := mkEvent("huge", "f1", "s1", opencredit.TypeIdentityVerified, day0, opencredit.IdentityVerified{Level: 1, Method: strings.Repeat("x", 10<<20)})

	type want struct{ status, reason, detail string }
	cases := []struct {
		e    opencredit.Event
		want want
	}{
		{inquiry("ok-1", "f1", "s1", day0), want{opencredit.Accepted, "", ""}},
		{malformed, want{opencredit.Rejected, opencredit.ReasonInvalid, ""}},
		{mistyped, want{opencredit.Rejected, opencredit.ReasonInvalid, "level"}},
		{unknownType, want{opencredit.Rejected, opencredit.ReasonUnknownType, ""}},
		{inquiry("future", "f1", "s1", time.Now().Add(48*time.Hour)), want{opencredit.Rejected, opencredit.ReasonFutureTime, ""}},
		{huge, want{opencredit.Rejected, opencredit.ReasonTooLarge, ""}},
		{inquiry("who", "f1", "nobody", day0), want{opencredit.Rejected, opencredit.ReasonUnknownSubject, "nobody"}},
		{inquiry("nc-1", "f9", "s1", day0), want{opencredit.Rejected, opencredit.ReasonNoConsent, "subject s1 has not consented to furnishing by f9"}},
		{inquiry("nc-2", "f1", "s2", day0), want{opencredit.Rejected, opencredit.ReasonNoConsent, "subject s2 has not consented to furnishing by f1"}},
		{inquiry("ok-2", "f1", "s1", day0.Add(time.Hour)), want{opencredit.Accepted, "", ""}},
	}
	batch := make([]opencredit.Event, len(cases))
	for i, c := range cases {
		batch[i] = c.e
	}
	res := ingest(t, st, batch)
	for i, c := range cases {
		r := res[i]
		if r.Status != c.want.status || r.Reason != c.want.reason {
			t.Errorf("event %d (%s): %s/%s (%s), want %s/%s", i, c.e.ID, r.Status, r.Reason, r.Detail, c.want.status, c.want.reason)
		}
		if r.Status == opencredit.Rejected && (r.Detail == "" || !strings.Contains(r.Detail, c.want.detail)) {
			t.Errorf("event %d (%s): detail %q, want one containing %q", i, c.e.ID, r.Detail, c.want.detail)
		}
	}
	evs, err := st.Events(ctx, "s1")
	check(t, err)
	if ids := eventIDs(evs); !slices.Equal(ids, []string{"ok-1", "ok-2"}) {
		t.Fatalf("s1 has events %v, want only the accepted ok-1, ok-2", ids)
	}
	evs, err = st.Events(ctx, "s2")
	check(t, err)
	if len(evs) != 0 {
		t.Fatalf("s2 has %d events stored without consent", len(evs))
	}
	_, err = st.Events(ctx, "nobody")
	mustCode(t, err, opencredit.ENOTFOUND, "Events of an unknown subject")

	// The stored event is the event sent.
	e := evs0(t, st, "s1")
	if want := batch[0]; e.ID != want.ID || e.Source != want.Source || e.Type != want.Type || !e.Time.Equal(want.Time) ||
		string(e.Data) != string(want.Data) || e.Suppressed || e.ReceivedAt.IsZero() || e.ReceivedAt.After(time.Now()) {
		t.Fatalf("stored event %+v differs from the event sent %+v", e, want)
	}
}

func evs0(t *testing.T, st opencredit.Store, subject string) opencredit.StoredEvent {
	t.Helper()
	evs, err := st.Events(context.Background(), subject)
	check(t, err)
	if len(evs) == 0 {
		t.Fatalf("%s has no events", subject)
	}
	return evs[0]
}

func eventIDs(evs []opencredit.StoredEvent) []string {
	ids := make([]string, len(evs))
	for i, e := range evs {
		ids[i] = e.ID
	}
	return ids
}

func testIngestDuplicates(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	person(t, st, "s1", "f1", "f2")
	h := history("s1", "f1")

	// Within one batch: a second copy is a duplicate; a second event with
	// the same id and other content is a conflict, and the first one stands.
	changed := h[2]
	changed.Data = h[3].Data
	changed.Type = h[3].Type
	batch := append(slices.Clone(h[:4]), h[1], changed)
	res := ingest(t, st, batch)
	wantStatus := []string{opencredit.Accepted, opencredit.Accepted, opencredit.Accepted, opencredit.Accepted, opencredit.Duplicate, opencredit.Rejected}
	for i, r := range res {
		if r.Status != wantStatus[i] {
			t.Errorf("within a batch, event %d: %+v, want %s", i, r, wantStatus[i])
		}
	}
	if r := res[5]; r.Reason != opencredit.ReasonConflict || !strings.Contains(r.Detail, "earlier in this batch (event 2)") {
		t.Errorf("same id, other content within a batch: %+v, want a conflict naming event 2", r)
	}
	// The same id from another source is another event.
	other := h[0]
	other.Source = "f2"
	other.Data = json.RawMessage(strings.Replace(string(other.Data), "acc-s1", "acc-s1-f2", 1))
	allAccepted(t, ingest(t, st, []opencredit.Event{other}))

	before, err := st.Events(ctx, "s1")
	check(t, err)
	asOf := day0.AddDate(1, 0, 0)
	fBefore := features(t, st, "s1", asOf)

	// Across batches: re-sending everything changes nothing.
	res = ingest(t, st, append(slices.Clone(h[:4]), other))
	for i, r := range res {
		if r.Status != opencredit.Duplicate {
			t.Errorf("re-sent event %d: %+v, want duplicate", i, r)
		}
	}
	after, err := st.Events(ctx, "s1")
	check(t, err)
	if !slices.EqualFunc(before, after, sameStored) {
		t.Fatalf("re-sending changed the stored events:\n%v\n%v", eventIDs(before), eventIDs(after))
	}
	if fAfter := features(t, st, "s1", asOf); !maps.Equal(fBefore, fAfter) {
		t.Fatalf("re-sending changed features:\n%s", diff(fBefore, fAfter))
	}
	// Across batches: the same id with other content is a conflict, naming
	// both digests, and changes nothing; the same content encoded otherwise
	// (whitespace, key order) is a duplicate.
	res = ingest(t, st, []opencredit.Event{changed})
	if r := res[0]; r.Status != opencredit.Rejected || r.Reason != opencredit.ReasonConflict ||
		!strings.Contains(r.Detail, "accepted before with other content") {
		t.Errorf("re-sent with other content: %+v, want a conflict", r)
	}
	later := h[2]
	later.Time = later.Time.Add(time.Nanosecond)
	if r := ingest(t, st, []opencredit.Event{later})[0]; r.Reason != opencredit.ReasonConflict {
		t.Errorf("re-sent a nanosecond later: %+v, want a conflict", r)
	}
	var fields map[string]any
	check(t, json.Unmarshal(h[2].Data, &fields))
	reencoded, err := json.MarshalIndent(fields, "", "   ")
	check(t, err)
	same := h[2]
	same.Data = reencoded
	same.Time = same.Time.In(time.FixedZone("UTC+8", 8*3600))
	same.DataContentType = opencredit.DataContentType
	if r := ingest(t, st, []opencredit.Event{same})[0]; r.Status != opencredit.Duplicate {
		t.Errorf("the same event encoded otherwise: %+v, want duplicate", r)
	}
	if after, err := st.Events(ctx, "s1"); err != nil || !slices.EqualFunc(before, after, sameStored) {
		t.Fatalf("a conflict changed the stored events (%v):\n%v\n%v", err, eventIDs(before), eventIDs(after))
	}
	// The rest of the history is accepted, with a re-sent one mixed in.
	res = ingest(t, st, append(slices.Clone(h[4:]), h[0]))
	if s := statuses(res); s[opencredit.Accepted] != len(h)-4 || s[opencredit.Duplicate] != 1 {
		t.Fatalf("statuses %v, want %d accepted and 1 duplicate", s, len(h)-4)
	}
}

func sameStored(a, b opencredit.StoredEvent) bool {
	return a.Source == b.Source && a.ID == b.ID && a.Type == b.Type && a.Time.Equal(b.Time) &&
		string(a.Data) == string(b.Data) && a.ReceivedAt.Equal(b.ReceivedAt) && a.Suppressed == b.Suppressed
}

// testIngestOrder sends the same histories in time order to one store and
// late and shuffled to another, in several batches: features must agree.
func testIngestOrder(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	inOrder, shuffled := newStore(t), newStore(t)
	var all []opencredit.Event
	for _, s := range []string{"s1", "s2", "s3"} {
		person(t, inOrder, s, "f1")
		person(t, shuffled, s, "f1")
		all = append(all, history(s, "f1")...)
	}
	slices.SortStableFunc(all, func(a, b opencredit.Event) int { return a.Time.Compare(b.Time) })
	for i := 0; i < len(all); i += 5 {
		allAccepted(t, ingest(t, inOrder, all[i:min(i+5, len(all))]))
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("shuffle seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	mixed := slices.Clone(all)
	slices.Reverse(mixed) // the latest first: every other event is late
	rng.Shuffle(len(mixed)/2, func(i, j int) { mixed[i], mixed[j] = mixed[j], mixed[i] })
	for i := 0; i < len(mixed); i += 7 {
		allAccepted(t, ingest(t, shuffled, mixed[i:min(i+7, len(mixed))]))
	}
	for _, s := range []string{"s1", "s2", "s3"} {
		for _, asOf := range []time.Time{day0.AddDate(0, 1, 15), day0.AddDate(0, 2, 15), day0.AddDate(1, 0, 0)} {
			a, b := features(t, inOrder, s, asOf), features(t, shuffled, s, asOf)
			if !maps.Equal(a, b) {
				t.Fatalf("seed %d: subject %s as of %s: in-order and shuffled ingestion disagree:\n%s", seed, s, asOf.Format(time.DateOnly), diff(a, b))
			}
			if len(a) == 0 {
				t.Fatalf("subject %s has no features", s)
			}
		}
	}
}

func testEventsInTimeOrder(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	person(t, st, "s1", "f1")
	h := history("s1", "f1")
	mixed := slices.Clone(h)
	slices.Reverse(mixed)
	allAccepted(t, ingest(t, st, mixed[:3]))
	allAccepted(t, ingest(t, st, mixed[3:]))
	evs, err := st.Events(ctx, "s1")
	check(t, err)
	if len(evs) != len(h) {
		t.Fatalf("%d events, want %d", len(evs), len(h))
	}
	for i := 1; i < len(evs); i++ {
		if evs[i].Time.Before(evs[i-1].Time) {
			t.Fatalf("Events not in time order: %s at %s after %s at %s", evs[i].ID, evs[i].Time, evs[i-1].ID, evs[i-1].Time)
		}
	}
}

func testSuppressRestore(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	person(t, st, "s1", "f1")
	allAccepted(t, ingest(t, st, history("s1", "f1")))
	asOf := day0.AddDate(0, 6, 0)
	full := features(t, st, "s1", asOf)

	check(t, st.SuppressEvent(ctx, "f1", "s1-m1")) // the missed payment
	suppressed := features(t, st, "s1", asOf)
	if maps.Equal(full, suppressed) {
		t.Fatal("suppressing a missed payment changed no feature")
	}
	evs, err := st.Events(ctx, "s1")
	check(t, err)
	n := 0
	for _, e := range evs {
		if e.Suppressed {
			n++
			if e.ID != "s1-m1" {
				t.Errorf("event %s is suppressed", e.ID)
			}
		}
	}
	if n != 1 || len(evs) != 8 {
		t.Fatalf("%d of %d events suppressed, want 1 of 8 (suppressed events stay listed)", n, len(evs))
	}
	// A suppressed event stays a duplicate: re-sending does not bring it back.
	res := ingest(t, st, []opencredit.Event{missed("s1-m1", "f1", "s1", day0.AddDate(0, 2, 12), 30)})
	if res[0].Status != opencredit.Duplicate {
		t.Fatalf("re-sending a suppressed event: %+v, want duplicate", res[0])
	}
	// Ingestion after suppression keeps the event out.
	allAccepted(t, ingest(t, st, []opencredit.Event{inquiry("q2", "f1", "s1", day0.AddDate(0, 4, 0))}))
	features(t, st, "s1", asOf)

	check(t, st.RestoreEvent(ctx, "f1", "s1-m1"))
	restored := features(t, st, "s1", asOf)
	// The same events never suppressed, in another store.
	ref := newStore(t)
	person(t, ref, "s1", "f1")
	allAccepted(t, ingest(t, ref, append(history("s1", "f1"), inquiry("q2", "f1", "s1", day0.AddDate(0, 4, 0)))))
	if want := features(t, ref, "s1", asOf); !maps.Equal(restored, want) {
		t.Fatalf("after restore, features differ from those of a store that never suppressed:\n%s", diff(restored, want))
	}
	mustCode(t, st.SuppressEvent(ctx, "f1", "no-such-event"), opencredit.ENOTFOUND, "suppressing an unknown event")
	mustCode(t, st.RestoreEvent(ctx, "f9", "s1-m1"), opencredit.ENOTFOUND, "restoring an unknown event")
}
