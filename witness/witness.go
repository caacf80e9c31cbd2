// Package witness is the audit log's witness, after C2SP tlog-witness
// (https://c2sp.org/tlog-witness): a service that keeps, for each log it
// knows, the latest checkpoint it cosigned, and cosigns a new one only when
// a consistency proof shows it extends that one. Once it has cosigned a
// tree it never cosigns a smaller one, a fork or a rewrite of it, so a log
// whose database was truncated or rewritten can no longer get cosigned
// checkpoints, and a verifier that asks the witness sees the damage.
//
// Witness is the protocol (AddCheckpoint, one call at a time), State its
// durable state (a JSON file written with fsync and an atomic rename),
// Handler its HTTP interface, Client what the log's server uses to call it,
// and Publisher what serve runs to publish each new checkpoint. The
// cosignature is C2SP tlog-cosignature/v1 Ed25519 (audit.Cosigner).
package witness

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// MaxRequestBytes bounds an add-checkpoint body: the old size, at most 63
// proof lines and a checkpoint with its signatures.
const MaxRequestBytes = 64 << 10

// maxProofLines is the bound tlog-witness sets.
const maxProofLines = 63

// Error is a refusal of AddCheckpoint with the HTTP status tlog-witness
// gives it. Size is the witness's latest cosigned size for a 409 on a
// stale old size, -1 otherwise.
type Error struct {
	Status  int
	Size    int64
	Message string
}

func (e *Error) Error() string { return "witness: " + e.Message }

func refuse(status int, format string, args ...any) *Error {
	return &Error{Status: status, Size: -1, Message: fmt.Sprintf(format, args...)}
}

// Request is a decoded add-checkpoint body.
type Request struct {
	OldSize    int64
	Proof      tlog.TreeProof
	Checkpoint []byte // the signed checkpoint note, as sent
}

// ParseRequest decodes an add-checkpoint body: "old N\n", zero to 63 lines
// of one base64 hash each, an empty line, then the checkpoint note. It
// fails with a 400 Error naming the line.
func ParseRequest(body []byte) (Request, error) {
	if len(body) > MaxRequestBytes {
		return Request{}, refuse(http.StatusBadRequest, "the body is %d bytes, more than %d", len(body), MaxRequestBytes)
	}
	line, rest, ok := bytes.Cut(body, []byte("\n"))
	if !ok {
		return Request{}, refuse(http.StatusBadRequest, "line 1: no old size line")
	}
	num, ok := strings.CutPrefix(string(line), "old ")
	if !ok {
		return Request{}, refuse(http.StatusBadRequest, "line 1: want \"old <size>\", got %q", truncate(line))
	}
	old, err := strconv.ParseInt(num, 10, 64)
	if err != nil || old < 0 || strconv.FormatInt(old, 10) != num {
		return Request{}, refuse(http.StatusBadRequest, "line 1: the old size %q is not a decimal without leading zeros", truncate([]byte(num)))
	}
	var proof tlog.TreeProof
	for k := 2; ; k++ {
		line, rest, ok = bytes.Cut(rest, []byte("\n"))
		if !ok {
			return Request{}, refuse(http.StatusBadRequest, "line %d: the body ends before the empty line that precedes the checkpoint", k)
		}
		if len(line) == 0 {
			break
		}
		if len(proof) == maxProofLines {
			return Request{}, refuse(http.StatusBadRequest, "line %d: more than %d consistency proof lines", k, maxProofLines)
		}
		h, err := tlog.ParseHash(string(line))
		if err != nil || base64.StdEncoding.EncodeToString(h[:]) != string(line) {
			return Request{}, refuse(http.StatusBadRequest, "line %d: not a base64 hash of %d bytes", k, tlog.HashSize)
		}
		proof = append(proof, h)
	}
	if old == 0 && len(proof) > 0 {
		return Request{}, refuse(http.StatusBadRequest, "a consistency proof from size 0 must be empty, got %d lines", len(proof))
	}
	if len(rest) == 0 {
		return Request{}, refuse(http.StatusBadRequest, "no checkpoint after the empty line")
	}
	return Request{OldSize: old, Proof: proof, Checkpoint: rest}, nil
}

func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// FormatRequest is the add-checkpoint body ParseRequest reads.
func FormatRequest(r Request) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "old %d\n", r.OldSize)
	for _, h := range r.Proof {
		b.WriteString(base64.StdEncoding.EncodeToString(h[:]))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.Write(r.Checkpoint)
	return b.Bytes()
}

// Witness cosigns the checkpoints of the logs it knows, each only if it is
// a consistent extension of the latest it cosigned for that log. It is safe
// for concurrent use: checks and updates of one witness are serialised, so
// two requests never both extend one state (the race tlog-witness warns of).
type Witness struct {
	cosigner note.Signer
	logs     map[string]note.Verifier // by origin: the log key's name
	state    *State
	logger   *slog.Logger

	mu sync.Mutex
}

