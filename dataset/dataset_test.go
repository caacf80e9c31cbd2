package dataset_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dataset"
)

// read reads src as a file called "t.csv".
func read(src string, opt dataset.Options) (*dataset.Frame, error) {
	return dataset.ReadCSV(strings.NewReader(src), "t.csv", opt)
}

// train is the Options of a training command on the small test files.
var train = dataset.Options{Target: "y", RequireTarget: true}

// checkInvalid fails unless err is an *opencredit.Error with code EINVALID
// whose message starts with the file name and contains every want.
func checkInvalid(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", want)
	}
	var e *opencredit.Error
	if !errors.As(err, &e) || e.Code != opencredit.EINVALID {
		t.Fatalf("error %v (%T) is not an *opencredit.Error with code EINVALID", err, err)
	}
	if !strings.HasPrefix(e.Message, "t.csv: ") {
		t.Errorf("message %q does not start with the file name", e.Message)
	}
	for _, w := range want {
		if !strings.Contains(e.Message, w) {
			t.Errorf("message %q does not contain %q", e.Message, w)
		}
	}
}

func TestReadCSVErrors(t *testing.T) {
	long := strings.Repeat("z", 100)
	tests := []struct {
		name string
		src  string
		opt  dataset.Options
		want []string
	}{
		{"empty file", "", train, []string{"t.csv: no header row"}},
		{"blank lines only", "\n\n\r\n", train, []string{"no header row"}},
		{"BOM only", "\ufeff", train, []string{"no header row"}},
		{"header only", "a,y\n", train, []string{"t.csv: no data rows"}},
		{"header only without target", "a,b", dataset.Options{}, []string{"no data rows"}},
		{"missing target column", "a,b\n1,0\n", train, []string{`t.csv: column "y": target column is not in the header`}},
		{"target column in another case", "a,Y\n1,0\n", train, []string{`column "y"`, `(the header has "Y")`}},
		{"no target named", "a,y\n1,0\n", dataset.Options{RequireTarget: true}, []string{"no target column"}},
		{"non-binary target", "a,y\n1,0\n2,2\n", train, []string{`t.csv: line 3, column "y": target value "2" is not 0 or 1`}},
		{"text target", "a,y\n1,0\n2,yes\n", train, []string{`line 3, column "y"`, `"yes"`}},
		{"target value cut to 40 characters", "a,y\n1," + long + "\n", train, []string{`line 2, column "y"`, `"` + long[:40] + `…"`}},
		{"non-binary target when not required", "a,y\n1,0.5\n", dataset.Options{Target: "y"}, []string{`line 2, column "y"`, `"0.5"`}},
		{"missing target value", "a,y\n1,0\n2,\n3,1\n", train, []string{`line 3, column "y": the target value is missing`}},
		{"NA target value", "a,y\n1,0\n2,NA\n", train, []string{`line 3, column "y"`, "missing"}},
		{"single class", "a,y\n1,0\n2,0\n3,0\n", train, []string{`column "y"`, "one class only (3 rows are 0, 0 are 1)"}},
		{"single class of ones", "a,y\n1,1\n2,1\n", train, []string{"(0 rows are 0, 2 are 1)"}},
		{"ragged row, short", "a,b,y\n1,2,0\n1,0\n", train, []string{"t.csv: line 3 has 2 fields, the header has 3"}},
		{"ragged row, long", "a,y\n1,0\n1,2,0\n", train, []string{"line 3 has 3 fields, the header has 2"}},
		{"ragged row after a blank line", "a,y\n1,0\n\n1\n", train, []string{"line 4 has 1 field, the header has 2"}},
		{"ragged row after a multi-line field", "a,y\n\"x\ny\",0\n1\n", train, []string{"line 4 has 1 field"}},
		{"non-UTF-8 value", "a,b,y\n1,ok,0\n2,\xff\xfe,1\n", train, []string{`t.csv: line 3, column "b": the value is not valid UTF-8`}},
		{"non-UTF-8 target", "a,y\n1,\xc3\n", train, []string{`line 2, column "y"`, "UTF-8"}},
		{"non-UTF-8 header", "a,b\xff,y\n1,2,0\n", train, []string{"t.csv: line 1: the name of column 2 is not valid UTF-8"}},
		{"duplicate column", "a,b,a,y\n1,2,3,0\n", train, []string{`t.csv: line 1, column "a": duplicate column name, at columns 1 and 3`}},
		{"duplicate column after trimming", "a, a ,y\n1,2,0\n", train, []string{`column "a"`, "columns 1 and 2"}},
		{"empty column name", "a,,y\n1,2,0\n", train, []string{"t.csv: line 1: column 2 has an empty name"}},
		{"blank column name", "a,y,  \n1,0,2\n", train, []string{"column 3 has an empty name"}},
		{"all-missing feature", "a,b,y\n1,,0\n2,NA,1\n", train, []string{`t.csv: column "b": every value is missing`, "--exclude b"}},
		{"constant numeric feature", "a,b,y\n1,7,0\n2,7.0,1\n", train, []string{`column "b": every row has the same value "7"`, "--exclude b"}},
		{"constant categorical feature", "a,b,y\n1,u,0\n2,u,1\n", train, []string{`column "b"`, `"u"`, "--exclude b"}},
		{"no features left", "id,a,y\n1,2,0\n2,3,1\n", dataset.Options{Target: "y", RequireTarget: true, Audit: []string{"a"}}, []string{"no feature columns"}},
		{"Inf string", "a,y\n1,0\nInf,1\n", train, []string{`t.csv: line 3, column "a": infinite value "Inf"`}},
		{"-Infinity string", "a,y\n1,0\n2,1\n-Infinity,1\n", train, []string{`line 4, column "a"`, "infinite"}},
		{"+inf string", "a,y\n+inf,0\n2,1\n", train, []string{`line 2, column "a"`, "infinite"}},
		{"overflowing number", "a,y\n1e999,0\n2,1\n", train, []string{`line 2, column "a": infinite value "1e999"`}},
		{"Inf in an audit column", "a,s,y\n1,Inf,0\n2,3,1\n", dataset.Options{Target: "y", Audit: []string{"s"}}, []string{`line 2, column "s"`, "infinite"}},
		{"Inf in a column forced numeric", "a,y\n1,0\n-inf,1\n", dataset.Options{Target: "y", Kinds: map[string]string{"a": dataset.Numeric}}, []string{`line 3, column "a"`, "infinite"}},
		{"line too long", "a,y\n1,0\n" + long + ",1\n", dataset.Options{MaxLineBytes: 64}, []string{"t.csv: line 3 is longer than 64 bytes"}},
		{"header too long", long + "\n1\n", dataset.Options{MaxLineBytes: 64}, []string{"line 1 is longer than 64 bytes"}},
		{"short row before a long line", "a,y\n1\n" + long + ",1\n", dataset.Options{MaxLineBytes: 64}, []string{"line 2 has 1 field"}},
		{"long line in a quoted field", "a,y\n\"1\n" + long + "\",1\n", dataset.Options{MaxLineBytes: 64}, []string{"line 3 is longer than 64 bytes"}},
		{"unknown id column", "a,y\n1,0\n", dataset.Options{ID: "key"}, []string{`t.csv: column "key": id column is not in the header`}},
		{"unknown excluded column", "a,y\n1,0\n", dataset.Options{Exclude: []string{"zip"}}, []string{`column "zip": excluded column is not in the header`}},
		{"unknown audit column", "a,y\n1,0\n", dataset.Options{Audit: []string{"sex"}}, []string{`column "sex": audit column is not in the header`}},
		{"unknown kind column", "a,y\n1,0\n", dataset.Options{Kinds: map[string]string{"b": dataset.Numeric}}, []string{`column "b": kind override names a column that is not in the header`}},
		{"audit and excluded", "a,sex,y\n1,2,0\n", dataset.Options{Exclude: []string{"sex"}, Audit: []string{"sex"}}, []string{`t.csv: column "sex": has two roles, excluded and audit`}},
		{"target and audit", "a,y\n1,0\n", dataset.Options{Target: "y", Audit: []string{"y"}}, []string{`column "y": has two roles, target and audit`}},
		{"target and id", "a,y\n1,0\n", dataset.Options{Target: "y", ID: "y"}, []string{`column "y": has two roles, target and id`}},
		{"id and excluded", "id,y\n1,0\n", dataset.Options{ID: "id", Exclude: []string{"id"}}, []string{`column "id": has two roles, id and excluded`}},
		{"audit listed twice", "a,s,y\n1,2,0\n", dataset.Options{Audit: []string{"s", "s"}}, []string{`column "s": listed twice as an audit column`}},
		{"kind on an excluded column", "a,b,y\n1,2,0\n", dataset.Options{Exclude: []string{"b"}, Kinds: map[string]string{"b": dataset.Numeric}}, []string{`column "b": kind override on a column that is excluded`}},
		{"kind on the detected id", "Id,b,y\n1,2,0\n", dataset.Options{Kinds: map[string]string{"Id": dataset.Categorical}}, []string{`column "Id": kind override on a column that is the id column`}},
		{"bad kind", "a,y\n1,0\n", dataset.Options{Kinds: map[string]string{"a": "float"}}, []string{`column "a": kind "float" is not "numeric" or "categorical"`}},
		{"kind on the target", "a,y\n1,0\n", dataset.Options{Target: "y", Kinds: map[string]string{"y": dataset.Categorical}}, []string{`column "y": kind override on a column that is the target`}},
		{"numeric override on text", "a,y\n1,0\n2,1\nabc,0\n", dataset.Options{Target: "y", Kinds: map[string]string{"a": dataset.Numeric}}, []string{`t.csv: line 4, column "a": "abc" is not a number`}},
		{"numeric override on text in a multi-line record", "y,note,a\n0,\"x\ny\",abc\n", dataset.Options{Kinds: map[string]string{"a": dataset.Numeric}}, []string{`line 3, column "a"`}},
		{"two id columns", "id,ID,y\n1,2,0\n", dataset.Options{}, []string{`columns "id" and "ID" could both be the id column`}},
		{"bare quote", "a,y\n1,0\n2 \"in\",1\n", train, []string{"t.csv: line 3: a quote", "byte 3"}},
		{"text after a closing quote", "a,y\n1,0\n\"2\"x,1\n", train, []string{"t.csv: line 3: a quoted field is not closed properly"}},
		{"unterminated quote", "a,y\n1,0\n\"2,1\n3,0\n", train, []string{"line 4: a quoted field that starts on line 3 is not closed properly"}},
		{"unsupported separator", "a|y\n1|0\n", dataset.Options{Sep: '|'}, []string{"t.csv: separator '|' is not supported"}},
		{"negative line limit", "a\n1\n", dataset.Options{MaxLineBytes: -1}, []string{"MaxLineBytes is -1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := read(tt.src, tt.opt)
			if err == nil {
				t.Fatalf("read %q: no error, got %d rows", tt.src, f.Rows())
			}
			checkInvalid(t, err, tt.want...)
			t.Log(err)
		})
	}
}

