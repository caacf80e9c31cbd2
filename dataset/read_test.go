package dataset_test

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/dataset"
)

func mustRead(t *testing.T, src string, opt dataset.Options) *dataset.Frame {
	t.Helper()
	f, err := read(src, opt)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func feature(t *testing.T, f *dataset.Frame, name string) *dataset.Column {
	t.Helper()
	c := f.Feature(name)
	if c == nil {
		t.Fatalf("no feature %q; features are %v", name, names(f.Features))
	}
	return c
}

func names(cols []*dataset.Column) []string {
	var s []string
	for _, c := range cols {
		s = append(s, c.Name)
	}
	return s
}

func TestKindInference(t *testing.T) {
	tests := []struct {
		name    string
		values  []string // one per row, written into column "v"
		kinds   map[string]string
		kind    string
		integer bool
		num     []float64 // for Numeric; NaN where missing
		str     []string  // for Categorical
	}{
		{"integers", []string{"1", "-2", "+3", "007"}, nil, dataset.Numeric, true, []float64{1, -2, 3, 7}, nil},
		{"decimals", []string{"1.5", " 2 ", "1e3", ".25"}, nil, dataset.Numeric, false, []float64{1.5, 2, 1000, 0.25}, nil},
		{"whole decimals", []string{"1.0", "2.00", "-3e2", "1e-400"}, nil, dataset.Numeric, true, []float64{1, 2, -300, 0}, nil},
		{"with missing", []string{"1", "", "NA", "2"}, nil, dataset.Numeric, true, []float64{1, math.NaN(), math.NaN(), 2}, nil},
		{"all missing", []string{"", "NA", "null", "N/A"}, nil, dataset.Numeric, false, []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}, nil},
		{"labels", []string{"A11", "A12", "", "A11"}, nil, dataset.Categorical, false, nil, []string{"A11", "A12", "", "A11"}},
		{"label after numbers", []string{"1", "2.50", "+3", "x"}, nil, dataset.Categorical, false, nil, []string{"1", "2.50", "+3", "x"}},
		{"label after missing numbers", []string{"007", "NaN", "1e8", "n/a"}, nil, dataset.Categorical, false, nil, []string{"007", "", "1e8", "n/a"}},
		{"Inf among labels", []string{"low", "Inf", "high", "Inf"}, nil, dataset.Categorical, false, nil, []string{"low", "Inf", "high", "Inf"}},
		{"Inf before a label", []string{"1", "Inf", "x", "2"}, nil, dataset.Categorical, false, nil, []string{"1", "Inf", "x", "2"}},
		{"Go number syntax is text", []string{"1_000", "0x1p4", "2", "3"}, nil, dataset.Categorical, false, nil, []string{"1_000", "0x1p4", "2", "3"}},
		{"forced categorical", []string{"1", "01", "1.0", "NA"}, map[string]string{"v": dataset.Categorical}, dataset.Categorical, false, nil, []string{"1", "01", "1.0", ""}},
		{"forced numeric", []string{"1", "2", "", "4"}, map[string]string{"v": dataset.Numeric}, dataset.Numeric, true, []float64{1, 2, math.NaN(), 4}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "v,y\n"
			for i, v := range tt.values {
				src += `"` + v + `",` + []string{"0", "1"}[i%2] + "\n"
			}
			f := mustRead(t, src, dataset.Options{Target: "y", Kinds: tt.kinds})
			c := feature(t, f, "v")
			if c.Kind != tt.kind || c.Integer != tt.integer {
				t.Fatalf("kind %s, integer %v; want %s, %v", c.Kind, c.Integer, tt.kind, tt.integer)
			}
			if tt.kind == dataset.Numeric {
				if c.Str != nil || !slices.EqualFunc(c.Num, tt.num, sameFloat) {
					t.Errorf("Num = %v, Str = %q; want Num %v", c.Num, c.Str, tt.num)
				}
			} else if c.Num != nil || !slices.Equal(c.Str, tt.str) {
				t.Errorf("Str = %q, Num = %v; want Str %q", c.Str, c.Num, tt.str)
			}
			for i, v := range tt.values {
				want := dataset.Numeric == c.Kind && math.IsNaN(tt.num[i]) || c.Kind == dataset.Categorical && tt.str[i] == ""
				if c.Miss[i] != want {
					t.Errorf("row %d (%q): Miss = %v, want %v", i, v, c.Miss[i], want)
				}
			}
		})
	}
}

