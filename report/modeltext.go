package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

// Widths at which names and bin labels are cut in text tables, so that a
// table fits a 100-column terminal; the HTML report shows them whole.
const (
	nameWidth  = 28
	labelWidth = 36
	textWidth  = 96
)

// WriteModelText writes the model for a terminal: its provenance and scaling,
// the scorecard (points per bin), the features and pairs of each dimension,
// the binning table of every feature, the points table of every pair and
// the candidate features that were dropped, with the reason.
func WriteModelText(w io.Writer, m *model.Model) error {
	ew := &errWriter{w: w}
	for _, f := range modelFacts(m) {
		ew.printf("%s\n", wrap(f.Name+": "+f.Value, textWidth, "  "))
	}
	ew.printf("\n%s\n", scorecardCaption(m))
	scorecardTable(m).write(ew, "  ")
	ew.printf("\nDimensions (points: %s)\n", dimensionNote(m))
	dimensionTable(m).write(ew, "  ")
	ew.printf("\nBinning\n")
	for j := range m.Features {
		f := &m.Features[j]
		ew.printf("\n  %s\n", wrap(f.Name+": "+featureAbout(m, f), textWidth-2, "    "))
		binningTable(f).write(ew, "  ")
	}
	if len(m.Pairs) > 0 {
		ew.printf("\nPairs\n%s\n", wrap(pairsNote, textWidth, ""))
		for i := range m.Pairs {
			writePairText(ew, &m.Pairs[i])
		}
	}
	if len(m.Dropped) > 0 {
		ew.printf("\nDropped features\n")
		droppedTable(m).write(ew, "  ")
	}
	return ew.err
}

// fact is one line of a model's description.
type fact struct{ Name, Value string }

