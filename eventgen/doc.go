// Package eventgen makes valid random events about made-up people, for tests,
// benchmarks and the generate command: a plain process, unlike the latent
// model of package simulate. A Generator is deterministic for a seed and
// returns the events in time order, one month in memory at a time.
//
// The process it draws from: docs/events.md, Generated events.
package eventgen
