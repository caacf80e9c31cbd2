package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/importer"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
)

// TestImportChild is the importing process TestImportSurvivesSIGKILL kills;
// it does nothing unless started by that test.
func TestImportChild(t *testing.T) {
	args := os.Getenv("OPENCREDIT_CRASH_CHILD")
	if args == "" {
		t.Skip("run by TestImportSurvivesSIGKILL")
	}
	code := exitCode(run(context.Background(), strings.Split(args, "\x1f"), os.Getenv, os.Stdout, os.Stderr), os.Stderr)
	os.Exit(code)
}

// TestImportSurvivesSIGKILL kills an import mid-way with SIGKILL, on SQLite
// and on PostgreSQL: every event of a batch the importer reported committed
// must be in the store, features must equal a recomputation from the stored
// events, and importing the file again completes it exactly once.
func TestImportSurvivesSIGKILL(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		crashImport(t, []string{"--dir", dir}, func() opencredit.Store {
			st, err := sqlite.Open(context.Background(), filepath.Join(dir, "opencredit.db"), pii.DemoKeys())
			if err != nil {
				t.Fatal(err)
			}
			return st
		})
	})
	t.Run("postgres", func(t *testing.T) {
		pg := pgSchema(t, "the PostgreSQL crash test")
		crashImport(t, []string{"--store", "postgres", "--postgres", pg.dsn}, func() opencredit.Store { return pg.open(t) })
	})
}

func crashImport(t *testing.T, storeArgs []string, open func() opencredit.Store) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "events.ndjson")
	gen := append([]string{"generate", "--subjects", "300", "--months", "30", "--seed", "7", "--out", file, "--register", "--demo-key"}, storeArgs...)
	if code, _, stderr := cli(gen...); code != 0 {
		t.Fatalf("generate: %s", stderr)
	}
	imp := append([]string{"import", file, "--demo-key", "--progress-json", "--batch", "200", "-q"}, storeArgs...)
	cmd := exec.Command(os.Args[0], "-test.run", "^TestImportChild$")
	cmd.Env = append(os.Environ(), "OPENCREDIT_CRASH_CHILD="+strings.Join(imp, "\x1f"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var last importer.Summary
	sc := bufio.NewScanner(stdout)
	batches := 0
	for sc.Scan() {
		var s importer.Summary
		if json.Unmarshal(sc.Bytes(), &s) != nil {
			continue
		}
		last, batches = s, batches+1
		if batches == 5 {
			cmd.Process.Signal(syscall.SIGKILL)
			break
		}
	}
	cmd.Wait()
	if batches < 5 {
		t.Fatalf("the import finished before it could be killed (%d batches); make the file larger", batches)
	}
	t.Logf("killed after %d committed lines, %d accepted", last.Committed, last.Accepted)

	// Every event on a committed line is stored. The child may have
	// committed more before the kill landed: those are stored too, and the
	// re-import must count exactly the stored ones as duplicates.
	want := map[[2]string]bool{}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	sc = bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	subjects := map[string]bool{}
	lines := 0
	for sc.Scan() {
		lines++
		var e opencredit.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if lines <= last.Committed {
			want[[2]string{e.Source, e.ID}] = true
		}
		subjects[e.Subject] = true
	}
	f.Close()
	st := open()
	stored, storedAll := 0, 0
	asOfs := []time.Time{genStart.AddDate(0, 6, 0), genStart.AddDate(0, 40, 0)}
	for s := range subjects {
		evs, err := st.Events(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		storedAll += len(evs)
		for _, e := range evs {
			if want[[2]string{e.Source, e.ID}] {
				stored++
			}
		}
		for _, at := range asOfs {
			live, err := st.Features(ctx, s, at)
			if err != nil {
				t.Fatal(err)
			}
			again, err := st.RecomputeFeatures(ctx, s, at)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(live.Values) != fmt.Sprint(again.Values) {
				t.Fatalf("subject %s at %s: live features %v, recomputed %v", s, at, live.Values, again.Values)
			}
		}
	}
	st.Close()
	if stored != len(want) || last.Accepted > stored {
		t.Fatalf("%d of the %d events on committed lines are stored (%d were reported accepted)", stored, len(want), last.Accepted)
	}
	t.Logf("stored at the kill: %d events (%d on lines reported committed)", storedAll, stored)

	// Importing again finishes the file; what was stored comes back as
	// duplicates, the rest is accepted.
	code, _, stderr := cli(append([]string{"import", file, "--demo-key", "-q"}, storeArgs...)...)
	summary := fmt.Sprintf("%d lines: %d accepted, %d duplicates, 0 rejected", lines, lines-storedAll, storedAll)
	if code != 0 || !strings.Contains(stderr, summary) {
		t.Fatalf("re-import: exit %d: %s (want %q)", code, stderr, summary)
	}
}
