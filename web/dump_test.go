package web_test

import (
	"net/url"
	"os"
	"testing"
)

func TestDump(t *testing.T) {
	f := newFixture(t, nil)
	b := f.browser()
	b.signIn(f.keys[selfID])
	r := b.get("/score")
	os.WriteFile("/tmp/score.html", []byte(r.body), 0o644)
	b.do("POST", "/whatif", url.Values{"csrf": {r.csrf(t)}, "months": {"12"}})
	os.WriteFile("/tmp/score2.html", []byte(b.get("/score").body), 0o644)
	os.WriteFile("/tmp/data.html", []byte(b.get("/data").body), 0o644)
}
