package nats_test

import (
	"context"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/opencredit/opencredit/nats"
)

// TestClusterNodeLoss: a 3-node JetStream cluster on loopback (embedded
// servers), an R3 stream, and one node — the stream's leader — shut down a
// third of the way through a publish. Every event the publisher had
// acknowledged ends in the store exactly once (SQLite, or PostgreSQL when
// OPENCREDIT_TEST_POSTGRES is set). 20,000 events by default;
// OPENCREDIT_SOAK=1 publishes 200,000.
func TestClusterNodeLoss(t *testing.T) {
	n := 20_000
	if os.Getenv("OPENCREDIT_SOAK") == "1" {
		n = 200_000
	}
	nodes := startCluster(t, 3)
	var urls []string
	for _, s := range nodes {
		urls = append(urls, s.ClientURL())
	}
	all := strings.Join(urls, ",")
	cfg := testConfig("cluster")
	cfg.Replicas = 3
	cfg.Batch = 500
	cfg.AckWait = 5 * time.Second
	cfg.Metrics = nats.NewMetrics()

	pubConn := connect(t, all)
	pubJS := jetStream(t, pubConn)
	// The cluster elects its meta leader before it takes a stream.
	waitFor(t, 30*time.Second, "the cluster to take an R3 stream", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return nats.EnsureStreams(ctx, pubJS, cfg) == nil
	})

	w := newWorkload(t, n)
	st := newStore(t, w, true)
	consConn := connect(t, all)
	var c *nats.Consumer
	waitFor(t, 30*time.Second, "the consumer", func() bool {
		var err error
		c, err = nats.NewConsumer(context.Background(), jetStream(t, consConn), st, cfg)
		return err == nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()

	p, err := nats.NewPublisher(pubConn, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var acked atomic.Int64
	p.Acked = func(bool) { acked.Add(1) }
	pctx, pcancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer pcancel()
	var killed string
	for i, e := range w.events {
		if i == n/3 {
			killed = shutDownLeader(t, pubJS, cfg.Stream, nodes)
		}
		if err := p.Publish(pctx, w.raws[i], nats.MsgID(e)); err != nil {
			t.Fatalf("publish %d: %v", i, err)
		}
	}
	sum, err := p.Wait(pctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("shut down %s at event %d; publish: %+v", killed, n/3, sum)
	if int(acked.Load()) != n || sum.Published+sum.Duplicates != n {
		t.Fatalf("%d acknowledged, summary %+v; want all %d", acked.Load(), sum, n)
	}
	waitFor(t, 4*time.Minute, "every acknowledged event stored", func() bool { return cfg.Metrics.Counts().Stored >= n })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	t.Logf("consumer: %+v", cfg.Metrics.Counts())
	exactlyOnce(t, st, w, w.events)
}

// shutDownLeader shuts down the node leading the stream and returns its
// name.
func shutDownLeader(t *testing.T, js jetstream.JetStream, stream string, nodes []*server.Server) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil || info.Cluster == nil {
		t.Fatalf("stream info: %v", err)
	}
	for _, n := range nodes {
		if n.Name() == info.Cluster.Leader {
			n.Shutdown()
			return n.Name()
		}
	}
	t.Fatalf("the stream's leader %q is none of the nodes", info.Cluster.Leader)
	return ""
}
