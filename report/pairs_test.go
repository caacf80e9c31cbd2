package report

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

// pairTestModel is testModel as an explainable boosting machine with a
// third feature and two pairs: one in payment_history over two axes of
// three and four bins, one unassigned whose second axis has 20 bins, more
// than a terminal's width of columns. Points and counts are made up.
func pairTestModel(t *testing.T) *model.Model {
	t.Helper()
	m := testModel(t)
	m.Kind = "ebm"
	util := model.Feature{Name: "utilisation", Kind: model.Numeric, ReasonCode: "UT01", Label: "Credit utilisation",
		Bins: []model.Bin{{Missing: true, Points: 5, Count: 40, Goods: 30, Bads: 10, BadRate: 0.25}}}
	for k := range 5 {
		b := model.Bin{Points: 10 * (4 - k), Count: 192, Goods: 160, Bads: 32, BadRate: 1.0 / 6}
		// k/5 rounds once, to the double nearest the decimal.
		if k > 0 {
			b.Lower = ptr(float64(k) / 5)
		}
		if k < 4 {
			b.Upper = ptr(float64(k+1) / 5)
		}
		util.Bins = append(util.Bins, b)
	}
	util.DescribeBins()
	m.Features = append(m.Features, util)

	dpd := model.Pair{
		Features: [2]string{"worst_dpd_6m", "housing"}, Dimension: string(opencredit.PaymentHistory),
		Label: "Worst days past due with housing", ReasonCode: "PH01_X_EO01",
		Axes: [2]model.Axis{
			{Kind: model.Numeric, Integer: true, Bins: []model.Bin{{Upper: ptr(30)}, {Lower: ptr(30)}, {Missing: true}}},
			{Kind: model.Categorical, Bins: []model.Bin{{Categories: []string{"own"}}, {Categories: []string{"rent"}},
				{Other: true, Categories: []string{"council <flat> & co"}}, {Missing: true}}},
		},
		Points: [][]int{{14, 3, 0, 6}, {0, 9, 21, 2}, {7, 7, 7, 7}},
		Count:  [][]int{{400, 280, 120, 50}, {60, 20, 15, 5}, {20, 20, 5, 5}},
	}
	wide := model.Pair{
		Features: [2]string{"housing", "utilisation"}, ReasonCode: "EO01_X_UT01",
		Axes: [2]model.Axis{
			{Kind: model.Categorical, Bins: []model.Bin{{Categories: []string{"own"}}, {Other: true}, {Missing: true}}},
			{Kind: model.Numeric, Bins: []model.Bin{{Missing: true}}},
		},
	}
	for k := range 19 {
		b := model.Bin{}
		if k > 0 {
			b.Lower = ptr(float64(k) / 20)
		}
		if k < 18 {
			b.Upper = ptr(float64(k+1) / 20)
		}
		wide.Axes[1].Bins = append(wide.Axes[1].Bins, b)
	}
	for r := range 3 {
		row := make([]int, 20)
		for c := range row {
			row[c] = (r*7 + c*3) % 11
		}
		wide.Points = append(wide.Points, row)
	}
	m.Pairs = []model.Pair{dpd, wide}
	for i := range m.Pairs {
		p := &m.Pairs[i]
		for _, row := range p.Points {
			p.Logit = append(p.Logit, make([]float64, len(row)))
		}
		p.DescribeBins(m)
	}
	if err := m.Prepare(); err != nil {
		t.Fatalf("pair test model: %v", err)
	}
	return m
}

func TestWriteModelTextPairs(t *testing.T) {
	m := pairTestModel(t)
	var buf bytes.Buffer
	if err := WriteModelText(&buf, m); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	checkWidth(t, text)
	for _, s := range []string{
		"Pairs: worst_dpd_6m × housing, housing × utilisation",
		"+ the points of each feature's bin and each pair's cell",
		"worst_dpd_6m × housing: payment_history, numeric × categorical, points 0–21",
		"utilisation bins 1–", "of 20", // the wide pair is split into blocks
	} {
		if !strings.Contains(text, s) {
			t.Errorf("text lacks %q", s)
		}
	}
	golden(t, "model_pairs.txt", buf.Bytes())
}

