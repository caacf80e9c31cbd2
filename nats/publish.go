package nats

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/opencredit/opencredit"
)

// MsgID is the Nats-Msg-Id of an event's message: its source, "/", and its
// id. The source is in it because an id is unique only within its source
// (CloudEvents 1.0: source + id identify an event, and the store keys
// events so): two furnishers may both send an event "1", and with the id
// alone JetStream would drop the second furnisher's as a duplicate of the
// first — an event lost without an error. A "/" or "%" in the source is
// percent-encoded, so that the first "/" always ends the source and no two
// events share a message id.
func MsgID(e opencredit.Event) string {
	src := e.Source
	if strings.ContainsAny(src, "/%") {
		src = strings.NewReplacer("%", "%25", "/", "%2F").Replace(src)
	}
	return src + "/" + e.ID
}

// Window is how many messages a Publisher keeps in flight, published and
// not yet acknowledged.
const Window = 256

// Publisher puts events on the events subject and makes sure the stream
// holds each: a message whose acknowledgement does not come (a node down,
// a leader being elected, a timeout) is published again with the same
// Nats-Msg-Id, until the stream acknowledges it or the context ends.
type Publisher struct {
	js      jetstream.JetStream
	subject string
	stream  string
	retry   time.Duration
	pending []inFlight
	// Acked, if not nil, is called once for each message the stream
	// acknowledged, in no particular order.
	Acked func(duplicate bool)
	sum   PublishSummary
}

type inFlight struct {
	msg *nats.Msg
	fut jetstream.PubAckFuture // nil when the asynchronous publish failed at once
}

// PublishSummary counts a publisher's acknowledged messages: new in the
// stream, or dropped by it as a resend within DuplicateWindow.
type PublishSummary struct {
	Published  int `json:"published"`
	Duplicates int `json:"duplicates"`
	Retries    int `json:"retries"`
}

// NewPublisher publishes on cfg's subject, into cfg's stream, over nc.
func NewPublisher(nc *nats.Conn, cfg Config) (*Publisher, error) {
	cfg = cfg.withDefaults()
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(Window),
		jetstream.WithPublishAsyncTimeout(5*time.Second))
	if err != nil {
		return nil, fmt.Errorf("nats: %w", err)
	}
	return &Publisher{js: js, subject: cfg.Subject, stream: cfg.Stream, retry: 250 * time.Millisecond}, nil
}

// Publish publishes one event (its JSON, data, and its message id, MsgID)
// without waiting for its acknowledgement; once Window messages are in
// flight it waits for the oldest. An error means ctx ended.
func (p *Publisher) Publish(ctx context.Context, data []byte, msgID string) error {
	for len(p.pending) >= Window {
		if err := p.settle(ctx); err != nil {
			return err
		}
	}
	msg := nats.NewMsg(p.subject)
	msg.Data = data
	msg.Header.Set(jetstream.MsgIDHeader, msgID)
	fut, err := p.js.PublishMsgAsync(msg, jetstream.WithExpectStream(p.stream))
	if err != nil {
		fut = nil // settled by a synchronous publish
	}
	p.pending = append(p.pending, inFlight{msg: msg, fut: fut})
	return nil
}

// Wait waits until every published message is acknowledged and returns the
// counts; an error means ctx ended first, and the counts say how many were
// acknowledged by then.
func (p *Publisher) Wait(ctx context.Context) (PublishSummary, error) {
	for len(p.pending) > 0 {
		if err := p.settle(ctx); err != nil {
			return p.sum, err
		}
	}
	return p.sum, nil
}

// settle waits for the oldest message in flight to be acknowledged,
// publishing it again, synchronously, for as long as it is not.
func (p *Publisher) settle(ctx context.Context) error {
	f := p.pending[0]
	var ack *jetstream.PubAck
	if f.fut != nil {
		select {
		case ack = <-f.fut.Ok():
		case <-f.fut.Err():
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	wait := p.retry
	for ack == nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		p.sum.Retries++
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		a, err := p.js.PublishMsg(pctx, f.msg, jetstream.WithExpectStream(p.stream))
		cancel()
		if err == nil {
			ack = a
			break
		}
		sleep(ctx, wait)
		wait = min(2*wait, 5*time.Second)
	}
	p.pending = p.pending[1:]
	if ack.Duplicate {
		p.sum.Duplicates++
	} else {
		p.sum.Published++
	}
	if p.Acked != nil {
		p.Acked(ack.Duplicate)
	}
	return nil
}
