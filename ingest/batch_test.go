package ingest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventgen"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/ingest"
)

// fakeTx is an in-memory ingest.Tx. It is not transactional: tests that
// inject an error only check that Batch reports it.
type fakeTx struct {
	subjects map[string]bool // id → not erased
	consents []opencredit.Consent
	events   map[ingest.Key]ingest.Row
	order    []ingest.Key
	states   map[string][]byte
	fail     string // name of the method that fails
	calls    []string
}

func newFakeTx() *fakeTx {
	return &fakeTx{subjects: map[string]bool{}, events: map[ingest.Key]ingest.Row{}, states: map[string][]byte{}}
}

var errInjected = errors.New("injected failure")

func (f *fakeTx) call(name string) error {
	f.calls = append(f.calls, name)
	if f.fail == name {
		return errInjected
	}
	return nil
}

func (f *fakeTx) KnownSubjects(_ context.Context, ids []string) (map[string]bool, error) {
	if err := f.call("KnownSubjects"); err != nil {
		return nil, err
	}
	m := map[string]bool{}
	for _, id := range ids {
		if f.subjects[id] {
			m[id] = true
		}
	}
	return m, nil
}

func (f *fakeTx) FurnishingConsents(_ context.Context, pairs []ingest.Pair, at time.Time) (map[ingest.Pair]bool, error) {
	if err := f.call("FurnishingConsents"); err != nil {
		return nil, err
	}
	m := map[ingest.Pair]bool{}
	for _, p := range pairs {
		for _, c := range f.consents {
			if c.Subject == p.Subject && c.Counterparty == p.Source && c.Purpose == opencredit.PurposeFurnishing && c.Active(at) {
				m[p] = true
			}
		}
	}
	return m, nil
}

func (f *fakeTx) InsertEvents(_ context.Context, rows []ingest.Row) ([]bool, error) {
	if err := f.call("InsertEvents"); err != nil {
		return nil, err
	}
	ok := make([]bool, len(rows))
	for i, r := range rows {
		k := ingest.Key{Source: r.Source, ID: r.ID}
		if _, dup := f.events[k]; !dup {
			f.events[k] = r
			f.order = append(f.order, k)
			ok[i] = true
		}
	}
	return ok, nil
}

func (f *fakeTx) StoredEvents(_ context.Context, keys []ingest.Key) (map[ingest.Key]opencredit.Event, error) {
	if err := f.call("StoredEvents"); err != nil {
		return nil, err
	}
	m := map[ingest.Key]opencredit.Event{}
	for _, k := range keys {
		if r, ok := f.events[k]; ok {
			m[k] = r.Event
		}
	}
	return m, nil
}

func (f *fakeTx) LoadStates(_ context.Context, subjects []string) (map[string][]byte, error) {
	if err := f.call("LoadStates"); err != nil {
		return nil, err
	}
	m := map[string][]byte{}
	for _, s := range subjects {
		if b, ok := f.states[s]; ok {
			m[s] = b
		}
	}
	return m, nil
}

func (f *fakeTx) SaveStates(_ context.Context, states map[string][]byte, _ time.Time) error {
	if err := f.call("SaveStates"); err != nil {
		return err
	}
	maps.Copy(f.states, states)
	return nil
}

// subjectEvents lists the stored events of subject as StoredEvents.
func (f *fakeTx) subjectEvents(subject string) []opencredit.StoredEvent {
	var out []opencredit.StoredEvent
	for _, k := range f.order {
		if r := f.events[k]; r.Subject == subject {
			out = append(out, opencredit.StoredEvent{Event: r.Event, ReceivedAt: r.ReceivedAt})
		}
	}
	return out
}

var (
	now     = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	granted = now.AddDate(-1, 0, 0)
)

func mkEvent(id, source, subject, typ string, at time.Time, data any) opencredit.Event {
	raw, err := json.Marshal(data)
	if err != nil {
		panic(err)
	}
	return opencredit.Event{SpecVersion: "1.0", ID: id, Source: source, Subject: subject, Type: typ, Time: at, Data: raw}
}

func inquiry(id, source, subject string, at time.Time) opencredit.Event {
	return mkEvent(id, source, subject, opencredit.TypeInquiry, at,
		opencredit.Inquiry{Kind: "hard", Purpose: opencredit.PurposeCreditApplication})
}

