// Package storetest is the conformance suite every opencredit.Store runs:
// Run(t, open) checks subjects and PII, national-id lookup, consents,
// ingestion outcomes and exactly-once, live features against recomputation
// on a generated stream ingested in order and shuffled into two stores,
// suppression, erasure and event order, and API clients: lookup by key
// hash, revoked keys failing as unknown ones, conflicts and validation.
//
// What the suite cannot see it leaves to each store's own tests: that PII and
// API keys are not stored in clear, that a crash loses nothing acknowledged,
// and speed.
//
// The suite uses the real clock, as a store's Ingest does: events are dated
// in the past and consents granted before them.
package storetest
