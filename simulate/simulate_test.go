package simulate

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventjson"
	"github.com/opencredit/opencredit/features"
)

func newSim(t testing.TB, cfg Config) *Simulator {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFeatureCount keeps the tests' feature indexes in step with the
// registry.
func TestFeatureCount(t *testing.T) {
	if len(features.Registry) != nFeatures {
		t.Fatalf("features.Registry has %d features; the tests assume %d", len(features.Registry), nFeatures)
	}
	for i, name := range map[int]string{fWorstDPD: features.WorstDaysPastDue24m, fUtilisation: features.RevolvingUtilisation,
		fHardInq12m: features.HardInquiries12m, fBillsOnTime: features.BillsOnTimeRatio12m} {
		if features.Registry[i].Name != name {
			t.Errorf("feature %d is %s, not %s", i, features.Registry[i].Name, name)
		}
	}
}

// TestEventsValid checks every event of 1,500 people over 24 months: it
// passes event.Validate and Decode reads its JSON back the same; it is in
// [Start, End), in time order within the person, about the person; ids
// are unique per source; every (subject, source) has a furnishing consent
// granted no later than its first event and not before Start; and every
// event type occurs.
func TestEventsValid(t *testing.T) {
	const seed = 7
	s := newSim(t, Config{Subjects: 1500, Months: 24, Seed: seed, End: testEnd})
	start, end := s.Start(), s.End()
	if want := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); !start.Equal(want) {
		t.Fatalf("Start = %v, want %v", start, want)
	}
	ids := map[[2]string]bool{}
	types := map[string]int{}
	known := map[string]bool{}
	for _, f := range FurnisherIDs() {
		known[f] = true
	}
	total := 0
	err := s.Run(context.Background(), 0, func(p Person) error {
		if p.ID != SubjectID(p.Index) {
			t.Fatalf("seed %d: person %d has id %q", seed, p.Index, p.ID)
		}
		first := map[string]time.Time{}
		var last time.Time
		for k := range p.Events {
			e := &p.Events[k]
			if _, prob := eventjson.Validate(e, end); prob != nil {
				t.Fatalf("seed %d: %s event %s is invalid: %v\n%s", seed, p.ID, e.ID, prob, e.Data)
			}
			if k%7 == 0 { // a sample through the strict decoder too
				b, _ := json.Marshal(e)
				d, _, prob := eventjson.Decode(b, end)
				if prob != nil || !d.Time.Equal(e.Time) || string(d.Data) != string(e.Data) || d.ID != e.ID {
					t.Fatalf("seed %d: event %s does not decode as written: %v\n%s", seed, e.ID, prob, b)
				}
			}
			if e.Time.Before(start) || !e.Time.Before(end) || e.Time.Before(last) {
				t.Fatalf("seed %d: %s event %s at %v, after %v, outside [%v, %v)", seed, p.ID, e.ID, e.Time, last, start, end)
			}
			last = e.Time
			if e.Subject != p.ID || !known[e.Source] {
				t.Fatalf("seed %d: event %s has subject %q, source %q", seed, e.ID, e.Subject, e.Source)
			}
			key := [2]string{e.Source, e.ID}
			if ids[key] {
				t.Fatalf("seed %d: event id %v twice", seed, key)
			}
			ids[key] = true
			types[e.Type]++
			if _, ok := first[e.Source]; !ok {
				first[e.Source] = e.Time
			}
		}
		if len(p.Consents) != len(first) {
			t.Fatalf("seed %d: %s has %d consents for %d sources", seed, p.ID, len(p.Consents), len(first))
		}
		for _, c := range p.Consents {
			f, ok := first[c.Counterparty]
			if err := c.Validate(); err != nil || !ok || c.Subject != p.ID || c.Purpose != opencredit.PurposeFurnishing ||
				c.GrantedAt.After(f) || c.GrantedAt.Before(start) || c.WithdrawnAt != nil {
				t.Fatalf("seed %d: consent %+v (first event %v, %v)", seed, c, f, err)
			}
		}
		total += len(p.Events)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range opencredit.EventTypes {
		if types[typ] == 0 {
			t.Errorf("seed %d: no %s event", seed, typ)
		}
	}
	t.Logf("%d events, %.0f per person; by type: %v", total, float64(total)/1500, types)
}

// ndjson runs s with workers and returns the SHA-256 of the NDJSON of every
// event, with the people in emitted order.
func ndjson(t *testing.T, s *Simulator, workers int) ([32]byte, []string) {
	t.Helper()
	h := sha256.New()
	var order []string
	var buf []byte
	err := s.Run(context.Background(), workers, func(p Person) error {
		order = append(order, p.ID)
		buf = p.AppendNDJSON(buf[:0])
		h.Write(buf)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return [32]byte(h.Sum(nil)), order
}

// TestDeterminism: the same Config gives the same bytes whatever the
// number of workers; Run emits Person(i) in index order; person i does not
// depend on how many people there are, nor on AuditGroup; another seed
// gives other events.
func TestDeterminism(t *testing.T) {
	cfg := Config{Subjects: 300, Months: 18, Seed: 42, End: testEnd}
	s := newSim(t, cfg)
	one, order := ndjson(t, s, 1)
	for i, id := range order {
		if id != SubjectID(i) {
			t.Fatalf("Run emitted %s as person %d", id, i)
		}
	}
	if three, _ := ndjson(t, newSim(t, cfg), 3); three != one {
		t.Error("three workers gave other bytes than one")
	}
	audit := cfg
	audit.AuditGroup = true
	if a, _ := ndjson(t, newSim(t, audit), 2); a != one {
		t.Error("AuditGroup changed the events")
	}
	other := cfg
	other.Seed++
	if o, _ := ndjson(t, newSim(t, other), 2); o == one {
		t.Error("seed 43 gave the same bytes as seed 42")
	}

	var fromRun Person
	err := s.Run(context.Background(), 2, func(p Person) error {
		if p.Index == 123 {
			fromRun = p
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromRun, s.Person(123)) {
		t.Error("Person(123) differs from the 124th person Run emitted")
	}
	few := cfg
	few.Subjects = 124
	if !reflect.DeepEqual(newSim(t, few).Person(123), fromRun) {
		t.Error("person 123 depends on the number of people")
	}
}

// TestRunStops: an error from emit stops Run and is returned; so is a
// cancelled context.
func TestRunStops(t *testing.T) {
	s := newSim(t, Config{Subjects: 10_000, Months: 3, Seed: 1, End: testEnd})
	stop := errors.New("stop")
	n := 0
	err := s.Run(context.Background(), 2, func(p Person) error {
		n++
		if n == 5 {
			return stop
		}
		return nil
	})
	if err != stop || n != 5 {
		t.Errorf("Run returned %v after %d people, want stop after 5", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = s.Run(ctx, 2, func(p Person) error {
		if n++; n == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 3 {
		t.Errorf("Run returned %v after %d people, want context.Canceled after 3", err, n)
	}
}

func TestPersonOutOfRange(t *testing.T) {
	s := newSim(t, Config{Subjects: 2, Months: 1, Seed: 1, End: testEnd})
	for _, i := range []int{-1, 2} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "simulate:") {
					t.Errorf("Person(%d) did not panic with a simulate: message: %v", i, r)
				}
			}()
			s.Person(i)
		}()
	}
}

// TestEncodingMatchesEncodingJSON: the hand-written payloads and NDJSON are
// byte for byte what encoding/json writes.
func TestEncodingMatchesEncodingJSON(t *testing.T) {
	s := newSim(t, Config{Subjects: 200, Months: 24, Seed: 3, End: testEnd})
	for i := range 200 {
		p := s.Person(i)
		var want []byte
		for _, e := range p.Events {
			payload, err := eventjson.Payload(e)
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := json.Marshal(payload); string(b) != string(e.Data) {
				t.Fatalf("%s data\n got %s\nwant %s", e.ID, e.Data, b)
			}
			b, _ := json.Marshal(e)
			want = append(append(want, b...), '\n')
		}
		if got := p.AppendNDJSON(nil); string(got) != string(want) {
			t.Fatalf("%s: AppendNDJSON differs from encoding/json", p.ID)
		}
	}
	// The fallbacks, for strings and numbers the simulator never makes.
	for _, v := range []string{`a"b`, "x<y&z>", "é", "tab\t"} {
		want, _ := json.Marshal(v)
		if got := appendString(nil, v); string(got) != string(want) {
			t.Errorf("appendString(%q) = %s, want %s", v, got, want)
		}
	}
	for _, v := range []float64{0, 1, 0.1, 1234.56, 1e-7, 1e21, 123456789012, -2.5} {
		want, _ := json.Marshal(v)
		if got := appendFloat(nil, v); string(got) != string(want) {
			t.Errorf("appendFloat(%g) = %s, want %s", v, got, want)
		}
	}
}

// TestConfigValidate: each bad field gets an EINVALID error naming it.
func TestConfigValidate(t *testing.T) {
	good := Config{Subjects: 10, Months: 24, Seed: 1, End: testEnd}
	for _, c := range []struct {
		field string
		edit  func(*Config)
	}{
		{"Subjects", func(c *Config) { c.Subjects = 0 }},
		{"Subjects", func(c *Config) { c.Subjects = MaxSubjects + 1 }},
		{"Months", func(c *Config) { c.Months = 0 }},
		{"Months", func(c *Config) { c.Months = MaxMonths + 1 }},
		{"End", func(c *Config) { c.End = time.Time{} }},
		{"End", func(c *Config) { c.End = testEnd.Add(time.Hour) }},
		{"End", func(c *Config) { c.End = time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC) }},
		{"End", func(c *Config) { c.End = time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600)) }},
		{"End", func(c *Config) { c.End = time.Date(2201, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"Months", func(c *Config) { c.End = time.Date(1971, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"Currency", func(c *Config) { c.Currency = "eur" }},
		{"ShockScale", func(c *Config) { c.ShockScale = -1 }},
		{"ShockScale", func(c *Config) { c.ShockScale = 11 }},
	} {
		cfg := good
		c.edit(&cfg)
		_, err := New(cfg)
		var oe *opencredit.Error
		if !errors.As(err, &oe) || oe.Code != opencredit.EINVALID || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%+v: error %v, want EINVALID naming %s", cfg, err, c.field)
		}
	}
	// Another zone is fine when it names the same instant.
	ok := good
	ok.End = testEnd.In(time.FixedZone("CET", 3600))
	ok.Currency, ok.ShockScale = "USD", 2
	if s, err := New(ok); err != nil || !s.End().Equal(testEnd) || s.Config().Currency != "USD" {
		t.Errorf("New(%+v) = %v", ok, err)
	}
	if s, _ := New(good); s.Config().Currency != "EUR" || s.Config().ShockScale != 1 {
		t.Errorf("defaults: %+v", s.Config())
	}
	if got := DefaultEnd(time.Date(2026, 3, 17, 23, 30, 0, 0, time.FixedZone("", -5*3600))); !got.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) {
		// 23:30 at UTC−5 is 04:30 UTC on the 18th: still March.
		t.Errorf("DefaultEnd = %v", got)
	}
}

// TestShockScale: a downturn makes more defaults.
func TestShockScale(t *testing.T) {
	bad := func(scale float64) int {
		s := newSim(t, Config{Subjects: 1500, Months: 12, Seed: 5, End: testEnd, ShockScale: scale})
		n := 0
		for i := range 1500 {
			p := s.Person(i)
			if b, err := features.Adverse(p.Events, s.Start(), s.End()); err != nil {
				t.Fatal(err)
			} else if b {
				n++
			}
		}
		return n
	}
	calm, downturn := bad(0.5), bad(3)
	if downturn < calm*3/2 {
		t.Errorf("seed 5: %d people defaulted with ShockScale 3, %d with 0.5", downturn, calm)
	}
}
