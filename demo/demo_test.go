package demo

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/simulate"
)

// TestBuildNeedsThirteenMonths: a population of 12 months leaves nothing to
// learn the outcome from, and Build says so before it touches the store
// (nil here) or the directory.
func TestBuildNeedsThirteenMonths(t *testing.T) {
	s, err := simulate.New(simulate.Config{Subjects: 10, Months: 12, Seed: 1, End: simulate.DefaultEnd(time.Now())})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, err = Build(context.Background(), nil, s, Config{Dir: dir})
	if opencredit.ErrorCode(err) != opencredit.EINVALID || !strings.Contains(err.Error(), "13 months") {
		t.Fatalf("err = %v, want invalid, naming the 13 months", err)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Errorf("Build wrote %d files before refusing", len(files))
	}
}

// TestGuideAndEnv: the guide shows every key with its client or person
// and the requests to try against the URL, and demo.env holds the same
// keys as shell variables, which TestDemo (cmd/opencredit) then follows.
func TestGuideAndEnv(t *testing.T) {
	furnisher := simulate.FurnisherIDs()[0]
	d := &Demo{
		Dir:  t.TempDir(),
		Keys: map[string]string{Lender: "key-l", Operator: "key-o", furnisher: "key-f"},
		People: []Person{
			{ID: "sim-0000007", Why: "the best score", Key: "key-p1", Score: 812, SignIn: "/signin/tok1"},
			{ID: "sim-0000042", Why: "just below 600", Key: "key-p2", Score: 590},
		},
	}
	url := "http://127.0.0.1:9999"
	var b strings.Builder
	d.WriteGuide(&b, url)
	guide := b.String()
	for _, want := range []string{
		"LENDER=key-l", "OPERATOR=key-o", "PERSON1=key-p1", "PERSON2=key-p2", "score 812", "score 590",
		url + "/v1/decisions", `{"subject":"sim-0000042","program":"bike-deposit-free"}`, // the decline is the person below 600
		url + "/v1/subjects/" + simulate.SubjectID(Candidates) + "/score", // no consent: past the candidates
		filepath.Join(d.Dir, "demo.env"),
		"PERSON1: " + url + "/signin/tok1", url + "/signin with the person's key", // the person's pages
	} {
		if !strings.Contains(guide, want) {
			t.Errorf("the guide lacks %q:\n%s", want, guide)
		}
	}

	if err := d.WriteEnv(url); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(d.Dir, "demo.env"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			env[k] = v
		}
	}
	want := map[string]string{
		"OPENCREDIT_URL": url, "LENDER": "key-l", "OPERATOR": "key-o", "FURNISHER": "key-f",
		"PERSON1": "key-p1", "PERSON1_ID": "sim-0000007", "PERSON2": "key-p2", "PERSON2_ID": "sim-0000042",
	}
	if len(env) != len(want) {
		t.Errorf("demo.env holds %v, want %v", env, want)
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("demo.env %s = %q, want %q", k, env[k], v)
		}
	}
}
