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
