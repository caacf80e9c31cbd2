package dataset

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/opencredit/opencredit"
)

// ReadFile reads the CSV file at path as ReadCSV does, naming it path in
// messages.
func ReadFile(path string, opt Options) (*Frame, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is already at the start of the message
		}
		return nil, opencredit.Errorf(opencredit.EINVALID, "%s: cannot open: %v", path, err)
	}
	defer f.Close()
	return ReadCSV(f, path, opt)
}

// ReadCSV reads a whole CSV file from r into a Frame, as docs/dataset.md
// describes. name is the file name used in messages; "" gives "input". Every
// error is an *opencredit.Error with code EINVALID.
func ReadCSV(r io.Reader, name string, opt Options) (*Frame, error) {
	if name == "" {
		name = "input"
	}
	rd := &reading{name: name, opt: opt}
	return rd.read(r)
}

// reading is the state of one ReadCSV call.
type reading struct {
	name string
	opt  Options
	lim  *lineLimiter
	cr   *csv.Reader
}

var bom = []byte("\xef\xbb\xbf")

func (rd *reading) read(r io.Reader) (*Frame, error) {
	sep := rd.opt.Sep
	if sep == 0 {
		sep = ','
	}
	if sep != ',' && sep != ';' && sep != '\t' {
		return nil, rd.fail(0, "", "separator %q is not supported; use ',', ';' or a tab", sep)
	}
	maxLine := rd.opt.MaxLineBytes
	if maxLine == 0 {
		maxLine = DefaultMaxLineBytes
	}
	if maxLine < 0 {
		return nil, rd.fail(0, "", "MaxLineBytes is %d; it must be positive, or 0 for the default", maxLine)
	}
	if rd.opt.RequireTarget && rd.opt.Target == "" {
		return nil, rd.fail(0, "", "no target column was named, and training needs one")
	}

	h := sha256.New()
	rd.lim = &lineLimiter{r: io.TeeReader(r, h), max: maxLine}
	// csv.NewReader keeps a *bufio.Reader it is given, so the BOM skipped
	// here stays skipped.
	br := bufio.NewReaderSize(rd.lim, 64<<10)
	if b, err := br.Peek(len(bom)); err == nil && bytes.Equal(b, bom) {
		br.Discard(len(bom))
	}
	rd.cr = csv.NewReader(br)
	rd.cr.Comma = sep
	rd.cr.FieldsPerRecord = -1
	rd.cr.LazyQuotes = false
	rd.cr.ReuseRecord = true

	s, err := rd.readHeader()
	if err != nil {
		return nil, err
	}
	f := &Frame{File: rd.name, Header: s.names}
	if err := rd.readRows(s, f); err != nil {
		return nil, err
	}
	f.SHA256 = hex.EncodeToString(h.Sum(nil))
	return f, nil
}

// readHeader reads and checks the header, then assigns roles.
func (rd *reading) readHeader() (*schema, error) {
	rec, err := rd.cr.Read()
	if err == io.EOF {
		return nil, rd.fail(0, "", "no header row")
	}
	if err != nil {
		return nil, rd.readError(err)
	}
	names := make([]string, len(rec))
	index := make(map[string]int, len(rec))
	for j, raw := range rec {
		line, _ := rd.cr.FieldPos(j)
		if !utf8.ValidString(raw) {
			return nil, rd.fail(line, "", "the name of column %d is not valid UTF-8", j+1)
		}
		name := strings.TrimSpace(raw)
		if name == "" {
			return nil, rd.fail(line, "", "column %d has an empty name", j+1)
		}
		if k, dup := index[name]; dup {
			return nil, rd.fail(line, name, "duplicate column name, at columns %d and %d", k+1, j+1)
		}
		index[name] = j
		names[j] = strings.Clone(name)
	}
	return rd.assignRoles(names, index)
}

