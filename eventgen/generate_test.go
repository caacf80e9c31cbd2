package eventgen

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventjson"
)

var genStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// TestGeneratorEventsAreValid checks every generated event of a few
// configurations against Decode, and the stream's promises: time order,
// ids unique per source, consent for every (subject, source), every type.
func TestGeneratorEventsAreValid(t *testing.T) {
	for _, cfg := range []GenConfig{
		{Seed: 1, Subjects: 400, Furnishers: 10, Start: genStart, Months: 24},
		{Seed: 2, Subjects: 30, Furnishers: 1, Start: time.Date(2023, 1, 31, 23, 30, 0, 0, time.UTC), Months: 14},
		{Seed: 3, Subjects: 30, Furnishers: 4, Start: time.Date(1970, 1, 1, 0, 0, 0, 0, time.FixedZone("", -3600)), Months: 3},
		{Seed: 4, Subjects: 30, Furnishers: 25, Start: genStart, Months: 6},
	} {
		t.Run(fmt.Sprintf("seed=%d", cfg.Seed), func(t *testing.T) { checkStream(t, cfg) })
	}
}

func checkStream(t *testing.T, cfg GenConfig) {
	g := NewGenerator(cfg)
	now := cfg.End().AddDate(0, 0, 1)
	consented := map[[2]string]bool{}
	for _, c := range g.Consents() {
		if c.Purpose != opencredit.PurposeFurnishing || !c.GrantedAt.Equal(cfg.Start) || c.WithdrawnAt != nil {
			t.Fatalf("consent %+v", c)
		}
		consented[[2]string{c.Subject, c.Counterparty}] = true
	}
	subjects, furnishers := g.SubjectIDs(), g.FurnisherIDs()
	if len(subjects) != cfg.Subjects || subjects[0] != "s0000001" || len(furnishers) != cfg.Furnishers {
		t.Fatalf("subjects %v…, furnishers %v", subjects[:1], furnishers)
	}
	ids := map[[2]string]bool{}
	types := map[string]int{}
	var last time.Time
	n := 0
	for {
		e, ok := g.Next()
		if !ok {
			break
		}
		n++
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		d, p, prob := eventjson.Decode(b, now)
		if prob != nil {
			t.Fatalf("event %d does not decode: %v\n%s", n, prob, b)
		}
		if !sameJSON(d, e) {
			t.Fatalf("event %d decodes as %+v", n, d)
		}
		if q, err := eventjson.Payload(e); err != nil || !reflect.DeepEqual(p, q) {
			t.Fatalf("event %d: Payload = %#v, %v; Decode gave %#v", n, q, err, p)
		}
		if e.Time.Before(last) || e.Time.Before(cfg.Start) || !e.Time.Before(cfg.End()) {
			t.Fatalf("event %d at %v after %v, outside %v–%v", n, e.Time, last, cfg.Start, cfg.End())
		}
		last = e.Time
		key := [2]string{e.Source, e.ID}
		if ids[key] {
			t.Fatalf("event id %v twice", key)
		}
		ids[key] = true
		if !consented[[2]string{e.Subject, e.Source}] {
			t.Fatalf("no consent from %s to %s", e.Subject, e.Source)
		}
		types[e.Type]++
	}
	if cfg.Subjects >= 400 {
		for _, typ := range opencredit.EventTypes {
			if types[typ] == 0 {
				t.Errorf("no %s among %d events", typ, n)
			}
		}
		t.Logf("%d events: %v", n, types)
	}
	if _, ok := g.Next(); ok {
		t.Error("an event after the end")
	}
}

// streamHash hashes the encoded events of cfg.
func streamHash(t *testing.T, cfg GenConfig) [32]byte {
	h := sha256.New()
	g := NewGenerator(cfg)
	for e, ok := g.Next(); ok; e, ok = g.Next() {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		h.Write(b)
		h.Write([]byte{'\n'})
	}
	cs, _ := json.Marshal(g.Consents())
	h.Write(cs)
	return [32]byte(h.Sum(nil))
}

