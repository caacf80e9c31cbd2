// Package pii protects what identifies a person: it encrypts a subject's PII
// at rest and turns national ids into keyed hashes for lookup.
//
// One 32-byte master key, from OPENCREDIT_KEY or the file named by
// OPENCREDIT_KEY_FILE, is never used directly. Two sub-keys are derived from
// it with HKDF-SHA-256 (RFC 5869), one per use, so the encryption key and the
// MAC key are independent even though one secret is configured:
//
//	encKey = HKDF-SHA-256(master, salt = "", info = "opencredit/pii/aes-256-gcm/v1", 32)
//	macKey = HKDF-SHA-256(master, salt = "", info = "opencredit/pii/national-id-hmac/v1", 32)
//
// PII is sealed with AES-256-GCM (NIST SP 800-38D) under a fresh random
// 96-bit nonce. The subject's id is bound as additional authenticated data, so
// a ciphertext copied onto another subject's row fails to open. A sealed value
// is
//
//	version (1 byte, 1) || nonce (12 bytes) || GCM ciphertext and tag
//
// and the plaintext is the JSON encoding of opencredit.PII.
//
// A national id is normalised (spaces trimmed, upper-cased, inner spaces and
// dashes removed) and looked up as HMAC-SHA-256(macKey, normalised id)
// (RFC 2104). Without the key, a stolen database cannot be searched for a
// known national id, which a plain hash would allow by enumeration.
package pii
