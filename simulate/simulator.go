package simulate

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/opencredit/opencredit"
)

// Simulator makes the people of a Config, one at a time or in parallel.
// It holds no population: a person is made when asked for, from the seed
// and the person's index only.
type Simulator struct {
	cfg    Config
	cur    string
	start  time.Time
	bounds []int64 // Unix seconds: month m runs [bounds[m+burnIn], bounds[m+burnIn+1])
}

// Person is one simulated person: an id, the events about them in time
// order, and the furnishing consents those events need.
type Person struct {
	Index int    // 0 to Subjects − 1
	ID    string // the subject id, SubjectID(Index)
	// Group is the audit-only group label, "A" or "B", when
	// Config.AuditGroup is set, and "" otherwise. It is correlated with the
	// person's latent income so that a fairness report has a difference to
	// show; it is not written into any event and nothing depends on it.
	Group string
	// Events are the person's events in non-decreasing time order, all in
	// [Start, End), with ids "<ID>-e1" onwards: unique per source.
	Events []opencredit.Event
	// Consents are the furnishing consents the events need: one per
	// furnisher that sent an event, granted at the start of the day of its
	// first event.
	Consents []opencredit.Consent
}

// New returns a simulator for cfg, or an EINVALID *opencredit.Error
// naming the field of cfg that is wrong.
func New(cfg Config) (*Simulator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	s := &Simulator{cfg: cfg, cur: cfg.Currency, start: cfg.End.AddDate(0, -cfg.Months, 0)}
	for m := -burnIn; m <= cfg.Months; m++ {
		s.bounds = append(s.bounds, s.start.AddDate(0, m, 0).Unix())
	}
	return s, nil
}

// Config returns the configuration, with its defaults filled in.
func (s *Simulator) Config() Config { return s.cfg }

// Start returns the start of the simulated period: End minus Months. No
// event is before it.
func (s *Simulator) Start() time.Time { return s.start }

// End returns the end of the simulated period. Every event is before it.
func (s *Simulator) End() time.Time { return s.cfg.End }

// SubjectID returns the id of person i: "sim-0000001" for i = 0, with at
// least seven digits.
func SubjectID(i int) string { return fmt.Sprintf("sim-%07d", i+1) }

// FurnisherIDs returns the ids of the furnishers that send the events,
// "sim-bank-1" onwards: banks, BNPL providers, utilities, telecoms,
// landlords, rental services, an identity and income verifier, collection
// agencies and a court registry.
func FurnisherIDs() []string { return slices.Clone(furnisherIDs) }

// Person returns person i, 0 ≤ i < Subjects. It depends only on the seed,
// i and the period, so people can be made in any order, in parallel. It
// panics when i is out of range.
func (s *Simulator) Person(i int) Person {
	if i < 0 || i >= s.cfg.Subjects {
		panic(fmt.Sprintf("simulate: person %d of %d", i, s.cfg.Subjects))
	}
	return s.life(i, nil)
}

// life simulates person i, calling watch, when not nil, after every month
// (tests read the latent state through it).
func (s *Simulator) life(i int, watch func(*person)) Person {
	p := newPerson(s, i)
	for m := -burnIn; m < s.cfg.Months; m++ {
		p.month(m)
		if watch != nil {
			watch(p)
		}
	}
	return p.finish(i)
}

// Run makes every person with workers goroutines (GOMAXPROCS when workers
// ≤ 0) and calls emit with each, one at a time, in index order, so the
// output is the same whatever the number of workers. At most a few people
// per worker are held at once. Run stops at the first error emit returns,
// or when ctx is done, and returns that error.
func (s *Simulator) Run(ctx context.Context, workers int, emit func(Person) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type job struct {
		i   int
		out chan Person
	}
	// jobs feeds the workers; order hands the same jobs to the emitting
	// loop in index order. Its capacity bounds how far the workers run
	// ahead of emit.
	jobs := make(chan job)
	order := make(chan job, 4*workers)
	go func() {
		defer close(jobs)
		defer close(order)
		for i := range s.cfg.Subjects {
			j := job{i: i, out: make(chan Person, 1)}
			select {
			case order <- j:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range workers {
		go func() {
			for j := range jobs {
				j.out <- s.Person(j.i)
			}
		}()
	}
	emitted := 0
	for j := range order {
		var p Person
		select {
		case p = <-j.out:
		case <-ctx.Done():
		}
		if err := ctx.Err(); err != nil {
			return err // nobody is emitted once ctx is done
		}
		if err := emit(p); err != nil {
			return err
		}
		emitted++
	}
	if emitted < s.cfg.Subjects {
		return ctx.Err()
	}
	return nil
}
