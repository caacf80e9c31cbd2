package snapshot

import (
	"slices"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/simulate"
)

// TestRowPointInTime: a row as of a date, from a person's whole history,
// equals feature for feature the row from the events up to that date only,
// while its label sees what happened after; and every row has a cell per
// header column.
func TestRowPointInTime(t *testing.T) {
	s, err := simulate.New(simulate.Config{Subjects: 400, Months: 24, Seed: 1, End: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	asOf := s.Start().AddDate(0, 12, 0).Add(-time.Nanosecond)
	end := asOf.AddDate(0, 12, 0)
	cfg := features.DefaultConfig()
	h := Header()
	if h[0] != "subject" || h[len(h)-1] != "label" || len(h) != len(features.Registry)+2 {
		t.Fatalf("header %v: want subject, the %d registered features, label", h, len(features.Registry))
	}
	bads := 0
	for i := range 400 {
		p := s.Person(i)
		all, bad, err := Row(nil, p.ID, p.Events, asOf, end, cfg)
		if err != nil {
			t.Fatal(err)
		}
		past := slices.DeleteFunc(slices.Clone(p.Events), func(e opencredit.Event) bool { return e.Time.After(asOf) })
		early, earlyBad, err := Row(nil, p.ID, past, asOf, end, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != len(h) {
			t.Fatalf("%s: %d cells, header has %d", p.ID, len(all), len(h))
		}
		if !slices.Equal(all[:len(all)-1], early[:len(early)-1]) {
			t.Fatalf("%s: features as of %s change with later events:\n%v\n%v", p.ID, asOf, all, early)
		}
		if earlyBad || early[len(early)-1] != "0" {
			t.Fatalf("%s: labelled bad from the events up to the date alone", p.ID)
		}
		if want := map[bool]string{true: "1", false: "0"}[bad]; all[len(all)-1] != want {
			t.Fatalf("%s: label cell %q, bad %v", p.ID, all[len(all)-1], bad)
		}
		if bad {
			bads++
		}
	}
	if bads == 0 {
		t.Error("no one of 400 went bad in the 12 months after: the label sees nothing")
	}
}
