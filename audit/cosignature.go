package audit

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"

	"github.com/opencredit/opencredit"
)

// A witness cosigns checkpoints with a C2SP tlog-cosignature/v1 Ed25519
// signature (https://c2sp.org/tlog-cosignature): a note signature whose key
// ID is SHA-256(name || "\n" || 0x04 || public key)[:4] and whose signature
// is an 8-byte big-endian POSIX timestamp followed by the Ed25519 signature
// of
//
//	cosignature/v1
//	time <timestamp>
//	<the checkpoint's text>
//
// The domain-separating header keeps a cosignature from ever being taken
// for the log's own signature, and the timestamp says when the witness saw
// the tree as the largest consistent one of the log. Keys are written as
// sumdb/note writes its own, with the algorithm byte 0x04: the verifier key
// "name+hash+base64(0x04 || public key)" (the C2SP vkey), and the secret
// key "PRIVATE+KEY+name+hash+base64(0x04 || seed)".
const algCosignatureV1 = 0x04

// cosignatureSize is the timestamp and the Ed25519 signature.
const cosignatureSize = 8 + ed25519.SignatureSize

// GenerateWitnessKey returns a new cosigning key pair named name (for
// example "witness.example/w1"): skey for NewCosigner, vkey for
// NewCosignatureVerifier, which logs and verifiers are given.
func GenerateWitnessKey(name string) (skey, vkey string, err error) {
	if !validKeyName(name) {
		return "", "", opencredit.Errorf(opencredit.EINVALID, "audit: witness key name %q: a name is not empty and holds no space, no '+' and no control character", name)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", &opencredit.Error{Code: opencredit.EINTERNAL, Message: "audit: generating a witness key", Err: err}
	}
	pk := append([]byte{algCosignatureV1}, pub...)
	sk := append([]byte{algCosignatureV1}, priv.Seed()...)
	h := fmt.Sprintf("%08x", cosignerKeyID(name, pub))
	return "PRIVATE+KEY+" + name + "+" + h + "+" + base64.StdEncoding.EncodeToString(sk),
		name + "+" + h + "+" + base64.StdEncoding.EncodeToString(pk), nil
}

// validKeyName is the rule of sumdb/note for a key's name.
func validKeyName(name string) bool {
	return name != "" && utf8.ValidString(name) && strings.IndexFunc(name, unicode.IsSpace) < 0 && !strings.Contains(name, "+")
}

func cosignerKeyID(name string, pub ed25519.PublicKey) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{'\n', algCosignatureV1})
	h.Write(pub)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// splitKey parses name+hash+base64 with the cosignature algorithm byte and
// a key of size bytes after it.
func splitKey(key string, size int) (name string, id uint32, material []byte, err error) {
	name, rest, ok1 := strings.Cut(key, "+")
	hash, b64, ok2 := strings.Cut(rest, "+")
	if !ok1 || !ok2 || !validKeyName(name) {
		return "", 0, nil, fmt.Errorf("not name+hash+key")
	}
	h, err := strconv.ParseUint(hash, 16, 32)
	if err != nil || len(hash) != 8 {
		return "", 0, nil, fmt.Errorf("the key hash %q is not 8 hex digits", hash)
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(b) != 1+size {
		return "", 0, nil, fmt.Errorf("the key is not base64 of %d bytes", 1+size)
	}
	if b[0] != algCosignatureV1 {
		return "", 0, nil, fmt.Errorf("the key's algorithm is %#x, not %#x (cosignature/v1 Ed25519)", b[0], algCosignatureV1)
	}
	return name, uint32(h), b[1:], nil
}

// Cosigner signs checkpoints as a witness: a note.Signer whose signatures
// are cosignature/v1 lines, timestamped by its clock.
type Cosigner struct {
	name string
	id   uint32
	priv ed25519.PrivateKey
	now  func() time.Time
}

var _ note.Signer = (*Cosigner)(nil)

// NewCosigner loads a secret key from GenerateWitnessKey. now is the clock
// of the timestamps; nil is time.Now.
func NewCosigner(skey string, now func() time.Time) (*Cosigner, error) {
	rest, ok := strings.CutPrefix(skey, "PRIVATE+KEY+")
	if !ok {
		return nil, opencredit.Errorf(opencredit.EINVALID, "audit: witness secret key does not start with PRIVATE+KEY+")
	}
	name, id, seed, err := splitKey(rest, ed25519.SeedSize)
	if err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "audit: witness secret key: %v", err)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	if cosignerKeyID(name, priv.Public().(ed25519.PublicKey)) != id {
		return nil, opencredit.Errorf(opencredit.EINVALID, "audit: witness secret key %s: its hash does not match the key", name)
	}
	if now == nil {
		now = time.Now
	}
	return &Cosigner{name: name, id: id, priv: priv, now: now}, nil
}

