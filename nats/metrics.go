package nats

import (
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// Metrics counts what the consumer did, for Prometheus. It is a
// prometheus.Collector: register it in the registry the HTTP API serves
// (httpapi.Deps.Collectors). Its labels are fixed sets: no subject, source or
// event id ever becomes a label.
type Metrics struct {
	consumed     prometheus.Counter
	stored       prometheus.Counter
	duplicates   prometheus.Counter
	deadLettered *prometheus.CounterVec // reason
	storeErrors  prometheus.Counter
}

// NewMetrics returns zeroed counters.
func NewMetrics() *Metrics {
	return &Metrics{
		consumed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "opencredit_nats_events_consumed_total",
			Help: "Messages taken from the JetStream consumer, redeliveries included.",
		}),
		stored: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "opencredit_nats_events_stored_total",
			Help: "Events from JetStream the store accepted, then acknowledged.",
		}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "opencredit_nats_events_duplicate_total",
			Help: "Events from JetStream the store held already (a redelivery or a resend), acknowledged.",
		}),
		deadLettered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "opencredit_nats_events_dead_lettered_total",
			Help: "Poison events published to the dead-letter subject and terminated, by reason.",
		}, []string{"reason"}),
		storeErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "opencredit_nats_store_errors_total",
			Help: "Batches the store failed to take, negatively acknowledged for redelivery.",
		}),
	}
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	m.consumed.Describe(ch)
	m.stored.Describe(ch)
	m.duplicates.Describe(ch)
	m.deadLettered.Describe(ch)
	m.storeErrors.Describe(ch)
}

// Collect implements prometheus.Collector.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	m.consumed.Collect(ch)
	m.stored.Collect(ch)
	m.duplicates.Collect(ch)
	m.deadLettered.Collect(ch)
	m.storeErrors.Collect(ch)
}

// Counts are the counters' values now; DeadLettered sums every reason.
type Counts struct {
	Consumed, Stored, Duplicates, DeadLettered, StoreErrors int
}

// Counts reads the counters, for a summary line and for tests.
func (m *Metrics) Counts() Counts {
	return Counts{
		Consumed: total(m.consumed), Stored: total(m.stored), Duplicates: total(m.duplicates),
		DeadLettered: total(m.deadLettered), StoreErrors: total(m.storeErrors),
	}
}

// total sums the counters a collector holds.
func total(c prometheus.Collector) int {
	ch := make(chan prometheus.Metric, 16)
	go func() { c.Collect(ch); close(ch) }()
	sum := 0.0
	for m := range ch {
		var d dto.Metric
		if m.Write(&d) == nil && d.Counter != nil {
			sum += d.Counter.GetValue()
		}
	}
	return int(sum)
}
