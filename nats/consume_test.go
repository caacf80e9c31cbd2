package nats_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/nats"
)

// TestPublishConsume: every event published is stored exactly once, in
// batches no larger than the configured one, and the counters agree.
func TestPublishConsume(t *testing.T) {
	nc, js, cfg := streams(t, "basic")
	var recorded, records atomic.Int64
	cfg.Record = func(_ context.Context, accepted int) error {
		records.Add(1)
		recorded.Add(int64(accepted))
		return nil
	}
	w := newWorkload(t, 2000)
	st := &faultyStore{Store: newStore(t, w, false)}
	_, r := runConsumer(t, js, st, cfg)
	sum := publishAll(t, nc, cfg, w, w.events)
	if sum.Published != len(w.events) || sum.Duplicates != 0 {
		t.Errorf("publish summary %+v, want %d published", sum, len(w.events))
	}
	// Published again: JetStream drops each resend within its window.
	if again := publishAll(t, nc, cfg, w, w.events[:100]); again.Duplicates != 100 || again.Published != 0 {
		t.Errorf("resend summary %+v, want 100 duplicates", again)
	}
	stopWhenStored(t, js, cfg, cfg.Metrics, r, len(w.events), 60*time.Second, 10*time.Second)
	exactlyOnce(t, st, w, w.events)
	if c := cfg.Metrics.Counts(); c.Consumed != len(w.events) || c.Duplicates != 0 || c.DeadLettered != 0 {
		t.Errorf("counts %+v, want %d consumed and stored, nothing else", c, len(w.events))
	}
	if int(recorded.Load()) != len(w.events) || int(records.Load()) != len(st.batches) {
		t.Errorf("%d records of %d accepted events, want one per batch (%d) of %d", records.Load(), recorded.Load(), len(st.batches), len(w.events))
	}
	for _, n := range st.batches {
		if n > cfg.Batch {
			t.Errorf("a batch of %d events, more than %d", n, cfg.Batch)
		}
	}
}

// TestCrashBetweenCommitAndAck: the consumer's connection dies right after
// the store commits a batch, before any acknowledgement is sent. The
// messages come back to the next consumer after AckWait, the store reports
// them as duplicates, they are acknowledged, and every event is stored
// once.
func TestCrashBetweenCommitAndAck(t *testing.T) {
	s := startServer(t, "n1")
	cfg := testConfig("crash")
	w := newWorkload(t, 600)
	st := &faultyStore{Store: newStore(t, w, false)}

	pub := connect(t, s.ClientURL())
	if err := nats.EnsureStreams(context.Background(), jetStream(t, pub), cfg); err != nil {
		t.Fatal(err)
	}
	publishAll(t, pub, cfg, w, w.events)

	first := connect(t, s.ClientURL())
	st.after = first.Close // the crash: no acknowledgement leaves
	m1 := nats.NewMetrics()
	cfg.Metrics = m1
	_, r1 := runConsumer(t, jetStream(t, first), st, cfg)
	waitFor(t, 10*time.Second, "the first consumer's crash", first.IsClosed)
	if err := r1.stop(t); err == nil {
		t.Error("the first consumer's Run returned no error after its connection closed")
	}
	crashed := st.batches[0]
	if len(st.batches) != 1 || crashed == 0 {
		t.Fatalf("batches committed before the crash: %v, want one", st.batches)
	}

	second := connect(t, s.ClientURL())
	m2 := nats.NewMetrics()
	cfg.Metrics = m2
	js2 := jetStream(t, second)
	_, r2 := runConsumer(t, js2, st, cfg)
	stopWhenStored(t, js2, cfg, m2, r2, len(w.events)-crashed, 60*time.Second, 20*time.Second) // the rest
	c := m2.Counts()
	t.Logf("crashed after committing %d events; the next consumer: %+v", crashed, c)
	if c.Duplicates != crashed {
		t.Errorf("%d duplicates after the crash, want the %d events committed and not acknowledged", c.Duplicates, crashed)
	}
	exactlyOnce(t, st, w, w.events)
}

