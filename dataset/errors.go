package dataset

import (
	"encoding/csv"
	"errors"
	"fmt"
	"strings"

	"github.com/opencredit/opencredit"
)

// fail returns the error for one problem in the file, in the form
//
//	<file>: line <line>, column "<col>": <reason>
//
// leaving out the line when it is 0 and the column when it is "".
func (rd *reading) fail(line int, col string, format string, args ...any) error {
	var b strings.Builder
	b.WriteString(rd.name)
	sep := ": "
	if line > 0 {
		fmt.Fprintf(&b, ": line %d", line)
		sep = ", "
	}
	if col != "" {
		fmt.Fprintf(&b, "%scolumn %q", sep, col)
	}
	b.WriteString(": ")
	fmt.Fprintf(&b, format, args...)
	return &opencredit.Error{Code: opencredit.EINVALID, Message: b.String()}
}

// readError turns an error from csv.Reader.Read into our message format.
func (rd *reading) readError(err error) error {
	var long *lineTooLong
	var pe *csv.ParseError
	isParse := errors.As(err, &pe)
	switch {
	case errors.As(err, &long):
	case isParse && rd.lim.err != nil && pe.Line >= rd.lim.err.line:
		// The parser saw a line cut short by the limiter; the cut is the
		// real problem.
		long = rd.lim.err
	}
	if long != nil {
		return rd.fail(0, "", "line %d is longer than %d bytes", long.line, long.max)
	}
	if !isParse {
		return rd.fail(0, "", "reading failed: %v", err)
	}
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return rd.fail(pe.Line, "", `a quote (") inside an unquoted field, at byte %d; quote the whole field and double each quote in it`, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine != pe.Line:
		return rd.fail(pe.Line, "", `a quoted field that starts on line %d is not closed properly, at byte %d (an unescaped " or a missing closing ")`, pe.StartLine, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		return rd.fail(pe.Line, "", `a quoted field is not closed properly, at byte %d (an unescaped " or a missing closing ")`, pe.Column)
	}
	return rd.fail(pe.Line, "", "%v", pe.Err)
}

// plural returns "1 field" or "n fields".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
