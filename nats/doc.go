// Package nats is OpenCredit's NATS JetStream adapter: furnishers' events
// arrive on a stream, a durable pull consumer takes them in batches into the
// store, and Publish puts an event file on the stream.
//
// The consumer's one rule is that nothing is acknowledged before it is
// stored. Each batch goes to Store.Ingest in one transaction; only when it
// commits are its messages acknowledged. A crash between the commit and the
// acknowledgements redelivers them, and the store, which keys events by
// (source, id), reports each as a duplicate, which is then acknowledged: the
// event is stored once. An event that can never be stored — it does not
// decode, or the store rejects it as invalid, of an unknown type, for an
// unknown subject or without consent — is a poison message: it is published
// to the dead-letter subject with its reason in headers and then terminated,
// never redelivered. A store error is not the event's fault: the whole batch
// is negatively acknowledged with a delay and comes back.
//
// Publish sets each message's Nats-Msg-Id to the event's source and id, so
// that JetStream drops a resend within its duplicate window; the store
// catches any later one.
//
// Anyone who may publish on the events subject speaks for any source: unlike
// the HTTP API, which takes an event only from the client its source names,
// the stream cannot tell who published a message. Grant publish permission
// on the subject (NATS accounts and users) only to furnishing pipelines that
// are trusted to name their source truthfully.
package nats
