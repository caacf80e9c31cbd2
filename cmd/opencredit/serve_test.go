package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
)

// lockedBuffer is a bytes.Buffer the server goroutine writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServe starts `opencredit serve` on port 0, polls /healthz, checks
// that the API wants a key, and stops it through its context.
// serveFiles writes what serve needs into dir: a one-feature model and an
// audit key pair, and returns the model's and the signer key's paths.
func serveFiles(t *testing.T, dir string) (modelPath, skeyPath string) {
	t.Helper()
	upper := 1.0
	m := &model.Model{
		SchemaVersion: model.SchemaVersion, Kind: "scorecard", Target: "bad",
		Scaling: model.DefaultScaling(), Bands: opencredit.DefaultBands(), Intercept: -3, BasePoints: 500,
		Features: []model.Feature{{Name: features.HardInquiries12m, Kind: model.Numeric, ReasonCode: "NC01",
			Bins: []model.Bin{{Upper: &upper, Points: 80}, {Lower: &upper, Points: 0}, {Missing: true, Points: 40}}}},
	}
	if err := m.Prepare(); err != nil {
		t.Fatal(err)
	}
	modelPath = filepath.Join(dir, "model.json")
	if err := m.SaveFile(modelPath); err != nil {
		t.Fatal(err)
	}
	skey, vkey, err := audit.GenerateKey("test-audit")
	if err != nil {
		t.Fatal(err)
	}
	skeyPath = filepath.Join(dir, "audit.skey")
	if err := os.WriteFile(skeyPath, []byte(skey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "audit.vkey"), []byte(vkey+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	return modelPath, skeyPath
}

func TestServe(t *testing.T) {
	dir := t.TempDir()
	modelPath, skeyPath := serveFiles(t, dir)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, done, _ := startServe(t, ctx, []string{"serve", "--dir", filepath.Join(dir, "data"), "--demo-key", "--addr", "127.0.0.1:0",
		"--model", modelPath, "--audit-key", skeyPath})
	for path, want := range map[string]int{
		"/healthz": http.StatusOK, "/readyz": http.StatusOK,
		"/v1/subjects/s1/score?purpose=credit_application": http.StatusUnauthorized,
	} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after its context ended")
	}
}

// TestServeOneTLSFlag: a certificate without a key, or a key without a
// certificate, from a flag or from the environment, stops serve before it
// opens anything, with an error naming both flags and exit status 2.
func TestServeOneTLSFlag(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		env  map[string]string
	}{
		"cert flag": {args: []string{"--tls-cert", "c.pem"}},
		"key flag":  {args: []string{"--tls-key", "k.pem"}},
		"cert env":  {env: map[string]string{"OPENCREDIT_TLS_CERT": "c.pem"}},
		"key env":   {env: map[string]string{"OPENCREDIT_TLS_KEY": "k.pem"}},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			args := append([]string{"serve", "--dir", filepath.Join(dir, "data"), "--demo-key",
				"--model", filepath.Join(dir, "model.json"), "--audit-key", filepath.Join(dir, "audit.skey")}, tc.args...)
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), args, func(k string) string { return tc.env[k] }, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), "--tls-cert and --tls-key go together") {
				t.Fatalf("err %v, want the TLS flags error", err)
			}
			if code := exitCode(err, io.Discard); code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			if stdout.Len() != 0 {
				t.Errorf("serve printed %q before failing", stdout.String())
			}
		})
	}
}

// startServe runs serve (or another command that reports "listening on",
// such as audit witness) with args in this process until ctx ends and
// returns the address it listens on, the channel its result arrives on, and
// its standard error; it fails t if the command ends or has not reported
// its address within 15 s.
func startServe(t *testing.T, ctx context.Context, args []string) (url string, done <-chan error, stderr *lockedBuffer) {
	t.Helper()
	var stdout lockedBuffer
	stderr = &lockedBuffer{}
	ch := make(chan error, 1)
	go func() { ch <- run(ctx, args, func(string) string { return "" }, &stdout, stderr) }()
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		select {
		case err := <-ch:
			t.Fatalf("%s ended early: %v\n%s", args[0], err, stderr.String())
		default:
		}
		if _, rest, ok := strings.Cut(stdout.String(), "listening on "); ok && strings.Contains(rest, "\n") {
			return strings.TrimSpace(rest), ch, stderr
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not report its address in 15 s: %s", args[0], stderr.String())
		}
	}
}
