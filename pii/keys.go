package pii

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"strings"

	"github.com/opencredit/opencredit"
)

// Environment variables that configure the master key.
const (
	EnvKey     = "OPENCREDIT_KEY"      // 64 hex characters, or the base64 of 32 bytes
	EnvKeyFile = "OPENCREDIT_KEY_FILE" // a file holding the same
)

// HKDF info strings: changing one changes every derived key, so each carries a version.
const (
	infoEnc = "opencredit/pii/aes-256-gcm/v1"
	infoMAC = "opencredit/pii/national-id-hmac/v1"
)

// howToSetKey is appended to every key error, so an operator knows the fix.
const howToSetKey = "set " + EnvKey + " to 64 hex characters (for example the output of `openssl rand -hex 32`) or " +
	EnvKeyFile + " to a file holding them"

// Keys holds the two keys derived from the master key. The zero Keys has no
// key: Seal, Open and NationalIDHash on it fail or panic. Keys is safe for
// concurrent use and cheap to copy.
type Keys struct {
	aead   cipher.AEAD
	macKey []byte
	demo   bool
}

// LoadKeys reads the master key from OPENCREDIT_KEY or, if that is empty,
// from the file named by OPENCREDIT_KEY_FILE, and derives the sub-keys.
// Setting both is an error, since it is unclear which one is meant.
func LoadKeys(getenv func(string) string) (Keys, error) {
	inline, file := getenv(EnvKey), getenv(EnvKeyFile)
	switch {
	case inline != "" && file != "":
		return Keys{}, opencredit.Errorf(opencredit.EINVALID, "both %s and %s are set; set only one", EnvKey, EnvKeyFile)
	case inline != "":
		k, err := ParseKey(inline)
		if err != nil {
			return Keys{}, &opencredit.Error{Code: opencredit.EINVALID, Message: "bad " + EnvKey, Err: err}
		}
		return k, nil
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return Keys{}, &opencredit.Error{Code: opencredit.EINVALID, Message: "cannot read the key file named by " + EnvKeyFile, Err: err}
		}
		k, err := ParseKey(string(b))
		if err != nil {
			return Keys{}, &opencredit.Error{Code: opencredit.EINVALID, Message: "bad key in " + file, Err: err}
		}
		return k, nil
	}
	return Keys{}, opencredit.Errorf(opencredit.EINVALID, "no encryption key for personal data: %s", howToSetKey)
}

// ParseKey parses a master key written as 64 hex characters or as the
// standard base64 of 32 bytes; surrounding white space is ignored.
func ParseKey(s string) (Keys, error) {
	s = strings.TrimSpace(s)
	var master []byte
	if len(s) == 64 {
		b, err := hex.DecodeString(s)
		if err != nil {
			return Keys{}, opencredit.Errorf(opencredit.EINVALID, "the key has 64 characters but is not hex: %s", howToSetKey)
		}
		master = b
	} else {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return Keys{}, opencredit.Errorf(opencredit.EINVALID, "the key is neither 64 hex characters nor base64 (%d characters): %s", len(s), howToSetKey)
		}
		if len(b) != 32 {
			return Keys{}, opencredit.Errorf(opencredit.EINVALID, "the key decodes to %d bytes, want 32: %s", len(b), howToSetKey)
		}
		master = b
	}
	return NewKeys(master)
}

// NewKeys derives the sub-keys from a 32-byte master key.
func NewKeys(master []byte) (Keys, error) {
	if len(master) != 32 {
		return Keys{}, opencredit.Errorf(opencredit.EINVALID, "the master key has %d bytes, want 32: %s", len(master), howToSetKey)
	}
	encKey, err := hkdf.Key(sha256.New, master, nil, infoEnc, 32)
	if err != nil {
		return Keys{}, err
	}
	macKey, err := hkdf.Key(sha256.New, master, nil, infoMAC, 32)
	if err != nil {
		return Keys{}, err
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return Keys{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return Keys{}, err
	}
	return Keys{aead: aead, macKey: macKey}, nil
}

// DemoKey is the master key of demo mode, in hex: SHA-256 of the ASCII text
// "opencredit demo key: insecure, never use with real data". It is published
// here, so anything sealed with it is readable by anyone: use it only for
// generated demo data.
const DemoKey = "0396c27d617434ef7433b5156a7b5cae527f9514c245790f66443a08700d9eb7"

// DemoKeys returns the keys of the published, insecure DemoKey, for demo
// mode only.
func DemoKeys() Keys {
	k, err := ParseKey(DemoKey)
	if err != nil {
		panic("pii: bad DemoKey: " + err.Error())
	}
	k.demo = true
	return k
}

// Demo reports whether k holds the insecure demo key.
func (k Keys) Demo() bool { return k.demo }

// Valid reports whether k holds a key; the zero Keys does not.
func (k Keys) Valid() bool { return k.aead != nil }

// checkLabel is what CheckValue authenticates.
const checkLabel = "opencredit key check v1"

// CheckValue returns a value that identifies the master key without
// revealing it: HMAC-SHA-256 of a fixed label under the lookup key derived
// from the master key. A store records it when it is created and compares
// it at every open, so a store is never written under two keys. It panics
// on the zero Keys, which is a programming error.
func (k Keys) CheckValue() []byte {
	if k.macKey == nil {
		panic("pii: CheckValue on zero Keys")
	}
	m := hmac.New(sha256.New, k.macKey)
	m.Write([]byte(checkLabel))
	return m.Sum(nil)
}

// WrongKey is the error of a store opened under a key that is not the one
// its personal data is sealed with; where names the store.
func WrongKey(where string) error {
	return opencredit.Errorf(opencredit.EINVALID,
		"%s: the personal data in this store is sealed under another key: open it with the key it was created with (%s or %s, or --demo-key for a demo store); nothing was written", where, EnvKey, EnvKeyFile)
}

// KeyRecord is how CheckStoreKey reads and writes a store: the recorded
// check value (nil when none is), one sealed record with its subject id
// (ok false when the store holds none), and recording a value unless one
// is recorded already.
type KeyRecord struct {
	Recorded func(ctx context.Context) ([]byte, error)
	Sample   func(ctx context.Context) (subject string, sealed []byte, ok bool, err error)
	Record   func(ctx context.Context, value []byte) error
}

// CheckStoreKey refuses a store whose personal data is sealed under another
// key than k (WrongKey, naming where). The key's check value is recorded the
// first time; a store from before the check is judged by one of its sealed
// records, then recorded. Reading back after recording makes two first
// opens under different keys agree on one value.
func CheckStoreKey(ctx context.Context, st KeyRecord, k Keys, where string) error {
	want := k.CheckValue()
	got, err := st.Recorded(ctx)
	if err != nil {
		return err
	}
	if got == nil {
		id, sealed, ok, err := st.Sample(ctx)
		if err != nil {
			return err
		}
		if ok {
			if _, err := k.Open(sealed, id); err != nil {
				return WrongKey(where)
			}
		}
		if err := st.Record(ctx, want); err != nil {
			return err
		}
		if got, err = st.Recorded(ctx); err != nil {
			return err
		}
	}
	if !hmac.Equal(got, want) {
		return WrongKey(where)
	}
	return nil
}
