package report

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/opencredit/opencredit/model"
)

// pairsNote heads the points tables of an explainable boosting machine's
// pairs (model.Pair) in both reports.
const pairsNote = "Rows are the bins of the first feature, columns those of the second. " +
	"A person earns the points of the cell their two values fall in, on top of each feature's."

// Widths in a text pair table: row labels, and column labels (the second
// feature's bins), which are cut shorter so that more columns fit.
const (
	pairRowWidth = 24
	pairColWidth = 14
)

// writePairText writes a pair's description and its points table, split
// into blocks of columns that fit a terminal when the second feature has
// many bins.
func writePairText(ew *errWriter, p *model.Pair) {
	ew.printf("\n  %s\n", wrap(p.Name()+": "+pairAbout(p), textWidth-2, "    "))
	blocks := pairColumnBlocks(p, textWidth-2)
	for _, b := range blocks {
		if len(blocks) > 1 {
			ew.printf("  %s bins %d–%d of %d\n", p.Features[1], b[0]+1, b[len(b)-1]+1, len(p.Axes[1].Bins))
		}
		pairTable(p, b, true).write(ew, "  ")
	}
}

// pairAbout describes a pair in one line, as featureAbout a feature.
func pairAbout(p *model.Pair) string {
	about := []string{orDash(p.Dimension), p.Axes[0].Kind + " × " + p.Axes[1].Kind,
		"points " + strconv.Itoa(p.MinPoints()) + "–" + strconv.Itoa(p.MaxPoints())}
	if p.Label != "" {
		about = append(about, "“"+p.Label+"”")
	}
	return strings.Join(about, ", ")
}

// pairTable lists the points of the cells of p: a row per bin of the first
// axis, a column per bin of the second among cols (positions in binOrder).
// cut shortens the labels for a terminal.
func pairTable(p *model.Pair, cols []int, cut bool) *table {
	fa, fb := axisFeature(p, 0), axisFeature(p, 1)
	rows, _ := binOrder(fa)
	across, _ := binOrder(fb)
	head := []column{left(pairCorner(p))}
	if cut {
		head[0] = left(truncate(pairCorner(p), pairRowWidth)).cut(pairRowWidth)
	}
	for _, c := range cols {
		label := fb.BinLabel(across[c])
		if cut {
			label = truncate(label, pairColWidth)
		}
		head = append(head, right(label))
	}
	t := newTable(head...)
	for _, r := range rows {
		cells := []string{fa.BinLabel(r)}
		for _, c := range cols {
			cells = append(cells, strconv.Itoa(p.Points[r][across[c]]))
		}
		t.add(cells...)
	}
	return t
}

// pairCorner heads the column of row labels: "rows \ columns".
func pairCorner(p *model.Pair) string { return p.Features[0] + " \\ " + p.Features[1] }

// pairColumnBlocks splits the columns of p's table (positions in binOrder of
// the second axis) into blocks whose text table is at most width wide.
func pairColumnBlocks(p *model.Pair, width int) [][]int {
	fa, fb := axisFeature(p, 0), axisFeature(p, 1)
	rows, _ := binOrder(fa)
	across, _ := binOrder(fb)
	first := utf8.RuneCountInString(truncate(pairCorner(p), pairRowWidth))
	for _, r := range rows {
		first = max(first, utf8.RuneCountInString(truncate(fa.BinLabel(r), pairRowWidth)))
	}
	var blocks [][]int
	var block []int
	used := first
	for c, bi := range across {
		w := utf8.RuneCountInString(truncate(fb.BinLabel(bi), pairColWidth))
		for _, r := range rows {
			w = max(w, len(strconv.Itoa(p.Points[r][bi])))
		}
		if len(block) > 0 && used+2+w > width {
			blocks = append(blocks, block)
			block, used = nil, first
		}
		block = append(block, c)
		used += 2 + w
	}
	return append(blocks, block)
}

// axisFeature returns axis k of p as a feature, for the labels and order of
// its bins.
func axisFeature(p *model.Pair, k int) *model.Feature {
	a := &p.Axes[k]
	return &model.Feature{Name: p.Features[k], Kind: a.Kind, Integer: a.Integer, Bins: a.Bins}
}

// binOrder returns the indexes of f's bins in reading order, and how many at
// the end are set apart because they hold no range or category of their
// own: a numeric feature's intervals by lower bound, then its missing bin;
// a categorical feature's category bins as stored, then the other bin, then
// the missing bin. A numeric missing bin with bounds is an interval.
func binOrder(f *model.Feature) (order []int, apart int) {
	var rest, other, missing []int
	for i, b := range f.Bins {
		switch {
		case f.Kind == model.Numeric && b.Missing && b.Lower == nil && b.Upper == nil:
			missing = append(missing, i)
		case f.Kind == model.Numeric:
			rest = append(rest, i)
		case b.Other:
			other = append(other, i)
		case b.Missing:
			missing = append(missing, i)
		default:
			rest = append(rest, i)
		}
	}
	if f.Kind == model.Numeric {
		slices.SortStableFunc(rest, func(a, b int) int { return model.CompareLower(&f.Bins[a], &f.Bins[b]) })
	}
	apart = len(other) + len(missing)
	return slices.Concat(rest, other, missing), apart
}
