package sqlite

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/pii"
)

// TestCheckpointerCopiesTheLogBack ingests into a store and waits for the
// checkpointer to run: afterwards the event must be in the database file
// itself, not only in the write-ahead log. Close must stop the checkpointer.
func TestCheckpointerCopiesTheLogBack(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "opencredit.db")
	db, err := Open(ctx, path, pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := db.CreateSubject(ctx, "s1", opencredit.PII{}, at); err != nil {
		t.Fatal(err)
	}
	if err := db.GrantConsent(ctx, opencredit.Consent{Subject: "s1", Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: at}); err != nil {
		t.Fatal(err)
	}
	before := db.ckpt.runs.Load()
	e := opencredit.Event{SpecVersion: "1.0", ID: "e1", Source: "f1", Subject: "s1", Type: opencredit.TypeInquiry,
		Time: at.Add(time.Hour), Data: []byte(`{"kind":"hard","purpose":"credit_application"}`)}
	if res, err := db.Ingest(ctx, []opencredit.Event{e}); err != nil || res[0].Status != opencredit.Accepted {
		t.Fatalf("ingest: %+v, %v", res, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for db.ckpt.runs.Load() == before {
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint ran after a commit")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Before a checkpoint the event's page is only in the log.
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(file, e.Data) {
		t.Error("after the checkpointer ran, the event is still only in the write-ahead log")
	}

	stopped := make(chan error, 1)
	go func() { stopped <- db.Close() }()
	select {
	case err := <-stopped:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return: the checkpointer did not stop")
	}
}