// modelFacts describes where a model came from and how it scales.
func modelFacts(m *model.Model) []fact {
	kind := m.Kind
	if kind == "" {
		kind = "model"
	}
	if m.Target != "" {
		kind += fmt.Sprintf(", target %q", m.Target)
	}
	if !m.CreatedAt.IsZero() {
		kind += ", created " + m.CreatedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	if m.ToolVersion != "" {
		kind += ", " + m.ToolVersion
	}
	facts := []fact{
		{"Model", kind},
		{"Scaling", m.Scaling.String() + scaleNote(m)},
		{"Base points", strconv.Itoa(m.BasePoints)},
		{"Intercept", fmt.Sprintf("%.4f (log-odds of default)", m.Intercept)},
	}
	var bands []string
	for k, b := range m.Bands {
		hi := m.Scaling.Max
		if k+1 < len(m.Bands) {
			hi = m.Bands[k+1].Min - 1
		}
		bands = append(bands, b.Name+" "+scoreRange(b.Min, hi))
	}
	facts = append(facts, fact{"Bands", strings.Join(bands, ", ")})

	tr := m.Training
	training := fmt.Sprintf("%s, %d rows, %d bads", orDash(tr.File), tr.Rows, tr.Bads)
	if tr.SHA256 != "" {
		training += ", sha256 " + truncate(tr.SHA256, 13)
	}
	facts = append(facts, fact{"Training", training})
	if len(tr.Excluded) > 0 {
		facts = append(facts, fact{"Excluded columns", strings.Join(tr.Excluded, ", ")})
	}
	if len(tr.Audit) > 0 {
		facts = append(facts, fact{"Audit-only columns (never scored)", strings.Join(tr.Audit, ", ")})
	}
	if len(tr.Options) > 0 {
		facts = append(facts, fact{"Options", joinSorted(tr.Options, func(x any) string { return fmt.Sprint(x) })})
	}
	if len(m.Metrics) > 0 {
		facts = append(facts, fact{"Training metrics", joinSorted(m.Metrics, func(x float64) string { return fixed(Float(x), 4) })})
	}
	if len(m.Pairs) > 0 {
		names := make([]string, len(m.Pairs))
		for i := range m.Pairs {
			names[i] = m.Pairs[i].Name()
		}
		facts = append(facts, fact{"Pairs", strings.Join(names, ", ")})
	}
	if note := pairsChosenNote(m); note != "" {
		facts = append(facts, fact{"Pairs chosen", note})
	}
	return facts
}

// option is the training option name as a number: a float64 once the model
// has been through JSON, an int or a float64 as training set it; 0 when it
// is neither.
func option(m *model.Model, name string) float64 {
	switch v := m.Training.Options[name].(type) {
	case float64:
		return v
	case int:
		return float64(v)
	}
	return 0
}

// pairsChosenNote says how many pairs the data chose and why, when the
// model grew its pairs in waves (ebm.Config.InteractionWave).
func pairsChosenNote(m *model.Model) string {
	tried, kept := int(m.Metrics["pair_waves_tried"]), int(m.Metrics["pair_waves_kept"])
	wave, most, z := option(m, "interaction_wave"), option(m, "interactions"), option(m, "wave_z")
	if tried == 0 || wave <= 0 {
		return ""
	}
	var falls []string
	for w := 1; w <= tried; w++ {
		gain, se := m.Metrics[fmt.Sprintf("pair_wave_%d_gain", w)], m.Metrics[fmt.Sprintf("pair_wave_%d_se", w)]
		f := fixed(Float(gain), 4)
		if se > 0 {
			f += fmt.Sprintf(" (%.1f SE)", gain/se)
		}
		falls = append(falls, f)
	}
	why := "the first is always kept"
	if tried > kept {
		why += fmt.Sprintf("; wave %d fell by no more than %s standard errors and ended the growth", kept+1, fixed(Float(z), 1))
	} else if kept > 0 {
		why += "; every wave was kept, up to the most pairs allowed"
	}
	return fmt.Sprintf("%d of at most %d, grown in waves of %d: %d tried, %d kept (%s). Fall of the validation log-loss per wave: %s",
		len(m.Pairs), int(most), int(wave), tried, kept, why, strings.Join(falls, ", "))
}

func scorecardCaption(m *model.Model) string {
	pairs := ""
	if len(m.Pairs) > 0 {
		pairs = " and each pair's cell"
	}
	return fmt.Sprintf("Scorecard: score = %d + the points of each feature's bin%s, clipped to %d–%d",
		m.BasePoints, pairs, m.Scaling.Min, m.Scaling.Max)
}

// dimensionNote says what the points of the dimension table are.
func dimensionNote(m *model.Model) string {
	if len(m.Pairs) > 0 {
		return "the most a feature's bins or a pair's cells differ, summed"
	}
	return "the most a feature's bins differ, summed"
}

// scorecardTable lists the points of every bin of every feature.
func scorecardTable(m *model.Model) *table {
	t := newTable(left("feature").cut(nameWidth), left("bin").cut(labelWidth), right("points"))
	for j := range m.Features {
		f := &m.Features[j]
		for k, b := range f.Bins {
			name := ""
			if k == 0 {
				name = f.Name
			}
			t.add(name, f.BinLabel(k), strconv.Itoa(b.Points))
		}
	}
	return t
}

// dimensionTable lists the five dimensions in display order with their
// features and pairs, then those no dimension holds. A dimension's points
// are the most its terms' points can differ: what its sub-score is out of
// (model.DimensionScore.Max).
func dimensionTable(m *model.Model) *table {
	t := newTable(left("dimension"), right("points"), left("feature").cut(nameWidth))
	for _, d := range opencredit.Dimensions {
		var names []string
		points := 0
		for j := range m.Features {
			if f := &m.Features[j]; f.Dimension == string(d) {
				names = append(names, f.Name)
				points += f.MaxPoints() - f.MinPoints()
			}
		}
		for i := range m.Pairs {
			if p := &m.Pairs[i]; p.Dimension == string(d) {
				names = append(names, p.Name())
				points += p.MaxPoints() - p.MinPoints()
			}
		}
		if len(names) == 0 {
			t.add(string(d), "—", "—")
			continue
		}
		for k, name := range names {
			if k == 0 {
				t.add(string(d), strconv.Itoa(points), name)
			} else {
				t.add("", "", name)
			}
		}
	}
	unassigned := append([]string(nil), m.Unassigned...)
	for _, f := range m.Features {
		if f.Dimension == "" && !contains(unassigned, f.Name) {
			unassigned = append(unassigned, f.Name)
		}
	}
	for i := range m.Pairs {
		if p := &m.Pairs[i]; p.Dimension == "" && !contains(unassigned, p.Name()) {
			unassigned = append(unassigned, p.Name())
		}
	}
	for k, name := range unassigned {
		d := ""
		if k == 0 {
			d = "unassigned"
		}
		t.add(d, "", name)
	}
	return t
}

// featureAbout describes a feature of m in one line, with how it is
// computed when it is a derived characteristic.
func featureAbout(m *model.Model, f *model.Feature) string {
	about := []string{orDash(f.Dimension), f.Kind, "IV " + fixed(Float(f.IV), 4)}
	if f.Coefficient != 0 {
		about = append(about, "coefficient "+fixed(Float(f.Coefficient), 4))
	}
	if f.Trend != "" {
		about = append(about, "trend "+f.Trend)
	}
	if f.Label != "" {
		about = append(about, "“"+f.Label+"”")
	}
	if def := m.Definition(f.Name); def != "" {
		about = append(about, "derived: "+def)
	}
	return strings.Join(about, ", ")
}

// binningTable lists a feature's bins with their counts, WoE, IV and points,
// and a total row.
func binningTable(f *model.Feature) *table {
	t := newTable(left("bin").cut(labelWidth), right("count"), right("goods"), right("bads"), right("bad rate"),
		right("WoE"), right("IV"), right("points"))
	var count, goods, bads int
	for k, b := range f.Bins {
		t.add(f.BinLabel(k), strconv.Itoa(b.Count), strconv.Itoa(b.Goods), strconv.Itoa(b.Bads),
			pct(Float(b.BadRate)), fixed(Float(b.WoE), 4), fixed(Float(b.IV), 4), strconv.Itoa(b.Points))
		count, goods, bads = count+b.Count, goods+b.Goods, bads+b.Bads
	}
	rate := NaN
	if count > 0 {
		rate = Float(float64(bads) / float64(count))
	}
	t.addClass("total", "total", strconv.Itoa(count), strconv.Itoa(goods), strconv.Itoa(bads), pct(rate), "",
		fixed(Float(f.IV), 4), "")
	return t
}

// droppedTable lists the candidate features left out of the model, and why.
func droppedTable(m *model.Model) *table {
	t := newTable(left("feature").cut(nameWidth), right("IV"), left("reason"))
	for _, d := range m.Dropped {
		iv := ""
		if d.IV != 0 {
			iv = fixed(Float(d.IV), 4)
		}
		t.add(d.Feature, iv, d.Reason)
	}
	return t
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// joinSorted prints a map as "k1 v1, k2 v2" in key order.
func joinSorted[V any](m map[string]V, format func(V) string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + format(m[k])
	}
	return strings.Join(parts, ", ")
}

// wrap breaks s into lines of at most width runes at spaces, indenting the
// continuation lines.
func wrap(s string, width int, indent string) string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case len([]rune(line))+1+len([]rune(word)) > width:
			lines = append(lines, line)
			line = indent + word
		default:
			line += " " + word
		}
	}
	return strings.Join(append(lines, line), "\n")
}

// scaleNote says how the scale was chosen and how many training rows it
// left at either end, when the model records it.
func scaleNote(m *model.Model) string {
	var note string
	if tail, ok := m.Training.Options["scale_tail"].(float64); ok && tail > 0 {
		note = fmt.Sprintf("; fitted to the training rows, at most about %.1f%% at either end", 100*tail)
	}
	floor, okF := m.Metrics["train_floor_share"]
	ceiling, okC := m.Metrics["train_ceiling_share"]
	if okF && okC {
		note += fmt.Sprintf("; training rows at the floor %.1f%%, at the ceiling %.1f%%", 100*floor, 100*ceiling)
	}
	return note
}
