package web

import (
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/model/modeltest"
)

// TestSessionSweep: expired sessions are dropped, so the map holds only
// live ones however many people come and go.
func TestSessionSweep(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clk := func() time.Time { return now }
	s := newSessions(10*time.Minute, time.Hour, clk)
	var ids []string
	for range 3 {
		ss, err := s.start("c", opencredit.RoleSubject, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ss.id)
	}
	now = now.Add(10 * time.Minute)
	if _, ok := s.get(ids[0]); ok {
		t.Error("a session idle for the whole idle limit is live")
	}
	if _, err := s.start("c", opencredit.RoleSubject, nil); err != nil { // sweeps: a full idle period since the last
		t.Fatal(err)
	}
	if n := s.size(); n != 1 {
		t.Errorf("after the sweep %d sessions, want 1", n)
	}
}

// TestColourContrast: every colour the pages write text in is at least
// 4.5:1 against the backgrounds it is on (WCAG 2.2 1.4.3), by the WCAG
// relative-luminance formula.
func TestColourContrast(t *testing.T) {
	white, grey, tint := "#ffffff", "#f2f4f7", "#f5f8ff"
	pairs := [][2]string{
		{"#101828", white}, {"#101828", grey}, {"#1849a9", white}, {"#1849a9", grey}, {"#1849a9", tint},
		{"#475467", white}, {"#344054", white}, {"#344054", "#eaecf0"}, {"#7a2e0e", "#fef0c7"},
		{"#ffffff", "#0b2e59"}, {"#ffffff", "#05603a"}, {"#0b0c0c", "#ffdd00"}, {"#b42318", white}, {"#ffffff", "#b42318"}, {"#ffffff", "#912018"}, {"#101828", "#f0f7ee"},
	}
	for _, c := range palette {
		pairs = append(pairs, [2]string{c, white})
	}
	for _, p := range pairs {
		if r := contrast(p[0], p[1]); r < 4.5 {
			t.Errorf("%s on %s: %.2f:1, want at least 4.5:1", p[0], p[1], r)
		}
	}
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	ch := func(i int) float64 {
		v, _ := strconv.ParseUint(hex[i:i+2], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(1) + 0.7152*ch(3) + 0.0722*ch(5)
}

func TestBinPhrase(t *testing.T) {
	ratio := modeltest.Step(features.RevolvingUtilisation, "capacity", "CA01", []float64{0.3, 0.5}, []int{80, 40, 0}, 20)
	count := modeltest.Step(features.HardInquiries12m, "new_credit", "NC01", []float64{1, 3}, []int{60, 30, 0}, 60)
	months := modeltest.Step(features.MonthsOnFile, "history_stability", "HS01", []float64{12, 36}, []int{10, 40, 70}, 0)
	level := modeltest.Step(features.IdentityLevel, "history_stability", "HS02", []float64{2}, []int{10, 40}, 0)
	for _, tc := range []struct {
		f    model.Feature
		bin  int
		want string
	}{
		{ratio, 0, "under 30%"}, {ratio, 1, "from 30% to under 50%"}, {ratio, 2, "at least 50%"},
		{count, 0, "none"}, {count, 1, "1 to 2"}, {count, 2, "at least 3"},
		{months, 0, "11 months or fewer"}, {months, 1, "12 to 35 months"}, {months, 2, "at least 36 months"},
		{level, 1, "at least level 2"},
	} {
		if got := binPhrase(&tc.f, tc.bin); got != tc.want {
			t.Errorf("%s bin %d: %q, want %q", tc.f.Name, tc.bin, got, tc.want)
		}
	}
}

func TestFormats(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{humanDate(time.Date(2026, 3, 3, 23, 0, 0, 0, time.FixedZone("x", -3600))), "4 March 2026"}, // in UTC
		{dateOf("2026-12-31"), "31 December 2026"}, {dateOf("bad"), "bad"},
		{signed(18), "+18"}, {signed(-5), "−5"}, {signed(0), "no change"},
		{groupDigits(1234567.891, 2), "1,234,567.89"}, {groupDigits(999, 0), "999"}, {groupDigits(-1000, 0), "−1,000"},
		{money(80, "EUR"), "80.00 EUR"}, {percent(0.596), "60%"},
		{featureValue(features.MonthsOnFile, 1), "1 month"}, {featureValue(features.WorstDaysPastDue24m, 30), "30 days"},
		{featureValue(features.IdentityLevel, 2), "level 2"}, {featureValue(features.HardInquiries12m, 3), "3"},
		{article("excellent"), "an excellent score"}, {article("good"), "a good score"},
		{joinAnd([]string{"a", "b", "c"}), "a, b and c"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestImprovementAgainstAdvice: a points table that pays more for less
// identity verification (a model may learn that for some range) gets no
// advice to verify "further": the improvement is against the advice, so
// the pages offer it neither as what would help nor as a what-if, and
// its sentence says only where the points lie.
func TestImprovementAgainstAdvice(t *testing.T) {
	f := modeltest.Step(features.IdentityLevel, "history_stability", "HS02", []float64{2}, []int{40, 0}, 0)
	im := model.Improvement{Feature: f.Name, FromBin: 1, ToBin: 0, Target: model.Num(1), Gain: 40}
	fv := opencredit.FeatureVector{Values: map[string]float64{features.IdentityLevel: 2}}
	if !againstAdvice(&f, im, fv) {
		t.Error("less verification for more points is not against the advice")
	}
	got := improvementSentence(&f, im, fv)
	if want := "Identity verification level: the model gives the most points for level 1 or fewer — worth about +40 points"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	up := modeltest.Step(features.IdentityLevel, "history_stability", "HS02", []float64{2}, []int{0, 40}, 0)
	im = model.Improvement{Feature: f.Name, FromBin: 0, ToBin: 1, Target: model.Num(2), Gain: 40}
	fv.Values[features.IdentityLevel] = 1
	if againstAdvice(&up, im, fv) {
		t.Error("more verification for more points is against the advice")
	}
	if got := improvementSentence(&up, im, fv); got != "Have your identity verified further, to at least level 2 — worth about +40 points" {
		t.Errorf("the advice's own way: %q", got)
	}
}
