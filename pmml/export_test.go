package pmml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func bound(x float64) *float64 { return &x }

// newModel wraps features in a model with the default scaling and bands and
// prepares it, as a trainer does.
func newModel(t testing.TB, basePoints int, features ...model.Feature) *model.Model {
	t.Helper()
	m := &model.Model{
		SchemaVersion: model.SchemaVersion,
		Kind:          "scorecard",
		CreatedAt:     time.Date(2025, 3, 1, 12, 30, 0, 0, time.UTC),
		ToolVersion:   "0.4.0",
		Target:        "default",
		Scaling:       model.DefaultScaling(),
		Bands:         opencredit.DefaultBands(),
		Intercept:     -3,
		BasePoints:    basePoints,
		Features:      features,
	}
	if err := m.Prepare(); err != nil {
		t.Fatal(err)
	}
	return m
}

// goldenModel is the brief's example: a numeric feature with three interval
// bins and a missing bin, a categorical one with two category bins, an other
// bin and a missing bin. Its scores, 560 + [-10, 45] + [0, 30], stay inside
// 350–950, so the clipped score equals the PMML score.
func goldenModel(t testing.TB) *model.Model {
	return newModel(t, 560,
		model.Feature{Name: "utilization", Kind: model.Numeric, ReasonCode: "R01", Bins: []model.Bin{
			{Upper: bound(0.3), Points: 45},
			{Lower: bound(0.3), Upper: bound(0.75), Points: 20},
			{Lower: bound(0.75), Points: -10},
			{Missing: true, Points: 5},
		}},
		model.Feature{Name: "housing", Kind: model.Categorical, ReasonCode: "R02", Bins: []model.Bin{
			{Categories: []string{"own"}, Points: 30},
			{Categories: []string{"rent", "with parents"}, Points: 10},
			{Other: true, Categories: []string{"for free"}, Points: 0},
			{Missing: true, Points: 12},
		}},
	)
}

// edgeModel holds the cases the golden model does not: bins out of order, a
// missing bin with bounds, a feature with a single unbounded bin, bounds that
// need an exponent or all 17 significant digits (0.30000000000000004), a
// categorical feature without an other bin whose missing bin has categories,
// categories that need XML escaping or array quoting, a bin without
// categories, and an other bin that is also the missing bin. Scores: 600 + [-5, 40] + [3, 8] + [-3, 20] + [1, 7].
func edgeModel(t testing.TB) *model.Model {
	return newModel(t, 600,
		model.Feature{Name: "months_on_file", Kind: model.Numeric, ReasonCode: "R03", Bins: []model.Bin{
			{Lower: bound(12), Upper: bound(1e6), Points: 25},
			{Upper: bound(0), Missing: true, Points: -5},
			{Lower: bound(1e6), Points: 40},
			{Lower: bound(0), Upper: bound(math.Nextafter(0.3, 1)), Points: 0},
			{Lower: bound(math.Nextafter(0.3, 1)), Upper: bound(12), Points: 10},
		}},
		model.Feature{Name: "constant", Kind: model.Numeric, ReasonCode: "R04", Bins: []model.Bin{
			{Missing: true, Points: 3},
			{Points: 8},
		}},
		model.Feature{Name: "purpose", Kind: model.Categorical, ReasonCode: "R05", Bins: []model.Bin{
			{Categories: []string{`say "hi"`, "a & b <c>", `back\slash`, "", "tab\there"}, Points: 15},
			{Categories: []string{"café", "line\nbreak", "cr\rhere", `"`, `\"`, "]]>"}, Points: 5},
			{Missing: true, Categories: []string{"unknown"}, Points: -3},
			{Points: 20},
		}},
		model.Feature{Name: "region", Kind: model.Categorical, ReasonCode: "R06", Bins: []model.Bin{
			{Categories: []string{"north"}, Points: 7},
			{Missing: true, Other: true, Categories: []string{"south"}, Points: 1},
		}},
	)
}

