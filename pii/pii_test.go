package pii_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/pii"
)

const testKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

func testKeys(t *testing.T) pii.Keys {
	t.Helper()
	k, err := pii.ParseKey(testKeyHex)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var alice = opencredit.PII{Name: "Alice Müller", NationalID: "AB 12-34-56 C", DateOfBirth: "1990-04-01"}

func TestSealOpenRoundTrip(t *testing.T) {
	k := testKeys(t)
	for _, p := range []opencredit.PII{alice, {}, {Name: strings.Repeat("x", 5000)}} {
		sealed, err := k.Seal(p, "s1")
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != "" && bytes.Contains(sealed, []byte(p.Name)) {
			t.Fatalf("sealed value holds the name in clear")
		}
		got, err := k.Open(sealed, "s1")
		if err != nil {
			t.Fatal(err)
		}
		if got != p {
			t.Fatalf("Open = %+v, want %+v", got, p)
		}
	}
}

func TestSealUsesFreshNonce(t *testing.T) {
	k := testKeys(t)
	a, _ := k.Seal(alice, "s1")
	b, _ := k.Seal(alice, "s1")
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same PII are identical: the nonce is not random")
	}
}

func TestOpenDetectsTampering(t *testing.T) {
	k := testKeys(t)
	sealed, err := k.Seal(alice, "s1")
	if err != nil {
		t.Fatal(err)
	}
	for i := range sealed {
		bad := bytes.Clone(sealed)
		bad[i] ^= 0x01
		if _, err := k.Open(bad, "s1"); err == nil {
			t.Fatalf("flipping a bit of byte %d went unnoticed", i)
		}
	}
	if _, err := k.Open(sealed[:len(sealed)-1], "s1"); err == nil {
		t.Fatal("a truncated value opened")
	}
	if _, err := k.Open(nil, "s1"); err == nil {
		t.Fatal("an empty value opened")
	}
}

func TestOpenDetectsWrongSubject(t *testing.T) {
	k := testKeys(t)
	sealed, _ := k.Seal(alice, "s1")
	_, err := k.Open(sealed, "s2")
	if err == nil {
		t.Fatal("PII sealed for s1 opened as s2's")
	}
	if !strings.Contains(err.Error(), "moved from another subject") {
		t.Errorf("error does not name the possible cause: %v", err)
	}
}

func TestOpenDetectsWrongKey(t *testing.T) {
	sealed, _ := testKeys(t).Seal(alice, "s1")
	if _, err := pii.DemoKeys().Open(sealed, "s1"); err == nil {
		t.Fatal("PII opened under another key")
	}
}

func TestZeroKeysRefuse(t *testing.T) {
	var k pii.Keys
	if k.Valid() {
		t.Fatal("zero Keys is valid")
	}
	if _, err := k.Seal(alice, "s1"); err == nil {
		t.Fatal("zero Keys sealed")
	}
	if _, err := k.Open([]byte{1, 2, 3}, "s1"); err == nil {
		t.Fatal("zero Keys opened")
	}
}

func TestNationalIDHashNormalises(t *testing.T) {
	k := testKeys(t)
	want := k.NationalIDHash("AB123456C")
	for _, id := range []string{"AB123456C", " ab 12 34 56 c ", "ab-12-34-56-c", "Ab-123456C\n"} {
		if got := k.NationalIDHash(id); !bytes.Equal(got, want) {
			t.Errorf("NationalIDHash(%q) differs from that of AB123456C", id)
		}
	}
	if bytes.Equal(k.NationalIDHash("AB123456D"), want) {
		t.Error("different ids hash alike")
	}
	if bytes.Equal(pii.DemoKeys().NationalIDHash("AB123456C"), want) {
		t.Error("the hash does not depend on the key")
	}
	if k.NationalIDHash(" - ") != nil {
		t.Error("an empty id has a hash")
	}
}

