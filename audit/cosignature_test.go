package audit_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/opencredit/opencredit/audit"
)

// TestCosignatureFormat checks a cosignature byte for byte against C2SP
// tlog-cosignature/v1, computed here from the spec's definitions rather
// than by the code under test: the key ID is SHA-256(name || "\n" || 0x04
// || public key)[:4], the signature the 8-byte timestamp then Ed25519 over
// "cosignature/v1\ntime <t>\n" and the checkpoint's text.
func TestCosignatureFormat(t *testing.T) {
	skey, vkey, err := audit.GenerateWitnessKey("witness.example/w1")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1679315147, 0) // the spec's example time
	c, err := audit.NewCosigner(skey, func() time.Time { return at })
	if err != nil {
		t.Fatal(err)
	}
	v, err := audit.NewCosignatureVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.SplitN(vkey, "+", 3)
	raw, _ := base64.StdEncoding.DecodeString(parts[2])
	if len(raw) != 33 || raw[0] != 0x04 {
		t.Fatalf("vkey material %x: want 0x04 and 32 bytes", raw)
	}
	pub := ed25519.PublicKey(raw[1:])
	id := sha256.Sum256(append([]byte("witness.example/w1\n\x04"), pub...))
	if want := fmt.Sprintf("%08x", binary.BigEndian.Uint32(id[:4])); parts[1] != want || c.KeyHash() != binary.BigEndian.Uint32(id[:4]) {
		t.Fatalf("key hash %s (%08x); want %s", parts[1], c.KeyHash(), want)
	}
	text := "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
	signed, err := note.Sign(&note.Note{Text: text}, c)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimPrefix(string(signed), text+"\n— witness.example/w1 ")
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(line, "\n"))
	if err != nil || len(sig) != 4+8+64 {
		t.Fatalf("signature line %q: want base64 of key ID, timestamp and signature", line)
	}
	if binary.BigEndian.Uint64(sig[4:12]) != 1679315147 {
		t.Fatalf("timestamp %d; want 1679315147", binary.BigEndian.Uint64(sig[4:12]))
	}
	msg := "cosignature/v1\ntime 1679315147\n" + text
	if !ed25519.Verify(pub, []byte(msg), sig[12:]) {
		t.Fatal("the signature is not Ed25519 over the cosigned message of the spec")
	}
	if _, err := note.Open(signed, note.VerifierList(v)); err != nil {
		t.Fatalf("the verifier refuses the cosignature: %v", err)
	}
	if got, err := audit.CosignatureTime(v, signed); err != nil || !got.Equal(at) {
		t.Fatalf("CosignatureTime = %v, %v; want %v", got, err, at)
	}
	// A log's own signature verifier does not take a cosignature: the
	// domain separation holds.
	if _, err := note.NewVerifier(vkey); err == nil {
		t.Fatal("note.NewVerifier loaded a cosignature key as a log key")
	}
	for _, bad := range []string{"", "a+b", "name+0000000+AA==", strings.Replace(vkey, parts[1], "00000000", 1)} {
		if _, err := audit.NewCosignatureVerifier(bad); err == nil {
			t.Errorf("NewCosignatureVerifier(%q) accepted it", bad)
		}
	}
}
