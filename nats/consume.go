package nats

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventjson"
)

// Headers of a dead letter: why the event was refused, and where it came
// from. The message's data is the original message's, unchanged.
const (
	HeaderReason   = "OpenCredit-Reason"   // an opencredit.Reason constant
	HeaderDetail   = "OpenCredit-Detail"   // what exactly was wrong: field path and why
	HeaderSubject  = "OpenCredit-Subject"  // the NATS subject it was published on
	HeaderSequence = "OpenCredit-Sequence" // its sequence in the events stream
	HeaderOmitted  = "OpenCredit-Omitted"  // set when the data was too large to copy
)

// headerRoom is what a dead letter's headers may take beside its data.
const headerRoom = maxDetail + 1024

// maxDetail bounds the detail header: a problem's message quotes the
// offending value, which an attacker chooses.
const maxDetail = 1024

// Ingester is the part of opencredit.Store the consumer needs.
type Ingester interface {
	Ingest(ctx context.Context, events []opencredit.Event) ([]opencredit.IngestResult, error)
}

// Consumer takes events from the stream's durable pull consumer into the
// store.
type Consumer struct {
	cfg  Config
	js   jetstream.JetStream
	cons jetstream.Consumer
	st   Ingester
}

// NewConsumer creates or updates the durable consumer cfg names on the
// events stream (EnsureStreams makes the stream) and returns a Consumer
// that stores into st. Messages are delivered until acknowledged or
// terminated: a store that is down for an hour loses nothing.
func NewConsumer(ctx context.Context, js jetstream.JetStream, st Ingester, cfg Config) (*Consumer, error) {
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return nil, err
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, cfg.Stream, jetstream.ConsumerConfig{
		Durable:       cfg.Consumer,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       cfg.AckWait,
		MaxDeliver:    -1,
		FilterSubject: cfg.Subject,
		// Room for the batches of several replicas sharing the consumer,
		// each with one in hand and its acknowledgements on the way; the
		// server's default of 1,000 would let two replicas of 500 starve
		// a third.
		MaxAckPending: 16 * cfg.Batch,
	})
	if err != nil {
		return nil, fmt.Errorf("nats: consumer %s on stream %s: %w", cfg.Consumer, cfg.Stream, err)
	}
	return &Consumer{cfg: cfg, js: js, cons: cons, st: st}, nil
}

// Run takes batches until ctx ends, then finishes the batch in hand — it
// is stored and acknowledged, or not stored and not acknowledged — and
// returns nil. It returns an error only when the connection is closed.
func (c *Consumer) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		batch, err := c.cons.Fetch(c.cfg.Batch, jetstream.FetchMaxWait(c.cfg.MaxWait))
		if err != nil {
			if c.closed() {
				return fmt.Errorf("nats: fetching from %s: %w", c.cfg.Consumer, err)
			}
			c.cfg.Logger.Warn("nats: fetch failed; trying again", "consumer", c.cfg.Consumer, "err", err)
			sleep(ctx, c.cfg.MaxWait)
			continue
		}
		var msgs []jetstream.Msg
		for m := range batch.Messages() {
			msgs = append(msgs, m)
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && c.closed() {
			return fmt.Errorf("nats: fetching from %s: %w", c.cfg.Consumer, err)
		}
		if len(msgs) == 0 {
			continue
		}
		// The batch in hand is finished even when ctx ends meanwhile: a
		// stop waits for its commit and its acknowledgements.
		if err := c.handle(context.WithoutCancel(ctx), msgs); err != nil {
			return err
		}
	}
	return nil
}

func (c *Consumer) closed() bool { return c.js.Conn().IsClosed() }