// endless is an input of a first line followed by an endless stream of 'a'
// and no newline: if ReadCSV did not stop at the line limit it would never
// return, or run out of memory trying.
type endless struct{ head string }

func (e *endless) Read(p []byte) (int, error) {
	n := copy(p, e.head)
	e.head = e.head[n:]
	for i := n; i < len(p); i++ {
		p[i] = 'a'
	}
	return len(p), nil
}

func TestReadCSVEndlessLine(t *testing.T) {
	tests := []struct {
		head string
		opt  dataset.Options
		want string
	}{
		{"", dataset.Options{}, "t.csv: line 1 is longer than 1048576 bytes"},
		{"a,y\n1,0\n", dataset.Options{}, "t.csv: line 3 is longer than 1048576 bytes"},
		{"a,y\r\n\r\n1,0\r\n\"", dataset.Options{MaxLineBytes: 10}, "t.csv: line 4 is longer than 10 bytes"},
	}
	for _, tt := range tests {
		_, err := dataset.ReadCSV(&endless{head: tt.head}, "t.csv", tt.opt)
		checkInvalid(t, err, tt.want)
	}
}

// A line of exactly MaxLineBytes bytes is accepted; one byte more is not.
func TestReadCSVLineLimitEdge(t *testing.T) {
	src := "abcdefgh\n12345678\n"
	if _, err := read(src, dataset.Options{MaxLineBytes: 8}); err != nil {
		t.Fatalf("8-byte lines, limit 8: %v", err)
	}
	_, err := read(src, dataset.Options{MaxLineBytes: 7})
	checkInvalid(t, err, "line 1 is longer than 7 bytes")
}