// TestDimensionTotalsCountPairs: a dimension's points in the report are what
// its sub-score is out of when the model scores a row,
// model.DimensionScore.Max, which counts the pairs. payment_history holds
// worst_dpd_6m (96 − 0) and its pair (21 − 0): 117.
func TestDimensionTotalsCountPairs(t *testing.T) {
	m := pairTestModel(t)
	r, err := m.Score([]model.Value{model.Num(3), model.Cat("own"), model.Num(0.5)})
	if err != nil {
		t.Fatal(err)
	}
	tab := dimensionTable(m)
	for _, d := range r.Dimensions {
		i := slices.IndexFunc(tab.rows, func(row []string) bool { return row[0] == d.Dimension })
		if i < 0 {
			t.Fatalf("no row for %s", d.Dimension)
		}
		if got := tab.rows[i][1]; got != strconv.Itoa(d.Max) {
			t.Errorf("%s: report shows %s points, the model's sub-score is out of %d", d.Dimension, got, d.Max)
		}
	}
	if i := slices.IndexFunc(tab.rows, func(row []string) bool { return row[0] == "payment_history" }); tab.rows[i][1] != "117" {
		t.Errorf("payment_history shows %s points, want 96 + 21 = 117", tab.rows[i][1])
	}
	var unassigned []string
	for i, row := range tab.rows {
		if row[0] == "unassigned" || (row[0] == "" && len(unassigned) > 0) {
			unassigned = append(unassigned, tab.rows[i][2])
		}
	}
	if !slices.Contains(unassigned, "housing × utilisation") {
		t.Errorf("unassigned %q lacks the pair without a dimension", unassigned)
	}
}

func TestWriteModelHTMLPairs(t *testing.T) {
	m := pairTestModel(t)
	var page bytes.Buffer
	if err := WriteModelHTML(&page, m, nil); err != nil {
		t.Fatal(err)
	}
	svgs := checkHTML(t, page.Bytes())
	// Two charts per feature, then a heat map per pair.
	var titles []string
	for _, f := range m.Features {
		titles = append(titles, "WoE per bin: "+f.Name, "Points per bin: "+f.Name)
	}
	for _, p := range m.Pairs {
		titles = append(titles, "Points per cell: "+p.Name())
	}
	got := make([]string, len(svgs))
	for i, s := range svgs {
		got[i] = s.title
	}
	if !slices.Equal(got, titles) {
		t.Fatalf("charts %q, want %q", got, titles)
	}
	for i, f := range m.Features {
		if n := svgs[2*i+1].elements["rect"]; n != len(f.Bins) {
			t.Errorf("points chart of %s has %d bars, want one per bin (%d)", f.Name, n, len(f.Bins))
		}
	}
	for i, p := range m.Pairs {
		cells := len(p.Axes[0].Bins) * len(p.Axes[1].Bins)
		// A rect per cell and eight legend steps.
		if n := svgs[2*len(m.Features)+i].elements["rect"]; n != cells+8 {
			t.Errorf("heat map of %s has %d rects, want %d cells and 8 legend steps", p.Name(), n, cells)
		}
	}
	html := page.String()
	for _, s := range []string{"<h3>Pairs</h3>", "worst_dpd_6m × housing", `id="pair-worst_dpd_6m-housing"`,
		"worst_dpd_6m \\ housing", "council &lt;flat&gt; &amp; co", "Worst days past due in the last 6 months: 30 days or more; housing: rent: 9 points, 20 rows"} {
		if !strings.Contains(html, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	for _, s := range []string{"<script", "<link", "<img", "src=", "href=", "url(", "@import", "council <flat>"} {
		if strings.Contains(html, s) {
			t.Errorf("page has %q: it must be self-contained and escaped", s)
		}
	}
	// Every cell of the first pair's table, in its row.
	for r, row := range m.Pairs[0].Points {
		var cells []string
		for _, v := range row {
			cells = append(cells, fmt.Sprintf(`<td class="n">%d</td>`, v))
		}
		if !strings.Contains(html, strings.Join(cells, "")) {
			t.Errorf("page lacks row %d of the first pair's table, %v", r, row)
		}
	}
}

// TestBinOrder: bins read in the order of their values, missing and other
// set apart at the end, whatever order the model stores them in.
func TestBinOrder(t *testing.T) {
	numeric := &model.Feature{Kind: model.Numeric, Bins: []model.Bin{
		{Lower: ptr(12)}, {Missing: true}, {Upper: ptr(0)}, {Lower: ptr(0), Upper: ptr(12)},
	}}
	boundedMissing := &model.Feature{Kind: model.Numeric, Bins: []model.Bin{
		{Lower: ptr(0)}, {Upper: ptr(0), Missing: true},
	}}
	categorical := &model.Feature{Kind: model.Categorical, Bins: []model.Bin{
		{Missing: true}, {Other: true}, {Categories: []string{"b"}}, {Categories: []string{"a"}},
	}}
	for _, tc := range []struct {
		name  string
		f     *model.Feature
		order []int
		apart int
	}{
		{"numeric", numeric, []int{2, 3, 0, 1}, 1},
		{"numeric, missing bin with bounds", boundedMissing, []int{1, 0}, 0},
		{"categorical", categorical, []int{2, 3, 1, 0}, 2},
	} {
		order, apart := binOrder(tc.f)
		if !slices.Equal(order, tc.order) || apart != tc.apart {
			t.Errorf("%s: order %v, %d apart; want %v, %d", tc.name, order, apart, tc.order, tc.apart)
		}
	}
}
