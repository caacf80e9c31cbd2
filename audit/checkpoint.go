package audit

import (
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencredit/opencredit"
)

// GenerateKey returns a new Ed25519 key pair for signing checkpoints, named
// name (for example "audit.opencredit.example"): skey is the secret signer
// key "PRIVATE+KEY+name+hash+key" for note.NewSigner, vkey the public
// verifier key "name+hash+key" for note.NewVerifier. Anyone who is to check
// the log needs vkey; only the server needs skey.
func GenerateKey(name string) (skey, vkey string, err error) {
	skey, vkey, err = note.GenerateKey(rand.Reader, name)
	if err == nil {
		// note.GenerateKey does not check the name; the keys it would make
		// of a bad one do not load.
		_, err = note.NewSigner(skey)
	}
	if err != nil {
		return "", "", &opencredit.Error{Code: opencredit.EINVALID, Message: "audit: generating key " + strconv.Quote(name) + " (a name is not empty and holds no space and no '+')", Err: err}
	}
	return skey, vkey, nil
}

// ParseKeys reads a key pair as GenerateKey writes it: the signer of the
// secret key skey and the verifier of the public key vkey.
func ParseKeys(skey, vkey string) (note.Signer, note.Verifier, error) {
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, nil, &opencredit.Error{Code: opencredit.EINVALID, Message: "audit: the signer key does not load", Err: err}
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, nil, &opencredit.Error{Code: opencredit.EINVALID, Message: "audit: the verifier key does not load", Err: err}
	}
	return signer, verifier, nil
}

// formatCheckpoint returns the text of a checkpoint: the log's origin, the
// tree size in decimal and the root hash in base64, one per line. This is
// the tree note of the Go checksum database (tlog.FormatTree) with the log's
// own name on the first line in place of "go.sum database tree", the form
// C2SP standardised as tlog-checkpoint (https://c2sp.org/tlog-checkpoint).
func formatCheckpoint(origin string, t tlog.Tree) []byte {
	b := make([]byte, 0, len(origin)+64)
	b = append(b, origin...)
	b = append(b, '\n')
	b = strconv.AppendInt(b, t.N, 10)
	b = append(b, '\n')
	b = base64.StdEncoding.AppendEncode(b, t.Hash[:])
	return append(b, '\n')
}

// parseCheckpoint parses the text formatCheckpoint writes. Lines after the
// root are extensions, ignored as tlog.ParseTree ignores them.
func parseCheckpoint(text string) (origin string, t tlog.Tree, ok bool) {
	lines := strings.SplitN(text, "\n", 4)
	if len(lines) < 4 || lines[0] == "" {
		return "", tlog.Tree{}, false
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || lines[1] != strconv.FormatInt(n, 10) {
		return "", tlog.Tree{}, false
	}
	h, err := tlog.ParseHash(lines[2])
	if err != nil {
		return "", tlog.Tree{}, false
	}
	return lines[0], tlog.Tree{N: n, Hash: h}, true
}

// OpenCheckpoint checks a signed checkpoint against the verifier key of the
// log and returns the tree it signs. It fails with EINVALID if the note is
// not signed by that key, if the signature does not verify, or if the text
// is not a checkpoint of the log the key names.
func OpenCheckpoint(v note.Verifier, signed []byte) (tlog.Tree, error) {
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		return tlog.Tree{}, &opencredit.Error{Code: opencredit.EINVALID, Message: "audit: checkpoint signature does not verify with key " + v.Name(), Err: err}
	}
	origin, t, ok := parseCheckpoint(n.Text)
	if !ok {
		return tlog.Tree{}, opencredit.Errorf(opencredit.EINVALID, "audit: signed note is not a checkpoint")
	}
	if origin != v.Name() {
		return tlog.Tree{}, opencredit.Errorf(opencredit.EINVALID, "audit: checkpoint is of log %q, not %q", origin, v.Name())
	}
	return t, nil
}

// VerifyRecord is the check a client runs on a record the log served: that
// data is record n of the tree the signed checkpoint describes, by the
// inclusion proof p (Log.Proof at the checkpoint's size). It fails with
// EINVALID naming what does not hold.
func VerifyRecord(v note.Verifier, checkpoint []byte, n int64, data []byte, p tlog.RecordProof) error {
	t, err := OpenCheckpoint(v, checkpoint)
	if err != nil {
		return err
	}
	if n < 0 || n >= t.N {
		return opencredit.Errorf(opencredit.EINVALID, "audit: record %d is not in the checkpoint's tree of %d records", n, t.N)
	}
	if err := tlog.CheckRecord(p, t.N, t.Hash, n, tlog.RecordHash(data)); err != nil {
		return &opencredit.Error{Code: opencredit.EINVALID, Message: "audit: record " + strconv.FormatInt(n, 10) + " is not in the signed tree", Err: err}
	}
	return nil
}

// sameKey reports whether a signer and a verifier are halves of one key.
func sameKey(s note.Signer, v note.Verifier) bool {
	if s.Name() != v.Name() || s.KeyHash() != v.KeyHash() {
		return false
	}
	probe := &note.Note{Text: "opencredit audit key check\n"}
	msg, err := note.Sign(probe, s)
	if err != nil {
		return false
	}
	got, err := note.Open(msg, note.VerifierList(v))
	return err == nil && got.Text == probe.Text
}