// TestPoisonDeadLettered: events that can never be stored go to the
// dead-letter subject with their reason and are terminated, not
// redelivered; the good events of the same batches are stored.
func TestPoisonDeadLettered(t *testing.T) {
	nc, js, cfg := streams(t, "poison")
	ctx := context.Background()
	w := newWorkload(t, 300)
	st := newStore(t, w, false)

	base := w.events[0]
	ev := func(change func(e *opencredit.Event)) []byte {
		e := base
		change(&e)
		b, _ := json.Marshal(e)
		return b
	}
	poison := []struct {
		data   []byte
		reason string
		detail string
	}{
		{[]byte(`{"specversion":"1.0",`), "invalid", "malformed JSON"},
		{ev(func(e *opencredit.Event) { e.ID, e.Type = "p-type", "com.example.post.liked" }), "unknown_type", "type:"},
		{ev(func(e *opencredit.Event) { e.ID, e.Subject = "p-subject", "nobody" }), "unknown_subject", "nobody"},
		{ev(func(e *opencredit.Event) { e.ID, e.Source = "p-consent", "stranger" }), "no_consent", "stranger"},
		{ev(func(e *opencredit.Event) { e.ID, e.Source = "p-platform", opencredit.PlatformSource }), "invalid", "reserved for the platform"},
		// The first good event's id again, with other content.
		{ev(func(e *opencredit.Event) { e.Time = e.Time.Add(-time.Hour) }), "conflict", base.ID},
	}
	for i, p := range poison {
		if _, err := js.Publish(ctx, cfg.Subject, p.data); err != nil {
			t.Fatal(err)
		}
		// The good events around the poison, in the same batches.
		publishAll(t, nc, cfg, w, w.events[i*50:(i+1)*50])
	}
	good := w.events[:len(poison)*50]
	_, r := runConsumer(t, js, st, cfg)
	// Idle: the poison terminated, not pending.
	stopWhenStored(t, js, cfg, cfg.Metrics, r, len(good), 30*time.Second, 10*time.Second)
	if c := cfg.Metrics.Counts(); c.DeadLettered != len(poison) {
		t.Errorf("counts %+v, want %d dead-lettered", c, len(poison))
	}
	dead, err := js.Stream(ctx, cfg.Stream+"_DEADLETTER")
	if err != nil {
		t.Fatal(err)
	}
	info, err := dead.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != uint64(len(poison)) {
		t.Fatalf("%d dead letters, want %d", info.State.Msgs, len(poison))
	}
	for i, p := range poison {
		m, err := dead.GetMsg(ctx, uint64(i+1))
		if err != nil {
			t.Fatal(err)
		}
		if string(m.Data) != string(p.data) || m.Header.Get(nats.HeaderReason) != p.reason ||
			!strings.Contains(m.Header.Get(nats.HeaderDetail), p.detail) || m.Header.Get(nats.HeaderSubject) != cfg.Subject ||
			m.Header.Get(nats.HeaderSequence) == "" {
			t.Errorf("dead letter %d: %s %v, want the message with reason %s and %q", i, m.Data, m.Header, p.reason, p.detail)
		}
	}
	exactlyOnce(t, st, w, good)
}

// TestStoreFailureRedelivered: while the store fails, nothing is
// acknowledged; the messages come back after the delay and are stored once
// when it recovers.
func TestStoreFailureRedelivered(t *testing.T) {
	nc, js, cfg := streams(t, "storefail")
	w := newWorkload(t, 500)
	st := &faultyStore{Store: newStore(t, w, false), failN: 3}
	publishAll(t, nc, cfg, w, w.events)
	_, r := runConsumer(t, js, st, cfg)
	stopWhenStored(t, js, cfg, cfg.Metrics, r, len(w.events), 60*time.Second, 10*time.Second)
	c := cfg.Metrics.Counts()
	t.Logf("store failed %d times; counts %+v", st.failed.Load(), c)
	if st.failed.Load() != 3 || c.StoreErrors != 3 || c.DeadLettered != 0 {
		t.Errorf("%d failures, counts %+v; want 3 store errors and nothing dead-lettered", st.failed.Load(), c)
	}
	if c.Consumed <= len(w.events) {
		t.Errorf("%d consumed: the failed batches were not delivered again", c.Consumed)
	}
	exactlyOnce(t, st, w, w.events)
}

// TestGracefulStop: a stop in the middle of a batch lets it finish:
// every event the consumer took before the stop is stored and
// acknowledged, and the rest stay on the stream for the next.
func TestGracefulStop(t *testing.T) {
	nc, js, cfg := streams(t, "stop")
	w := newWorkload(t, 1000)
	st := &faultyStore{Store: newStore(t, w, false)}
	publishAll(t, nc, cfg, w, w.events)
	var r *running
	stopped := make(chan struct{})
	st.after = func() { go func() { r.cancel(); close(stopped) }() } // asked to stop during the first batch
	_, r = runConsumer(t, js, st, cfg)
	<-stopped
	if err := r.stop(t); err != nil {
		t.Errorf("Run: %v", err)
	}
	c := cfg.Metrics.Counts()
	if c.Stored == 0 || c.Stored != c.Consumed {
		t.Errorf("counts %+v: every event taken before the stop must be stored", c)
	}
	waitFor(t, 10*time.Second, "the acknowledgements", func() bool {
		cons, err := js.Consumer(context.Background(), cfg.Stream, cfg.Consumer)
		if err != nil {
			return false
		}
		info, err := cons.Info(context.Background())
		return err == nil && info.NumAckPending == 0 && int(info.NumPending) == len(w.events)-c.Stored
	})
}

