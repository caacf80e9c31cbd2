package eventgen

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/opencredit/opencredit"
)

// GenConfig configures a Generator. Subjects and Months may be 0 (no
// events); Furnishers must be at least 1 and Start not before 1970.
type GenConfig struct {
	Seed       uint64
	Subjects   int
	Furnishers int
	Start      time.Time // taken in UTC
	Months     int
}

// End returns the end of the generated history: no event is at or after it.
func (c GenConfig) End() time.Time { return c.Start.UTC().AddDate(0, c.Months, 0) }

// Generator makes valid random events about made-up subjects: a plausible
// but simple process, described in docs/events.md. The same configuration always
// gives the same events, byte for byte.
type Generator struct {
	cfg        GenConfig
	start      time.Time
	furnishers []string
	serving    [nRoles][]int // the furnishers that serve each role
	lives      []*life
	counters   []uint64 // the last event id of each furnisher
	month      int      // the next month to generate
	buf        []pending
	next       int // the next event of buf
}

// pending is a generated event before its envelope is written.
type pending struct {
	t       int64 // Unix seconds
	subject int32
	seq     int32 // order within the subject's month
	source  int32
	typ     string
	data    any
}

// NewGenerator returns a generator for cfg. It panics on a configuration
// that cannot make valid events.
func NewGenerator(cfg GenConfig) *Generator {
	switch {
	case cfg.Subjects < 0 || cfg.Months < 0:
		panic("event: GenConfig.Subjects and Months must not be negative")
	case cfg.Furnishers < 1:
		panic("event: GenConfig.Furnishers must be at least 1")
	case cfg.Start.Before(time.Unix(0, 0)):
		panic("event: GenConfig.Start must not be before 1970")
	}
	g := &Generator{cfg: cfg, start: cfg.Start.UTC(), counters: make([]uint64, cfg.Furnishers)}
	width := max(2, len(strconv.Itoa(cfg.Furnishers)))
	for f := range cfg.Furnishers {
		g.furnishers = append(g.furnishers, fmt.Sprintf("furnisher-%0*d", width, f+1))
	}
	// Furnisher f serves role f mod nRoles; with fewer furnishers than
	// roles, some serve several.
	for r := range nRoles {
		for f := r; f < cfg.Furnishers; f += nRoles {
			g.serving[r] = append(g.serving[r], f)
		}
		if g.serving[r] == nil {
			g.serving[r] = []int{r % cfg.Furnishers}
		}
	}
	width = max(7, len(strconv.Itoa(cfg.Subjects)))
	g.lives = make([]*life, cfg.Subjects)
	for i := range g.lives {
		g.lives[i] = newLife(g, i, fmt.Sprintf("s%0*d", width, i+1))
	}
	return g
}

// SubjectIDs returns the subjects' ids, "s0000001" onwards.
func (g *Generator) SubjectIDs() []string {
	ids := make([]string, len(g.lives))
	for i, l := range g.lives {
		ids[i] = l.id
	}
	return ids
}

// FurnisherIDs returns the furnishers' ids, "furnisher-01" onwards: the
// sources of the events.
func (g *Generator) FurnisherIDs() []string { return slices.Clone(g.furnishers) }

// Consents returns the furnishing consents the events need: from each
// subject to each furnisher the subject deals with, granted at Start. The
// set is fixed when the generator is made, so it includes the collection
// agency and the court registry assigned to each subject, which send events
// only if the subject defaults or is taken to court.
func (g *Generator) Consents() []opencredit.Consent {
	var cs []opencredit.Consent
	for _, l := range g.lives {
		var seen []int
		for _, f := range l.furnisher {
			if f >= 0 && !slices.Contains(seen, int(f)) {
				seen = append(seen, int(f))
			}
		}
		slices.Sort(seen)
		for _, f := range seen {
			cs = append(cs, opencredit.Consent{Subject: l.id, Counterparty: g.furnishers[f],
				Purpose: opencredit.PurposeFurnishing, GrantedAt: g.start})
		}
	}
	return cs
}

// Next returns the next event, in non-decreasing time order, and false when
// there are no more. Events are made a month at a time, so memory grows
// with the number of subjects, not of months.
func (g *Generator) Next() (opencredit.Event, bool) {
	for g.next >= len(g.buf) {
		if g.month >= g.cfg.Months {
			return opencredit.Event{}, false
		}
		g.fill()
	}
	p := &g.buf[g.next]
	g.next++
	data, err := json.Marshal(p.data)
	if err != nil {
		panic("event: encoding a generated payload: " + err.Error())
	}
	g.counters[p.source]++
	e := opencredit.Event{
		SpecVersion:     opencredit.SpecVersion,
		ID:              "e" + strconv.FormatUint(g.counters[p.source], 10),
		Source:          g.furnishers[p.source],
		Type:            p.typ,
		Subject:         g.lives[p.subject].id,
		Time:            time.Unix(p.t, 0).UTC(),
		DataContentType: opencredit.DataContentType,
		Data:            data,
	}
	*p = pending{} // let the payload go
	return e, true
}

// fill makes the events of the next month, sorted by time.
func (g *Generator) fill() {
	from := g.start.AddDate(0, g.month, 0)
	to := g.start.AddDate(0, g.month+1, 0)
	g.buf, g.next = g.buf[:0], 0
	for _, l := range g.lives {
		m := month{g: g, l: l, index: g.month, from: from, to: to}
		m.run()
	}
	slices.SortFunc(g.buf, func(a, b pending) int {
		if c := cmp.Compare(a.t, b.t); c != 0 {
			return c
		}
		if c := cmp.Compare(a.subject, b.subject); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	g.month++
}

// newRand returns the random source of subject i: one stream per subject,
// so that a subject's history does not depend on how many others there are.
func newRand(seed uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, splitmix(uint64(i)+1)))
}

// splitmix is SplitMix64's output function, which spreads small integers
// over 64 bits.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// Sample returns the first n events of the stream cfg describes, with as many
// months as n needs (cfg.Months is ignored: the first month is generated once
// to measure its size), and the generator, whose SubjectIDs and Consents go
// with the events. Fewer than n events come back only if the stream ends
// within 100 years. Benchmarks use it to get a workload of a given size.
func Sample(cfg GenConfig, n int) ([]opencredit.Event, *Generator) {
	probe := cfg
	probe.Months = 1
	perMonth := 0
	for g := NewGenerator(probe); ; perMonth++ {
		if _, ok := g.Next(); !ok {
			break
		}
	}
	cfg.Months = 1200
	if perMonth > 0 {
		cfg.Months = min(n/perMonth+2, 1200)
	}
	g := NewGenerator(cfg)
	events := make([]opencredit.Event, 0, n)
	for len(events) < n {
		e, ok := g.Next()
		if !ok {
			break
		}
		events = append(events, e)
	}
	return events, g
}

// Months returns the number of months the generator's stream spans.
func (g *Generator) Months() int { return g.cfg.Months }
