package model

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
)

func f64(x float64) *float64 { return &x }

// testModel is small enough to score by hand: base 500; feature a (numeric,
// payment_history) earns 0 below 10, 20 in [10, 20), 35 from 20, 10 when
// missing; feature b (categorical, capacity) earns 30 for x, 10 for y or z, 0
// for w and unseen categories, 5 when missing.
func testModel(t testing.TB) *Model {
	m := &Model{
		SchemaVersion: SchemaVersion, Kind: "scorecard", Target: "bad",
		Scaling: DefaultScaling(), Bands: opencredit.DefaultBands(),
		Intercept: -2, BasePoints: 500,
		Features: []Feature{
			{Name: "a", Kind: Numeric, Dimension: "payment_history", Label: "Worst delay", Unit: "months", ReasonCode: "A01", Integer: true,
				Bins: []Bin{
					{Upper: f64(10), Points: 0, Logit: 0.5},
					{Lower: f64(10), Upper: f64(20), Points: 20, Logit: 0},
					{Lower: f64(20), Points: 35, Logit: -0.5},
					{Missing: true, Points: 10, Logit: 0.2},
				}},
			{Name: "b", Kind: Categorical, Dimension: "capacity", ReasonCode: "B01",
				Bins: []Bin{
					{Categories: []string{"x"}, Points: 30, Logit: -0.4},
					{Categories: []string{"y", "z"}, Points: 10, Logit: 0.1},
					{Categories: []string{"w"}, Other: true, Points: 0, Logit: 0.6},
					{Missing: true, Points: 5, Logit: 0.3},
				}},
		},
	}
	for j := range m.Features {
		m.Features[j].DescribeBins()
	}
	if err := m.Prepare(); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestScoreByHand(t *testing.T) {
	m := testModel(t)
	r, err := m.Score([]Value{Num(5), Cat("y")})
	if err != nil {
		t.Fatal(err)
	}
	// 500 + 0 + 10 = 510; log-odds −2 + 0.5 + 0.1 = −1.4.
	if r.Score != 510 || r.Band != "poor" {
		t.Errorf("score %d band %q, want 510 poor", r.Score, r.Band)
	}
	if want := 1 / (1 + math.Exp(1.4)); math.Abs(r.PD-want) > 1e-15 {
		t.Errorf("PD %v, want %v", r.PD, want)
	}
	// a lost 35 − 0 = 35, b lost 30 − 10 = 20.
	want := []Reason{
		{Code: "A01", Feature: "a", Text: "Worst delay: 9 months or less", PointsLost: 35},
		{Code: "B01", Feature: "b", Text: "b: y, z", PointsLost: 20},
	}
	if !reflect.DeepEqual(r.Reasons, want) {
		t.Errorf("reasons %+v, want %+v", r.Reasons, want)
	}
	// payment_history: 0 of 35 → 0; capacity: 10 of 30 → 33.3.
	wantDims := []DimensionScore{{"payment_history", 0, 0, 35}, {"capacity", 33.3, 10, 30}}
	if !reflect.DeepEqual(r.Dimensions, wantDims) {
		t.Errorf("dimensions %+v, want %+v", r.Dimensions, wantDims)
	}
}

func TestBinOf(t *testing.T) {
	m := testModel(t)
	for _, tc := range []struct {
		j    int
		v    Value
		want int
	}{
		{0, Num(-1e300), 0}, {0, Num(9.999), 0}, {0, Num(10), 1}, {0, Num(19.5), 1}, {0, Num(20), 2},
		{0, Num(math.Inf(1)), 2}, {0, Num(math.NaN()), 3}, {0, MissingValue(), 3},
		{1, Cat("x"), 0}, {1, Cat("z"), 1}, {1, Cat("w"), 2}, {1, Cat("never seen"), 2}, {1, MissingValue(), 3},
	} {
		if got := m.BinOf(tc.j, tc.v); got != tc.want {
			t.Errorf("BinOf(%d, %+v) = %d, want %d", tc.j, tc.v, got, tc.want)
		}
	}
}

// TestReasonsSumToGap: with every feature in the top four, the points lost
// add up to the gap between the best possible score and the score.
func TestReasonsSumToGap(t *testing.T) {
	m := testModel(t)
	best := m.BasePoints + m.Features[0].MaxPoints() + m.Features[1].MaxPoints()
	for _, row := range [][]Value{{Num(5), Cat("y")}, {Num(12), Cat("x")}, {MissingValue(), Cat("q")}, {Num(25), Cat("x")}} {
		r, _ := m.Score(row)
		lost := 0
		for _, rs := range r.Reasons {
			lost += rs.PointsLost
		}
		if best-r.Score != lost {
			t.Errorf("row %+v: best %d − score %d ≠ points lost %d", row, best, r.Score, lost)
		}
	}
}

func TestReasonTiesByFeatureOrder(t *testing.T) {
	m := testModel(t)
	// a in [10, 20) earns 20 of 35 (lost 15); give b's y/z bin 15 of 30
	// points so that b loses 15 too: a comes first, as it comes first in the model.
	m.Features[1].Bins[1].Points = 15
	if err := m.Prepare(); err != nil {
		t.Fatal(err)
	}
	r, _ := m.Score([]Value{Num(10), Cat("y")})
	if len(r.Reasons) != 2 || r.Reasons[0].Feature != "a" || r.Reasons[1].Feature != "b" || r.Reasons[0].PointsLost != 15 {
		t.Errorf("tie not broken by feature order: %+v", r.Reasons)
	}
	r, _ = m.Score([]Value{Num(30), Cat("x")})
	if len(r.Reasons) != 0 {
		t.Errorf("a perfect row has reasons: %+v", r.Reasons)
	}
}

func TestClip(t *testing.T) {
	m := testModel(t)
	m.BasePoints = 5000
	r, _ := m.Score([]Value{Num(30), Cat("x")})
	if r.Score != 950 || r.Band != "excellent" {
		t.Errorf("score %d %q, want 950 excellent", r.Score, r.Band)
	}
	m.BasePoints = -5000
	r, _ = m.Score([]Value{Num(30), Cat("x")})
	if r.Score != 350 {
		t.Errorf("score %d, want 350", r.Score)
	}
}

func TestScoreWrongRow(t *testing.T) {
	m := testModel(t)
	if _, err := m.Score([]Value{Num(1)}); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("short row: %v", err)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	m := testModel(t)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range [][]Value{{Num(5), Cat("y")}, {Num(15), Cat("x")}, {MissingValue(), MissingValue()}} {
		a, _ := m.Score(row)
		b, _ := back.Score(row)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("row %+v: %+v after a round trip, %+v before", row, b, a)
		}
	}
}