func sameFloat(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func TestMissingValues(t *testing.T) {
	missing := []string{"", " ", "NA", "N/A", "NaN", "nan", "NAN", "null", "NULL", " NA "}
	present := []string{"na", "Null", "none", "-", "?", "0"}
	src := "num,cat,y\n"
	for i, v := range missing {
		src += `"` + v + `",` + `"` + v + `",` + []string{"0", "1"}[i%2] + "\n"
	}
	src += "1,a,0\n"
	f := mustRead(t, src, dataset.Options{Target: "y"})
	num, cat := feature(t, f, "num"), feature(t, f, "cat")
	if num.Kind != dataset.Numeric || cat.Kind != dataset.Categorical {
		t.Fatalf("kinds %s and %s, want numeric and categorical", num.Kind, cat.Kind)
	}
	for i, v := range missing {
		if !num.Miss[i] || !math.IsNaN(num.Num[i]) || !cat.Miss[i] || cat.Str[i] != "" {
			t.Errorf("%q is not missing in both kinds", v)
		}
	}

	src = "cat,y\n"
	for _, v := range present {
		src += v + ",0\n"
	}
	f = mustRead(t, src, dataset.Options{Target: "y"})
	cat = feature(t, f, "cat")
	for i, v := range present {
		if cat.Miss[i] || cat.Str[i] != v {
			t.Errorf("%q read as %q, missing %v; want it kept as a label", v, cat.Str[i], cat.Miss[i])
		}
	}
}

func TestSeparators(t *testing.T) {
	tests := []struct {
		name string
		sep  rune
		src  string
	}{
		{"comma", 0, "a,b,y\n1,\"x,z\",0\n2.5,w,1\n"},
		{"semicolon", ';', "a;b;y\n1;x,z;0\n2.5;w;1\n"},
		{"tab", '\t', "a\tb\ty\n1\tx,z\t0\n2.5\tw\t1\n"},
		{"quoted tab", '\t', "a\tb\ty\n1\t\"x,z\"\t0\n\"2.5\"\tw\t1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustRead(t, tt.src, dataset.Options{Sep: tt.sep, Target: "y", RequireTarget: true})
			if !slices.Equal(f.Header, []string{"a", "b", "y"}) {
				t.Fatalf("header %q", f.Header)
			}
			a, b := feature(t, f, "a"), feature(t, f, "b")
			if !slices.Equal(a.Num, []float64{1, 2.5}) || !slices.Equal(b.Str, []string{"x,z", "w"}) || !slices.Equal(f.Y, []float64{0, 1}) {
				t.Errorf("a = %v, b = %q, y = %v", a.Num, b.Str, f.Y)
			}
		})
	}
}

func TestQuotedFieldsAndLines(t *testing.T) {
	src := "id,note,x,y\r\n" + // line 1
		"1,\"hello, world\",1,0\r\n" + // 2
		"\r\n" + // 3, blank: skipped
		"2,\"two\nlines, and \"\"quotes\"\"\",2,1\n" + // 4-5
		"\"3\",plain,3,0\n" + // 6
		"\"4\n\",\"\n\n\",4,1" // 7-10, no final newline
	f := mustRead(t, src, dataset.Options{Target: "y"})
	if want := []int{2, 4, 6, 7}; !slices.Equal(f.Lines, want) {
		t.Errorf("Lines = %v, want %v", f.Lines, want)
	}
	if want := []string{"1", "2", "3", "4"}; !slices.Equal(f.IDs, want) {
		t.Errorf("IDs = %q, want %q", f.IDs, want)
	}
	// Values are trimmed, so the field made of line breaks is missing.
	note := feature(t, f, "note")
	if want := []string{"hello, world", "two\nlines, and \"quotes\"", "plain", ""}; !slices.Equal(note.Str, want) {
		t.Errorf("note = %q, want %q", note.Str, want)
	}

	// An error after the multi-line fields still names the right line.
	_, err := read(src+"\n5,x,5,2\n", dataset.Options{Target: "y"})
	checkInvalid(t, err, `line 11, column "y"`)
}

