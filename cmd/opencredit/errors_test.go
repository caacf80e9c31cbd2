package main

import (
	"strings"
	"testing"
)

// TestBadFlagsOfNewCommands: bad input to simulate, demo and bench train
// is refused with exit 2 and a message naming the flag, before any work.
func TestBadFlagsOfNewCommands(t *testing.T) {
	dir := t.TempDir()
	german := "../../examples/german.csv"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"simulate", "--subjects", "0", "--out", dir + "/x.ndjson"}, "ubjects"},
		{[]string{"simulate", "--months", "0", "--out", dir + "/x.ndjson"}, "onths"},
		{[]string{"simulate", "--end", "2026-13", "--out", dir + "/x.ndjson"}, "--end"},
		{[]string{"simulate", "--shocks", "-1", "--out", dir + "/x.ndjson"}, "hock"},
		{[]string{"demo", "--months", "12", "--dir", dir + "/d1"}, "--months"},
		{[]string{"demo", "--model", "forest", "--dir", dir + "/d2"}, "--model"},
		{[]string{"bench", "train", "--data", german, "--target", "default", "--folds", "1"}, "--folds"},
		{[]string{"bench", "train", "--data", german, "--target", "default", "--repeat", "0"}, "--repeat"},
		{[]string{"bench", "train", "--model", "ebm", "--bags=-1", "--data", german, "--target", "default",
			"--audit", "personal_status_and_sex,foreign,age"}, "bags"},
	} {
		code, _, stderr := cli(c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 naming %q", c.args, code, stderr, c.want)
		}
	}
}