// errReader fails after its data, as a broken disk or connection would.
type errReader struct{ data string }

func (e *errReader) Read(p []byte) (int, error) {
	if e.data == "" {
		return 0, errors.New("connection reset")
	}
	n := copy(p, e.data)
	e.data = e.data[n:]
	return n, nil
}

func TestReadCSVReadError(t *testing.T) {
	_, err := dataset.ReadCSV(&errReader{data: "a,y\n1,0\n"}, "t.csv", dataset.Options{})
	checkInvalid(t, err, "connection reset")
}

func TestReadFileMissing(t *testing.T) {
	_, err := dataset.ReadFile(t.TempDir()+"/absent.csv", dataset.Options{})
	var e *opencredit.Error
	if !errors.As(err, &e) || e.Code != opencredit.EINVALID || !strings.Contains(e.Message, "absent.csv: cannot open") {
		t.Fatalf("err = %v, want EINVALID naming the file", err)
	}
}

func TestParseSep(t *testing.T) {
	tests := []struct {
		in   string
		want rune
		ok   bool
	}{
		{",", ',', true},
		{"comma", ',', true},
		{";", ';', true},
		{"semicolon", ';', true},
		{"Semicolon", ';', true},
		{"\t", '\t', true},
		{`\t`, '\t', true},
		{"tab", '\t', true},
		{"TAB", '\t', true},
		{"", 0, false},
		{"|", 0, false},
		{",,", 0, false},
		{"space", 0, false},
	}
	for _, tt := range tests {
		got, err := dataset.ParseSep(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseSep(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && opencredit.ErrorCode(err) != opencredit.EINVALID {
			t.Errorf("ParseSep(%q): code %q, want EINVALID", tt.in, opencredit.ErrorCode(err))
		}
	}
}
