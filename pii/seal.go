package pii

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"strings"

	"github.com/opencredit/opencredit"
)

// sealVersion is the first byte of every sealed value, so the format can change.
const sealVersion = 1

// adPrefix separates this use of the key from any other that might bind a
// subject id as additional data.
const adPrefix = "opencredit/pii/v1\x00"

// Seal encrypts a subject's PII, binding it to subjectID.
func (k Keys) Seal(p opencredit.PII, subjectID string) ([]byte, error) {
	if k.aead == nil {
		return nil, opencredit.Errorf(opencredit.EINTERNAL, "pii: no key: %s", howToSetKey)
	}
	plain, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	ns := k.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(plain)+k.aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, err
	}
	return k.aead.Seal(out, out[1:1+ns], plain, additionalData(subjectID)), nil
}

// Open decrypts what Seal returned for subjectID. It fails if the value was
// altered, sealed with another key or sealed for another subject.
func (k Keys) Open(sealed []byte, subjectID string) (opencredit.PII, error) {
	if k.aead == nil {
		return opencredit.PII{}, opencredit.Errorf(opencredit.EINTERNAL, "pii: no key: %s", howToSetKey)
	}
	ns := k.aead.NonceSize()
	if len(sealed) < 1+ns+k.aead.Overhead() || sealed[0] != sealVersion {
		return opencredit.PII{}, opencredit.Errorf(opencredit.EINTERNAL, "pii: the sealed PII of subject %s is malformed", subjectID)
	}
	plain, err := k.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], additionalData(subjectID))
	if err != nil {
		// Tampering, a wrong key and a ciphertext moved between subjects all
		// look alike to GCM; say what an operator should check.
		return opencredit.PII{}, opencredit.Errorf(opencredit.EINTERNAL,
			"pii: cannot decrypt the PII of subject %s: wrong key, or the data was altered or moved from another subject", subjectID)
	}
	var p opencredit.PII
	if err := json.Unmarshal(plain, &p); err != nil {
		return opencredit.PII{}, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "pii: decrypted PII is not valid JSON", Err: err}
	}
	return p, nil
}

func additionalData(subjectID string) []byte {
	return []byte(adPrefix + subjectID)
}

// NationalIDHash returns the keyed hash a national id is looked up by:
// HMAC-SHA-256 of its normalised form. It panics on the zero Keys, which is
// a programming error. An id that normalises to "" has no hash: nil.
func (k Keys) NationalIDHash(id string) []byte {
	if k.macKey == nil {
		panic("pii: NationalIDHash on zero Keys")
	}
	n := NormalizeNationalID(id)
	if n == "" {
		return nil
	}
	m := hmac.New(sha256.New, k.macKey)
	m.Write([]byte(n))
	return m.Sum(nil)
}

// NormalizeNationalID trims an id, upper-cases it and removes spaces and
// dashes, so "ab 12-34 56 c" and "AB123456C" are the same id.
func NormalizeNationalID(id string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\t', '\n', '\r', '\u00a0':
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(id)))
}
