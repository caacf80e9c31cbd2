package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/opencredit/opencredit/api"
)

// metrics are the server's Prometheus series. Each server has its own
// registry rather than the global one, so that tests can run servers in
// parallel and read exact counts.
//
// No label ever holds a subject id, a client id or anything a person typed:
// routes are the mux's patterns ("GET /v1/subjects/{id}/score"), methods
// are folded to a fixed set, and the other labels are codes the service
// itself defines. Every label's values are therefore a small closed set.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec   // route, method, status
	latency  *prometheus.HistogramVec // route
	scores   *prometheus.CounterVec   // band
	refusals *prometheus.CounterVec   // reason: the error code
	events   *prometheus.CounterVec   // status: accepted, duplicate, rejected
}

// latencyBuckets span the service's target (p99 ≤ 20 ms) with room on
// either side, in seconds.
var latencyBuckets = []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5}

func newMetrics(witnesses func() []api.WitnessStatus, now func() time.Time) *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "opencredit_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "opencredit_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern.",
			Buckets: latencyBuckets,
		}, []string{"route"}),
		scores: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "opencredit_scores_total",
			Help: "Scores returned, by a score request or a decision, by band.",
		}, []string{"band"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "opencredit_refusals_total",
			Help: "Requests refused with a client error (4xx), by error code.",
		}, []string{"reason"}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "opencredit_events_ingested_total",
			Help: "Events received in batches, by ingest status.",
		}, []string{"status"}),
	}
	reg.MustRegister(m.requests, m.latency, m.scores, m.refusals, m.events,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if witnesses != nil {
		reg.MustRegister(witnessCollector{witnesses, now})
	}
	return m
}

// witnessCollector exposes each audit witness as serve last saw it, read
// at scrape time. The witness label is the witness key's name, which the
// operator configured: a closed set.
type witnessCollector struct {
	witnesses func() []api.WitnessStatus
	now       func() time.Time
}

var (
	witnessSize = prometheus.NewDesc("opencredit_audit_witness_cosigned_size",
		"Records in the latest audit checkpoint the witness cosigned.", []string{"witness"}, nil)
	witnessAge = prometheus.NewDesc("opencredit_audit_witness_cosigned_age_seconds",
		"Seconds since the witness cosigned its latest audit checkpoint (absent if it never did).", []string{"witness"}, nil)
	witnessUp = prometheus.NewDesc("opencredit_audit_witness_up",
		"1 if the last attempt to publish a checkpoint to the witness succeeded (or none was needed), 0 if it failed.", []string{"witness"}, nil)
)

func (c witnessCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- witnessSize
	ch <- witnessAge
	ch <- witnessUp
}

func (c witnessCollector) Collect(ch chan<- prometheus.Metric) {
	for _, w := range c.witnesses() {
		ch <- prometheus.MustNewConstMetric(witnessSize, prometheus.GaugeValue, float64(w.CosignedSize), w.Witness)
		if w.CosignedAt != nil {
			ch <- prometheus.MustNewConstMetric(witnessAge, prometheus.GaugeValue, c.now().Sub(*w.CosignedAt).Seconds(), w.Witness)
		}
		up := 1.0
		if w.Error != "" {
			up = 0
		}
		ch <- prometheus.MustNewConstMetric(witnessUp, prometheus.GaugeValue, up, w.Witness)
	}
}

// observe counts one answered request.
func (m *metrics) observe(route, method string, status int, took time.Duration) {
	if route == "" {
		route = "none" // rejected before the mux matched a pattern
	}
	m.requests.WithLabelValues(route, methodLabel(method), strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(took.Seconds())
}

// methodLabel folds a request's method to the standard set, so a client
// cannot create series by inventing methods.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return method
	}
	return "other"
}

// handleMetrics serves the registry in the Prometheus exposition format.
func handleMetrics(m *metrics) http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}