func identity(id, source, subject string, at time.Time, level int) opencredit.Event {
	return mkEvent(id, source, subject, opencredit.TypeIdentityVerified, at,
		opencredit.IdentityVerified{Level: level, Method: "passport"})
}

// world has subjects s1, s2 (consented to f1), s3 (consent to f1 withdrawn),
// s4 (consent to f1 starting tomorrow) and the erased s5.
func world() *fakeTx {
	f := newFakeTx()
	for _, s := range []string{"s1", "s2", "s3", "s4"} {
		f.subjects[s] = true
	}
	withdrawn := now.Add(-time.Hour)
	f.consents = []opencredit.Consent{
		{Subject: "s1", Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: granted},
		{Subject: "s2", Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: granted},
		{Subject: "s1", Counterparty: "lender", Purpose: opencredit.PurposeCreditApplication, GrantedAt: granted},
		{Subject: "s3", Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: granted, WithdrawnAt: &withdrawn},
		{Subject: "s4", Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: now.Add(24 * time.Hour)},
	}
	return f
}

func TestBatchOutcomes(t *testing.T) {
	ctx := context.Background()
	f := world()
	past := now.AddDate(0, -2, 0)
	f.events[ingest.Key{Source: "f1", ID: "old"}] = ingest.Row{Event: inquiry("old", "f1", "s1", past)}

	bad := inquiry("e-bad", "f1", "s1", past)
	bad.Data = json.RawMessage(`{"kind":`)
	unknownType := inquiry("e-type", "f1", "s1", past)
	unknownType.Type = "org.opencredit.social.post"
	firstInvalid := inquiry("e-twice", "f1", "s2", past)
	firstInvalid.Data = json.RawMessage(`[]`)

	type want struct{ status, reason, detail string }
	cases := []struct {
		e    opencredit.Event
		want want
	}{
		{inquiry("e1", "f1", "s1", past), want{opencredit.Accepted, "", ""}},
		{bad, want{opencredit.Rejected, opencredit.ReasonInvalid, ""}},
		{unknownType, want{opencredit.Rejected, opencredit.ReasonUnknownType, ""}},
		{inquiry("e-future", "f1", "s1", now.Add(time.Hour)), want{opencredit.Rejected, opencredit.ReasonFutureTime, ""}},
		{inquiry("e-who", "f1", "nobody", past), want{opencredit.Rejected, opencredit.ReasonUnknownSubject, "subject nobody is not registered or was erased"}},
		{inquiry("e-f9", "f9", "s1", past), want{opencredit.Rejected, opencredit.ReasonNoConsent, "subject s1 has not consented to furnishing by f9"}},
		{inquiry("e-lender", "lender", "s1", past), want{opencredit.Rejected, opencredit.ReasonNoConsent, "subject s1 has not consented to furnishing by lender"}},
		{inquiry("e-withdrawn", "f1", "s3", past), want{opencredit.Rejected, opencredit.ReasonNoConsent, ""}},
		{inquiry("e-notyet", "f1", "s4", past), want{opencredit.Rejected, opencredit.ReasonNoConsent, ""}},
		{inquiry("old", "f1", "s1", past), want{opencredit.Duplicate, "", ""}},
		{inquiry("e1", "f1", "s1", past), want{opencredit.Duplicate, "", ""}},
		{inquiry("e1", "f2", "s2", past), want{opencredit.Rejected, opencredit.ReasonNoConsent, ""}}, // same id, other source
		{firstInvalid, want{opencredit.Rejected, opencredit.ReasonInvalid, ""}},
		{inquiry("e-twice", "f1", "s2", past), want{opencredit.Accepted, "", ""}},
		{identity("e2", "f1", "s2", past, 2), want{opencredit.Accepted, "", ""}},
		// The platform's own inquiry records need no furnishing consent; its other events do.
		{inquiry("p1", opencredit.PlatformSource, "s2", past), want{opencredit.Accepted, "", ""}},
		{identity("p2", opencredit.PlatformSource, "s2", past, 2), want{opencredit.Rejected, opencredit.ReasonNoConsent, ""}},
	}
	batch := make([]opencredit.Event, len(cases))
	for i, c := range cases {
		batch[i] = c.e
	}
	res, err := ingest.Batch(ctx, f, batch, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(batch) {
		t.Fatalf("%d results for %d events", len(res), len(batch))
	}
	for i, c := range cases {
		r := res[i]
		if r.Status != c.want.status || r.Reason != c.want.reason {
			t.Errorf("event %d (%s): got %s/%s (%s), want %s/%s", i, c.e.ID, r.Status, r.Reason, r.Detail, c.want.status, c.want.reason)
		}
		if c.want.detail != "" && r.Detail != c.want.detail {
			t.Errorf("event %d (%s): detail %q, want %q", i, c.e.ID, r.Detail, c.want.detail)
		}
		if r.Status == opencredit.Rejected && r.Detail == "" {
			t.Errorf("event %d (%s): rejected without detail", i, c.e.ID)
		}
	}
	if len(f.events) != 5 {
		t.Errorf("store holds %d events, want 5 (old, e1, e-twice, e2, p1)", len(f.events))
	}
	if r := f.events[ingest.Key{Source: "f1", ID: "e1"}]; !r.ReceivedAt.Equal(now) {
		t.Errorf("received_at = %v, want %v", r.ReceivedAt, now)
	}
	if _, ok := f.states["s3"]; ok {
		t.Error("a rejected subject got a feature state")
	}
	// Live state equals a recomputation from the stored events: s2 has e-twice and e2.
	for _, s := range []string{"s2"} {
		assertStateIsRecomputation(t, f, s)
	}
}

func TestBatchDetailNamesThePath(t *testing.T) {
	f := world()
	e := mkEvent("x", "f1", "s1", opencredit.TypeIdentityVerified, now.AddDate(0, -1, 0), map[string]any{"level": "high", "method": "x"})
	res, err := ingest.Batch(context.Background(), f, []opencredit.Event{e}, now)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Reason != opencredit.ReasonInvalid || !strings.Contains(res[0].Detail, "level") {
		t.Errorf("got %+v, want invalid naming the field level", res[0])
	}
}

func TestBatchEmptyAndAllRejected(t *testing.T) {
	f := world()
	res, err := ingest.Batch(context.Background(), f, nil, now)
	if err != nil || len(res) != 0 {
		t.Fatalf("empty batch: %v, %v", res, err)
	}
	res, err = ingest.Batch(context.Background(), f, []opencredit.Event{inquiry("a", "f9", "s1", granted)}, now)
	if err != nil || res[0].Status != opencredit.Rejected {
		t.Fatalf("got %v, %v", res, err)
	}
	if slices.Contains(f.calls, "InsertEvents") || slices.Contains(f.calls, "SaveStates") {
		t.Errorf("a batch with nothing accepted wrote: calls %v", f.calls)
	}
}

func TestBatchReportsStoreErrors(t *testing.T) {
	for _, m := range []string{"KnownSubjects", "FurnishingConsents", "InsertEvents", "LoadStates", "SaveStates"} {
		f := world()
		f.fail = m
		_, err := ingest.Batch(context.Background(), f, []opencredit.Event{inquiry("a", "f1", "s1", granted)}, now)
		if !errors.Is(err, errInjected) {
			t.Errorf("%s failing: err = %v", m, err)
		}
	}
	// StoredEvents is asked only when an event was stored before.
	f := world()
	if _, err := ingest.Batch(context.Background(), f, []opencredit.Event{inquiry("a", "f1", "s1", granted)}, now); err != nil {
		t.Fatal(err)
	}
	f.fail = "StoredEvents"
	_, err := ingest.Batch(context.Background(), f, []opencredit.Event{inquiry("a", "f1", "s1", granted)}, now)
	if !errors.Is(err, errInjected) {
		t.Errorf("StoredEvents failing: err = %v", err)
	}
}

func TestBatchRejectsCorruptState(t *testing.T) {
	f := world()
	f.states["s1"] = []byte("not a state")
	_, err := ingest.Batch(context.Background(), f, []opencredit.Event{inquiry("a", "f1", "s1", granted)}, now)
	if err == nil || !strings.Contains(err.Error(), "s1") {
		t.Fatalf("err = %v, want one naming subject s1", err)
	}
}

// generated returns a generated stream with its subjects registered and
// consents granted in a fresh fakeTx.
func generated(t *testing.T, seed uint64) (*fakeTx, []opencredit.Event, []string) {
	t.Helper()
	g := eventgen.NewGenerator(eventgen.GenConfig{Seed: seed, Subjects: 40, Furnishers: 4, Start: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), Months: 30})
	f := newFakeTx()
	for _, s := range g.SubjectIDs() {
		f.subjects[s] = true
	}
	f.consents = g.Consents()
	var events []opencredit.Event
	for {
		e, ok := g.Next()
		if !ok {
			break
		}
		events = append(events, e)
	}
	if len(events) == 0 {
		t.Fatal("the generator made no events")
	}
	return f, events, g.SubjectIDs()
}