func TestGeneratorDeterministic(t *testing.T) {
	cfg := GenConfig{Seed: 7, Subjects: 60, Furnishers: 10, Start: genStart, Months: 12}
	a, b := streamHash(t, cfg), streamHash(t, cfg)
	if a != b {
		t.Error("the same seed gave different streams")
	}
	cfg.Seed = 8
	if streamHash(t, cfg) == a {
		t.Error("another seed gave the same stream")
	}
}

// TestGeneratorSubjectsIndependent checks that a subject's events do not
// depend on how many other subjects there are.
func TestGeneratorSubjectsIndependent(t *testing.T) {
	first := func(subjects int) []string {
		g := NewGenerator(GenConfig{Seed: 5, Subjects: subjects, Furnishers: 10, Start: genStart, Months: 6})
		var out []string
		for e, ok := g.Next(); ok; e, ok = g.Next() {
			if e.Subject == "s0000001" {
				out = append(out, e.Type+" "+e.Time.String()+" "+string(e.Data))
			}
		}
		return out
	}
	if a, b := first(1), first(50); !slices.Equal(a, b) || len(a) == 0 {
		t.Errorf("subject 1 has %d events alone and %d among 50", len(a), len(b))
	}
}

// TestGeneratorMemory checks that the state kept between months stays
// bounded over a long history.
func TestGeneratorMemory(t *testing.T) {
	const subjects = 50
	g := NewGenerator(GenConfig{Seed: 9, Subjects: subjects, Furnishers: 10, Start: genStart, Months: 240})
	most := 0
	for _, ok := g.Next(); ok; _, ok = g.Next() {
		most = max(most, len(g.buf))
	}
	if most > 30*subjects {
		t.Errorf("a month held %d events for %d subjects", most, subjects)
	}
	for _, l := range g.lives {
		if len(l.accounts) > maxOpen || len(l.bills) > 3 {
			t.Errorf("%s holds %d accounts and %d bills", l.id, len(l.accounts), len(l.bills))
		}
	}
}

func TestGeneratorEmptyAndInvalid(t *testing.T) {
	for _, cfg := range []GenConfig{
		{Subjects: 0, Furnishers: 1, Start: genStart, Months: 12},
		{Subjects: 10, Furnishers: 1, Start: genStart, Months: 0},
	} {
		if _, ok := NewGenerator(cfg).Next(); ok {
			t.Errorf("%+v: an event", cfg)
		}
	}
	for _, cfg := range []GenConfig{
		{Subjects: 1, Furnishers: 0, Start: genStart, Months: 1},
		{Subjects: -1, Furnishers: 1, Start: genStart, Months: 1},
		{Subjects: 1, Furnishers: 1, Months: 1},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%+v: no panic", cfg)
				}
			}()
			NewGenerator(cfg)
		}()
	}
}

func TestSample(t *testing.T) {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	events, g := Sample(GenConfig{Seed: 4, Subjects: 50, Furnishers: 3, Start: start}, 2000)
	if len(events) != 2000 || g.Months() < 2 {
		t.Fatalf("%d events over %d months", len(events), g.Months())
	}
	// The same seed gives the same sample; the events are the stream's first.
	again, _ := Sample(GenConfig{Seed: 4, Subjects: 50, Furnishers: 3, Start: start}, 2000)
	if events[1999].ID != again[1999].ID || events[1999].Source != again[1999].Source {
		t.Error("Sample is not deterministic")
	}
	full := NewGenerator(GenConfig{Seed: 4, Subjects: 50, Furnishers: 3, Start: start, Months: g.Months()})
	for i := range 100 {
		e, _ := full.Next()
		if e.ID != events[i].ID || e.Source != events[i].Source {
			t.Fatalf("event %d differs from the stream's", i)
		}
	}
}

// sameJSON reports whether a and b encode alike (time.Time values with
// equal instants and offsets but distinct *Location compare unequal with
// reflect.DeepEqual).
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}