// TestNationalIDHashKnownAnswer recomputes the hash from the master key with
// RFC 5869 HKDF written out by hand (extract with an all-zero salt, one
// expand block) and RFC 2104 HMAC, independently of crypto/hkdf.
func TestNationalIDHashKnownAnswer(t *testing.T) {
	master, _ := hex.DecodeString(testKeyHex)
	mac := func(key []byte, parts ...[]byte) []byte {
		h := hmac.New(sha256.New, key)
		for _, p := range parts {
			h.Write(p)
		}
		return h.Sum(nil)
	}
	prk := mac(make([]byte, sha256.Size), master)
	macKey := mac(prk, []byte("opencredit/pii/national-id-hmac/v1"), []byte{1})
	want := mac(macKey, []byte("AB123456C"))
	if got := testKeys(t).NationalIDHash("ab-123456c"); !bytes.Equal(got, want) {
		t.Fatalf("NationalIDHash = %x, want %x", got, want)
	}
}

func TestParseKey(t *testing.T) {
	raw, _ := hex.DecodeString(testKeyHex)
	good := map[string]string{
		"hex":             testKeyHex,
		"upper hex":       strings.ToUpper(testKeyHex),
		"hex and newline": testKeyHex + "\n",
		"base64":          base64.StdEncoding.EncodeToString(raw),
	}
	want := testKeys(t).NationalIDHash("X1")
	for name, s := range good {
		k, err := pii.ParseKey(s)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(k.NationalIDHash("X1"), want) {
			t.Errorf("%s: parsed to another key", name)
		}
	}
	bad := map[string]string{
		"empty":          "",
		"short hex":      testKeyHex[:62],
		"not hex":        strings.Repeat("g", 64),
		"base64 16 B":    base64.StdEncoding.EncodeToString(raw[:16]),
		"base64 33 B":    base64.StdEncoding.EncodeToString(append(raw, 0)),
		"not base64":     "this is not a key!",
		"hex 65 chars":   testKeyHex + "0",
		"passphrase-ish": "correct horse battery staple",
	}
	for name, s := range bad {
		_, err := pii.ParseKey(s)
		if err == nil {
			t.Errorf("%s: parsed", name)
			continue
		}
		if opencredit.ErrorCode(err) != opencredit.EINVALID || !strings.Contains(err.Error(), "OPENCREDIT_KEY") {
			t.Errorf("%s: error %q does not say how to set a key", name, err)
		}
	}
}

func TestLoadKeys(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "key")
	if err := os.WriteFile(file, []byte(testKeyHex+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	want := testKeys(t).NationalIDHash("X1")
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	for name, m := range map[string]map[string]string{
		"variable": {"OPENCREDIT_KEY": testKeyHex},
		"file":     {"OPENCREDIT_KEY_FILE": file},
	} {
		k, err := pii.LoadKeys(env(m))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(k.NationalIDHash("X1"), want) || k.Demo() {
			t.Errorf("%s: loaded another key", name)
		}
	}

	for name, tc := range map[string]struct {
		env  map[string]string
		want string
	}{
		"missing":      {map[string]string{}, "set OPENCREDIT_KEY"},
		"both":         {map[string]string{"OPENCREDIT_KEY": testKeyHex, "OPENCREDIT_KEY_FILE": file}, "set only one"},
		"bad variable": {map[string]string{"OPENCREDIT_KEY": "abc"}, "bad OPENCREDIT_KEY"},
		"no file":      {map[string]string{"OPENCREDIT_KEY_FILE": filepath.Join(dir, "nope")}, "cannot read"},
	} {
		_, err := pii.LoadKeys(env(tc.env))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, tc.want)
		}
	}
}

func TestDemoKeys(t *testing.T) {
	k := pii.DemoKeys()
	if !k.Demo() || !k.Valid() {
		t.Fatal("DemoKeys is not a valid demo key")
	}
	// The demo key is documented as SHA-256 of a fixed sentence.
	sum := sha256.Sum256([]byte("opencredit demo key: insecure, never use with real data"))
	if hex.EncodeToString(sum[:]) != pii.DemoKey {
		t.Fatal("DemoKey does not match its documented derivation")
	}
}