func TestBOMAndHash(t *testing.T) {
	src := "\ufeffa,y\n1,0\n2,1\n"
	f := mustRead(t, src, dataset.Options{Target: "y"})
	if f.Header[0] != "a" || f.Feature("a") == nil {
		t.Errorf("header %q: the BOM was not stripped", f.Header)
	}
	// The hash covers the bytes as read, BOM included.
	sum := sha256.Sum256([]byte(src))
	if want := hex.EncodeToString(sum[:]); f.SHA256 != want {
		t.Errorf("SHA256 = %s, want %s", f.SHA256, want)
	}
	if f.File != "t.csv" {
		t.Errorf("File = %q", f.File)
	}
	// A BOM elsewhere is kept: only the start of the file is special.
	f = mustRead(t, "a,y\n\ufeff1,0\n", dataset.Options{Target: "y"})
	if c := feature(t, f, "a"); c.Kind != dataset.Categorical {
		t.Errorf("a value after a BOM is %s, want categorical", c.Kind)
	}
}

func TestRoles(t *testing.T) {
	src := "ID,age,sex,zip,x,default\n" +
		"a1,30,F,123,1.5,0\n" +
		"a2,40,M,456,2.5,1\n"
	tests := []struct {
		name     string
		opt      dataset.Options
		ids      []string
		features []string
		audit    []string
		target   string
	}{
		{"id detected in any case", dataset.Options{Target: "default"},
			[]string{"a1", "a2"}, []string{"age", "sex", "zip", "x"}, nil, "default"},
		{"no id column", dataset.Options{ID: dataset.NoID, Target: "default"},
			nil, []string{"ID", "age", "sex", "zip", "x"}, nil, "default"},
		{"explicit id", dataset.Options{ID: "zip"},
			[]string{"123", "456"}, []string{"ID", "age", "sex", "x", "default"}, nil, ""},
		{"excluded id is not detected", dataset.Options{Exclude: []string{"ID"}},
			nil, []string{"age", "sex", "zip", "x", "default"}, nil, ""},
		{"audit in the order given", dataset.Options{Target: "default", Audit: []string{"sex", "age"}, Exclude: []string{"zip"}},
			[]string{"a1", "a2"}, []string{"x"}, []string{"sex", "age"}, "default"},
		{"absent target not required", dataset.Options{Target: "bad"},
			[]string{"a1", "a2"}, []string{"age", "sex", "zip", "x", "default"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustRead(t, src, tt.opt)
			if !slices.Equal(f.IDs, tt.ids) || (f.IDs == nil) != (tt.ids == nil) {
				t.Errorf("IDs = %q, want %q", f.IDs, tt.ids)
			}
			if got := names(f.Features); !slices.Equal(got, tt.features) {
				t.Errorf("features %q, want %q", got, tt.features)
			}
			if got := names(f.Audit); !slices.Equal(got, tt.audit) {
				t.Errorf("audit %q, want %q", got, tt.audit)
			}
			if f.TargetName != tt.target || (f.Y != nil) != (tt.target != "") {
				t.Errorf("target %q with Y %v, want %q", f.TargetName, f.Y, tt.target)
			}
			if len(f.Header) != 6 {
				t.Errorf("header %q, want all 6 columns", f.Header)
			}
			for _, c := range append(f.Features, f.Audit...) {
				if f.Header[c.Pos] != c.Name {
					t.Errorf("column %q has Pos %d, which is %q", c.Name, c.Pos, f.Header[c.Pos])
				}
			}
		})
	}
}

