package decision

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		writeFile(t, path, string(got))
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./decision/ -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; review the change and run go test ./decision/ -update\ngot:\n%s", path, got)
	}
}

var noticeDate = time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)

func noticeInput() NoticeInput {
	return NoticeInput{
		Date:         noticeDate,
		Counterparty: Contact{Name: "Rentwell Flats Ltd", Contact: "12 Harbour Road, Leith; applications@rentwell.example"},
		Agency:       Contact{Name: "OpenCredit Demo Bureau", Contact: "https://demo.opencredit.example/me; +44 20 7946 0000"},
		Furnishers: []Contact{
			{Name: "Northern Card Co.", Contact: "disputes@northerncard.example"},
			{Name: "City Water", Contact: "0800 000 1234"},
		},
		Regulator: &Contact{Name: "Consumer Financial Protection Bureau", Contact: "1700 G Street NW, Washington, DC 20552"},
	}
}

// flatDecline is the flat program's decline of the defaulted person: score
// 440 below 650 and a 92-day delay.
func flatDecline(t *testing.T) Decision {
	r, fv := score(t, testModel(t), defaulted)
	d := Decide(examplePrograms(t)["flat-deposit-free"], r, fv, nil)
	if d.Outcome != Declined {
		t.Fatalf("not declined: %+v", d)
	}
	return d
}

func TestNoticeGolden(t *testing.T) {
	n, err := NewNotice(flatDecline(t), noticeInput())
	if err != nil {
		t.Fatal(err)
	}
	js, err := n.JSON()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "notice.json", js)
	var page bytes.Buffer
	if err := n.HTML(&page); err != nil {
		t.Fatal(err)
	}
	golden(t, "notice.html", page.Bytes())

	// The JSON reads back to the same notice.
	var back Notice
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if again, _ := back.JSON(); !bytes.Equal(again, js) {
		t.Error("the notice's JSON does not read back to itself")
	}
}

// What the law asks a notice to say is there, on the page and in the JSON.
func TestNoticeContent(t *testing.T) {
	d := flatDecline(t)
	n, err := NewNotice(d, noticeInput())
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := n.HTML(&page); err != nil {
		t.Fatal(err)
	}
	js, _ := n.JSON()
	for _, want := range []string{
		"declined", "Deposit-free flat", "Rentwell Flats Ltd",
		"440", "350", "950", // the score and its range
		"free copy", "within 60 days", "1 May 2026", // the copy right and its deadline
		"inaccurate or incomplete", "FCRA §§ 611, 623", "FCRA §§ 609, 612", "ECOA",
		"Northern Card Co.", "disputes@northerncard.example", "City Water",
		"Worst delay in the last 24 months: 92 days; this program requires less than 60 days",
	} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, r := range d.Reasons {
		if !strings.Contains(page.String(), r.Text) || !bytes.Contains(js, []byte(r.Code)) {
			t.Errorf("reason %s missing", r.Code)
		}
	}
	if n.CopyRequestBy != "2026-05-01" || n.Score.Min != 350 || n.Score.Max != 950 || len(n.Reasons) != len(d.Reasons) {
		t.Errorf("notice fields: %+v", n)
	}
	// Self-contained: no script, no external stylesheet, image or font.
	for _, bad := range []string{"<script", "<link", "<img", "src=", "@import", "url("} {
		if strings.Contains(page.String(), bad) {
			t.Errorf("the page is not self-contained: it has %q", bad)
		}
	}
	if !strings.Contains(page.String(), "@media print") {
		t.Error("the page has no print styles")
	}
}

