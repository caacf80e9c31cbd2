package opencredit

import (
	"slices"
	"strings"
	"time"
	"unicode"
)

// MaxIDBytes bounds subject, counterparty and event ids, which appear in logs and URLs.
const MaxIDBytes = 200

// CheckID rejects empty, overlong and non-printable ids; what names the id in the message.
func CheckID(what, id string) error {
	if id == "" {
		return Errorf(EINVALID, "%s is empty", what)
	}
	if len(id) > MaxIDBytes {
		return Errorf(EINVALID, "%s is longer than %d bytes", what, MaxIDBytes)
	}
	for _, r := range id {
		if !unicode.IsPrint(r) || r == unicode.ReplacementChar {
			return Errorf(EINVALID, "%s %q holds a non-printable character", what, id)
		}
	}
	return nil
}

// CheckTime rejects times outside 1900–2200: the stores keep times as
// nanoseconds since 1970 in 64 bits (1678–2262), and no credit fact is older
// or that far ahead.
func CheckTime(what string, t time.Time) error {
	if y := t.Year(); y < 1900 || y > 2200 {
		return Errorf(EINVALID, "%s %s is out of range (1900–2200)", what, t.Format(time.RFC3339))
	}
	return nil
}

// KnownPurpose reports whether p is one of Purposes.
func KnownPurpose(p string) bool {
	return slices.Contains(Purposes(), p)
}

// Validate checks a consent's ids, purpose and times.
func (c Consent) Validate() error {
	if err := CheckID("consent subject", c.Subject); err != nil {
		return err
	}
	if err := CheckID("consent counterparty", c.Counterparty); err != nil {
		return err
	}
	if !KnownPurpose(c.Purpose) {
		return Errorf(EINVALID, "consent purpose %q is not one of %s", c.Purpose, strings.Join(Purposes(), ", "))
	}
	if err := CheckTime("consent grant time", c.GrantedAt); err != nil {
		return err
	}
	if c.WithdrawnAt != nil {
		if err := CheckTime("consent withdrawal time", *c.WithdrawnAt); err != nil {
			return err
		}
	}
	return nil
}
