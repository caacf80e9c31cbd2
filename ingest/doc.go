// Package ingest is the store-independent core of event ingestion, so the
// SQLite and PostgreSQL stores share one logic: Batch decides each event's
// fate (invalid, unknown subject, no consent, duplicate, accepted) over a
// store's Tx and applies the accepted ones to feature states in the same
// transaction; Rebuild recomputes a subject's state from its events.
//
// The order of the checks and how a batch is worked out are described in
// docs/stores.md.
package ingest