// Text from outside — program names and labels from a file, the
// counterparty's and furnishers' names and contacts — is escaped, never
// markup.
func TestNoticeHTMLEscapes(t *testing.T) {
	const hostile = `<script>alert("x")</script><img src=x onerror=alert(1)>"'&`
	d := flatDecline(t)
	d.ProgramName = hostile
	d.Subject = hostile
	d.Band = hostile
	d.Reasons[0].Text = hostile
	d.Reasons[0].Code = hostile
	d.KeyFactors[0].Text = hostile
	in := noticeInput()
	in.Counterparty = Contact{Name: hostile, Contact: "javascript:alert(1)"}
	in.Agency = Contact{Name: hostile, Contact: hostile}
	in.Furnishers = []Contact{{Name: hostile, Contact: hostile}}
	in.Regulator = &Contact{Name: hostile, Contact: hostile}
	n, err := NewNotice(d, in)
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := n.HTML(&page); err != nil {
		t.Fatal(err)
	}
	s := page.String()
	for _, bad := range []string{"<script", "<img", "onerror=alert(1)>", `href="javascript`} {
		if strings.Contains(s, bad) {
			t.Errorf("hostile text reached the page as markup: %q", bad)
		}
	}
	if n := strings.Count(s, "&lt;script&gt;"); n < 10 {
		t.Errorf("hostile text appears escaped %d times, want every place (≥ 10)", n)
	}
	// Only the template's own tags remain.
	tags := regexp.MustCompile(`<([a-zA-Z0-9]+)`).FindAllStringSubmatch(s, -1)
	allowed := map[string]bool{"html": true, "head": true, "meta": true, "title": true, "style": true, "body": true,
		"header": true, "h1": true, "h2": true, "h3": true, "p": true, "strong": true, "section": true, "ol": true,
		"li": true, "span": true, "table": true, "tr": true, "th": true, "td": true, "br": true, "footer": true}
	for _, m := range tags {
		if !allowed[strings.ToLower(m[1])] {
			t.Errorf("unexpected tag <%s>", m[1])
		}
	}
}

func TestNewNoticeRefuses(t *testing.T) {
	d := flatDecline(t)
	approved := d
	approved.Outcome, approved.Reasons = Approved, nil
	noReasons := d
	noReasons.Reasons = nil
	noDate := noticeInput()
	noDate.Date = time.Time{}
	noName := noticeInput()
	noName.Counterparty.Name = ""
	for name, tc := range map[string]struct {
		d  Decision
		in NoticeInput
	}{
		"approved":        {approved, noticeInput()},
		"no reasons":      {noReasons, noticeInput()},
		"no date":         {d, noDate},
		"no counterparty": {d, noName},
	} {
		if _, err := NewNotice(tc.d, tc.in); opencredit.ErrorCode(err) != opencredit.EINVALID {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
}

// Defaults: the agency is OpenCredit, the range 350–950; no furnisher and
// no key factor are said in words; a custom range is kept.
func TestNoticeDefaults(t *testing.T) {
	d := Decide(examplePrograms(t)["bike-deposit-free"], model.Result{Score: 560, Band: "fair",
		Dimensions: []model.DimensionScore{{Dimension: "capacity", Score: 50}}}, opencredit.FeatureVector{Subject: "s-1", AsOf: asOf}, nil)
	n, err := NewNotice(d, NoticeInput{Date: noticeDate, Counterparty: Contact{Name: "Bikes"}})
	if err != nil {
		t.Fatal(err)
	}
	if n.Agency.Name != "OpenCredit" || n.Score.Min != 350 || n.Score.Max != 950 || n.Regulator != nil {
		t.Errorf("defaults: %+v", n)
	}
	var page bytes.Buffer
	if err := n.HTML(&page); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"None: no factor of the score lost points.", "None: the score used no data supplied by another company.", "Capacity: 50% of the points available earned"} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	js, _ := n.JSON()
	if !bytes.Contains(js, []byte(`"furnishers": []`)) || !bytes.Contains(js, []byte(`"key_factors": []`)) {
		t.Errorf("empty lists must be [] in JSON, not null:\n%s", js)
	}
	n, _ = NewNotice(d, NoticeInput{Date: noticeDate, Counterparty: Contact{Name: "Bikes"}, ScoreMin: 300, ScoreMax: 850})
	if n.Score.Min != 300 || n.Score.Max != 850 {
		t.Errorf("custom range: %+v", n.Score)
	}
}
