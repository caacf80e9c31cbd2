package main

import (
	"bufio"
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/apiclient"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
)

// TestServeChild is the server TestServeSurvivesSIGKILL kills; it does
// nothing unless started by that test.
func TestServeChild(t *testing.T) {
	args := os.Getenv("OPENCREDIT_SERVE_CHILD")
	if args == "" {
		t.Skip("run by TestServeSurvivesSIGKILL")
	}
	os.Exit(exitCode(run(context.Background(), strings.Split(args, "\x1f"), os.Getenv, os.Stdout, os.Stderr), os.Stderr))
}

// TestServeSurvivesSIGKILL (issue 15): an API server, on SQLite and on
// PostgreSQL, is killed
// with SIGKILL while three furnishers post event batches and a lender pulls
// scores. Afterwards every event acknowledged as accepted is stored, live
// features equal their recomputation, the audit log verifies and holds a
// record of at least every request answered, and a new server starts on
// the same files and takes the unanswered batches again: acknowledged
// events come back duplicates, none a conflict.
func TestServeSurvivesSIGKILL(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		data := filepath.Join(t.TempDir(), "data")
		if err := os.MkdirAll(data, 0o700); err != nil {
			t.Fatal(err)
		}
		killServe(t, data, nil, func() opencredit.Store {
			st, err := sqlite.Open(context.Background(), filepath.Join(data, "opencredit.db"), pii.DemoKeys())
			if err != nil {
				t.Fatal(err)
			}
			return st
		}, []string{"--db", filepath.Join(data, "audit.db")})
	})
	t.Run("postgres", func(t *testing.T) {
		pg := pgSchema(t, "the PostgreSQL SIGKILL test")
		storeArgs := []string{"--store", "postgres", "--postgres", pg.dsn}
		killServe(t, filepath.Join(t.TempDir(), "data"), storeArgs, func() opencredit.Store { return pg.open(t) }, storeArgs)
	})
}

// killServe is TestServeSurvivesSIGKILL on one store: storeArgs select it
// for serve, open opens it in the test, verifyArgs point audit verify at
// its audit log.
func killServe(t *testing.T, data string, storeArgs []string, open func() opencredit.Store, verifyArgs []string) {
	ctx := context.Background()
	dir := t.TempDir()
	modelPath, skeyPath := serveFiles(t, dir)
	st := open()
	past := time.Now().Add(-48 * time.Hour)
	keys := map[string]string{}
	for _, c := range []opencredit.Client{{ID: "furn", Role: opencredit.RoleFurnisher},
		{ID: "bank", Role: opencredit.RoleLender, Purposes: []string{opencredit.PurposeCreditApplication}}} {
		key, hash, err := opencredit.NewAPIKey()
		if err != nil {
			t.Fatal(err)
		}
		c.CreatedAt = past
		if err := st.CreateClient(ctx, c, hash); err != nil {
			t.Fatal(err)
		}
		keys[c.ID] = key
	}
	const people = 30
	var subjects []string
	var consents []opencredit.Consent
	for i := range people {
		s := fmt.Sprintf("p%02d", i)
		subjects = append(subjects, s)
		consents = append(consents, opencredit.Consent{Subject: s, Counterparty: "furn", Purpose: opencredit.PurposeFurnishing, GrantedAt: past},
			opencredit.Consent{Subject: s, Counterparty: "bank", Purpose: opencredit.PurposeCreditApplication, GrantedAt: past})
	}
	if err := st.(opencredit.Registrar).Register(ctx, subjects, past, consents); err != nil {
		t.Fatal(err)
	}
	st.Close()

	args := append([]string{"serve", "--dir", data, "--demo-key", "--addr", "127.0.0.1:0", "--model", modelPath, "--audit-key", skeyPath,
		"--rate", "0", "--address-rate", "0"}, storeArgs...)
	cmd := exec.Command(os.Args[0], "-test.run", "^TestServeChild$")
	cmd.Env = append(os.Environ(), "OPENCREDIT_SERVE_CHILD="+strings.Join(args, "\x1f"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var url string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), "listening on "); ok {
			url = strings.TrimSpace(rest)
			break
		}
	}
	if url == "" {
		cmd.Process.Kill()
		t.Fatal("the child server did not start")
	}
	go func() {
		for sc.Scan() { // drain
		}
	}()

	var mu sync.Mutex
	acked := map[string]bool{}    // event ids answered accepted
	var sent [][]opencredit.Event // every batch sent
	answered := 0                 // requests answered 200
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 3 {
		furn := apiclient.New(url, keys["furn"])
		wg.Go(func() {
			for b := 0; ; b++ {
				select {
				case <-stop:
					return
				default:
				}
				var batch []opencredit.Event
				for i := range 20 {
					batch = append(batch, apitest.Inquiry("furn", subjects[(w*7+b+i)%people], fmt.Sprintf("w%d-b%d-e%d", w, b, i)))
				}
				mu.Lock()
				sent = append(sent, batch)
				mu.Unlock()
				res, err := furn.SendEvents(ctx, batch)
				if err != nil {
					return // the server is gone
				}
				mu.Lock()
				answered++
				for i, r := range res {
					if r.Status == opencredit.Accepted {
						acked[batch[i].ID] = true
					}
				}
				mu.Unlock()
			}
		})
	}
	bank := apiclient.New(url, keys["bank"])
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := bank.Score(ctx, subjects[i%people], opencredit.PurposeCreditApplication); err != nil {
				return
			}
			mu.Lock()
			answered++
			mu.Unlock()
		}
	})
	time.Sleep(800 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	close(stop)
	wg.Wait()
	if len(acked) < 100 {
		t.Fatalf("only %d events acknowledged before the kill: too little load to test", len(acked))
	}

	st = open()
	stored := map[string]bool{}
	asOf := time.Now()
	for _, s := range subjects {
		evs, err := st.Events(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			stored[e.ID] = true
		}
		live, err := st.Features(ctx, s, asOf)
		if err != nil {
			t.Fatal(err)
		}
		re, err := st.RecomputeFeatures(ctx, s, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(live.Values, re.Values) {
			t.Errorf("%s: live features %v, recomputed %v", s, live.Values, re.Values)
		}
	}
	st.Close()
	for id := range acked {
		if !stored[id] {
			t.Errorf("event %s was acknowledged but is not stored", id)
		}
	}
	vkey := strings.TrimSuffix(skeyPath, ".skey") + ".vkey"
	code, vout, verr := cli(append([]string{"audit", "verify", "--vkey", vkey}, verifyArgs...)...)
	var records int
	fmt.Sscanf(vout, "%d records", &records)
	if code != 0 || records < answered {
		t.Fatalf("audit verify after SIGKILL: exit %d, %d records for %d answered requests: %s %s", code, records, answered, vout, verr)
	}
	t.Logf("killed after %d answered requests, %d events acknowledged; %d stored; %d audit records", answered, len(acked), len(stored), records)

	// A new server on the same files takes everything again.
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	url, done, _ := startServe(t, sctx, args)
	furn := apiclient.New(url, keys["furn"])
	for _, batch := range sent {
		res, err := furn.SendEvents(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			switch {
			case r.Status == opencredit.Rejected:
				t.Errorf("re-sent %s: %+v", batch[i].ID, r)
			case acked[batch[i].ID] && r.Status != opencredit.Duplicate:
				t.Errorf("re-sent acknowledged %s: %s, want duplicate", batch[i].ID, r.Status)
			}
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
