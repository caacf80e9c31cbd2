package dataset

import (
	"strings"

	"github.com/opencredit/opencredit"
)

// The two kinds of column. A Numeric column holds numbers in Column.Num; a
// Categorical column holds labels in Column.Str.
const (
	Numeric     = "numeric"
	Categorical = "categorical"
)

// DefaultMaxLineBytes is the longest physical line ReadCSV accepts when
// Options.MaxLineBytes is 0.
const DefaultMaxLineBytes = 1 << 20

// NoID is the Options.ID value that turns off the detection of an id column.
const NoID = "-"

// Options says how to read a file and what role each column has. The zero
// value reads a comma-separated file with no target, an auto-detected id
// column and every other column a feature.
type Options struct {
	// Sep is the field separator: ',', ';' or '\t'. 0 means ','.
	Sep rune

	// Target names the 0/1 outcome column. When it is set but the column is
	// absent and RequireTarget is false, the file is read without a target.
	Target string

	// RequireTarget selects training mode: Target must name a column that is
	// 0 or 1 in every row and holds both classes, and feature columns that
	// are all missing or constant are errors.
	RequireTarget bool

	// ID names the column that identifies rows. When it is empty, a column
	// named "id" in any case becomes the id column if it has no other role;
	// NoID ("-") means the file has no id column.
	ID string

	// Exclude lists columns to skip entirely.
	Exclude []string

	// Audit lists protected attributes, kept in Frame.Audit for fairness
	// reports and never used as features.
	Audit []string

	// Kinds overrides the inferred kind (Numeric or Categorical) of feature
	// and audit columns, by column name.
	Kinds map[string]string

	// MaxLineBytes bounds the length of one physical line, not counting its
	// final '\n' (a '\r' before it counts). 0 means DefaultMaxLineBytes.
	MaxLineBytes int
}

// ParseSep turns a separator as a person would type it on a command line into
// the rune Options.Sep takes: ",", ";", a tab, or one of the words "comma",
// "semicolon" and "tab" (in any case). The two characters \t are also read as
// a tab, since that is what a shell passes for --sep '\t'.
func ParseSep(s string) (rune, error) {
	switch {
	case s == ",", strings.EqualFold(s, "comma"):
		return ',', nil
	case s == ";", strings.EqualFold(s, "semicolon"):
		return ';', nil
	case s == "\t", s == `\t`, strings.EqualFold(s, "tab"):
		return '\t', nil
	}
	return 0, opencredit.Errorf(opencredit.EINVALID, "separator %q is not supported; use \",\", \";\" or \"tab\"", s)
}