// Excluded columns are not read at all, so bad bytes in them do no harm.
func TestExcludedColumnIsNotRead(t *testing.T) {
	src := "a,free_text,y\n1,\xff\xfe,0\n2,Inf,1\n"
	f := mustRead(t, src, dataset.Options{Target: "y", RequireTarget: true, Exclude: []string{"free_text"}})
	if f.Rows() != 2 || len(f.Features) != 1 {
		t.Errorf("%d rows, features %q", f.Rows(), names(f.Features))
	}
}

func TestTargetValues(t *testing.T) {
	f := mustRead(t, "a,y\n1,0\n2,1\n3,0.0\n4,1.0\n5, 1 \n", train)
	if want := []float64{0, 1, 0, 1, 1}; !slices.Equal(f.Y, want) {
		t.Errorf("Y = %v, want %v", f.Y, want)
	}
}

func TestSubset(t *testing.T) {
	src := "id,n,c,s,y\n" +
		"r0,1,a,F,0\n" +
		"r1,2,b,M,1\n" +
		"r2,,a,F,0\n" +
		"r3,4,,M,1\n"
	f := mustRead(t, src, dataset.Options{Target: "y", Audit: []string{"s"}})
	g := f.Subset([]int{3, 1, 1})
	if g.Rows() != 3 || !slices.Equal(g.IDs, []string{"r3", "r1", "r1"}) || !slices.Equal(g.Lines, []int{5, 3, 3}) || !slices.Equal(g.Y, []float64{1, 1, 1}) {
		t.Fatalf("subset rows %d, ids %q, lines %v, y %v", g.Rows(), g.IDs, g.Lines, g.Y)
	}
	n, c := feature(t, g, "n"), feature(t, g, "c")
	if n.Kind != dataset.Numeric || !n.Integer || !slices.Equal(n.Num, []float64{4, 2, 2}) {
		t.Errorf("n = %+v", n)
	}
	if c.Kind != dataset.Categorical || !slices.Equal(c.Str, []string{"", "b", "b"}) || !slices.Equal(c.Miss, []bool{true, false, false}) {
		t.Errorf("c = %+v", c)
	}
	if a := g.Audit[0]; a.Name != "s" || !slices.Equal(a.Str, []string{"M", "M", "M"}) {
		t.Errorf("audit = %+v", a)
	}
	if g.SHA256 != f.SHA256 || g.File != f.File || g.TargetName != "y" {
		t.Errorf("subset lost its provenance")
	}

	// The copy is deep: changing the subset leaves the frame alone.
	n.Num[0], c.Str[1], g.Y[0], g.Header[0] = 99, "zz", 0, "changed"
	if fn := feature(t, f, "n"); fn.Num[3] != 4 || feature(t, f, "c").Str[1] != "b" || f.Y[3] != 1 || f.Header[0] != "id" {
		t.Error("changing a subset changed the frame")
	}

	// Keeping the schema: a fold without values keeps Kind and Integer.
	empty := f.Subset(nil)
	if empty.Rows() != 0 || !feature(t, empty, "n").Integer {
		t.Errorf("empty subset: %d rows, n = %+v", empty.Rows(), feature(t, empty, "n"))
	}

	// Frames without a target or ids keep them nil.
	h := mustRead(t, "x\n1\n2\n", dataset.Options{}).Subset([]int{0})
	if h.Y != nil || h.IDs != nil {
		t.Errorf("Y %v, IDs %v, want nil", h.Y, h.IDs)
	}

	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "out of range") {
			t.Errorf("Subset with a bad row: recover() = %v, want an out-of-range panic", r)
		}
	}()
	f.Subset([]int{4})
}