// pairModel is the golden model with a third feature and three pairs, as an
// explainable boosting machine has them, whose axes hold what an axis can:
// cuts other than the feature's, an other bin that lists categories, no
// other bin, a single unbounded interval and a missing bin with bounds.
// Reason codes join the features' as the EBM trainer does. Scores: 560 +
// [-10, 45] + [0, 30] + [0, 15] + [0, 12] + [0, 9] + [0, 6], inside 350–950.
func pairModel(t testing.TB) *model.Model {
	m := goldenModel(t)
	m.Kind = "ebm"
	m.Features = append(m.Features, model.Feature{Name: "months_on_file", Kind: model.Numeric, ReasonCode: "R03", Integer: true, Bins: []model.Bin{
		{Upper: bound(12), Points: 0},
		{Lower: bound(12), Points: 15},
		{Missing: true, Points: 3},
	}})
	m.Pairs = []model.Pair{
		{
			Features: [2]string{"utilization", "housing"}, ReasonCode: "R01_X_R02",
			Axes: [2]model.Axis{
				{Kind: model.Numeric, Bins: []model.Bin{{Upper: bound(0.5)}, {Lower: bound(0.5)}, {Missing: true}}},
				{Kind: model.Categorical, Bins: []model.Bin{{Categories: []string{"own"}}, {Other: true, Categories: []string{"rent"}}, {Missing: true}}},
			},
			Points: [][]int{{12, 4, 7}, {0, 9, 2}, {5, 5, 1}},
		},
		{
			Features: [2]string{"housing", "months_on_file"}, ReasonCode: "R02_X_R03",
			Axes: [2]model.Axis{
				{Kind: model.Categorical, Bins: []model.Bin{{Categories: []string{"own"}}, {Categories: []string{"rent", "with parents"}}, {Missing: true}}},
				{Kind: model.Numeric, Bins: []model.Bin{{}, {Missing: true}}},
			},
			Points: [][]int{{9, 0}, {3, 6}, {1, 8}},
		},
		{
			Features: [2]string{"utilization", "months_on_file"}, ReasonCode: "R01_X_R03",
			Axes: [2]model.Axis{
				{Kind: model.Numeric, Bins: []model.Bin{{Upper: bound(0.3)}, {Lower: bound(0.3), Missing: true}}},
				{Kind: model.Numeric, Bins: []model.Bin{{Upper: bound(6)}, {Lower: bound(6)}, {Missing: true}}},
			},
			Points: [][]int{{0, 6, 2}, {4, 1, 3}},
		},
	}
	for i := range m.Pairs {
		p := &m.Pairs[i]
		p.Logit = make([][]float64, len(p.Points))
		for r := range p.Points {
			p.Logit[r] = make([]float64, len(p.Points[r]))
		}
	}
	if err := m.Prepare(); err != nil {
		t.Fatal(err)
	}
	return m
}

// testModels lists the hand-built test models in a fixed order.
func testModels(t testing.TB) []struct {
	name string
	m    *model.Model
} {
	return []struct {
		name string
		m    *model.Model
	}{{"golden", goldenModel(t)}, {"edge", edgeModel(t)}, {"pairs", pairModel(t)}}
}

func export(t testing.TB, m *model.Model) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Export(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func parse(t testing.TB, data []byte) *document {
	t.Helper()
	var doc document
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

func TestExportGolden(t *testing.T) {
	for _, g := range []struct {
		file string
		m    *model.Model
	}{{"scorecard.pmml", goldenModel(t)}, {"pairs.pmml", pairModel(t)}} {
		got := export(t, g.m)
		path := filepath.Join("testdata", g.file)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./pmml/ -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("export differs from %s; if the change is intended, run go test ./pmml/ -update and review the diff\ngot:\n%s", path, got)
		}
	}
}

func TestExportDeterministic(t *testing.T) {
	first := export(t, edgeModel(t))
	for range 20 {
		if again := export(t, edgeModel(t)); !bytes.Equal(first, again) {
			t.Fatal("two exports of the same model differ")
		}
	}
}

// TestExportWellFormed reads every token with a strict XML parser.
func TestExportWellFormed(t *testing.T) {
	for _, tm := range testModels(t) {
		m := tm.m
		t.Run(tm.name, func(t *testing.T) {
			data := export(t, m)
			if !bytes.HasPrefix(data, []byte(xml.Header)) {
				t.Errorf("output does not start with the XML declaration")
			}
			dec := xml.NewDecoder(bytes.NewReader(data))
			dec.Strict = true
			roots := 0
			depth := 0
			for {
				tok, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("not well formed: %v", err)
				}
				switch tok := tok.(type) {
				case xml.StartElement:
					if depth == 0 {
						roots++
						if tok.Name.Space != namespace || tok.Name.Local != "PMML" {
							t.Errorf("root element is {%s}%s, want {%s}PMML", tok.Name.Space, tok.Name.Local, namespace)
						}
					}
					depth++
				case xml.EndElement:
					depth--
				}
			}
			if roots != 1 || depth != 0 {
				t.Errorf("%d root elements, depth %d at the end", roots, depth)
			}
		})
	}
}

