// Package eventjson reads and checks the events data furnishers send in the
// CloudEvents JSON format, and publishes their JSON Schemas.
//
// Decode reads one encoded event in a single pass (a strict JSON reader of
// its own; see json.go for why not encoding/json), Validate checks an
// envelope that was parsed elsewhere (an HTTP batch), and Payload decodes
// the data of an event accepted before. All three apply the same rules and
// return the payload as a pointer to the root package's struct of the
// event's type, such as *opencredit.PaymentMissed.
//
// The rules for the envelope and each type's payload, the problems, and the schemas: docs/events.md.
package eventjson
