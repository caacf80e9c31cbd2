package main

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/lifecycle"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
)

// TestServeFollowsRegistry: serve without --model scores with the
// registry's active model, and an activation and a rollback made by another
// process (here another connection to the store) are in service within the
// poll interval, with no restart.
func TestServeFollowsRegistry(t *testing.T) {
	dir := t.TempDir()
	pathA, skeyPath := serveFiles(t, dir)
	data := filepath.Join(dir, "data")
	ctx := context.Background()

	// Without an active model serve refuses to start, saying what to do.
	code, _, stderr := cli("serve", "--dir", data, "--demo-key", "--addr", "127.0.0.1:0", "--audit-key", skeyPath)
	if code == 0 || !strings.Contains(stderr, "no model is active") {
		t.Fatalf("serve on an empty registry: exit %d, %s", code, stderr)
	}

	db, err := sqlite.Open(ctx, filepath.Join(data, "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, err := model.LoadFile(pathA)
	if err != nil {
		t.Fatal(err)
	}
	b, err := model.LoadFile(pathA)
	if err != nil {
		t.Fatal(err)
	}
	b.BasePoints += 20
	var ids []string
	for _, m := range []*model.Model{a, b} {
		v, err := lifecycle.Add(ctx, db, m, "", "alice", nil, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := lifecycle.Approve(ctx, db, v.ID, "bob", "tested", "", time.Now()); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	if err := lifecycle.Activate(ctx, db, ids[0], "bob", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	key, hash, err := opencredit.NewAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateClient(ctx, opencredit.Client{ID: "ops", Role: opencredit.RoleOperator, CreatedAt: time.Now().Add(-time.Minute)}, hash); err != nil {
		t.Fatal(err)
	}

	// Only an approved model scores in shadow: the active one is refused.
	if code, _, stderr := cli("serve", "--dir", data, "--demo-key", "--addr", "127.0.0.1:0", "--audit-key", skeyPath,
		"--challenger", ids[0]); code == 0 || !strings.Contains(stderr, "only an approved model scores in shadow") {
		t.Fatalf("--challenger of the active model: exit %d, %s", code, stderr)
	}

	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	base, done, serr := startServe(t, sctx, []string{"serve", "--dir", data, "--demo-key", "--addr", "127.0.0.1:0", "--audit-key", skeyPath,
		"--model-poll", "20ms", "--challenger", ids[1]})
	served := func() string {
		t.Helper()
		req, _ := http.NewRequest("GET", base+"/v1/model", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct{ ID string }
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /v1/model: %d %v", resp.StatusCode, err)
		}
		return body.ID
	}
	waitFor := func(want string) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if served() == want {
				return
			}
		}
		t.Fatalf("the served model is %s, want %s; serve logged:\n%s", served(), want, serr.String())
	}
	waitFor(ids[0])
	if err := lifecycle.Activate(ctx, db, ids[1], "carol", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	waitFor(ids[1])
	if _, err := lifecycle.Rollback(ctx, db, "carol", time.Now()); err != nil {
		t.Fatal(err)
	}
	waitFor(ids[0])
	if !strings.Contains(serr.String(), "model in service changed") {
		t.Errorf("serve did not log the change:\n%s", serr.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
