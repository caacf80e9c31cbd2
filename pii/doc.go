// Package pii protects what identifies a person: it seals a subject's PII
// with AES-256-GCM bound to the subject's id, and turns national ids into
// HMAC-SHA-256 hashes for lookup, both under keys derived with HKDF from
// one master key (OPENCREDIT_KEY or OPENCREDIT_KEY_FILE).
//
// The key derivation, the sealed format and the normalisation of national
// ids are described in docs/pii.md.
package pii