// Name implements note.Signer.
func (c *Cosigner) Name() string { return c.name }

// KeyHash implements note.Signer.
func (c *Cosigner) KeyHash() uint32 { return c.id }

// Sign implements note.Signer: the timestamp and the signature of the
// cosigned message over msg, the checkpoint's text.
func (c *Cosigner) Sign(msg []byte) ([]byte, error) {
	t := c.now().Unix()
	if t < 0 {
		return nil, fmt.Errorf("audit: cosigning at a time before 1970")
	}
	sig := make([]byte, 8, cosignatureSize)
	binary.BigEndian.PutUint64(sig, uint64(t))
	return append(sig, ed25519.Sign(c.priv, cosignedMessage(uint64(t), msg))...), nil
}

func cosignedMessage(t uint64, text []byte) []byte {
	m := make([]byte, 0, 40+len(text))
	m = append(m, "cosignature/v1\ntime "...)
	m = strconv.AppendUint(m, t, 10)
	m = append(m, '\n')
	return append(m, text...)
}

// CosignatureVerifier checks a witness's cosignatures: a note.Verifier.
type CosignatureVerifier struct {
	name string
	id   uint32
	pub  ed25519.PublicKey
}

var _ note.Verifier = (*CosignatureVerifier)(nil)

// NewCosignatureVerifier loads a witness's public key from
// GenerateWitnessKey (a C2SP vkey of type 0x04).
func NewCosignatureVerifier(vkey string) (*CosignatureVerifier, error) {
	name, id, pub, err := splitKey(vkey, ed25519.PublicKeySize)
	if err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "audit: witness key: %v", err)
	}
	if cosignerKeyID(name, pub) != id {
		return nil, opencredit.Errorf(opencredit.EINVALID, "audit: witness key %s: its hash does not match the key", name)
	}
	return &CosignatureVerifier{name: name, id: id, pub: pub}, nil
}

// Name implements note.Verifier.
func (v *CosignatureVerifier) Name() string { return v.name }

// KeyHash implements note.Verifier.
func (v *CosignatureVerifier) KeyHash() uint32 { return v.id }

// Verify implements note.Verifier.
func (v *CosignatureVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != cosignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig)
	if t > 1<<63-1 {
		return false
	}
	return ed25519.Verify(v.pub, cosignedMessage(t, msg), sig[8:])
}

// CosignatureTime returns the time a cosignature by v on the signed note
// says it was made: the note must carry a signature by v that verifies.
func CosignatureTime(v *CosignatureVerifier, signed []byte) (time.Time, error) {
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		return time.Time{}, &opencredit.Error{Code: opencredit.EINVALID, Message: "audit: the note carries no valid cosignature by " + v.Name(), Err: err}
	}
	for _, s := range n.Sigs {
		b, err := base64.StdEncoding.DecodeString(s.Base64)
		if err == nil && len(b) == 4+cosignatureSize {
			return time.Unix(int64(binary.BigEndian.Uint64(b[4:])), 0).UTC(), nil
		}
	}
	return time.Time{}, opencredit.Errorf(opencredit.EINVALID, "audit: the note carries no valid cosignature by %s", v.Name())
}
