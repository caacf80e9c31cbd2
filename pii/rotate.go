package pii

import (
	"bytes"

	"github.com/opencredit/opencredit"
)

// Reseal opens a subject's sealed personal data under old and seals it
// under next, and returns with it the national id's lookup hash under next
// (nil when the record holds no national id): what a key rotation writes
// back for each subject. It fails with EINVALID, naming the subject, when
// the record does not open under old.
func Reseal(old, next Keys, subject string, sealed []byte) (resealed, nationalIDHash []byte, err error) {
	p, err := old.Open(sealed, subject)
	if err != nil {
		return nil, nil, &opencredit.Error{Code: opencredit.EINVALID, Message: "pii: subject " + subject + ": the personal data does not open under the old key; nothing was rotated", Err: err}
	}
	if resealed, err = next.Seal(p, subject); err != nil {
		return nil, nil, err
	}
	return resealed, next.NationalIDHash(p.NationalID), nil
}

// CheckRotation refuses (EINVALID) a rotation to the key the store already
// has, or to the public demo key.
func CheckRotation(old, next Keys) error {
	if !old.Valid() || !next.Valid() {
		return opencredit.Errorf(opencredit.EINVALID, "pii: a key rotation needs the old and the new key")
	}
	if next.Demo() || bytes.Equal(next.CheckValue(), DemoKeys().CheckValue()) {
		return opencredit.Errorf(opencredit.EINVALID, "pii: the new key is the public demo key: anyone could read what is sealed under it")
	}
	if bytes.Equal(old.CheckValue(), next.CheckValue()) {
		return opencredit.Errorf(opencredit.EINVALID, "pii: the new key is the old key")
	}
	return nil
}
