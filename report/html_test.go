package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

// svgInfo is what checkHTML found in one <svg>.
type svgInfo struct {
	title    string
	elements map[string]int // element name → count
}

func (s svgInfo) String() string { return fmt.Sprintf("%q", s.title) }

// checkHTML parses page as XML — the report is written to be well-formed
// XHTML apart from HTML's named entities — and returns what each <svg>
// holds. It fails on any syntax error, an unclosed element or an <svg>
// without a <title>.
func checkHTML(t *testing.T, page []byte) []svgInfo {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Entity = xml.HTMLEntity
	var svgs []svgInfo
	var stack []string
	inTitle := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("HTML is not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			name := tok.Name.Local
			stack = append(stack, name)
			if name == "svg" {
				if contains(stack[:len(stack)-1], "svg") {
					t.Error("an <svg> inside an <svg>")
				}
				svgs = append(svgs, svgInfo{elements: map[string]int{}})
			} else if contains(stack, "svg") {
				svgs[len(svgs)-1].elements[name]++
				// The chart's own title is the first child of the <svg>.
				inTitle = name == "title" && stack[len(stack)-2] == "svg"
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			inTitle = false
		case xml.CharData:
			if inTitle {
				svgs[len(svgs)-1].title += string(tok)
			}
		}
	}
	if len(stack) != 0 {
		t.Errorf("unclosed elements at the end: %v", stack)
	}
	for i, s := range svgs {
		if s.title == "" {
			t.Errorf("<svg> %d has no title", i)
		}
	}
	return svgs
}

func TestWriteHTML(t *testing.T) {
	in := smallInput()
	in.Model = testModel(t)
	in.Baseline, in.BaselineName = []int{500, 550, 600, 650, 700, 750, 800, 850}, "last_year.csv"
	e, err := Evaluate(in)
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := e.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("REPORT_HTML") != "" {
		// REPORT_HTML=/tmp/x.html go test -run TestWriteHTML saves the page to look at.
		os.WriteFile(os.Getenv("REPORT_HTML"), page.Bytes(), 0o644)
	}
	html := page.String()
	for _, s := range []string{"<!DOCTYPE html>", "<style>", "FLAG", "last_year.csv", "worst_dpd_6m", "Dropped features",
		"council &lt;flat&gt; &amp; co"} {
		if !strings.Contains(html, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	for _, s := range []string{"<script", "<link", "<img", "src=", "href=", "url(", "@import", "council <flat>"} {
		if strings.Contains(html, s) {
			t.Errorf("page has %q: it must be self-contained and escaped", s)
		}
	}
	svgs := checkHTML(t, page.Bytes())
	// Four evaluation charts, then a WoE chart and a points chart per feature.
	titles := []string{"ROC curve", "Kolmogorov–Smirnov: cumulative share by score", "Calibration by score band",
		"Score distribution", "WoE per bin: worst_dpd_6m", "Points per bin: worst_dpd_6m",
		"WoE per bin: housing", "Points per bin: housing"}
	if len(svgs) != len(titles) {
		t.Fatalf("page has charts %v, want %q", svgs, titles)
	}
	for i, title := range titles {
		if svgs[i].title != title {
			t.Errorf("chart %d is %q, want %q", i, svgs[i].title, title)
		}
	}
	need := []map[string]int{
		{"polyline": 1, "line": 1, "text": 4}, // ROC: the curve and the diagonal
		{"polyline": 2, "line": 1, "text": 4}, // KS: bads, goods and the gap
		{"circle": 5, "line": 1, "text": 5},   // calibration: a point per band and the diagonal
		{"rect": 24, "line": 1, "text": 4},    // histogram: a bar per bucket and the cut-off
		{"rect": 4, "text": 4},                // WoE: a bar per bin
		{"rect": 4, "text": 4},                // points: a bar per bin
		{"rect": 4, "text": 4},
		{"rect": 4, "text": 4},
	}
	for i, n := range need {
		for el, least := range n {
			if svgs[i].elements[el] < least {
				t.Errorf("chart %q has %d <%s>, want at least %d", titles[i], svgs[i].elements[el], el, least)
			}
		}
	}
}

func TestWriteModelHTML(t *testing.T) {
	m := testModel(t)
	for _, withEval := range []bool{false, true} {
		var e *Evaluation
		if withEval {
			in := smallInput()
			in.Model = m
			var err error
			if e, err = Evaluate(in); err != nil {
				t.Fatal(err)
			}
		}
		var page bytes.Buffer
		if err := WriteModelHTML(&page, m, e); err != nil {
			t.Fatal(err)
		}
		svgs := checkHTML(t, page.Bytes())
		want := 4
		if withEval {
			want = 8
		}
		if len(svgs) != want {
			t.Errorf("with evaluation %v: %d charts %v, want %d", withEval, len(svgs), svgs, want)
		}
		html := page.String()
		// The model comes first, then the evaluation.
		if mi, ei := strings.Index(html, `id="model"`), strings.Index(html, `id="evaluation"`); mi < 0 || (withEval && ei < mi) || (!withEval && ei >= 0) {
			t.Errorf("with evaluation %v: model section at %d, evaluation at %d", withEval, mi, ei)
		}
		for _, s := range []string{"Scorecard", "payment_history", "unassigned", "protected attribute", "[1, 30)"} {
			if !strings.Contains(html, s) {
				t.Errorf("model page lacks %q", s)
			}
		}
	}
}

func TestWriteText(t *testing.T) {
	in := smallInput()
	in.Baseline, in.BaselineName = []int{500, 550, 600, 650, 700, 750, 800, 850}, "last_year.csv"
	in.Audit = append(in.Audit, Attribute{Name: "age", Values: make([]string, 8),
		Numeric: []float64{23, 61, 35, 44, 29, 52, 38, 47}})
	e, err := Evaluate(in)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := e.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	checkWidth(t, buf.String())
	golden(t, "evaluation.txt", buf.Bytes())
}

// failingWriter fails every write, to check that writers report it.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("disk full") }

func TestWritersReportErrors(t *testing.T) {
	e, err := Evaluate(smallInput())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.WriteText(failingWriter{}); err == nil {
		t.Error("WriteText hid a write error")
	}
	if err := e.WriteHTML(failingWriter{}); err == nil {
		t.Error("WriteHTML hid a write error")
	}
	if err := WriteModelText(failingWriter{}, testModel(t)); err == nil {
		t.Error("WriteModelText hid a write error")
	}
}
