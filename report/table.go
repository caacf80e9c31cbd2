package report

import (
	"io"
	"strings"
	"unicode/utf8"
)

// column is one column of a table.
type column struct {
	name  string
	right bool // numbers are right-aligned
	// max cuts longer cells in text, so that tables fit a terminal; the HTML
	// report shows them whole. 0 is no limit.
	max int
	// textOnly columns (bars of '#') are left out of HTML, which has charts.
	textOnly bool
}

func left(name string) column  { return column{name: name} }
func right(name string) column { return column{name: name, right: true} }

// cut returns a column that cuts cells to n runes in text.
func (c column) cut(n int) column { c.max = n; return c }

// table holds rows of text cells, written aligned for a terminal (write) or
// as an HTML table (view, rendered by the "table" template).
type table struct {
	cols    []column
	rows    [][]string
	classes []string // a CSS class per row, "" for none
}

func newTable(cols ...column) *table { return &table{cols: cols} }

// add appends a row; missing cells are blank.
func (t *table) add(cells ...string) { t.addClass("", cells...) }

// addClass appends a row that HTML marks with a CSS class.
func (t *table) addClass(class string, cells ...string) {
	t.rows = append(t.rows, cells)
	t.classes = append(t.classes, class)
}

func (t *table) cell(r []string, c int) string {
	if c < len(r) {
		return r[c]
	}
	return ""
}

// write prints the table with each line indented, two spaces between
// columns and no trailing spaces.
func (t *table) write(w io.Writer, indent string) {
	cells := make([][]string, 0, len(t.rows)+1)
	header := make([]string, len(t.cols))
	for c, col := range t.cols {
		header[c] = col.name
	}
	cells = append(cells, header)
	for _, r := range t.rows {
		row := make([]string, len(t.cols))
		for c, col := range t.cols {
			row[c] = t.cell(r, c)
			if col.max > 0 {
				row[c] = truncate(row[c], col.max)
			}
		}
		cells = append(cells, row)
	}
	width := make([]int, len(t.cols))
	for _, r := range cells {
		for c := range t.cols {
			width[c] = max(width[c], utf8.RuneCountInString(r[c]))
		}
	}
	for _, r := range cells {
		var b strings.Builder
		b.WriteString(indent)
		for c, col := range t.cols {
			pad := strings.Repeat(" ", width[c]-utf8.RuneCountInString(r[c]))
			if c > 0 {
				b.WriteString("  ")
			}
			if col.right {
				b.WriteString(pad + r[c])
			} else {
				b.WriteString(r[c] + pad)
			}
		}
		io.WriteString(w, strings.TrimRight(b.String(), " ")+"\n")
	}
}

// htmlTable is a table ready for the "table" template.
type htmlTable struct {
	Head []htmlCell
	Rows []htmlRow
}

type htmlRow struct {
	Class string
	Cells []htmlCell
}

type htmlCell struct {
	Text  string
	Class string // "n" for a number
}

// view returns the table for the "table" template, without text-only columns.
func (t *table) view() htmlTable {
	var v htmlTable
	class := func(col column) string {
		if col.right {
			return "n"
		}
		return ""
	}
	for _, col := range t.cols {
		if !col.textOnly {
			v.Head = append(v.Head, htmlCell{Text: col.name, Class: class(col)})
		}
	}
	for i, r := range t.rows {
		row := htmlRow{Class: t.classes[i]}
		for c, col := range t.cols {
			if !col.textOnly {
				row.Cells = append(row.Cells, htmlCell{Text: t.cell(r, c), Class: class(col)})
			}
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}
