package eventfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/opencredit/opencredit"
)

// Record is one event as read from the file: its raw JSON, or a problem.
type Record struct {
	Line     int    // 1-based line where the record starts
	Raw      []byte // the event as one JSON object; nil when TooLarge or Err is set
	TooLarge bool   // the line exceeds opencredit.MaxEventBytes
	Err      error  // the record could not be turned into an event (CSV layout errors)
}

// Reader yields the records of an event file.
type Reader interface {
	// Next returns the next record, or io.EOF.
	Next() (Record, error)
}

// Format is the layout of an event file.
type Format string

// Formats.
const (
	NDJSON Format = "ndjson"
	CSV    Format = "csv"
)

// FormatOf guesses the format from a file name: ".csv" is CSV, anything else NDJSON.
func FormatOf(name string) Format {
	if strings.HasSuffix(strings.ToLower(name), ".csv") {
		return CSV
	}
	return NDJSON
}

// NewReader returns a reader of the given format.
func NewReader(r io.Reader, f Format) (Reader, error) {
	switch f {
	case NDJSON:
		return &ndjsonReader{r: bufio.NewReaderSize(r, 1<<16)}, nil
	case CSV:
		return newCSVReader(r)
	}
	return nil, opencredit.Errorf(opencredit.EINVALID, "unknown event file format %q (want ndjson or csv)", f)
}

type ndjsonReader struct {
	r    *bufio.Reader
	line int
	buf  []byte
}

func (n *ndjsonReader) Next() (Record, error) {
	for {
		n.line++
		n.buf = n.buf[:0]
		tooLarge := false
		for {
			chunk, err := n.r.ReadSlice('\n')
			if !tooLarge {
				if len(n.buf)+len(chunk) > opencredit.MaxEventBytes+1 {
					tooLarge = true
					n.buf = n.buf[:0]
				} else {
					n.buf = append(n.buf, chunk...)
				}
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err == io.EOF {
				if len(n.buf) == 0 && !tooLarge {
					return Record{}, io.EOF
				}
				break
			}
			if err != nil {
				return Record{}, err
			}
			break
		}
		if tooLarge {
			return Record{Line: n.line, TooLarge: true}, nil
		}
		line := bytes.TrimSpace(n.buf)
		if len(line) == 0 {
			continue // blank lines separate nothing
		}
		return Record{Line: n.line, Raw: append([]byte(nil), line...)}, nil
	}
}

var csvHeader = []string{"id", "source", "type", "subject", "time", "data"}

type csvReader struct {
	r *csv.Reader
}

func newCSVReader(r io.Reader) (*csvReader, error) {
	c := csv.NewReader(r)
	c.FieldsPerRecord = -1
	c.ReuseRecord = true
	h, err := c.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, opencredit.Errorf(opencredit.EINVALID, "empty CSV event file: want the header %s", strings.Join(csvHeader, ","))
		}
		return nil, opencredit.Errorf(opencredit.EINVALID, "CSV event file header: %v", err)
	}
	if len(h) != len(csvHeader) {
		return nil, opencredit.Errorf(opencredit.EINVALID, "CSV event file header has %d columns, want %s", len(h), strings.Join(csvHeader, ","))
	}
	for i, name := range csvHeader {
		if strings.TrimSpace(strings.TrimPrefix(h[i], "\ufeff")) != name {
			return nil, opencredit.Errorf(opencredit.EINVALID, "CSV event file header column %d is %q, want %q (layout: %s)", i+1, h[i], name, strings.Join(csvHeader, ","))
		}
	}
	return &csvReader{r: c}, nil
}

func (c *csvReader) Next() (Record, error) {
	rec, err := c.r.Read()
	if errors.Is(err, io.EOF) {
		return Record{}, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Record{Line: pe.StartLine, Err: fmt.Errorf("CSV: %v", pe.Err)}, nil
	}
	if err != nil {
		return Record{}, err
	}
	line, _ := c.r.FieldPos(0)
	if len(rec) != len(csvHeader) {
		return Record{Line: line, Err: fmt.Errorf("%d fields, the layout has %d (%s)", len(rec), len(csvHeader), strings.Join(csvHeader, ","))}, nil
	}
	size := 0
	for _, f := range rec {
		size += len(f)
	}
	if size > opencredit.MaxEventBytes {
		return Record{Line: line, TooLarge: true}, nil
	}
	data := strings.TrimSpace(rec[5])
	if !json.Valid([]byte(data)) {
		return Record{Line: line, Err: fmt.Errorf(`column "data" is not valid JSON`)}, nil
	}
	env := map[string]json.RawMessage{"specversion": json.RawMessage(`"1.0"`), "data": json.RawMessage(data)}
	for i, name := range csvHeader[:5] {
		b, _ := json.Marshal(rec[i])
		env[name] = b
	}
	raw, err := json.Marshal(env)
	if err != nil {
		return Record{Line: line, Err: err}, nil
	}
	return Record{Line: line, Raw: raw}, nil
}
