// Package ingest is the store-independent core of event ingestion, so the
// SQLite and PostgreSQL stores share one logic and cannot drift apart.
//
// A store opens a transaction and hands Batch a Tx: a few batch primitives
// (which subjects exist, which consents hold, insert-if-absent, load and save
// feature states). Batch decides each event's fate in this order:
//
//  1. validation (event.Validate at the moment of ingestion): invalid,
//     unknown_type, future_time, too_large;
//  2. the subject is registered and not erased: unknown_subject;
//  3. the source holds the subject's furnishing consent at that moment:
//     no_consent;
//  4. exactly once by (source, id): a second copy in the same batch, or an
//     event already stored, is a duplicate and changes nothing.
//
// Accepted events are inserted and applied to their subjects' feature states
// in the same transaction, so features are never behind the events. The new
// states are worked out on another goroutine while the store inserts the
// events (as if all were new; a subject with an event the store already held
// is worked out again without it), and a large batch is validated on all
// cores. An error from Batch means the caller must roll back: nothing of the
// batch is stored.
//
// Rebuild recomputes a subject's state from its unsuppressed events, for
// suppressing and restoring disputed events and for checking that the live
// state equals a full recomputation.
package ingest
