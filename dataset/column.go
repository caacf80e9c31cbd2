package dataset

import (
	"math"
	"slices"
	"strings"
)

// builder collects one feature or audit column while the file is read. The
// kind of a column is known only after its last row: a column of numbers may
// still turn out categorical when a label appears on its last line, and then
// its earlier values must become labels exactly as written. Keeping the text
// of every value for that rare case would double the work, so a numeric
// column keeps only the text of values its number does not give back
// ("007", "1.50", "+3"); the rest is rewritten from the numbers if needed.
// Once a column is categorical, its values are interned as they come.
type builder struct {
	col   *Column
	force string // Options.Kinds entry, or ""

	miss    []bool
	numeric bool // every value so far is missing or a number

	// While numeric: the numbers and, unless force is Numeric, the text of
	// the values canonical does not reproduce: row exc[k] was written as
	// text[ends[k-1]:ends[k]].
	num  []float64
	exc  []int
	text []byte
	ends []int

	// Once categorical: the values, each distinct label copied once.
	str    []string
	labels map[string]string

	infLine int    // line of the first infinite value, 0 if none yet
	infVal  string // that value
}

func newBuilder(name string, pos int, force string) *builder {
	b := &builder{
		col:     &Column{Name: name, Pos: pos},
		force:   force,
		numeric: force != Categorical,
	}
	if !b.numeric {
		b.labels = make(map[string]string)
	}
	return b
}

// add appends one trimmed value. It returns infinite for an infinite number,
// whose line the caller records, and notNumber for a value that is not a
// number in a column forced to be Numeric, which the caller reports, and
// finite for anything else, missing values and labels included.
func (b *builder) add(v string) numKind {
	m := isMissing(v)
	b.miss = push(b.miss, m)
	if !b.numeric {
		b.str = push(b.str, b.label(v, m))
		return finite
	}
	if m {
		b.num = push(b.num, math.NaN())
		return finite
	}
	x, k, canon := parseNumber(v)
	if k == notNumber {
		if b.force == Numeric {
			return notNumber
		}
		b.becomeCategorical(v)
		return finite
	}
	if !canon && b.force != Numeric {
		b.exc = push(b.exc, len(b.num))
		b.text = append(b.text, v...)
		b.ends = push(b.ends, len(b.text))
	}
	b.num = push(b.num, x)
	return k
}

// becomeCategorical turns the values so far into labels as they were
// written, and appends v, the first value that is not a number.
func (b *builder) becomeCategorical(v string) {
	b.labels = make(map[string]string)
	b.str = make([]string, len(b.num), cap(b.miss))
	var buf []byte
	k, start := 0, 0
	for i, x := range b.num {
		switch {
		case k < len(b.exc) && b.exc[k] == i:
			b.str[i] = b.labelBytes(b.text[start:b.ends[k]])
			start = b.ends[k]
			k++
		case !b.miss[i]:
			buf = canonical(buf[:0], x)
			b.str[i] = b.labelBytes(buf)
		}
	}
	b.str = append(b.str, b.label(v, false))
	b.numeric = false
	b.num, b.exc, b.text, b.ends = nil, nil, nil, nil
	b.infLine, b.infVal = 0, "" // "Inf" is a fine label
}

// label returns v as stored in Str: "" when missing, otherwise a copy shared
// by all equal values. The copy matters: v points into a whole record.
func (b *builder) label(v string, missing bool) string {
	if missing {
		return ""
	}
	s, ok := b.labels[v]
	if !ok {
		s = strings.Clone(v)
		b.labels[s] = s
	}
	return s
}

// labelBytes is label for a value that is not missing, held in bytes.
func (b *builder) labelBytes(v []byte) string {
	s, ok := b.labels[string(v)] // no allocation for a lookup
	if !ok {
		s = string(v)
		b.labels[s] = s
	}
	return s
}

// finish settles the kind of the column and fills it in. It returns the
// line and value of an infinite number in a Numeric column, or 0.
func (b *builder) finish() (badLine int, badVal string) {
	c := b.col
	c.Miss = b.miss
	if !b.numeric {
		c.Kind = Categorical
		c.Str = b.str
		return 0, ""
	}
	if b.infLine > 0 {
		return b.infLine, b.infVal
	}
	c.Kind = Numeric
	c.Num = b.num
	c.Integer = isInteger(c.Num, c.Miss)
	return 0, ""
}

// isInteger reports whether num has at least one value and all its values
// are whole numbers.
func isInteger(num []float64, miss []bool) bool {
	seen := false
	for i, x := range num {
		if miss[i] {
			continue
		}
		if x != math.Trunc(x) {
			return false
		}
		seen = true
	}
	return seen
}

// constant reports whether c has no missing value and one distinct value,
// and returns that value as text. A column that is partly missing is not
// constant: being missing can itself predict the outcome.
func constant(c *Column) (string, bool) {
	if len(c.Miss) == 0 {
		return "", false
	}
	for _, m := range c.Miss {
		if m {
			return "", false
		}
	}
	if c.Kind == Numeric {
		for _, x := range c.Num {
			if x != c.Num[0] {
				return "", false
			}
		}
		return formatNum(c.Num[0]), true
	}
	for _, s := range c.Str {
		if s != c.Str[0] {
			return "", false
		}
	}
	return c.Str[0], true
}

// allMissing reports whether every value of c is missing.
func allMissing(c *Column) bool {
	for _, m := range c.Miss {
		if !m {
			return false
		}
	}
	return true
}

// push appends v to s, doubling the capacity when it is full. append grows
// large slices by only a quarter, which for a column of many rows means
// copying it about five times over; doubling copies it about once.
func push[T any](s []T, v T) []T {
	if len(s) == cap(s) {
		s = slices.Grow(s, max(len(s), 256))
	}
	return append(s, v)
}
