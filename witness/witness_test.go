package witness_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/witness"
)

// fixedNow is the witness's clock in these tests.
var fixedNow = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

// witnessKeys returns a fresh cosigning key pair named w1.
func witnessKeys(t *testing.T) (*audit.Cosigner, *audit.CosignatureVerifier) {
	t.Helper()
	skey, vkey, err := audit.GenerateWitnessKey("witness.test/w1")
	if err != nil {
		t.Fatal(err)
	}
	c, err := audit.NewCosigner(skey, func() time.Time { return fixedNow })
	if err != nil {
		t.Fatal(err)
	}
	v, err := audit.NewCosignatureVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return c, v
}

// newLog returns a log in memory holding n records from audittest.Records,
// starting at from, signed with the audittest key.
func newLog(t *testing.T, from, n int) *audit.Log {
	t.Helper()
	s, v := audittest.Keys(t)
	l, err := audit.Open(context.Background(), audit.NewMemoryStorage(), s, v)
	if err != nil {
		t.Fatal(err)
	}
	grow(t, l, from, n)
	return l
}

func grow(t *testing.T, l *audit.Log, from, n int) []byte {
	t.Helper()
	if n > 0 {
		if _, err := l.Append(context.Background(), audittest.Records(from, n)...); err != nil {
			t.Fatal(err)
		}
	}
	cp, err := l.Checkpoint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

// fixture is a witness behind an HTTP server and a client of it for the
// audittest log.
type fixture struct {
	w      *witness.Witness
	srv    *httptest.Server
	client *witness.Client
	state  string
}

func newFixture(t *testing.T, state string) *fixture {
	t.Helper()
	c, v := witnessKeys(t)
	return startWitness(t, c, v, state)
}

func startWitness(t *testing.T, c *audit.Cosigner, v *audit.CosignatureVerifier, state string) *fixture {
	t.Helper()
	_, lv := audittest.Keys(t)
	st, err := witness.OpenState(state)
	if err != nil {
		t.Fatal(err)
	}
	w, err := witness.New(c, []note.Verifier{lv}, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(witness.Handler(w))
	t.Cleanup(srv.Close)
	return &fixture{w: w, srv: srv, client: &witness.Client{URL: srv.URL, Key: v, Log: lv, HTTP: srv.Client()}, state: state}
}

func add(t *testing.T, f *fixture, l *audit.Log, old int64, cp []byte) ([]byte, error) {
	t.Helper()
	tree, err := audit.OpenCheckpoint(l.Verifier(), cp)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := l.ConsistencyProof(context.Background(), old, tree.N)
	if err != nil {
		t.Fatal(err)
	}
	return f.client.AddCheckpoint(context.Background(), old, proof, cp)
}

func TestWitnessCosignsConsistentExtensions(t *testing.T) {
	f := newFixture(t, filepath.Join(t.TempDir(), "state.json"))
	l := newLog(t, 0, 10)
	cp := grow(t, l, 0, 0)
	cos, err := add(t, f, l, 0, cp)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(cos, cp) {
		t.Fatalf("the cosigned checkpoint does not start with the one sent:\n%s", cos)
	}
	at, err := audit.CosignatureTime(f.client.Key.(*audit.CosignatureVerifier), cos)
	if err != nil || !at.Equal(fixedNow) {
		t.Fatalf("cosignature time = %v, %v; want the witness's clock %v", at, err, fixedNow)
	}
	// 10 → 37: a proof of consistency from 10 verifies.
	cp = grow(t, l, 10, 27)
	if _, err := add(t, f, l, 10, cp); err != nil {
		t.Fatal(err)
	}
	// The same checkpoint again, from its own size: an empty proof.
	if _, err := add(t, f, l, 37, cp); err != nil {
		t.Fatal(err)
	}
	latest, err := f.client.Latest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tree, err := audit.OpenCheckpoint(l.Verifier(), latest); err != nil || tree.N != 37 {
		t.Fatalf("Latest = %v, %v; want the checkpoint of 37", tree, err)
	}
}

func TestWitnessStaleOldSize(t *testing.T) {
	f := newFixture(t, filepath.Join(t.TempDir(), "state.json"))
	l := newLog(t, 0, 5)
	if _, err := add(t, f, l, 0, grow(t, l, 0, 0)); err != nil {
		t.Fatal(err)
	}
	cp := grow(t, l, 5, 3)
	// The client claims the witness has nothing: 409 with 5.
	_, err := add(t, f, l, 0, cp)
	var c *witness.ConflictError
	if !errors.As(err, &c) || c.Size != 5 {
		t.Fatalf("add from 0 after 5 = %v; want a 409 with size 5", err)
	}
	// Raw: the body is the size and the Content-Type the one tlog-witness names.
	resp, err := http.Post(f.srv.URL+"/add-checkpoint", "text/plain", bytes.NewReader(witness.FormatRequest(witness.Request{OldSize: 2, Proof: proofOf(t, l, 2, 8), Checkpoint: cp})))
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	if resp.StatusCode != http.StatusConflict || resp.Header.Get("Content-Type") != "text/x.tlog.size" || body != "5\n" {
		t.Fatalf("stale old size: %d %q %q; want 409 text/x.tlog.size \"5\\n\"", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if _, err := add(t, f, l, c.Size, cp); err != nil {
		t.Fatalf("retry from the size the witness gave: %v", err)
	}
}

func proofOf(t *testing.T, l *audit.Log, old, size int64) tlog.TreeProof {
	t.Helper()
	p, err := l.ConsistencyProof(context.Background(), old, size)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestWitnessRefusesFork: a log that was rewritten (the same key, other
// records) gets no cosignature, neither as an extension nor at the same
// size, and not later either; the honest log still does.
func TestWitnessRefusesFork(t *testing.T) {
	f := newFixture(t, filepath.Join(t.TempDir(), "state.json"))
	honest := newLog(t, 0, 20)
	if _, err := add(t, f, honest, 0, grow(t, honest, 0, 0)); err != nil {
		t.Fatal(err)
	}
	// The fork: records 0..9 as the honest log's, then others.
	fork := newLog(t, 0, 10)
	grow(t, fork, 100, 10)
	forkCP := grow(t, fork, 200, 5) // 25 records
	status := func(old int64, cp []byte, l *audit.Log) int {
		tree, _ := audit.OpenCheckpoint(l.Verifier(), cp)
		resp, err := http.Post(f.srv.URL+"/add-checkpoint", "text/plain", bytes.NewReader(witness.FormatRequest(witness.Request{OldSize: old, Proof: proofOf(t, l, old, tree.N), Checkpoint: cp})))
		if err != nil {
			t.Fatal(err)
		}
		readAll(t, resp)
		return resp.StatusCode
	}
	for range 2 { // refused, and refused again
		if got := status(20, forkCP, fork); got != http.StatusUnprocessableEntity {
			t.Fatalf("a fork's extension: %d; want 422", got)
		}
	}
	// The fork at the witness's own size: another root for 20 records.
	fork20 := newLog(t, 0, 10)
	fork20CP := grow(t, fork20, 100, 10)
	if got := status(20, fork20CP, fork20); got != http.StatusConflict {
		t.Fatalf("another root at the same size: %d; want 409", got)
	}
	// The witness still holds the honest tree and extends it.
	if _, err := add(t, f, honest, 20, grow(t, honest, 20, 5)); err != nil {
		t.Fatalf("the honest extension after the fork: %v", err)
	}
	// Both are 25 records now: the fork is another root at the same size.
	if got := status(25, forkCP, fork); got != http.StatusConflict {
		t.Fatalf("the fork after the honest extension: %d; want 409", got)
	}
}

func TestWitnessRefusals(t *testing.T) {
	f := newFixture(t, filepath.Join(t.TempDir(), "state.json"))
	l := newLog(t, 0, 4)
	cp := grow(t, l, 0, 0)
	unknownS, unknownV := otherLogKey(t, "unknown.log")
	unknown, _ := audit.Open(context.Background(), audit.NewMemoryStorage(), unknownS, unknownV)
	unknownCP := grow(t, unknown, 0, 3)
	// A note claiming to be of the audittest log, signed with another key of that name.
	impS, impV := otherLogKey(t, audittest.KeyName)
	imp, _ := audit.Open(context.Background(), audit.NewMemoryStorage(), impS, impV)
	impCP := grow(t, imp, 0, 3)
	for _, c := range []struct {
		name string
		body []byte
		want int
	}{
		{"unknown log", witness.FormatRequest(witness.Request{Checkpoint: unknownCP}), http.StatusNotFound},
		{"not the log's key", witness.FormatRequest(witness.Request{Checkpoint: impCP}), http.StatusForbidden},
		{"old beyond the checkpoint", witness.FormatRequest(witness.Request{OldSize: 5, Checkpoint: cp}), http.StatusBadRequest},
		{"no old line", []byte("\n" + string(cp)), http.StatusBadRequest},
		{"proof from 0", []byte("old 0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n" + string(cp)), http.StatusBadRequest},
		{"leading zero", []byte("old 01\n\n" + string(cp)), http.StatusBadRequest},
	} {
		resp, err := http.Post(f.srv.URL+"/add-checkpoint", "text/plain", bytes.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		if resp.StatusCode != c.want {
			t.Errorf("%s: %d %q; want %d", c.name, resp.StatusCode, body, c.want)
		}
	}
	if _, ok := f.w.Latest(audittest.KeyName); ok {
		t.Fatal("a refused request changed the state")
	}
}

func otherLogKey(t *testing.T, name string) (note.Signer, note.Verifier) {
	t.Helper()
	skey, vkey, err := audit.GenerateKey(name)
	if err != nil {
		t.Fatal(err)
	}
	s, v, err := audit.ParseKeys(skey, vkey)
	if err != nil {
		t.Fatal(err)
	}
	return s, v
}

// TestWitnessStateSurvivesRestart: a new witness on the same state file
// knows the size it cosigned, refuses a stale old size and a fork, and
// extends the tree.
func TestWitnessStateSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	c, v := witnessKeys(t)
	f := startWitness(t, c, v, path)
	l := newLog(t, 0, 12)
	if _, err := add(t, f, l, 0, grow(t, l, 0, 0)); err != nil {
		t.Fatal(err)
	}
	f.srv.Close()

	f = startWitness(t, c, v, path)
	cp := grow(t, l, 12, 4)
	var conflict *witness.ConflictError
	if _, err := add(t, f, l, 0, cp); !errors.As(err, &conflict) || conflict.Size != 12 {
		t.Fatalf("after a restart, from 0: %v; want a 409 with 12", err)
	}
	fork := newLog(t, 0, 6)
	if _, err := add(t, f, fork, 12, grow(t, fork, 50, 10)); err == nil || !strings.Contains(err.Error(), "422") {
		t.Fatalf("after a restart, a fork: %v; want 422", err)
	}
	if _, err := add(t, f, l, 12, cp); err != nil {
		t.Fatal(err)
	}
	// A damaged state file is refused, not taken for an empty one.
	if err := writeFile(path, "{\"version\":1,\"logs\":[{\"origin\":"); err != nil {
		t.Fatal(err)
	}
	if _, err := witness.OpenState(path); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("OpenState of a torn file: %v; want it refused as damaged", err)
	}
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }
