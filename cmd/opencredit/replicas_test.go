package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/apiclient"
	"github.com/opencredit/opencredit/httpapi/apitest"
)

// TestReplicasOnPostgres runs two serve processes' worth of replicas (two
// run calls, each its own pools and audit.Log) on one PostgreSQL schema:
// events sent through one replica while lenders pull through both; then
// both give every person the same score from the same model, and the one
// audit log they shared holds a record of every request and verifies as
// one tree (issue 15: stateless replicas).
func TestReplicasOnPostgres(t *testing.T) {
	pg := pgSchema(t, "the replicas test")
	ctx, dsn := context.Background(), pg.dsn
	db := pg.open(t)
	defer db.Close()

	const people = 12
	past := time.Now().Add(-48 * time.Hour)
	keys := map[string]string{}
	for _, c := range []opencredit.Client{
		{ID: "furn", Role: opencredit.RoleFurnisher},
		{ID: "bank", Role: opencredit.RoleLender, Purposes: []string{opencredit.PurposeCreditApplication, opencredit.PurposeAccountReview}},
	} {
		key, hash, err := opencredit.NewAPIKey()
		if err != nil {
			t.Fatal(err)
		}
		c.CreatedAt = past
		if err := db.CreateClient(ctx, c, hash); err != nil {
			t.Fatal(err)
		}
		keys[c.ID] = key
	}
	for i := range people {
		s := fmt.Sprintf("p%02d", i)
		if err := db.CreateSubject(ctx, s, opencredit.PII{}, past); err != nil {
			t.Fatal(err)
		}
		for _, c := range []opencredit.Consent{
			{Subject: s, Counterparty: "furn", Purpose: opencredit.PurposeFurnishing, GrantedAt: past},
			{Subject: s, Counterparty: "bank", Purpose: opencredit.PurposeCreditApplication, GrantedAt: past},
			{Subject: s, Counterparty: "bank", Purpose: opencredit.PurposeAccountReview, GrantedAt: past},
		} {
			if err := db.GrantConsent(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
	}

	dir := t.TempDir()
	modelPath, skeyPath := serveFiles(t, dir)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var urls []string
	var dones []<-chan error
	for r := range 2 {
		url, done, _ := startServe(t, sctx, []string{"serve", "--store", "postgres", "--postgres", dsn, "--dir", filepath.Join(dir, fmt.Sprint("data", r)), "--demo-key",
			"--addr", "127.0.0.1:0", "--model", modelPath, "--audit-key", skeyPath, "--rate", "0", "--address-rate", "0"})
		urls, dones = append(urls, url), append(dones, done)
	}

	// Events through replica 0, pulls through both, at once.
	furn := apiclient.New(urls[0], keys["furn"])
	banks := []*apiclient.Client{apiclient.New(urls[0], keys["bank"]), apiclient.New(urls[1], keys["bank"])}
	var wg sync.WaitGroup
	var mu sync.Mutex
	requests := 0
	count := func() { mu.Lock(); requests++; mu.Unlock() }
	wg.Go(func() {
		for i := range people {
			evs := []opencredit.Event{apitest.Inquiry("furn", fmt.Sprintf("p%02d", i), ""), apitest.Inquiry("furn", fmt.Sprintf("p%02d", i), "")}
			if _, err := furn.SendEvents(ctx, evs); err != nil {
				t.Error(err)
				return
			}
			count()
		}
	})
	for k, bank := range banks {
		wg.Go(func() {
			for i := range people {
				if _, err := bank.Score(ctx, fmt.Sprintf("p%02d", (i+k*5)%people), opencredit.PurposeCreditApplication); err != nil {
					t.Error(err)
					return
				}
				count()
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	// Now both replicas answer every person alike.
	for i := range people {
		s := fmt.Sprintf("p%02d", i)
		a, err := banks[0].Score(ctx, s, opencredit.PurposeAccountReview)
		if err != nil {
			t.Fatal(err)
		}
		b, err := banks[1].Score(ctx, s, opencredit.PurposeAccountReview)
		if err != nil {
			t.Fatal(err)
		}
		requests += 2
		if a.Score != b.Score || a.ModelID != b.ModelID || a.Band != b.Band {
			t.Errorf("%s: replica 0 says %d (%s), replica 1 %d (%s)", s, a.Score, a.ModelID, b.Score, b.ModelID)
		}
	}
	cancel()
	for r, done := range dones {
		if err := <-done; err != nil {
			t.Fatalf("replica %d: %v", r, err)
		}
	}
	vkey := strings.TrimSuffix(skeyPath, ".skey") + ".vkey"
	code, out, errs := cli("audit", "verify", "--store", "postgres", "--postgres", dsn, "--vkey", vkey)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("%d records", requests)) {
		t.Fatalf("audit verify after %d requests on two replicas: exit %d: %s %s", requests, code, out, errs)
	}
}