// readRows reads every data row into f and settles the kinds of its columns.
func (rd *reading) readRows(s *schema, f *Frame) error {
	cols := make([]*builder, len(s.names))
	for j, r := range s.roles {
		if r == roleFeature || r == roleAudit {
			cols[j] = newBuilder(s.names[j], j, s.kinds[j])
		}
	}
	if s.target >= 0 {
		f.TargetName = s.names[s.target]
		f.Y = []float64{}
	}
	if s.id >= 0 {
		f.IDs = []string{}
	}

	for {
		rec, err := rd.cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return rd.readError(err)
		}
		line, _ := rd.cr.FieldPos(0)
		if len(rec) != len(s.names) {
			return rd.fail(0, "", "line %d has %s, the header has %d", line, plural(len(rec), "field"), len(s.names))
		}
		f.Lines = push(f.Lines, line)
		for j, v := range rec {
			r := s.roles[j]
			if r == roleExcluded {
				continue
			}
			if !utf8.ValidString(v) {
				return rd.fail(rd.fieldLine(j), s.names[j], "the value is not valid UTF-8")
			}
			v = strings.TrimSpace(v)
			switch r {
			case roleTarget:
				y, err := rd.targetValue(v, j, s.names[j])
				if err != nil {
					return err
				}
				f.Y = push(f.Y, y)
			case roleID:
				f.IDs = push(f.IDs, strings.Clone(v))
			default:
				b := cols[j]
				switch b.add(v) {
				case infinite:
					if b.infLine == 0 {
						b.infLine, b.infVal = rd.fieldLine(j), v
					}
				case notNumber:
					return rd.fail(rd.fieldLine(j), s.names[j], "%q is not a number, and the column is declared %s", shown(v), Numeric)
				}
			}
		}
	}
	if len(f.Lines) == 0 {
		return rd.fail(0, "", "no data rows")
	}

	for j, b := range cols {
		if b == nil {
			continue
		}
		if line, v := b.finish(); line > 0 {
			return rd.fail(line, s.names[j], "infinite value %q; a numeric column must hold finite numbers", shown(v))
		}
		if s.roles[j] == roleFeature {
			f.Features = append(f.Features, b.col)
		}
	}
	for _, j := range s.audit {
		f.Audit = append(f.Audit, cols[j].col)
	}
	if rd.opt.RequireTarget {
		return rd.checkTraining(f)
	}
	return nil
}

// targetValue reads one target value: 0 or 1, written as any number equal to
// them ("0", "1.0", ...).
func (rd *reading) targetValue(v string, j int, name string) (float64, error) {
	if isMissing(v) {
		return 0, rd.fail(rd.fieldLine(j), name, "the target value is missing; every row needs 0 or 1")
	}
	y, err := strconv.ParseFloat(v, 64)
	if err != nil || (y != 0 && y != 1) {
		return 0, rd.fail(rd.fieldLine(j), name, "target value %q is not 0 or 1", shown(v))
	}
	return y, nil
}

// checkTraining refuses what a model cannot be trained on: a target with one
// class, no features, and features that carry no information.
func (rd *reading) checkTraining(f *Frame) error {
	var ones int
	for _, y := range f.Y {
		if y == 1 {
			ones++
		}
	}
	if zeros := len(f.Y) - ones; zeros == 0 || ones == 0 {
		return rd.fail(0, f.TargetName, "the target has one class only (%d rows are 0, %d are 1); training needs both", zeros, ones)
	}
	if len(f.Features) == 0 {
		return rd.fail(0, "", "no feature columns are left once the target, id, excluded and audit columns are set aside")
	}
	for _, c := range f.Features {
		if allMissing(c) {
			return rd.fail(0, c.Name, "every value is missing; drop the column with --exclude %s", c.Name)
		}
		if v, ok := constant(c); ok {
			return rd.fail(0, c.Name, "every row has the same value %q; drop the column with --exclude %s", shown(v), c.Name)
		}
	}
	return nil
}

// fieldLine returns the physical line on which field j of the last record
// starts.
func (rd *reading) fieldLine(j int) int {
	line, _ := rd.cr.FieldPos(j)
	return line
}
