package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/lifecycle"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/monitor"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/scoring"
	"github.com/opencredit/opencredit/simulate"
	"github.com/opencredit/opencredit/snapshot"
	"github.com/opencredit/opencredit/sqlite"
)

// population simulates n people over 24 months at the given shock scale
// and returns the training set as of month 12 (written to a CSV under dir,
// as the demo writes it) and each person's live features at that moment.
// The simulator's people all start on one day, so a later date would move
// every "months on file" at once and drift by itself; the scenario keeps
// the date and changes the economy instead.
func population(t *testing.T, dir, name string, n int, shock float64) (string, []opencredit.FeatureVector) {
	t.Helper()
	end := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s, err := simulate.New(simulate.Config{Subjects: n, Months: 24, Seed: 11, End: end, ShockScale: shock})
	if err != nil {
		t.Fatal(err)
	}
	asOf := s.Start().AddDate(0, 12, 0).Add(-time.Nanosecond)
	path := filepath.Join(dir, name+".csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	cw := csv.NewWriter(f)
	cw.Write(snapshot.Header())
	var mu sync.Mutex
	var live []opencredit.FeatureVector
	cfg := features.DefaultConfig()
	err = s.Run(context.Background(), 2, func(p simulate.Person) error {
		rec, _, err := snapshot.Row(nil, p.ID, p.Events, asOf, asOf.AddDate(0, 12, 0), cfg)
		if err != nil {
			return err
		}
		st, err := features.Recompute(p.Events)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		live = append(live, st.Compute(p.ID, asOf, cfg))
		return cw.Write(rec)
	})
	if err != nil {
		t.Fatal(err)
	}
	cw.Flush()
	if err := f.Close(); err != nil || cw.Error() != nil {
		t.Fatal(err, cw.Error())
	}
	return path, live
}

// TestRecessionScenario is issue 14's scenario: a population is simulated,
// model A trained on it and activated; the live population scored by A
// holds still against A's development sample (PSI below 0.10). The same
// people through a recession (the simulator's job-loss and emergency
// shocks ten times as frequent, same seed, same date) score differently: A's
// score PSI passes 0.25 and the monitor raises the act alert. Model B, trained on the
// shifted population, is approved by a second operator, scores in shadow
// beside A (the swap set shows whom the change would move), and is
// activated; the monitor then compares B with its own development sample,
// and the alert clears.
func TestRecessionScenario(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates and trains on two populations")
	}
	ctx := context.Background()
	dir := t.TempDir()
	const n = 4000
	calmCSV, calm := population(t, dir, "calm", n, 1)
	shockCSV, shocked := population(t, dir, "recession", n, 10)

	st, err := sqlite.Open(ctx, filepath.Join(dir, "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	add := func(path, author string) (*model.Model, string) {
		t.Helper()
		m, err := trainDemoModel(path, kindScorecard)
		if err != nil {
			t.Fatal(err)
		}
		v, err := lifecycle.Add(ctx, st, m, filepath.Base(path), author, nil, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return m, v.ID
	}
	a, aID := add(calmCSV, "alice")
	if err := lifecycle.Approve(ctx, st, aID, "bob", "validated on the calm population", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := lifecycle.Activate(ctx, st, aID, "bob", "", time.Now()); err != nil {
		t.Fatal(err)
	}

	// The monitor as serve runs it, on an injected day.
	day := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	scoreAll := func(mo *monitor.Monitor, m *model.Model, id string, pop []opencredit.FeatureVector) monitor.Drift {
		t.Helper()
		for _, fv := range pop {
			r, err := scoring.ScoreFeatures(m, fv)
			if err != nil {
				t.Fatal(err)
			}
			mo.Observe(id, m, &r)
		}
		return mo.Report()[0]
	}
	calmDrift := scoreAll(monitor.New(func() time.Time { return day }), a, aID, calm)
	shockDrift := scoreAll(monitor.New(func() time.Time { return day }), a, aID, shocked)
	t.Logf("model A on the calm population: score PSI %.3f (%s); on the recession: %.3f (%s)",
		calmDrift.ScorePSI, calmDrift.Level(), shockDrift.ScorePSI, shockDrift.Level())
	if !(shockDrift.ScorePSI > monitor.Act) || shockDrift.Level() != "act" {
		t.Fatalf("the recession moved A's score PSI to %.3f, want past %.2f and the act alert", shockDrift.ScorePSI, monitor.Act)
	}
	if !(calmDrift.ScorePSI < monitor.Watch) || calmDrift.Level() != "" {
		t.Errorf("the calm population drifts %.3f (%q) against its own development sample, want below %.2f", calmDrift.ScorePSI, calmDrift.Level(), monitor.Watch)
	}

	// B: trained on the shifted population, by alice; bob approves.
	b, bID := add(shockCSV, "alice")
	if err := lifecycle.Approve(ctx, st, bID, "alice", "mine", "", time.Now()); opencredit.ErrorCode(err) != opencredit.EFORBIDDEN {
		t.Fatalf("the author approving B: %v, want forbidden", err)
	}
	if err := lifecycle.Approve(ctx, st, bID, "bob", "validated on the recession population", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	// In shadow beside A on the live (shifted) requests.
	shadow := monitor.NewShadow([]int{600})
	for _, fv := range shocked {
		ra, _ := scoring.ScoreFeatures(a, fv)
		rb, _ := scoring.ScoreFeatures(b, fv)
		shadow.Compare(aID, &ra, bID, &rb)
	}
	cmp := shadow.Report()
	t.Logf("B in shadow beside A on %d requests: mean difference %+.1f points; at 600, %d approved by A only, %d by B only",
		cmp.Scores, cmp.MeanDiff(), cmp.Swaps[0].ChampionOnly, cmp.Swaps[0].ChallengerOnly)
	if cmp.Scores != n {
		t.Fatalf("shadow compared %d requests, want %d", cmp.Scores, n)
	}
	if err := lifecycle.Activate(ctx, st, bID, "bob", "recession", time.Now()); err != nil {
		t.Fatal(err)
	}
	active, err := lifecycle.Active(ctx, st)
	if err != nil || active.ID != bID {
		t.Fatalf("active %s (%v), want B", active.ID, err)
	}
	afterDrift := scoreAll(monitor.New(func() time.Time { return day }), b, bID, shocked)
	t.Logf("model B on the recession population: score PSI %.3f (%s)", afterDrift.ScorePSI, afterDrift.Level())
	if !(afterDrift.ScorePSI < monitor.Watch) || afterDrift.Level() != "" {
		t.Errorf("after B's activation the score PSI is %.3f (%q), want below %.2f: the alert clears", afterDrift.ScorePSI, afterDrift.Level(), monitor.Watch)
	}
}
