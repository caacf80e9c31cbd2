package witness_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/witness"
)

// eventually polls cond until it holds, failing after a generous deadline:
// the publisher works in the background, and this waits for its result
// without asserting how long it takes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s did not happen", what)
}

// TestPublisher: a witness that is down shows its error in Status while the
// publisher retries; once it is up, the latest checkpoint is cosigned and
// the note stored. A witness that already holds a larger tree than the
// storage remembers (409) is caught up with from its size.
func TestPublisher(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := newFixture(t, filepath.Join(t.TempDir(), "state.json"))
	var up atomic.Bool
	gate := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !up.Load() {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		witness.Handler(f.w).ServeHTTP(w, r)
	}))
	defer gate.Close()
	client := *f.client
	client.URL = gate.URL

	l := newLog(t, 0, 10)
	cp10 := grow(t, l, 0, 0)
	// The witness already cosigned 10 records, through another server.
	if _, err := add(t, f, l, 0, cp10); err != nil {
		t.Fatal(err)
	}
	var attempts atomic.Int64
	pub, err := witness.NewPublisher(ctx, l, []*witness.Client{&client}, nil, nil, func(int) time.Duration {
		attempts.Add(1)
		return time.Millisecond
	})
	if err != nil {
		t.Fatal(err)
	}
	go pub.Run(ctx)
	cp25 := grow(t, l, 10, 15)
	pub.Publish(cp25)
	eventually(t, "a failed attempt", func() bool {
		s := pub.Status()[0]
		return s.Err != nil && strings.Contains(s.Err.Error(), "503") && attempts.Load() >= 2
	})
	if s := pub.Status()[0]; s.CosignedSize != 0 || s.Witness != "witness.test/w1" {
		t.Fatalf("status while down: %+v", s)
	}
	up.Store(true)
	eventually(t, "the cosignature of 25 records", func() bool {
		s := pub.Status()[0]
		return s.Err == nil && s.CosignedSize == 25
	})
	if s := pub.Status()[0]; !s.CosignedAt.Equal(fixedNow) {
		t.Fatalf("CosignedAt = %v; want the witness's clock %v", s.CosignedAt, fixedNow)
	}
	cos, err := l.LatestCosigned(ctx)
	if err != nil || len(cos) != 1 || cos[0].Size != 25 || cos[0].Witness != "witness.test/w1" {
		t.Fatalf("stored cosigned = %+v, %v; want w1 at 25", cos, err)
	}
	if err := l.CheckCheckpoint(ctx, cos[0].Note, "the stored note"); err != nil {
		t.Fatal(err)
	}
	if _, err := audit.CosignatureTime(client.Key.(*audit.CosignatureVerifier), cos[0].Note); err != nil {
		t.Fatalf("the stored note carries no cosignature: %v", err)
	}
}

// TestPublisherLogBehindWitness: a log with fewer records than the witness
// cosigned (it lost some) gets no cosignature, and says why; CheckLog
// refuses it at start.
func TestPublisherLogBehindWitness(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := newFixture(t, filepath.Join(t.TempDir(), "state.json"))
	l := newLog(t, 0, 30)
	if _, err := add(t, f, l, 0, grow(t, l, 0, 0)); err != nil {
		t.Fatal(err)
	}
	short := newLog(t, 0, 20) // the first 20 of the same records
	pub, err := witness.NewPublisher(ctx, short, []*witness.Client{f.client}, nil, nil, func(int) time.Duration { return time.Millisecond })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pub.CheckLog(ctx, 5*time.Second); err == nil || !strings.Contains(err.Error(), "records 20..29 were removed") {
		t.Fatalf("CheckLog of a log behind its witness: %v", err)
	}
	go pub.Run(ctx)
	pub.Publish(grow(t, short, 0, 0))
	eventually(t, "the refusal", func() bool {
		s := pub.Status()[0]
		return s.Err != nil && strings.Contains(s.Err.Error(), "the log lost records")
	})
}

// TestPublisherStaleCheckpoint: with several replicas, another's later
// checkpoint may reach the witness first. Sending an older checkpoint of
// the same tree then stores the witness's and counts as up to date, not as
// a log that lost records.
func TestPublisherStaleCheckpoint(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := newFixture(t, filepath.Join(t.TempDir(), "state.json"))
	l := newLog(t, 0, 20)
	cp20 := grow(t, l, 0, 0)
	if _, err := add(t, f, l, 0, grow(t, l, 20, 10)); err != nil { // "the other replica": 30 records
		t.Fatal(err)
	}
	pub, err := witness.NewPublisher(ctx, l, []*witness.Client{f.client}, nil, nil, func(int) time.Duration { return time.Millisecond })
	if err != nil {
		t.Fatal(err)
	}
	go pub.Run(ctx)
	pub.Publish(cp20)
	eventually(t, "the witness's 30 records taken as up to date", func() bool {
		s := pub.Status()[0]
		return s.Err == nil && s.CosignedSize == 30
	})
	if cos, err := l.LatestCosigned(ctx); err != nil || len(cos) != 1 || cos[0].Size != 30 {
		t.Fatalf("stored cosigned = %+v, %v; want the witness's 30", cos, err)
	}
}