// TestExportStructure decodes the export and checks it against the model it
// came from, element by element.
func TestExportStructure(t *testing.T) {
	for _, tm := range testModels(t) {
		m := tm.m
		t.Run(tm.name, func(t *testing.T) {
			doc := parse(t, export(t, m))
			checkHead(t, m, doc)
			chars := doc.Scorecard.Characteristics.Items
			if len(chars) != len(m.Features)+len(m.Pairs) {
				t.Fatalf("%d characteristics, want one per feature (%d) and per pair (%d)", len(chars), len(m.Features), len(m.Pairs))
			}
			for i := range m.Pairs {
				checkPairCharacteristic(t, &m.Pairs[i], &chars[len(m.Features)+i])
			}
			for j := range m.Features {
				f := &m.Features[j]
				c := &chars[j]
				if c.Name != f.Name+"_points" || c.ReasonCode != f.ReasonCode {
					t.Errorf("characteristic %d: name %q reason code %q, want %q %q", j, c.Name, c.ReasonCode, f.Name+"_points", f.ReasonCode)
				}
				if c.BaselineScore != f.MaxPoints() {
					t.Errorf("%s: baselineScore %d, want max points %d", f.Name, c.BaselineScore, f.MaxPoints())
				}
				if len(c.Attributes) == 0 {
					t.Fatalf("%s: no attributes", f.Name)
				}
				first := c.Attributes[0]
				if p := first.Predicate; p.XMLName.Local != "SimplePredicate" || p.Operator != "isMissing" || p.Field != f.Name {
					t.Errorf("%s: first attribute is %+v, want isMissing", f.Name, p)
				}
				if miss := f.Bins[f.MissingBin()].Points; first.PartialScore != miss {
					t.Errorf("%s: isMissing scores %d, want the missing bin's %d", f.Name, first.PartialScore, miss)
				}
				switch f.Kind {
				case model.Numeric:
					checkIntervals(t, f, c.Attributes[1:])
				case model.Categorical:
					checkCategories(t, f, c.Attributes[1:])
				}
			}
		})
	}
}

