package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/httpapi"
)

// scrape returns the /metrics body, read with the operator's key.
func (f *fixture) scrape() string {
	f.t.Helper()
	req, err := http.NewRequest("GET", f.url+"/metrics", nil)
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+f.keys[operator])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("GET /metrics: %d %s", resp.StatusCode, b)
	}
	return string(b)
}

// TestMetrics scores the own subject (580, band fair: see testModel), is
// refused once for a purpose and once for want of a key, sends one event,
// and reads the exact counter lines back. Each fixture has its own
// registry, so the counts are exact.
func TestMetrics(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if r := f.do("GET", "/v1/subjects/"+own+"/score?purpose=credit_application", f.keys[lender], nil); r.status != http.StatusOK {
		t.Fatalf("score: %d %s", r.status, r.raw)
	}
	if r := f.do("GET", "/v1/subjects/"+own+"/score?purpose=employment", f.keys[lender], nil); r.status != http.StatusForbidden {
		t.Fatalf("refused purpose: %d %s", r.status, r.raw)
	}
	if r := f.do("GET", "/v1/subjects/"+own+"/score?purpose=credit_application", "", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("no key: %d %s", r.status, r.raw)
	}
	if r := f.do("POST", "/v1/events", f.keys[furnisher], []byte(`{"events":[`+string(inquiry(furnisher, own, ""))+`]}`)); r.status != http.StatusOK {
		t.Fatalf("events: %d %s", r.status, r.raw)
	}
	body := f.scrape()
	for _, want := range []string{
		`opencredit_http_requests_total{method="GET",route="GET /v1/subjects/{id}/score",status="200"} 1`,
		`opencredit_http_requests_total{method="GET",route="GET /v1/subjects/{id}/score",status="401"} 1`,
		`opencredit_http_requests_total{method="POST",route="POST /v1/events",status="200"} 1`,
		`opencredit_http_request_duration_seconds_count{route="GET /v1/subjects/{id}/score"} 3`,
		`opencredit_scores_total{band="fair"} 1`,
		`opencredit_refusals_total{reason="unauthorized"} 1`,
		`opencredit_refusals_total{reason="` + opencredit.EREFUSED + `"} 1`,
		`opencredit_events_ingested_total{status="accepted"} 1`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// No label may carry a subject or client id: the path's id is folded
	// into the route pattern.
	for _, id := range []string{own, other, lender, furnisher, selfClient} {
		if strings.Contains(body, id) {
			t.Errorf("/metrics holds the id %q", id)
		}
	}
	if strings.Contains(body, "Test Person") {
		t.Error("/metrics holds a subject's name")
	}
}

// TestMetricsNeedsOperator: /metrics is an operator route.
func TestMetricsNeedsOperator(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for key, want := range map[string]int{
		"": http.StatusUnauthorized, f.keys[lender]: http.StatusForbidden, f.keys[selfClient]: http.StatusForbidden,
	} {
		if r := f.do("GET", "/metrics", key, nil); r.status != want {
			t.Errorf("GET /metrics: %d, want %d: %s", r.status, want, r.raw)
		}
	}
}

// TestMetricsCollectors: the series of Deps.Collectors (the NATS
// consumer's) are served beside the server's own.
func TestMetricsCollectors(t *testing.T) {
	t.Parallel()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "opencredit_test_collector_total", Help: "A test series."})
	c.Add(7)
	f := newFixtureWith(t, func(d *httpapi.Deps) { d.Collectors = []prometheus.Collector{c} })
	if body := f.scrape(); !strings.Contains(body, "opencredit_test_collector_total 7") {
		t.Errorf("/metrics lacks the collector's series:\n%s", body)
	}
}

// TestWitnessMetricsAndReadyz: with two witnesses, one cosigned 40 s
// before the server's clock and one failing, /metrics shows each one's
// size, age and up gauge, and /readyz is ready with both listed.
func TestWitnessMetricsAndReadyz(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	at := now.Add(-40 * time.Second)
	status := []api.WitnessStatus{
		{Witness: "w1", URL: "https://w1.example", CosignedSize: 1234, CosignedAt: &at},
		{Witness: "w2", URL: "https://w2.example", Error: "connection refused"},
	}
	f := newFixtureWith(t, func(d *httpapi.Deps) {
		d.Now = func() time.Time { return now }
		d.Witnesses = func() []api.WitnessStatus { return status }
	})
	body := f.scrape()
	for _, want := range []string{
		`opencredit_audit_witness_cosigned_size{witness="w1"} 1234`,
		`opencredit_audit_witness_cosigned_age_seconds{witness="w1"} 40`,
		`opencredit_audit_witness_up{witness="w1"} 1`,
		`opencredit_audit_witness_cosigned_size{witness="w2"} 0`,
		`opencredit_audit_witness_up{witness="w2"} 0`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, `opencredit_audit_witness_cosigned_age_seconds{witness="w2"}`) {
		t.Error("an age for a witness that never cosigned")
	}
	r := f.do("GET", "/readyz", "", nil)
	var st api.Status
	if err := json.Unmarshal([]byte(r.raw), &st); err != nil || r.status != http.StatusOK || st.Status != "ready" || len(st.Witnesses) != 2 || st.Witnesses[1].Error != "connection refused" {
		t.Fatalf("/readyz: %d %s", r.status, r.raw)
	}
}
