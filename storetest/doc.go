// Package storetest is the conformance suite every opencredit.Store runs:
// Run(t, open) checks subjects, PII, consents, ingestion outcomes, live
// features against recomputation, suppression, erasure and API clients.
// BenchWorkload is the ingestion benchmarks' shared workload.
//
// What the suite covers and leaves to each store is described in
// docs/stores.md.
package storetest
