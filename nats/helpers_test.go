package nats_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventgen"
	"github.com/opencredit/opencredit/nats"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/postgres"
	"github.com/opencredit/opencredit/sqlite"
)

// startServer starts an embedded nats-server with JetStream on a random
// loopback port, its store in a test directory.
func startServer(t testing.TB, name string) *server.Server {
	t.Helper()
	s := newServer(t, name, nil)
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatalf("nats-server %s did not start", name)
	}
	return s
}

// newServer makes a nats-server, not started; with cluster set it is a
// node of the cluster named "oc".
func newServer(t testing.TB, name string, cluster *clusterNode) *server.Server {
	t.Helper()
	opts := &server.Options{ServerName: name, Host: "127.0.0.1", Port: -1, JetStream: true,
		StoreDir: filepath.Join(t.TempDir(), name), NoLog: true, NoSigs: true}
	if cluster != nil {
		opts.Cluster = server.ClusterOpts{Name: "oc", Host: "127.0.0.1", Port: cluster.port}
		opts.Routes = cluster.routes
	}
	s, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Shutdown)
	return s
}

// clusterNode is a node's cluster port and its routes to every node.
type clusterNode struct {
	port   int
	routes []*url.URL
}

// startCluster starts n clustered nodes on loopback, each routed to all.
func startCluster(t testing.TB, n int) []*server.Server {
	t.Helper()
	ports := make([]int, n)
	var routes []*url.URL
	for i := range ports {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ports[i] = ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		routes = append(routes, &url.URL{Scheme: "nats-route", Host: fmt.Sprintf("127.0.0.1:%d", ports[i])})
	}
	nodes := make([]*server.Server, n)
	for i := range nodes {
		nodes[i] = newServer(t, fmt.Sprintf("c%d", i+1), &clusterNode{port: ports[i], routes: routes})
		go nodes[i].Start()
	}
	for _, s := range nodes {
		if !s.ReadyForConnections(30 * time.Second) {
			t.Fatalf("nats-server %s did not start", s.Name())
		}
	}
	return nodes
}

// connect connects to urls (comma-separated), reconnecting for ever.
func connect(t testing.TB, urls string) *natsgo.Conn {
	t.Helper()
	nc, err := natsgo.Connect(urls, natsgo.MaxReconnects(-1), natsgo.ReconnectWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

func jetStream(t testing.TB, nc *natsgo.Conn) jetstream.JetStream {
	t.Helper()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// workload is generated events for registered subjects that consented to
// their furnishers.
type workload struct {
	events []opencredit.Event
	raws   [][]byte
	gen    *eventgen.Generator
}

// genStart is when the generated histories begin: well before now, so no
// event is in the future.
var genStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func newWorkload(t testing.TB, n int) workload {
	t.Helper()
	events, g := eventgen.Sample(eventgen.GenConfig{Seed: 15, Subjects: max(n/40, 10), Furnishers: 5, Start: genStart}, n)
	w := workload{events: events, gen: g}
	for _, e := range events {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		w.raws = append(w.raws, b)
	}
	return w
}

// store is what the tests need of a store.
type store interface {
	opencredit.Store
	opencredit.Registrar
}

// newStore opens a SQLite store in a test directory or, when
// OPENCREDIT_TEST_POSTGRES is set and pg is true, a PostgreSQL store in a
// fresh schema, and registers the workload's subjects and consents.
func newStore(t testing.TB, w workload, pg bool) store {
	t.Helper()
	ctx := context.Background()
	var st store
	if dsn := os.Getenv("OPENCREDIT_TEST_POSTGRES"); pg && dsn != "" {
		schema := fmt.Sprintf("opencredit_test_nats_%d", time.Now().UnixNano())
		db, err := postgres.OpenSchema(ctx, dsn, schema, pii.DemoKeys())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			db.Close()
			if err := postgres.DropSchema(context.Background(), dsn, schema); err != nil {
				t.Errorf("dropping schema %s: %v", schema, err)
			}
		})
		st = db
	} else {
		db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "opencredit.db"), pii.DemoKeys())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		st = db
	}
	if err := st.Register(ctx, w.gen.SubjectIDs(), genStart, w.gen.Consents()); err != nil {
		t.Fatal(err)
	}
	return st
}

// held counts the stored events of the workload's subjects by MsgID.
func held(t testing.TB, st opencredit.Store, subjects []string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, s := range subjects {
		evs, err := st.Events(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			out[nats.MsgID(e.Event)]++
		}
	}
	return out
}

// exactlyOnce fails the test unless every event of want is stored once
// and nothing else is, and logs the counts.
func exactlyOnce(t testing.TB, st opencredit.Store, w workload, want []opencredit.Event) {
	t.Helper()
	got := held(t, st, w.gen.SubjectIDs())
	missing, twice := 0, 0
	for _, e := range want {
		switch n := got[nats.MsgID(e)]; {
		case n == 0:
			missing++
		case n > 1:
			twice++
		}
	}
	t.Logf("events: %d sent, %d stored, %d missing, %d stored more than once", len(want), len(got), missing, twice)
	if missing > 0 || twice > 0 || len(got) != len(want) {
		t.Errorf("%d events sent, %d distinct stored: %d missing, %d stored twice", len(want), len(got), missing, twice)
	}
}

