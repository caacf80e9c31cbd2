package simulate_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/simulate"
	"github.com/opencredit/opencredit/sqlite"
)

// TestPopulate stores a small population and finds every person, with
// every event of theirs, in the store, each person handed to each once and
// in index order, and the progress ending at the population.
func TestPopulate(t *testing.T) {
	ctx := context.Background()
	s, err := simulate.New(simulate.Config{Subjects: 60, Months: 13, Seed: 2, End: simulate.DefaultEnd(time.Now())})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var seen []string
	want := map[string]int{}
	last := 0
	n, err := s.Populate(ctx, st, func(p simulate.Person) error {
		seen = append(seen, p.ID)
		want[p.ID] = len(p.Events)
		return nil
	}, func(people int) { last = people })
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 60 || seen[0] != simulate.SubjectID(0) || seen[59] != simulate.SubjectID(59) || last != 60 {
		t.Fatalf("each saw %d people (%v … %v), progress ended at %d; want 60 in index order", len(seen), seen[0], seen[len(seen)-1], last)
	}
	total := 0
	for id, k := range want {
		stored, err := st.Events(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored) != k {
			t.Errorf("%s: %d events stored, %d simulated", id, len(stored), k)
		}
		total += k
	}
	if n != total {
		t.Errorf("Populate reports %d events, the people have %d", n, total)
	}
	if _, err := st.Features(ctx, seen[0], time.Now()); err != nil {
		t.Errorf("features of %s: %v", seen[0], err)
	}
	if got := opencredit.ErrorCode(st.CreateSubject(ctx, seen[0], opencredit.PII{}, time.Now())); got != opencredit.ECONFLICT {
		t.Errorf("registering %s again: %v, want a conflict: Populate registers the people", seen[0], got)
	}
}