// TestMachineNATS runs publish → consume against the NATS server named by
// OPENCREDIT_TEST_NATS (.ci/run starts one), on streams of its own.
func TestMachineNATS(t *testing.T) {
	url := os.Getenv("OPENCREDIT_TEST_NATS")
	if url == "" {
		t.Skip("set OPENCREDIT_TEST_NATS=nats://127.0.0.1:4222 to run against a NATS server with JetStream (.ci/run does)")
	}
	nc := connect(t, url)
	js := jetStream(t, nc)
	name := "machine" + strings.ReplaceAll(time.Now().UTC().Format("150405.000000"), ".", "")
	cfg := testConfig(name)
	cfg.Metrics = nats.NewMetrics()
	ctx := context.Background()
	if err := nats.EnsureStreams(ctx, js, cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = js.DeleteStream(context.Background(), cfg.Stream)
		_ = js.DeleteStream(context.Background(), cfg.Stream+"_DEADLETTER")
	})
	w := newWorkload(t, 1000)
	st := newStore(t, w, true)
	_, r := runConsumer(t, js, st, cfg)
	publishAll(t, nc, cfg, w, w.events)
	stopWhenStored(t, js, cfg, cfg.Metrics, r, len(w.events), 60*time.Second, 0)
	exactlyOnce(t, st, w, w.events)
}

// TestMsgID: the source is in the message id, and no two (source, id)
// pairs share one, a "/" in either notwithstanding.
func TestMsgID(t *testing.T) {
	seen := map[string]opencredit.Event{}
	for _, e := range []opencredit.Event{
		{Source: "bank-a", ID: "1"}, {Source: "bank-b", ID: "1"},
		{Source: "a/b", ID: "c"}, {Source: "a", ID: "b/c"}, {Source: "a%2Fb", ID: "c"},
	} {
		id := nats.MsgID(e)
		if prev, ok := seen[id]; ok {
			t.Errorf("%+v and %+v share the message id %q", prev, e, id)
		}
		seen[id] = e
	}
	if got := nats.MsgID(opencredit.Event{Source: "bank-a", ID: "e-1"}); got != "bank-a/e-1" {
		t.Errorf("MsgID = %q, want bank-a/e-1", got)
	}
}

// TestPoisonNearMaxPayload: a poison event as large as the server takes
// is still dead-lettered, its data left in the events stream and the
// headers saying where, rather than being tried for ever.
func TestPoisonNearMaxPayload(t *testing.T) {
	nc, js, cfg := streams(t, "big")
	ctx := context.Background()
	w := newWorkload(t, 10)
	st := newStore(t, w, false)
	big := make([]byte, int(nc.MaxPayload())-600)
	for i := range big {
		big[i] = 'x'
	}
	if _, err := js.Publish(ctx, cfg.Subject, big); err != nil {
		t.Fatal(err)
	}
	_, r := runConsumer(t, js, st, cfg)
	waitFor(t, 20*time.Second, "the dead letter", func() bool { return cfg.Metrics.Counts().DeadLettered == 1 })
	if err := r.stop(t); err != nil {
		t.Errorf("Run: %v", err)
	}
	dead, err := js.Stream(ctx, cfg.Stream+"_DEADLETTER")
	if err != nil {
		t.Fatal(err)
	}
	m, err := dead.GetMsg(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Data) != 0 || !strings.Contains(m.Header.Get(nats.HeaderOmitted), "message 1 of stream "+cfg.Stream) ||
		m.Header.Get(nats.HeaderReason) != opencredit.ReasonInvalid {
		t.Errorf("dead letter: %d bytes, headers %v", len(m.Data), m.Header)
	}
}

// TestReplicasShareConsumer: two consumers on the same durable (two serve
// --ingest replicas) over one store share the work, and each event is
// stored once.
func TestReplicasShareConsumer(t *testing.T) {
	s := startServer(t, "n1")
	cfg := testConfig("shared")
	cfg.Batch = 100
	w := newWorkload(t, 3000)
	st := newStore(t, w, false)
	nc := connect(t, s.ClientURL())
	if err := nats.EnsureStreams(context.Background(), jetStream(t, nc), cfg); err != nil {
		t.Fatal(err)
	}
	publishAll(t, nc, cfg, w, w.events)
	var ms []*nats.Metrics
	var rs []*running
	for range 2 {
		c := cfg
		c.Metrics = nats.NewMetrics()
		ms = append(ms, c.Metrics)
		_, r := runConsumer(t, jetStream(t, connect(t, s.ClientURL())), st, c)
		rs = append(rs, r)
	}
	waitFor(t, 60*time.Second, "every event stored", func() bool {
		return ms[0].Counts().Stored+ms[1].Counts().Stored == len(w.events)
	})
	for _, r := range rs {
		if err := r.stop(t); err != nil {
			t.Errorf("Run: %v", err)
		}
	}
	t.Logf("replica counts: %+v, %+v", ms[0].Counts(), ms[1].Counts())
	if ms[0].Counts().Stored == 0 || ms[1].Counts().Stored == 0 {
		t.Errorf("one replica did all the work: %+v, %+v", ms[0].Counts(), ms[1].Counts())
	}
	exactlyOnce(t, st, w, w.events)
}
