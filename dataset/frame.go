package dataset

import (
	"fmt"
	"math"
)

// Column holds one column of a file, one entry per data row.
type Column struct {
	Name string // as in the header, without surrounding spaces
	Pos  int    // 0-based position in the header
	Kind string // Numeric or Categorical

	Num  []float64 // Numeric only: the values, NaN where missing
	Str  []string  // Categorical only: the values, "" exactly where missing
	Miss []bool    // true where the value is missing, for both kinds

	// Integer reports, for a Numeric column, that it has at least one value
	// and every value is a whole number.
	Integer bool
}

// Frame is a file read into columns. Every per-row slice, in the Frame and in
// its columns, has Rows() entries, and row i of one is row i of all.
type Frame struct {
	File   string   // the name used in messages
	SHA256 string   // hex SHA-256 of the bytes read, to tie a model to its data
	Header []string // every column name in file order, without surrounding spaces

	Features []*Column // candidate model inputs, in file order
	Audit    []*Column // protected attributes, in the order of Options.Audit

	TargetName string    // the target column's name, "" when Y is nil
	Y          []float64 // 0 or 1 per row; nil when the file has no target
	IDs        []string  // the id of each row; nil without an id column

	// Lines holds the 1-based physical line on which each data row starts.
	Lines []int
}

// Rows returns the number of data rows.
func (f *Frame) Rows() int { return len(f.Lines) }

// Feature returns the feature column called name, or nil if there is none.
func (f *Frame) Feature(name string) *Column {
	for _, c := range f.Features {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Subset returns a new Frame holding the given rows of f, in that order, as
// cross-validation folds need. Rows may repeat. The per-row data is copied,
// so changing one Frame does not change the other; File, SHA256 and each
// column's Kind and Integer are kept, so every fold has the schema of the
// file it came from. Subset panics if a row is out of range.
func (f *Frame) Subset(rows []int) *Frame {
	n := f.Rows()
	for _, i := range rows {
		if i < 0 || i >= n {
			panic(fmt.Sprintf("dataset: Subset row %d out of range [0,%d)", i, n))
		}
	}
	g := &Frame{
		File:       f.File,
		SHA256:     f.SHA256,
		Header:     append([]string(nil), f.Header...),
		TargetName: f.TargetName,
		Y:          pick(f.Y, rows),
		IDs:        pick(f.IDs, rows),
		Lines:      pick(f.Lines, rows),
	}
	g.Features = subsetColumns(f.Features, rows)
	g.Audit = subsetColumns(f.Audit, rows)
	return g
}

func subsetColumns(cols []*Column, rows []int) []*Column {
	if cols == nil {
		return nil
	}
	out := make([]*Column, len(cols))
	for k, c := range cols {
		out[k] = &Column{
			Name:    c.Name,
			Pos:     c.Pos,
			Kind:    c.Kind,
			Num:     pick(c.Num, rows),
			Str:     pick(c.Str, rows),
			Miss:    pick(c.Miss, rows),
			Integer: c.Integer,
		}
	}
	return out
}

// pick returns s[rows[0]], s[rows[1]], ... as a new slice; nil stays nil so
// that "no target" and "no ids" survive a Subset.
func pick[T any](s []T, rows []int) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(rows))
	for k, i := range rows {
		out[k] = s[i]
	}
	return out
}

// AddNumeric appends a numeric feature column computed from the others,
// such as a derived characteristic: num holds one value per row, NaN where
// missing. The name must not be a column of the file already. The column's
// position (Pos) is past the file's columns, and it is not in Header.
func (f *Frame) AddNumeric(name string, num []float64) (*Column, error) {
	if len(num) != f.Rows() {
		return nil, fmt.Errorf("dataset: column %q has %d values for %d rows", name, len(num), f.Rows())
	}
	for _, h := range f.Header {
		if h == name {
			return nil, fmt.Errorf("%s: %q is a column of the file already", f.File, name)
		}
	}
	if f.Feature(name) != nil {
		return nil, fmt.Errorf("%s: %q is a feature already", f.File, name)
	}
	c := &Column{Name: name, Pos: len(f.Header) + len(f.Features), Kind: Numeric, Num: num, Miss: make([]bool, len(num))}
	for i, x := range num {
		c.Miss[i] = math.IsNaN(x)
	}
	c.Integer = isInteger(c.Num, c.Miss)
	f.Features = append(f.Features, c)
	return c, nil
}

// AllMissing reports whether every value of c is missing.
func (c *Column) AllMissing() bool { return allMissing(c) }

// Constant reports whether c has no missing value and one distinct value.
func (c *Column) Constant() bool {
	_, ok := constant(c)
	return ok
}