// publishAll publishes events through a Publisher and waits for every
// acknowledgement.
func publishAll(t testing.TB, nc *natsgo.Conn, cfg nats.Config, w workload, events []opencredit.Event) nats.PublishSummary {
	t.Helper()
	p, err := nats.NewPublisher(nc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for _, e := range events {
		b, _ := json.Marshal(e)
		if err := p.Publish(ctx, b, nats.MsgID(e)); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := p.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// running is a consumer running on its own goroutine.
type running struct {
	cancel context.CancelFunc
	done   chan error
}

func runConsumer(t testing.TB, js jetstream.JetStream, st nats.Ingester, cfg nats.Config) (*nats.Consumer, *running) {
	t.Helper()
	c, err := nats.NewConsumer(context.Background(), js, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- c.Run(ctx) }()
	t.Cleanup(func() { r.stop(t) })
	return c, r
}

// stop stops the consumer and waits for it, once.
func (r *running) stop(t testing.TB) error {
	r.cancel()
	select {
	case err, ok := <-r.done:
		if ok {
			close(r.done)
		}
		return err
	case <-time.After(30 * time.Second):
		t.Error("the consumer did not stop within 30 s")
		return nil
	}
}

// streams starts one server and returns a connection to it, its
// JetStream, and the config named name with fresh metrics, whose streams
// exist: where most consume tests start.
func streams(t testing.TB, name string) (*natsgo.Conn, jetstream.JetStream, nats.Config) {
	t.Helper()
	nc := connect(t, startServer(t, "n1").ClientURL())
	js := jetStream(t, nc)
	cfg := testConfig(name)
	cfg.Metrics = nats.NewMetrics()
	if err := nats.EnsureStreams(context.Background(), js, cfg); err != nil {
		t.Fatal(err)
	}
	return nc, js, cfg
}

// stopWhenStored waits up to limit for m to count want events stored,
// then, unless idle is 0, up to idle for the consumer of cfg to have
// nothing left to deliver or to be acknowledged, and stops r; an error
// from its Run fails t.
func stopWhenStored(t testing.TB, js jetstream.JetStream, cfg nats.Config, m *nats.Metrics, r *running, want int, limit, idle time.Duration) {
	t.Helper()
	waitFor(t, limit, fmt.Sprintf("%d events stored", want), func() bool { return m.Counts().Stored == want })
	if idle > 0 {
		waitFor(t, idle, "the consumer idle", func() bool { return consumerIdle(t, js, cfg) })
	}
	if err := r.stop(t); err != nil {
		t.Errorf("Run: %v", err)
	}
}

// waitFor polls cond until it holds, failing the test after limit.
func waitFor(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %v waiting for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// consumerIdle reports whether the consumer has nothing left to deliver or
// to be acknowledged.
func consumerIdle(t testing.TB, js jetstream.JetStream, cfg nats.Config) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := js.Consumer(ctx, cfg.Stream, cfg.Consumer)
	if err != nil {
		return false
	}
	info, err := c.Info(ctx)
	return err == nil && info.NumPending == 0 && info.NumAckPending == 0 && info.NumRedelivered == 0
}

// faultyStore is a store that fails, or cuts the connection, on demand.
type faultyStore struct {
	opencredit.Store
	mu      sync.Mutex
	failN   int          // fail this many Ingest calls before storing
	after   func()       // called after the first successful Ingest commits
	calls   atomic.Int64 // Ingest calls
	failed  atomic.Int64 // Ingest calls failed
	batches []int        // sizes of the committed batches
}

var errStoreDown = errors.New("store down (injected)")

func (f *faultyStore) Ingest(ctx context.Context, events []opencredit.Event) ([]opencredit.IngestResult, error) {
	f.calls.Add(1)
	f.mu.Lock()
	if f.failN > 0 {
		f.failN--
		f.mu.Unlock()
		f.failed.Add(1)
		return nil, errStoreDown
	}
	f.mu.Unlock()
	res, err := f.Store.Ingest(ctx, events)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.batches = append(f.batches, len(events))
	after := f.after
	f.after = nil
	f.mu.Unlock()
	if after != nil {
		after()
	}
	return res, nil
}

// testConfig names a stream no other test uses and makes redeliveries fast.
func testConfig(name string) nats.Config {
	return nats.Config{
		Stream: "T_" + strings.ToUpper(name), Subject: "t." + name + ".events", DeadLetter: "t." + name + ".dead",
		Consumer: "c-" + name, Batch: 200, MaxWait: 100 * time.Millisecond, AckWait: time.Second,
		NakDelay: 100 * time.Millisecond,
	}
}
