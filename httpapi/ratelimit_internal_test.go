package httpapi

import (
	"fmt"
	"testing"
	"time"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestLimiterBucket(t *testing.T) {
	clk := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newLimiter(2, 3, clk.now) // 2/s, burst 3
	for i := range 3 {
		if ok, _ := l.allow("a"); !ok {
			t.Fatalf("call %d within the burst refused", i+1)
		}
	}
	ok, wait := l.allow("a")
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("past the burst: ok %v wait %v, want refused with 500ms (one token at 2/s)", ok, wait)
	}
	if got := retryAfterSeconds(wait); got != 1 {
		t.Errorf("Retry-After for %v: %d, want 1", wait, got)
	}
	clk.advance(500 * time.Millisecond)
	if ok, _ := l.allow("a"); !ok {
		t.Error("refused after one token refilled")
	}
	if newLimiter(0, 5, clk.now) != nil {
		t.Error("rate 0 should mean no limiter")
	}
	var none *limiter
	if ok, _ := none.allow("a"); !ok {
		t.Error("a nil limiter refused")
	}
}

// TestLimiterEvictsIdle: a thousand clients call once; once a sweep is
// due, none of their buckets is left. A client still calling loses nothing:
// only buckets that have refilled completely are dropped, and a new bucket
// starts full.
func TestLimiterEvictsIdle(t *testing.T) {
	clk := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newLimiter(1, 10, clk.now) // refills in 10s; sweeps every minute
	for i := range 1000 {
		l.allow(fmt.Sprintf("client-%d", i))
	}
	if n := l.size(); n != 1000 {
		t.Fatalf("%d buckets, want 1000", n)
	}
	for range 5 {
		l.allow("busy")
	}
	clk.advance(30 * time.Second)
	l.allow("busy") // no sweep yet: less than minSweepEvery since the last
	if n := l.size(); n != 1001 {
		t.Fatalf("%d buckets before the sweep is due, want 1001", n)
	}
	clk.advance(31 * time.Second)
	for range 9 {
		l.allow("busy")
	}
	if n := l.size(); n != 1 {
		t.Fatalf("%d buckets after the idle period, want 1 (busy)", n)
	}
	if ok, _ := l.allow("busy"); !ok {
		t.Fatal("busy client refused: its bucket should hold 1 token")
	}
	if ok, _ := l.allow("busy"); ok {
		t.Fatal("busy client's bucket was reset by the sweep")
	}
}

// TestAddressKey: IPv4 addresses are their own key, IPv6 ones share their
// /64, and an IPv4-mapped IPv6 address is the IPv4 one.
func TestAddressKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7:5000":             "192.0.2.7",
		"[2001:db8:1:2:aaaa::1]:443": "2001:db8:1:2::/64",
		"[2001:db8:1:2:bbbb::9]:443": "2001:db8:1:2::/64",
		"[::ffff:192.0.2.7]:80":      "192.0.2.7",
		"not an address":             "not an address",
	} {
		if got := addressKey(in); got != want {
			t.Errorf("addressKey(%q) = %q, want %q", in, got, want)
		}
	}
}
