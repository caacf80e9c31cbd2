package sqlite

import (
	"testing"
	"time"

	"github.com/opencredit/opencredit/ingest"
)

// TestCacheCountsFacts checks the count that bounds the cache's live
// subjects and open consents: learning a fact twice counts it once, and
// forgetting a subject takes its facts off.
func TestCacheCountsFacts(t *testing.T) {
	var c cache
	c.check("conn", 1)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	pairs := []ingest.Pair{{Subject: "s1", Source: "f1"}, {Subject: "s1", Source: "f2"}, {Subject: "s2", Source: "f1"}}
	c.learn([]string{"s1", "s2"}, pairs, at, nil)
	c.learn([]string{"s1"}, pairs[:1], at.Add(time.Hour), nil)
	if c.facts != 5 {
		t.Fatalf("facts = %d after learning 2 subjects and 3 pairs (one of each twice), want 5", c.facts)
	}
	c.forget("s1")
	if c.facts != 2 {
		t.Fatalf("facts = %d after forgetting s1 (live, 2 pairs), want 2", c.facts)
	}
	if got := c.openOf(pairs, at.Add(2*time.Hour)); got[0] || got[1] || !got[2] {
		t.Fatalf("open after forgetting s1: %v, want only s2's", got)
	}
}
