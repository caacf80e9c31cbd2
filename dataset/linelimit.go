package dataset

import (
	"bytes"
	"fmt"
	"io"
)

// lineLimiter passes bytes through and fails once a physical line grows
// longer than max bytes, not counting its '\n'. encoding/csv buffers a whole
// line before it parses it, so without this an input with no newline would
// be held in memory whole; the limiter keeps only two counters, and stops
// reading at the first byte over the limit.
type lineLimiter struct {
	r     io.Reader
	max   int
	run   int          // bytes since the last '\n'
	lines int          // '\n' bytes passed through
	err   *lineTooLong // sticky once set: csv may read again after an error
}

// lineTooLong is the error lineLimiter returns; ReadCSV turns it into an
// *opencredit.Error.
type lineTooLong struct{ line, max int }

func (e *lineTooLong) Error() string {
	return fmt.Sprintf("line %d is longer than %d bytes", e.line, e.max)
}

func (l *lineLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	b := p[:n]
	for {
		i := bytes.IndexByte(b, '\n')
		seg := i
		if i < 0 {
			seg = len(b)
		}
		if l.run+seg > l.max {
			l.err = &lineTooLong{line: l.lines + 1, max: l.max}
			// Hand over the complete lines before the long one, so that
			// errors on them are still reported first and in order.
			return n - len(b), l.err
		}
		if i < 0 {
			l.run += len(b)
			return n, err
		}
		l.run = 0
		l.lines++
		b = b[i+1:]
	}
}
