package httpapi_test

import (
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opencredit/opencredit/httpapi"
)

// TestRateLimit gives each client 1 request a second with bursts of 2: the
// lender's third call in a row is a 429 with Retry-After and the code
// rate_limited, another client is unaffected, and once the clock moves on
// the lender is served again.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	var offset atomic.Int64 // nanoseconds added to the wall clock
	f := newFixtureWith(t, func(d *httpapi.Deps) {
		d.RatePerSecond, d.Burst = 1, 2
		d.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	})
	score := func(caller string) (response, http.Header) {
		t.Helper()
		purpose := "rental_deposit_waiver"
		if caller == selfClient {
			purpose = "subject_self_access"
		}
		req, err := http.NewRequest("GET", f.url+"/v1/subjects/"+own+"/score?purpose="+purpose, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+f.keys[caller])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return response{status: resp.StatusCode}, resp.Header
	}
	for i := range 2 {
		if r, _ := score(lender); r.status != http.StatusOK {
			t.Fatalf("call %d within the burst: %d", i+1, r.status)
		}
	}
	r := f.do("GET", "/v1/subjects/"+own+"/score?purpose=rental_deposit_waiver", f.keys[lender], nil)
	if r.status != http.StatusTooManyRequests || r.errorCode() != "rate_limited" {
		t.Fatalf("call past the burst: %d %s, want 429 rate_limited", r.status, r.raw)
	}
	_, h := score(lender)
	if s, err := strconv.Atoi(h.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After %q, want whole seconds ≥ 1", h.Get("Retry-After"))
	}
	if r, _ := score(selfClient); r.status != http.StatusOK {
		t.Errorf("another client: %d, want 200: buckets are per client", r.status)
	}
	offset.Add(int64(2 * time.Second))
	if r, _ := score(lender); r.status != http.StatusOK {
		t.Errorf("after the refill: %d, want 200", r.status)
	}
	if body := f.scrape(); !strings.Contains(body, "opencredit_refusals_total{reason=\"rate_limited\"} 2\n") {
		t.Errorf("/metrics does not count the two 429s")
	}
}

// TestAddressRateLimit: past its address's burst a caller gets 429 before
// its key is looked at, whether the key is good, unknown or missing, and a
// moment later it is served again.
func TestAddressRateLimit(t *testing.T) {
	var offset atomic.Int64
	f := newFixtureWith(t, func(d *httpapi.Deps) {
		d.AddressRatePerSecond, d.AddressBurst = 1, 2
		d.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	})
	path := "/v1/subjects/" + own + "/score?purpose=rental_deposit_waiver"
	if r := f.do("GET", path, f.keys[lender], nil); r.status != http.StatusOK {
		t.Fatalf("first: %d %s", r.status, r.raw)
	}
	if r := f.do("GET", path, "oc_"+strings.Repeat("A", 43), nil); r.status != http.StatusUnauthorized {
		t.Fatalf("second, an unknown key: %d %s", r.status, r.raw)
	}
	for _, key := range []string{f.keys[lender], "oc_" + strings.Repeat("B", 43), ""} {
		if r := f.do("GET", path, key, nil); r.status != http.StatusTooManyRequests || r.errorCode() != "rate_limited" {
			t.Errorf("past the burst with key %.8q: %d %s", key, r.status, r.raw)
		}
	}
	offset.Store(int64(2 * time.Second))
	if r := f.do("GET", path, f.keys[lender], nil); r.status != http.StatusOK {
		t.Errorf("after the refill: %d %s", r.status, r.raw)
	}
}