// TestBatchOrderDoesNotMatter ingests a generated stream in order in one
// fake, and shuffled with repeats in random batches in another; every
// subject's state must be equal in both and equal to a recomputation.
func TestBatchOrderDoesNotMatter(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			inOrder, events, subjects := generated(t, seed)
			shuffled, _, _ := generated(t, seed)
			rng := rand.New(rand.NewPCG(seed, 99))

			res, err := ingest.Batch(context.Background(), inOrder, events, now)
			if err != nil {
				t.Fatal(err)
			}
			accepted := 0
			for _, r := range res {
				if r.Status == opencredit.Accepted {
					accepted++
				}
			}

			mixed := slices.Clone(events)
			for range len(events) / 10 { // resend a tenth
				mixed = append(mixed, events[rng.IntN(len(events))])
			}
			rng.Shuffle(len(mixed), func(i, j int) { mixed[i], mixed[j] = mixed[j], mixed[i] })
			accepted2 := 0
			for len(mixed) > 0 {
				n := min(len(mixed), 1+rng.IntN(200))
				res, err := ingest.Batch(context.Background(), shuffled, mixed[:n], now)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range res {
					if r.Status == opencredit.Accepted {
						accepted2++
					}
				}
				mixed = mixed[n:]
			}
			if accepted != accepted2 {
				t.Fatalf("accepted %d in order, %d shuffled with repeats", accepted, accepted2)
			}
			for _, s := range subjects {
				a, b := decode(t, inOrder.states[s]), decode(t, shuffled.states[s])
				if !a.Equal(b) {
					t.Fatalf("seed %d: subject %s: states differ between in-order and shuffled ingestion", seed, s)
				}
				assertStateIsRecomputation(t, inOrder, s)
			}
		})
	}
}