func checkHead(t *testing.T, m *model.Model, doc *document) {
	t.Helper()
	if doc.XMLName.Space != namespace || doc.Version != "4.4" {
		t.Errorf("root {%s}PMML version %q", doc.XMLName.Space, doc.Version)
	}
	h := doc.Header
	if h.Copyright != "OpenCredit" || h.Application.Name != "OpenCredit" || h.Application.Version != m.ToolVersion {
		t.Errorf("header %+v", h)
	}
	if !strings.Contains(h.Description, m.Kind) || !strings.Contains(h.Description, "2025-03-01T12:30:00Z") {
		t.Errorf("description %q does not name the kind and creation time", h.Description)
	}

	dd := doc.DataDictionary
	if dd.NumberOfFields != len(m.Features)+1 || len(dd.Fields) != len(m.Features)+1 {
		t.Fatalf("numberOfFields %d, %d DataFields, want %d", dd.NumberOfFields, len(dd.Fields), len(m.Features)+1)
	}
	ms := doc.Scorecard.MiningSchema.Fields
	if len(ms) != len(m.Features)+1 {
		t.Fatalf("%d MiningFields, want %d", len(ms), len(m.Features)+1)
	}
	for j, f := range m.Features {
		df, mf := dd.Fields[j], ms[j]
		var wantValues []string
		for _, b := range f.Bins {
			wantValues = append(wantValues, b.Categories...)
		}
		var gotValues []string
		for _, v := range df.Values {
			gotValues = append(gotValues, v.Value)
		}
		want := dataField{Name: f.Name, Optype: "continuous", DataType: "double"}
		treatment := "asMissing"
		if f.Kind == model.Categorical {
			want.Optype, want.DataType, treatment = "categorical", "string", "asIs"
		}
		if df.Name != want.Name || df.Optype != want.Optype || df.DataType != want.DataType || !slices.Equal(gotValues, wantValues) {
			t.Errorf("DataField %+v, want %+v with values %q", df, want, wantValues)
		}
		if mf != (miningField{Name: f.Name, UsageType: "active", InvalidValueTreatment: treatment}) {
			t.Errorf("MiningField %+v", mf)
		}
	}
	target := dd.Fields[len(m.Features)]
	if target.Name != m.Target || target.Optype != "categorical" || target.DataType != "integer" ||
		len(target.Values) != 2 || target.Values[0].Value != "0" || target.Values[1].Value != "1" {
		t.Errorf("target DataField %+v", target)
	}
	if mf := ms[len(m.Features)]; mf != (miningField{Name: m.Target, UsageType: "target"}) {
		t.Errorf("target MiningField %+v", mf)
	}

	sc := doc.Scorecard
	if sc.FunctionName != "regression" || sc.UseReasonCodes != "true" || sc.ReasonCodeAlgorithm != "pointsBelow" ||
		sc.BaselineMethod != "max" || sc.InitialScore != m.BasePoints || sc.ModelName == "" {
		t.Errorf("Scorecard attributes %+v", sc)
	}
	clip := extension{Extender: "OpenCredit", Name: "opencredit:clip", Value: "350 950"}
	if len(sc.Extensions) != 1 || sc.Extensions[0] != clip {
		t.Errorf("extensions %+v, want %+v", sc.Extensions, clip)
	}
	wantOut := []outputField{{Name: "score", Optype: "continuous", DataType: "double", Feature: "predictedValue"}}
	for k := 1; k <= 4; k++ {
		wantOut = append(wantOut, outputField{Name: "reason_code_" + strconv.Itoa(k), Optype: "categorical", DataType: "string", Feature: "reasonCode", Rank: k})
	}
	if !slices.Equal(sc.Output.Fields, wantOut) {
		t.Errorf("output fields %+v, want %+v", sc.Output.Fields, wantOut)
	}
}