// handle stores one batch and then settles each message: acknowledged once
// stored or found stored before, dead-lettered when it can never be, and
// left to come back later when the store failed.
func (c *Consumer) handle(ctx context.Context, msgs []jetstream.Msg) error {
	m := c.cfg.Metrics
	now := c.cfg.Now()
	events := make([]opencredit.Event, 0, len(msgs))
	at := make([]int, 0, len(msgs)) // events index → msgs index
	for i, msg := range msgs {
		m.consumed.Inc()
		e, _, prob := eventjson.Decode(msg.Data(), now)
		if prob == nil && e.Source == opencredit.PlatformSource {
			prob = &eventjson.Problem{Reason: opencredit.ReasonInvalid, Path: "source",
				Message: fmt.Sprintf("%q is reserved for the platform's own records", opencredit.PlatformSource)}
		}
		if prob != nil {
			c.deadLetter(ctx, msg, prob.Reason, prob.Error())
			continue
		}
		events = append(events, e)
		at = append(at, i)
	}
	if len(events) > 0 {
		results, err := c.st.Ingest(ctx, events)
		if err != nil {
			// Nothing of the batch is stored: every event comes back.
			m.storeErrors.Inc()
			c.cfg.Logger.Error("nats: the store did not take a batch; it will be delivered again",
				"events", len(events), "retry_in", c.cfg.NakDelay.String(), "err", err)
			for _, i := range at {
				_ = msgs[i].NakWithDelay(c.cfg.NakDelay) // unsent, it comes back after AckWait
			}
			return c.flush()
		}
		if c.cfg.Record != nil {
			accepted := 0
			for _, res := range results {
				if res.Status == opencredit.Accepted {
					accepted++
				}
			}
			if err := c.cfg.Record(ctx, accepted); err != nil {
				c.cfg.Logger.Error("nats: the audit record of a stored batch failed", "accepted", accepted, "err", err)
			}
		}
		for k, res := range results {
			msg := msgs[at[k]]
			switch res.Status {
			case opencredit.Accepted:
				m.stored.Inc()
				_ = msg.Ack() // unsent, it comes back and is a duplicate
			case opencredit.Duplicate:
				m.duplicates.Inc()
				_ = msg.Ack()
			default:
				c.deadLetter(ctx, msg, res.Reason, res.Detail)
			}
		}
	}
	return c.flush()
}

// flush sends the acknowledgements; a connection that is closed stops the
// consumer, one that is reconnecting sends them later (or the messages
// come back, as duplicates).
func (c *Consumer) flush() error {
	nc := c.js.Conn()
	if err := nc.Flush(); err != nil {
		if nc.IsClosed() {
			return fmt.Errorf("nats: the connection closed before the acknowledgements were sent: %w", err)
		}
		c.cfg.Logger.Warn("nats: acknowledgements not confirmed; unsent ones come back as duplicates", "err", err)
	}
	return nil
}

// deadLetter publishes a poison message to the dead-letter subject with
// its reason, waits for the dead-letter stream to hold it, and terminates
// the original. If the dead-letter stream does not take it, the message is
// negatively acknowledged instead and tried again later: a poison event is
// never dropped unrecorded.
func (c *Consumer) deadLetter(ctx context.Context, msg jetstream.Msg, reason, detail string) {
	dl := nats.NewMsg(c.cfg.DeadLetter)
	dl.Data = msg.Data()
	dl.Header.Set(HeaderReason, reason)
	dl.Header.Set(HeaderDetail, headerSafe(detail))
	dl.Header.Set(HeaderSubject, msg.Subject())
	var opts []jetstream.PublishOpt
	if meta, err := msg.Metadata(); err == nil {
		seq := strconv.FormatUint(meta.Sequence.Stream, 10)
		dl.Header.Set(HeaderSequence, seq)
		// A redelivered poison message is dead-lettered once.
		opts = append(opts, jetstream.WithMsgID(c.cfg.Stream+"/"+seq))
	}
	// The headers must not push a message near the server's size limit
	// over it, or the dead letter would never be taken: the data then stays
	// only in the events stream, where the headers say it is.
	if len(dl.Data)+headerRoom > int(c.js.Conn().MaxPayload()) {
		dl.Data = nil
		dl.Header.Set(HeaderOmitted, fmt.Sprintf("the data is too large to be copied; it is message %s of stream %s",
			dl.Header.Get(HeaderSequence), c.cfg.Stream))
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := c.js.PublishMsg(pctx, dl, opts...); err != nil {
		c.cfg.Logger.Error("nats: the dead-letter subject did not take a poison event; it will be delivered again",
			"dead_letter", c.cfg.DeadLetter, "sequence", dl.Header.Get(HeaderSequence), "reason", reason, "err", err)
		_ = msg.NakWithDelay(c.cfg.NakDelay)
		return
	}
	c.cfg.Metrics.deadLettered.WithLabelValues(reason).Inc()
	c.cfg.Logger.Warn("nats: poison event dead-lettered", "dead_letter", c.cfg.DeadLetter,
		"sequence", dl.Header.Get(HeaderSequence), "reason", reason)
	_ = msg.TermWithReason(reason)
}

// headerSafe makes a detail fit a header: one line, at most maxDetail bytes.
func headerSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
	if len(s) > maxDetail {
		s = strings.ToValidUTF8(s[:maxDetail], "")
	}
	return s
}

// sleep waits for d or the end of ctx.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