func TestLoadRejects(t *testing.T) {
	var buf bytes.Buffer
	if err := testModel(t).Save(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	edit := func(fn func(m map[string]any)) string {
		var m map[string]any
		if err := json.Unmarshal([]byte(good), &m); err != nil {
			t.Fatal(err)
		}
		fn(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	feature := func(m map[string]any, j int) map[string]any { return m["features"].([]any)[j].(map[string]any) }
	bin := func(m map[string]any, j, k int) map[string]any {
		return feature(m, j)["bins"].([]any)[k].(map[string]any)
	}
	for name, tc := range map[string]struct{ data, want string }{
		"empty":           {"", "not a model file"},
		"not json":        {"hello", "not a model file"},
		"truncated":       {good[:len(good)/2], "not a model file"},
		"no version":      {`{"kind":"scorecard"}`, "no schema_version"},
		"future version":  {edit(func(m map[string]any) { m["schema_version"] = 99 }), "schema version 99 is not supported"},
		"unknown field":   {edit(func(m map[string]any) { m["extra"] = 1 }), `unknown field "extra"`},
		"no features":     {edit(func(m map[string]any) { m["features"] = []any{} }), "no features"},
		"gap in bins":     {edit(func(m map[string]any) { bin(m, 0, 1)["lower"] = 11 }), "do not meet"},
		"two missing":     {edit(func(m map[string]any) { bin(m, 0, 0)["missing"] = true }), "2 missing bins"},
		"duplicate cat":   {edit(func(m map[string]any) { bin(m, 1, 1)["categories"] = []any{"x"} }), `category "x" is in bins`},
		"bad kind":        {edit(func(m map[string]any) { feature(m, 0)["kind"] = "text" }), `unknown kind "text"`},
		"bad dimension":   {edit(func(m map[string]any) { feature(m, 0)["dimension"] = "friends" }), `unknown dimension "friends"`},
		"no reason code":  {edit(func(m map[string]any) { feature(m, 0)["reason_code"] = "" }), "no reason code"},
		"pdo zero":        {edit(func(m map[string]any) { m["scaling"].(map[string]any)["pdo"] = 0 }), "pdo > 0"},
		"bands unordered": {edit(func(m map[string]any) { m["bands"].([]any)[1].(map[string]any)["min"] = 100 }), "does not start above"},
		"trailing data":   {good + "{}", "not a model file"},
	} {
		_, err := Load(strings.NewReader(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) || opencredit.ErrorCode(err) != opencredit.EINVALID {
			t.Errorf("%s: got %v, want an invalid error containing %q", name, err, tc.want)
		}
	}
}

func TestDescribe(t *testing.T) {
	f := Feature{Name: "util", Kind: Numeric, Label: "Card utilisation", Unit: "%", Bins: []Bin{
		{Upper: f64(30.5)}, {Lower: f64(30.5), Upper: f64(80)}, {Lower: f64(80)}, {Missing: true}}}
	f.DescribeBins()
	want := []string{"Card utilisation: below 30.5 %", "Card utilisation: 30.5 to under 80 %", "Card utilisation: 80 % or more", "Card utilisation: no data"}
	for k, b := range f.Bins {
		if b.Text != want[k] {
			t.Errorf("bin %d: %q, want %q", k, b.Text, want[k])
		}
	}
}

// BenchmarkScore measures scoring one parsed row (the target: under 1 µs).
func BenchmarkScore(b *testing.B) {
	m := testModel(b)
	row := []Value{Num(12), Cat("y")}
	var r Result
	b.ReportAllocs()
	for b.Loop() {
		if err := m.ScoreInto(row, &r); err != nil {
			b.Fatal(err)
		}
	}
}