func TestRebuildSkipsSuppressed(t *testing.T) {
	at := now.AddDate(0, -3, 0)
	a := opencredit.StoredEvent{Event: identity("a", "f1", "s1", at, 1)}
	b := opencredit.StoredEvent{Event: identity("b", "f1", "s1", at.AddDate(0, 1, 0), 3), Suppressed: true}
	withB, err := ingest.RebuildState([]opencredit.StoredEvent{a, {Event: b.Event}})
	if err != nil {
		t.Fatal(err)
	}
	withoutB, err := ingest.RebuildState([]opencredit.StoredEvent{a, b})
	if err != nil {
		t.Fatal(err)
	}
	onlyA, err := features.Recompute([]opencredit.Event{a.Event})
	if err != nil {
		t.Fatal(err)
	}
	if !withoutB.Equal(onlyA) {
		t.Error("a suppressed event counted")
	}
	if withB.Equal(onlyA) {
		t.Error("an unsuppressed event did not count")
	}
	blob, err := ingest.Rebuild([]opencredit.StoredEvent{a, b})
	if err != nil {
		t.Fatal(err)
	}
	v1, err := ingest.Features(blob, "s1", now, features.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	v2 := onlyA.Compute("s1", now, features.DefaultConfig())
	if !maps.Equal(v1.Values, v2.Values) {
		t.Errorf("Features from the blob %v, from the state %v", v1.Values, v2.Values)
	}
	if _, err := ingest.Features(nil, "s1", now, features.DefaultConfig()); err != nil {
		t.Errorf("Features of no state: %v", err)
	}
}

func decode(t *testing.T, b []byte) *features.State {
	t.Helper()
	st := features.NewState()
	if b != nil {
		if err := st.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func assertStateIsRecomputation(t *testing.T, f *fakeTx, subject string) {
	t.Helper()
	want, err := ingest.RebuildState(f.subjectEvents(subject))
	if err != nil {
		t.Fatal(err)
	}
	if !decode(t, f.states[subject]).Equal(want) {
		t.Fatalf("subject %s: live state differs from a recomputation from its events", subject)
	}
}