// New returns a witness that cosigns with cosigner the checkpoints of the
// logs whose verifier keys are given (a log's origin is its key's name),
// keeping its state in state. logger, if not nil, records refusals that
// may be evidence of a log's misbehaviour.
func New(cosigner note.Signer, logs []note.Verifier, state *State, logger *slog.Logger) (*Witness, error) {
	if cosigner == nil || state == nil {
		panic("witness: New needs a cosigner and a state")
	}
	if len(logs) == 0 {
		return nil, errors.New("witness: no log key: a witness needs the verifier key of each log it accepts")
	}
	m := make(map[string]note.Verifier, len(logs))
	for _, v := range logs {
		if _, dup := m[v.Name()]; dup {
			return nil, fmt.Errorf("witness: two log keys are named %q", v.Name())
		}
		m[v.Name()] = v
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Witness{cosigner: cosigner, logs: m, state: state, logger: logger}, nil
}

// Name returns the witness key's name.
func (w *Witness) Name() string { return w.cosigner.Name() }

// AddCheckpoint runs the add-checkpoint call: it checks the request as
// tlog-witness says, and if all holds, stores the checkpoint as the log's
// latest (durably, before answering) and returns the cosignature lines. A
// refusal is an *Error: 404 for an unknown log, 403 for no valid log
// signature, 400 for an old size beyond the checkpoint, 409 with the
// witness's size when the old size is not it, 422 when the consistency
// proof does not verify, 409 for a different root at the same size.
func (w *Witness) AddCheckpoint(ctx context.Context, req Request) ([]byte, error) {
	origin, _, _ := strings.Cut(string(req.Checkpoint), "\n")
	v, ok := w.logs[origin]
	if !ok {
		return nil, refuse(http.StatusNotFound, "unknown log %q", truncate([]byte(origin)))
	}
	n, err := note.Open(req.Checkpoint, note.VerifierList(v))
	if err != nil {
		return nil, refuse(http.StatusForbidden, "the checkpoint carries no valid signature of log %s", origin)
	}
	t, err := parseTree(origin, n.Text)
	if err != nil {
		return nil, refuse(http.StatusBadRequest, "%v", err)
	}
	if req.OldSize > t.N {
		return nil, refuse(http.StatusBadRequest, "old size %d is beyond the checkpoint's %d", req.OldSize, t.N)
	}

	w.mu.Lock()
	defer w.mu.Unlock()
	cur, _ := w.state.Latest(origin)
	if req.OldSize != cur.Size {
		return nil, &Error{Status: http.StatusConflict, Size: cur.Size, Message: fmt.Sprintf("old size %d, but the latest checkpoint cosigned for %s is of %d records", req.OldSize, origin, cur.Size)}
	}
	switch {
	case req.OldSize == t.N:
		if t.N > 0 && t.Hash != cur.Root {
			w.logger.WarnContext(ctx, "a log signed two roots for one size", "log", origin, "size", t.N, "checkpoint", string(req.Checkpoint))
			return nil, refuse(http.StatusConflict, "log %s signed a checkpoint of %d records with root %s, but the one cosigned has root %s: a fork", origin, t.N, t.Hash, cur.Root)
		}
	case req.OldSize > 0:
		if err := tlog.CheckTree(req.Proof, t.N, t.Hash, req.OldSize, cur.Root); err != nil {
			w.logger.WarnContext(ctx, "a log's checkpoint is not a consistent extension", "log", origin, "old", req.OldSize, "size", t.N, "checkpoint", string(req.Checkpoint))
			return nil, refuse(http.StatusUnprocessableEntity, "the consistency proof from %d to %d records of %s does not verify", req.OldSize, t.N, origin)
		}
	}
	cosigned, err := note.Sign(&note.Note{Text: n.Text}, w.cosigner)
	if err != nil {
		return nil, fmt.Errorf("witness: cosigning: %w", err)
	}
	lines := cosigned[len(n.Text)+1:]
	// What a verifier later reads: the text, the log's signatures and ours.
	var keep bytes.Buffer
	keep.WriteString(n.Text)
	keep.WriteByte('\n')
	for _, s := range n.Sigs {
		fmt.Fprintf(&keep, "— %s %s\n", s.Name, s.Base64)
	}
	keep.Write(lines)
	if err := w.state.Put(Entry{Origin: origin, Size: t.N, Root: t.Hash, Checkpoint: keep.String()}); err != nil {
		return nil, err
	}
	return lines, nil
}

// Latest returns the latest checkpoint the witness cosigned for the log
// origin, with the log's signature and the cosignature, or false if none.
func (w *Witness) Latest(origin string) ([]byte, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	e, ok := w.state.Latest(origin)
	return []byte(e.Checkpoint), ok
}

// parseTree reads the first three lines of a checkpoint's text.
func parseTree(origin, text string) (tlog.Tree, error) {
	lines := strings.SplitN(text, "\n", 4)
	if len(lines) < 4 {
		return tlog.Tree{}, fmt.Errorf("the checkpoint of %s has fewer than three lines", origin)
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[1] {
		return tlog.Tree{}, fmt.Errorf("the checkpoint's size %q is not a decimal without leading zeros", truncate([]byte(lines[1])))
	}
	h, err := tlog.ParseHash(lines[2])
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("the checkpoint's root %q is not a base64 hash", truncate([]byte(lines[2])))
	}
	return tlog.Tree{N: n, Hash: h}, nil
}
