// Package httpapi is OpenCredit's HTTP adapter: authentication, rate
// limits, routes, the encoding of the wire types of package api, Prometheus
// metrics and the OpenAPI document. What a route does is the scoring use
// case's (package scoring); a handler decodes, calls it and encodes.
//
// NewServer takes every dependency and returns one http.Handler, routes.go
// lists the whole surface, and each handler is a function returning an
// http.Handler (Mat Ryer, "How I write HTTP services").
package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/monitor"
	"github.com/opencredit/opencredit/rights"
	"github.com/opencredit/opencredit/scoring"
	"github.com/opencredit/opencredit/web"
)

// Deps are what the server needs. Store and Scoring are required: Store
// authenticates clients, ingests furnishers' events and answers /readyz;
// Scoring is the credit pull, the decision and the audit record of every
// access. Audit is the log Scoring writes to, read by the operators'
// checkpoint and record routes; nil serves those routes as 404. Now
// defaults to time.Now and Logger to a logger that discards.
//
// RatePerSecond and Burst limit each client (by client id) to a token
// bucket: Burst requests at once, refilled at RatePerSecond. A
// RatePerSecond of 0 means no limit; a Burst of 0 means RatePerSecond
// rounded up, at least 1. A client over its limit gets 429 with Retry-After.
// AddressRatePerSecond and AddressBurst do the same per network address
// (an IPv4 address, or an IPv6 /64), before the key is looked up, so that
// guessing keys or flooding with bad ones costs the store nothing.
type Deps struct {
	Store   opencredit.Store
	Scoring *scoring.Service
	Audit   *audit.Log
	// Rights serves the person's rights routes; NewServer builds it on
	// Store, Audit and Now when nil and Audit is set. Without either, those
	// routes answer 404.
	Rights        *rights.Service
	Now           func() time.Time
	Logger        *slog.Logger
	RatePerSecond float64
	Burst         int

	AddressRatePerSecond float64
	AddressBurst         int

	// Collectors are more Prometheus series to serve on /metrics beside
	// the server's own, such as the NATS consumer's (nats.Metrics).
	Collectors []prometheus.Collector

	// Witnesses, if not nil, reports the audit log's witnesses, for
	// /readyz and the opencredit_audit_witness_* metrics.
	Witnesses func() []api.WitnessStatus
	// Links are the one-time sign-in links the person's pages accept (the
	// demo issues them); nil accepts none.
	Links *web.Links
	// Features is the store's feature configuration, for the pages'
	// what-if projections (zero: features.DefaultConfig).
	Features features.Config
	// Drift and Shadow, when set, are the live drift monitor of the model
	// in service and its shadow comparison with a challenger (the scoring
	// service's Observer and Shadow): NewServer serves them on /metrics
	// (monitor.Collector, monitor.ShadowCollector) and on the operators'
	// monitoring page.
	Drift  *monitor.Monitor
	Shadow *monitor.Shadow

	// Set by NewServer: one registry and one set of buckets per server.
	metrics   *metrics
	limiter   *limiter
	addresses *limiter
	pages     http.Handler
}

// Body limits: one request body, and a batch of events (up to ten
// maximum-size events' worth of envelope and payload).
const (
	MaxBodyBytes       = 1 << 20
	MaxEventsBodyBytes = 10 << 20
)

// NewServer returns the API's handler. It panics if Store or Scoring is
// nil: a server without them is a wiring mistake, not a runtime condition.
func NewServer(d Deps) http.Handler {
	if d.Store == nil || d.Scoring == nil {
		panic("httpapi: NewServer needs a Store and a Scoring service")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Rights == nil && d.Audit != nil {
		rs, err := rights.New(rights.Config{Store: d.Store, Log: d.Audit, Now: d.Now})
		if err != nil {
			panic("httpapi: " + err.Error()) // Store and Audit are set: cannot happen
		}
		d.Rights = rs
	}
	d.metrics = newMetrics(d.Witnesses, d.Now)
	d.metrics.registry.MustRegister(d.Collectors...)
	if d.Drift != nil {
		d.metrics.registry.MustRegister(monitor.Collector(d.Drift))
	}
	if d.Shadow != nil {
		d.metrics.registry.MustRegister(monitor.ShadowCollector(d.Shadow))
	}
	d.limiter = newLimiter(d.RatePerSecond, d.Burst, d.Now)
	d.addresses = newLimiter(d.AddressRatePerSecond, d.AddressBurst, d.Now)
	d.pages = newPages(d)
	mux := http.NewServeMux()
	addRoutes(mux, d)
	return logRequests(d, noHead(d, mux))
}

// newPages builds the person's pages (package web) over the same store,
// scoring service and clock, spending the same per-address and per-client
// rate-limit buckets as the API: a sign-in attempt is an address's request,
// a page a client's. The operators' pages read the same registry, audit
// log and witnesses as the operator routes.
func newPages(d Deps) http.Handler {
	reg, _ := registryOf(d) // nil without one: the models page says so
	return web.New(web.Config{
		Store: d.Store, Scoring: d.Scoring, Rights: d.Rights, Links: d.Links, Now: d.Now, Logger: d.Logger, Features: d.Features,
		Models: reg, Audit: d.Audit, Witnesses: d.Witnesses, Drift: d.Drift, Shadow: d.Shadow,
		AllowAddress: func(r *http.Request) (bool, time.Duration) { return d.addresses.allow(addressKey(r.RemoteAddr)) },
		AllowClient:  func(id string) (bool, time.Duration) { return d.limiter.allow(id) },
	})
}
