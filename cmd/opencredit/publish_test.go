package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/apiclient"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
)

// TestPublishServeIngest runs the commands as an operator would: generate
// registers a population and writes its events, publish puts the file on an
// embedded JetStream server (one line that does not decode is listed and
// exits 2), serve --ingest stores them, its /metrics counts them, a stop
// ends it cleanly, and the store holds each event once.
func TestPublishServeIngest(t *testing.T) {
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true,
		StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	t.Cleanup(ns.Shutdown)
	url := ns.ClientURL()

	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	store := []string{"--dir", data, "--demo-key"}
	file := filepath.Join(dir, "events.ndjson")
	if code, _, stderr := cli(append([]string{"generate", "--subjects", "60", "--months", "6", "--seed", "3", "--out", file, "--register"}, store...)...); code != 0 {
		t.Fatalf("generate: %s", stderr)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	n := strings.Count(string(b), "\n")
	bad := append(b, []byte("{\"specversion\":\n")...) // line n+1 does not decode
	if err := os.WriteFile(file, bad, 0o600); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := cli("publish", file, "--nats", url, "-q")
	if code != 2 || !strings.Contains(stderr, "line "+itoa(n+1)+": not published: invalid") {
		t.Errorf("publish: exit %d, stderr %q; want 2 naming line %d", code, stderr, n+1)
	}
	if want := itoa(n+1) + " lines: " + itoa(n) + " published, 0 already in the stream, 1 not published"; !strings.Contains(stdout, want) {
		t.Errorf("publish: %q, want %q", stdout, want)
	}
	// Published again, every event is a duplicate the stream drops.
	if _, stdout, _ := cli("publish", file, "--nats", url, "-q"); !strings.Contains(stdout, "0 published, "+itoa(n)+" already in the stream") {
		t.Errorf("publish again: %q", stdout)
	}

	_, out, _ := cli(append([]string{"clients", "create", "--id", "ops", "--role", "operator"}, store...)...)
	key := regexp.MustCompile(`key: (\S+)`).FindStringSubmatch(out)
	if key == nil {
		t.Fatalf("clients create: %q", out)
	}
	modelPath, skeyPath := serveFiles(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, done, serr := startServe(t, ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--model", modelPath, "--audit-key", skeyPath,
		"--ingest", url, "--ingest-batch", "300"}, store...))
	want := "opencredit_nats_events_stored_total " + itoa(n)
	var metrics string
	for deadline := time.Now().Add(60 * time.Second); !strings.Contains(metrics, want); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %q; metrics:\n%s\nstderr: %s", want, metrics, serr.String())
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended early: %v\n%s", err, serr.String())
		default:
		}
		req, _ := http.NewRequest("GET", base+"/metrics", nil)
		req.Header.Set("Authorization", "Bearer "+key[1])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		mb, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		metrics = string(mb)
	}
	// Each stored batch left an audit record, as a furnisher's POST does.
	recs, _, err := apiclient.New(base, key[1]).AuditRecords(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	items := 0
	for _, r := range recs {
		rec, err := audit.ParseRecord(r.Record)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Client == "nats:opencredit-ingest" && rec.Action == audit.ActionEvents {
			items += rec.Result.Items
		}
	}
	if items != n {
		t.Errorf("the consumer's audit records count %d events, want %d", items, n)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v\n%s", err, serr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}

	st, err := sqlite.Open(context.Background(), filepath.Join(data, "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stored, seen := 0, map[string]bool{}
	err = st.Subjects(context.Background(), func(s opencredit.Subject) error {
		evs, err := st.Events(context.Background(), s.ID)
		for _, e := range evs {
			stored++
			if seen[e.Source+"\x00"+e.ID] {
				t.Errorf("event %s/%s stored twice", e.Source, e.ID)
			}
			seen[e.Source+"\x00"+e.ID] = true
		}
		return err
	})
	if err != nil || stored != n {
		t.Errorf("%d events stored (%v), want the %d published", stored, err, n)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestPublishBadFlags: a server that is not nats://, and a file that does
// not exist, are bad input (exit 2) naming the flag or the file.
func TestPublishBadFlags(t *testing.T) {
	file := filepath.Join(t.TempDir(), "events.ndjson")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"publish", file, "--nats", "http://127.0.0.1:4222"}, `--nats "http://127.0.0.1:4222": want nats://HOST:PORT`},
		{[]string{"publish", file + ".missing", "--nats", "nats://127.0.0.1:1"}, "no such file"},
		{[]string{"publish", file, "--nats", "nats://127.0.0.1:1", "--subject", "x", "--dead-letter", "x"}, "must differ from the events subject"},
	} {
		if code, _, stderr := cli(c.args...); code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 with %q", c.args, code, stderr, c.want)
		}
	}
}
