package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
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

func newMetrics() *metrics {
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
	return m
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
