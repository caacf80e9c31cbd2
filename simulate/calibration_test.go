package simulate

import (
	"math"
	"slices"
	"testing"
)

// figure is one population figure measured on the sample, with the range
// it must fall in and where the target comes from.
type figure struct {
	name   string
	got    float64
	lo, hi float64
	target string // the published figure and its source
}

// TestCalibration measures the sample population (6,000 people, 24
// months, seed 1) against published figures. The ranges allow for the
// sampling error of 6,000 people (a share near 10 % has a standard error
// of 0.4 points) and for seed-to-seed variation (seeds 1–4 moved every
// figure by less than a point), plus the looseness of the comparison,
// which the target column states; docs/simulation.md has the table with sources.
func TestCalibration(t *testing.T) {
	rows := sampleRows(t)
	n := float64(len(rows))
	share := func(f func(r row) bool) float64 {
		k := 0.0
		for _, r := range rows {
			if f(r) {
				k++
			}
		}
		return k / n
	}
	var util []float64
	for _, r := range rows {
		if u := r.x12[fUtilisation]; !math.IsNaN(u) {
			util = append(util, u)
		}
	}
	slices.Sort(util)
	meanUtil := 0.0
	for _, u := range util {
		meanUtil += u
	}
	meanUtil /= float64(len(util))
	over50 := float64(len(util)-sortIndex(util, 0.5)) / float64(len(util))

	figures := []figure{
		// CFPB 2015 "Data Point: Credit Invisibles": 11.0 % no record +
		// 8.3 % unscored = 19.3 %; CFPB's 2025 revision for 2020: 2.7 % +
		// 9.8 % = 12.5 %; Fed SHED 2023: 18 % of adults have no credit card.
		{"thin file: no credit account opened by month 12", share(func(r row) bool { return !r.credit12 }), 0.12, 0.19,
			"12.5–19.3 % (CFPB 2025 revision, CFPB 2015)"},
		// The requirement: the label as features.Adverse defines it,
		// as of month 12, over the next 12 months.
		{"12-month bad rate (features.Adverse, month 12 → 24)", share(func(r row) bool { return r.bad12_12 }), 0.05, 0.10,
			"5–10 % (issue requirement)"},
		// Experian, Consumer Credit Review 2023: average revolving
		// utilisation 28–29 %.
		{"mean revolving utilisation at month 12", meanUtil, 0.24, 0.34, "≈ 28–29 % (Experian 2023)"},
		// Utilisation is skewed: many transactors near 0, a tail near the
		// limit; the median is below the mean (no published median found).
		{"median revolving utilisation at month 12", util[len(util)/2], 0.10, meanUtil, "below the mean (skewed)"},
		// Experian national study (press release, about 2006): more than
		// 16 % of the population use at least half of their available
		// credit — about a fifth of the ~82 % who hold cards.
		{"share of revolvers using ≥ 50 % of their limits", over50, 0.14, 0.28, "≈ 16 % of adults ≈ 20 % of cardholders (Experian, approximate)"},
		// Fed SHED 2023: 82 % of adults have a credit card.
		{"has a credit card by month 12", share(func(r row) bool { return r.card12 }), 0.77, 0.87, "82 % (Fed SHED 2023)"},
		// Fed SHED 2023: 14 % used buy now, pay later in the prior year.
		{"used BNPL in months 0–11", share(func(r row) bool { return r.bnpl12 }), 0.08, 0.20, "14 % (Fed SHED 2023)"},
		// Fed SHED 2022: 63 % would cover a $400 emergency with cash or its
		// equivalent; $400 is about a tenth of a month's income, so about a
		// third hold less than that.
		{"liquid savings < 10 % of monthly income (latent)", share(func(r row) bool { return r.savings12 < 0.1*r.base }), 0.25, 0.45,
			"≈ 37 % (Fed SHED 2022, proxy)"},
		// Fed SHED 2023: 36 % of adults applied for some credit in the
		// prior 12 months (hard inquiries are one kind of application).
		{"≥ 1 hard inquiry in months 0–11", share(func(r row) bool { return r.x12[fHardInq12m] >= 1 }), 0.2, 0.45,
			"36 % applied for credit (Fed SHED 2023, proxy)"},
	}
	for _, f := range figures {
		t.Logf("%-52s %6.1f %%   want %5.1f–%5.1f %%   target %s", f.name, 100*f.got, 100*f.lo, 100*f.hi, f.target)
		if !(f.got >= f.lo && f.got <= f.hi) {
			t.Errorf("seed %d: %s is %.1f %%, want %.1f–%.1f %% (%s)", sampleSeed, f.name, 100*f.got, 100*f.lo, 100*f.hi, f.target)
		}
	}
}

// sortIndex returns the index of the first element of the sorted x that
// is ≥ v.
func sortIndex(x []float64, v float64) int {
	i, _ := slices.BinarySearch(x, v)
	return i
}

// TestAuditGroup checks the audit-only label: both groups are present,
// group B has the lower latent income (so a fairness report has something
// to show), and it is empty without AuditGroup.
func TestAuditGroup(t *testing.T) {
	rows := sampleRows(t)
	var nB, zA, zB float64
	for _, r := range rows {
		switch r.group {
		case "A":
			zA += r.zInc
		case "B":
			nB++
			zB += r.zInc
		default:
			t.Fatalf("group %q", r.group)
		}
	}
	nA := float64(len(rows)) - nB
	// P(B) = logistic(−0.3 − 1.2 z), z ~ N(0, 1): about 44 % by the probit
	// approximation E[logistic(a + bz)] ≈ logistic(a / √(1 + πb²/8)).
	if share := nB / float64(len(rows)); share < 0.38 || share > 0.50 {
		t.Errorf("seed %d: group B is %.1f %% of people, want 38–50 %%", sampleSeed, 100*share)
	}
	if gap := zA/nA - zB/nB; gap < 0.5 {
		t.Errorf("seed %d: mean standardised log income A − B is %.2f, want ≥ 0.5", sampleSeed, gap)
	}
	s, err := New(Config{Subjects: 3, Months: 2, Seed: 1, End: testEnd})
	if err != nil {
		t.Fatal(err)
	}
	if g := s.Person(0).Group; g != "" {
		t.Errorf("without AuditGroup, Group = %q", g)
	}
}