// checkIntervals checks the interval attributes of numeric feature f: one per
// bin that holds an interval, each with the bin's exact bounds and points, in
// increasing order, together covering the real line.
func checkIntervals(t *testing.T, f *model.Feature, attrs []attribute) {
	t.Helper()
	type cell struct {
		lower, upper *float64
		points       int
	}
	var want []cell
	for _, b := range f.Bins {
		if b.Missing && b.Lower == nil && b.Upper == nil {
			continue
		}
		want = append(want, cell{b.Lower, b.Upper, b.Points})
	}
	if len(attrs) != len(want) {
		t.Fatalf("%s: %d interval attributes, want %d", f.Name, len(attrs), len(want))
	}
	var got []cell
	for k, a := range attrs {
		lo, hi, err := decodeInterval(f.Name, a.Predicate)
		if err != nil {
			t.Fatalf("%s attribute %d: %v", f.Name, k+1, err)
		}
		if k == 0 && lo != nil || k == len(attrs)-1 && hi != nil {
			t.Errorf("%s: intervals do not reach from -inf to +inf", f.Name)
		}
		if k > 0 && (got[k-1].upper == nil || lo == nil || *got[k-1].upper != *lo) {
			t.Errorf("%s: attribute %d does not start where attribute %d ends", f.Name, k+1, k)
		}
		got = append(got, cell{lo, hi, a.PartialScore})
	}
	same := func(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
	for _, w := range want {
		found := slices.ContainsFunc(got, func(g cell) bool {
			return same(g.lower, w.lower) && same(g.upper, w.upper) && g.points == w.points
		})
		if !found {
			t.Errorf("%s: no attribute for bin %v–%v with %d points", f.Name, w.lower, w.upper, w.points)
		}
	}
}

// decodeInterval reads back the predicate interval writes.
func decodeInterval(field string, p predicate) (lower, upper *float64, err error) {
	num := func(q predicate, op string) (*float64, error) {
		if q.XMLName.Local != "SimplePredicate" || q.Field != field || q.Operator != op {
			return nil, errors.New("want SimplePredicate " + op + " on " + field + ", got " + q.XMLName.Local + " " + q.Operator)
		}
		x, err := strconv.ParseFloat(q.Value, 64)
		return &x, err
	}
	switch {
	case p.XMLName.Local == "True":
		return nil, nil, nil
	case p.XMLName.Local == "SimplePredicate" && p.Operator == "lessThan":
		upper, err = num(p, "lessThan")
		return nil, upper, err
	case p.XMLName.Local == "SimplePredicate":
		lower, err = num(p, "greaterOrEqual")
		return lower, nil, err
	case p.XMLName.Local == "CompoundPredicate" && p.BooleanOperator == "and" && len(p.Predicates) == 2:
		if lower, err = num(p.Predicates[0], "greaterOrEqual"); err != nil {
			return nil, nil, err
		}
		upper, err = num(p.Predicates[1], "lessThan")
		return lower, upper, err
	}
	return nil, nil, errors.New("not an interval predicate: " + p.XMLName.Local)
}

// checkCategories checks the attributes of categorical feature f after
// isMissing: each category bin's set, then the catch-all.
func checkCategories(t *testing.T, f *model.Feature, attrs []attribute) {
	t.Helper()
	if len(attrs) == 0 {
		t.Fatalf("%s: no catch-all attribute", f.Name)
	}
	k := 0
	other := -1
	for bi, b := range f.Bins {
		switch {
		case b.Other:
			other = bi
			continue
		case b.Missing && len(b.Categories) == 0:
			continue
		}
		if k >= len(attrs)-1 {
			t.Fatalf("%s: too few attributes", f.Name)
		}
		a := attrs[k]
		k++
		if a.PartialScore != b.Points {
			t.Errorf("%s bin %d: partialScore %d, want %d", f.Name, bi, a.PartialScore, b.Points)
		}
		if len(b.Categories) == 0 {
			if a.Predicate.XMLName.Local != "False" {
				t.Errorf("%s bin %d has no categories but predicate %s", f.Name, bi, a.Predicate.XMLName.Local)
			}
			continue
		}
		checkSet(t, f, a.Predicate, b.Categories)
	}
	if k != len(attrs)-1 {
		t.Fatalf("%s: %d attributes after isMissing, want %d", f.Name, len(attrs), k+1)
	}
	last := attrs[k]
	switch {
	case other < 0:
		if last.Predicate.XMLName.Local != "True" || last.PartialScore != f.Bins[f.MissingBin()].Points {
			t.Errorf("%s: last attribute %+v, want True with the missing bin's points", f.Name, last)
		}
	case len(f.Bins[other].Categories) == 0:
		if last.Predicate.XMLName.Local != "True" || last.PartialScore != f.Bins[other].Points {
			t.Errorf("%s: last attribute %+v, want True with the other bin's points", f.Name, last)
		}
	default:
		p := last.Predicate
		if p.XMLName.Local != "CompoundPredicate" || p.BooleanOperator != "or" || len(p.Predicates) != 2 ||
			p.Predicates[1].XMLName.Local != "True" || last.PartialScore != f.Bins[other].Points {
			t.Fatalf("%s: last attribute %+v, want or(isIn, True) with the other bin's points", f.Name, last)
		}
		checkSet(t, f, p.Predicates[0], f.Bins[other].Categories)
	}
}

func checkSet(t *testing.T, f *model.Feature, p predicate, want []string) {
	t.Helper()
	if p.XMLName.Local != "SimpleSetPredicate" || p.Field != f.Name || p.BooleanOperator != "isIn" || p.Array == nil {
		t.Fatalf("%s: predicate %+v, want SimpleSetPredicate isIn", f.Name, p)
	}
	got, err := parseArray(p.Array.Text)
	if err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	if p.Array.Type != "string" || p.Array.N != len(want) || !slices.Equal(got, want) {
		t.Errorf("%s: array type %q n=%d %q, want n=%d %q", f.Name, p.Array.Type, p.Array.N, got, len(want), want)
	}
}

// checkPairCharacteristic checks the Characteristic of pair p: its name, reason code and
// baseline, and a grid of Attributes in row-major order, each the "and" of a
// predicate on the first feature (the same along a row) and one on the
// second (the same down a column), the first of them both isMissing and
// scoring the cell of the two missing bins. TestEvaluateMatchesModel checks
// that the grid scores as the model does.
func checkPairCharacteristic(t *testing.T, p *model.Pair, c *characteristic) {
	t.Helper()
	name := p.Name() + "_points"
	if c.Name != name || c.ReasonCode != p.ReasonCode || c.BaselineScore != p.MaxPoints() {
		t.Errorf("pair characteristic %q reason code %q baseline %d, want %q %q %d",
			c.Name, c.ReasonCode, c.BaselineScore, name, p.ReasonCode, p.MaxPoints())
	}
	attrs := c.Attributes
	for i, a := range attrs {
		q := a.Predicate
		if q.XMLName.Local != "CompoundPredicate" || q.BooleanOperator != "and" || len(q.Predicates) != 2 {
			t.Fatalf("%s attribute %d: %s %s with %d children, want and of two", name, i, q.XMLName.Local, q.BooleanOperator, len(q.Predicates))
		}
		for k := range 2 {
			for _, f := range predicateFields(q.Predicates[k]) {
				if f != p.Features[k] {
					t.Errorf("%s attribute %d: predicate %d reads %q, want %q", name, i, k, f, p.Features[k])
				}
			}
		}
	}
	same := func(a, b predicate) bool {
		x, _ := xml.Marshal(a)
		y, _ := xml.Marshal(b)
		return bytes.Equal(x, y)
	}
	cols := 1
	for cols < len(attrs) && same(attrs[cols].Predicate.Predicates[0], attrs[0].Predicate.Predicates[0]) {
		cols++
	}
	if len(attrs)%cols != 0 {
		t.Fatalf("%s: %d attributes, not rows of %d", name, len(attrs), cols)
	}
	for i, a := range attrs {
		r, c := i/cols, i%cols
		if !same(a.Predicate.Predicates[0], attrs[r*cols].Predicate.Predicates[0]) ||
			!same(a.Predicate.Predicates[1], attrs[c].Predicate.Predicates[1]) {
			t.Errorf("%s attribute %d is not row %d × column %d of a grid", name, i, r, c)
		}
	}
	if rows := len(attrs) / cols; rows < len(p.Axes[0].Bins) || cols < len(p.Axes[1].Bins) {
		t.Errorf("%s: %d × %d grid, want at least one row per bin (%d) and one column per bin (%d)",
			name, rows, cols, len(p.Axes[0].Bins), len(p.Axes[1].Bins))
	}
	first := attrs[0].Predicate.Predicates
	if first[0].Operator != "isMissing" || first[1].Operator != "isMissing" {
		t.Errorf("%s: the first attribute is not missing × missing", name)
	}
	ma, mb := axisMissing(&p.Axes[0]), axisMissing(&p.Axes[1])
	if attrs[0].PartialScore != p.Points[ma][mb] {
		t.Errorf("%s: missing × missing scores %d, want %d", name, attrs[0].PartialScore, p.Points[ma][mb])
	}
}

// predicateFields lists every field p and the predicates inside it read.
func predicateFields(p predicate) []string {
	var out []string
	if p.Field != "" {
		out = append(out, p.Field)
	}
	for _, q := range p.Predicates {
		out = append(out, predicateFields(q)...)
	}
	return out
}

func axisMissing(a *model.Axis) int {
	return slices.IndexFunc(a.Bins, func(b model.Bin) bool { return b.Missing })
}

func TestExportRefuses(t *testing.T) {
	numeric := func(name, code string) model.Feature {
		return model.Feature{Name: name, Kind: model.Numeric, ReasonCode: code, Bins: []model.Bin{{Missing: true}, {Points: 1}}}
	}
	categorical := func(cats ...string) model.Feature {
		return model.Feature{Name: "c", Kind: model.Categorical, ReasonCode: "R", Bins: []model.Bin{{Missing: true}, {Categories: cats}}}
	}
	tests := []struct {
		name   string
		target string
		f      model.Feature
		want   string
	}{
		{"no target", "", numeric("x", "R"), "no target"},
		{"feature named score", "default", numeric("score", "R"), "output field"},
		{"feature named reason_code_4", "default", numeric("reason_code_4", "R"), "output field"},
		{"target named like a feature", "x", numeric("x", "R"), "target"},
		{"control character in a name", "default", numeric("x\x01", "R"), "U+0001"},
		{"invalid UTF-8 in a reason code", "default", numeric("x", "R\xff"), "UTF-8"},
		{"NUL in a category", "default", categorical("a\x00b"), "U+0000"},
		{"category ending in a backslash", "default", categorical(`a\`), "backslash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newModel(t, 600, tt.f)
			m.Target = tt.target
			var buf bytes.Buffer
			err := Export(&buf, m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
			if code := opencredit.ErrorCode(err); code != opencredit.EINVALID {
				t.Errorf("error code %q, want %q", code, opencredit.EINVALID)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes before refusing", buf.Len())
			}
		})
	}
}

// TestExportRefusesPairs: a pair that cannot be written is an error, never
// a Characteristic left out. The models are valid but for the change each
// case makes after Prepare, which is how a model loaded by other means
// could hold it.
func TestExportRefusesPairs(t *testing.T) {
	tests := []struct {
		name string
		edit func(m *model.Model)
		want string
	}{
		{"no reason code", func(m *model.Model) { m.Pairs[0].ReasonCode = "" }, "no reason code"},
		{"reason code XML cannot hold", func(m *model.Model) { m.Pairs[1].ReasonCode = "R\x02" }, "U+0002"},
		{"unknown feature", func(m *model.Model) { m.Pairs[2].Features[1] = "tenure" }, "not a feature"},
		{"feature with itself", func(m *model.Model) { m.Pairs[2].Features[1] = "utilization" }, "itself"},
		{"axis of the wrong kind", func(m *model.Model) { m.Pairs[0].Axes[1].Kind = model.Numeric }, "categorical"},
		{"axis without a missing bin", func(m *model.Model) { m.Pairs[0].Axes[0].Bins[2].Missing = false }, "0 missing"},
		{"axis category ending in a backslash", func(m *model.Model) { m.Pairs[0].Axes[1].Bins[0].Categories = []string{`own\`} }, "backslash"},
		{"axis category XML cannot hold", func(m *model.Model) { m.Pairs[1].Axes[0].Bins[1].Categories[0] = "\uFFFE" }, "U+FFFE"},
		{"table missing a row", func(m *model.Model) { m.Pairs[0].Points = m.Pairs[0].Points[:2] }, "rows"},
		{"row missing a cell", func(m *model.Model) { m.Pairs[2].Points[1] = m.Pairs[2].Points[1][:2] }, "cells"},
		{"characteristic named like another", func(m *model.Model) {
			m.Features = append(m.Features, model.Feature{Name: "utilization × housing", Kind: model.Numeric, ReasonCode: "R09",
				Bins: []model.Bin{{Missing: true}, {Points: 1}}})
		}, "has the name of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := pairModel(t)
			tt.edit(m)
			var buf bytes.Buffer
			err := Export(&buf, m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
			if code := opencredit.ErrorCode(err); code != opencredit.EINVALID {
				t.Errorf("error code %q, want %q", code, opencredit.EINVALID)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes before refusing", buf.Len())
			}
		})
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestExportWriteError(t *testing.T) {
	err := Export(failingWriter{}, goldenModel(t))
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("error %v, want the writer's", err)
	}
}
