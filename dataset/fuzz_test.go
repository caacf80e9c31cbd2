package dataset_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dataset"
)

// fuzzOptions are the option sets FuzzReadCSV tries, chosen by its second
// argument: defaults, a target, training mode with ';', a short line limit
// with tabs and a forced kind, and audit/exclude roles.
var fuzzOptions = []dataset.Options{
	{},
	{Target: "y"},
	{Target: "y", RequireTarget: true, Sep: ';'},
	{Sep: '\t', ID: dataset.NoID, MaxLineBytes: 32, Kinds: map[string]string{"a": dataset.Numeric}},
	{Audit: []string{"a"}, Exclude: []string{"b"}, Kinds: map[string]string{"c": dataset.Categorical}},
}

func FuzzReadCSV(f *testing.F) {
	seeds := []string{
		"a,b,y\n1,x,0\n2,z,1\n",
		"id,a,b,c,y\n1,1.5,NA,u,0\n2,,b,\"v,w\",1\n3,1e3,c,\"line\nbreak\",0\n",
		"\ufeffa;b;y\n1;2;0\n3;4;1\n",
		"a\tb\tc\n1\tInf\tx\n2\t3\t\"\"\n",
		"a,y\n007,0\n1.50,1\nx,0\n",
		"a,b,c\n\"1\",\"2\"\"\",3\n",
		"",
		"a,a\n1,2\n",
		"a,y\n1,2\n",
		"a;b;c;y\n1;Inf;x;0\n2;2;\"q\nr\";1\n3;-0;+1;0\n",
		"a\tb\tc\n1e999\t007\tNA\n1.50\tx\t2\n",
		"ID,a,b\r\n\r\nk,\"1\",2\r\nk,\"\",b\r\n",
	}
	for _, s := range seeds {
		for v := range fuzzOptions {
			f.Add([]byte(s), uint8(v))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, variant uint8) {
		opt := fuzzOptions[int(variant)%len(fuzzOptions)]
		fr, err := dataset.ReadCSV(bytes.NewReader(data), "f.csv", opt)
		if err != nil {
			var e *opencredit.Error
			if !errors.As(err, &e) || e.Code != opencredit.EINVALID {
				t.Fatalf("error %v (%T) is not an *opencredit.Error with code EINVALID", err, err)
			}
			if !strings.HasPrefix(e.Message, "f.csv: ") {
				t.Fatalf("message %q does not start with the file name", e.Message)
			}
			return
		}
		checkFrame(t, fr, data, opt)
	})
}

// checkFrame checks the invariants of a Frame read from data, and compares
// its values with those encoding/csv reads on its own.
func checkFrame(t *testing.T, fr *dataset.Frame, data []byte, opt dataset.Options) {
	t.Helper()
	n := fr.Rows()
	if n == 0 {
		t.Fatal("success without rows")
	}
	for i, l := range fr.Lines {
		if l < 2 || i > 0 && l <= fr.Lines[i-1] {
			t.Fatalf("Lines = %v: not increasing from 2", fr.Lines)
		}
	}
	if fr.Y != nil && len(fr.Y) != n || fr.IDs != nil && len(fr.IDs) != n {
		t.Fatalf("%d rows but %d targets and %d ids", n, len(fr.Y), len(fr.IDs))
	}
	for _, y := range fr.Y {
		if y != 0 && y != 1 {
			t.Fatalf("target value %v", y)
		}
	}
	if sum := sha256.Sum256(data); fr.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatal("SHA256 is not the hash of the input")
	}

	sep := opt.Sep
	if sep == 0 {
		sep = ','
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil || len(recs) != n+1 {
		t.Fatalf("encoding/csv reads %d records (%v), ReadCSV %d rows", len(recs), err, n)
	}
	recs = recs[1:]
	for _, c := range append(fr.Features, fr.Audit...) {
		checkColumn(t, c, n, recs)
	}
}

func checkColumn(t *testing.T, c *dataset.Column, n int, recs [][]string) {
	t.Helper()
	if len(c.Miss) != n {
		t.Fatalf("column %q has %d Miss, want %d", c.Name, len(c.Miss), n)
	}
	switch c.Kind {
	case dataset.Numeric:
		if len(c.Num) != n || c.Str != nil {
			t.Fatalf("numeric column %q has %d Num and %d Str", c.Name, len(c.Num), len(c.Str))
		}
	case dataset.Categorical:
		if len(c.Str) != n || c.Num != nil {
			t.Fatalf("categorical column %q has %d Str and %d Num", c.Name, len(c.Str), len(c.Num))
		}
	default:
		t.Fatalf("column %q has kind %q", c.Name, c.Kind)
	}
	for i, rec := range recs {
		v := strings.TrimSpace(rec[c.Pos])
		if c.Kind == dataset.Categorical {
			if want := v; c.Miss[i] && c.Str[i] != "" || !c.Miss[i] && c.Str[i] != want {
				t.Fatalf("column %q row %d: Str %q, Miss %v; the field is %q", c.Name, i, c.Str[i], c.Miss[i], v)
			}
			continue
		}
		x := c.Num[i]
		if math.IsInf(x, 0) || math.IsNaN(x) != c.Miss[i] {
			t.Fatalf("column %q row %d: Num %v, Miss %v", c.Name, i, x, c.Miss[i])
		}
		if want, err := strconv.ParseFloat(v, 64); !c.Miss[i] && (err != nil || want != x) {
			t.Fatalf("column %q row %d: Num %v; the field is %q", c.Name, i, x, v)
		}
	}
}
