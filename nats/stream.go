package nats

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/opencredit/opencredit"
)

// Defaults of Config, and of the flags of serve --ingest and publish.
const (
	DefaultStream     = "OPENCREDIT_EVENTS"
	DefaultSubject    = "opencredit.events"
	DefaultConsumer   = "opencredit-ingest"
	DefaultDeadLetter = "opencredit.deadletter"
	DefaultBatch      = 500
)

// Config names the stream, its subjects and the consumer, and sets how the
// consumer takes batches. The zero value of every field is its default.
type Config struct {
	// Stream holds the events, on Subject; a stream named Stream +
	// "_DEADLETTER" holds the poison events published on DeadLetter.
	Stream, Subject, DeadLetter string
	// Consumer is the durable pull consumer's name: every replica of
	// serve --ingest that shares it shares the work.
	Consumer string
	// Replicas is the number of copies of each stream EnsureStreams
	// creates (1, or 3 on a cluster); streams that exist are left as they
	// are.
	Replicas int
	// Batch is the most messages stored in one transaction (DefaultBatch).
	Batch int
	// MaxWait is how long a fetch waits for a full batch before it takes
	// what came (1 s); it also bounds how long a stop waits for the fetch.
	MaxWait time.Duration
	// AckWait is how long the server waits for a message's
	// acknowledgement before it delivers it again (30 s).
	AckWait time.Duration
	// NakDelay is how long a message waits to be delivered again after
	// the store failed to take it, or the dead-letter subject to take it
	// (5 s).
	NakDelay time.Duration
	// Now is the clock events are decoded against (time.Now).
	Now func() time.Time
	// Logger gets a line for each store failure and dead letter, with
	// stream sequences and reasons, never a payload (discarded when nil).
	Logger *slog.Logger
	// Metrics, if not nil, counts what the consumer does.
	Metrics *Metrics
	// Record, if not nil, is called once per batch the store committed,
	// before its messages are acknowledged, with the number of events it
	// accepted: serve appends the audit record of a furnisher's batch, as
	// POST /v1/events does. An error is logged; the events stay stored and
	// are acknowledged (a redelivery would only be duplicates).
	Record func(ctx context.Context, accepted int) error
}

func (c Config) withDefaults() Config {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&c.Stream, DefaultStream)
	def(&c.Subject, DefaultSubject)
	def(&c.DeadLetter, DefaultDeadLetter)
	def(&c.Consumer, DefaultConsumer)
	if c.Replicas == 0 {
		c.Replicas = 1
	}
	if c.Batch == 0 {
		c.Batch = DefaultBatch
	}
	if c.MaxWait == 0 {
		c.MaxWait = time.Second
	}
	if c.AckWait == 0 {
		c.AckWait = 30 * time.Second
	}
	if c.NakDelay == 0 {
		c.NakDelay = 5 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Metrics == nil {
		c.Metrics = NewMetrics()
	}
	return c
}

// Validate refuses a configuration that cannot work, naming the setting,
// before anything connects.
func (c Config) Validate() error { return c.withDefaults().check() }

// check refuses a configuration that cannot work, naming the setting.
func (c Config) check() error {
	if c.Subject == c.DeadLetter {
		return opencredit.Errorf(opencredit.EINVALID, "the dead-letter subject %q must differ from the events subject", c.DeadLetter)
	}
	if c.Batch < 1 || c.Batch > 10_000 {
		return opencredit.Errorf(opencredit.EINVALID, "batch %d: want 1 to 10000 messages", c.Batch)
	}
	if c.Replicas < 1 || c.Replicas > 5 {
		return opencredit.Errorf(opencredit.EINVALID, "replicas %d: want 1 to 5", c.Replicas)
	}
	return nil
}

// DuplicateWindow is how long the events stream remembers a Nats-Msg-Id
// and drops a message published again with it (JetStream's default).
const DuplicateWindow = 2 * time.Minute

// EnsureStreams creates the events stream and the dead-letter stream when
// they do not exist, with cfg.Replicas copies each, in files. A stream that
// exists is left as its operator made it.
func EnsureStreams(ctx context.Context, js jetstream.JetStream, cfg Config) error {
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return err
	}
	for _, sc := range []jetstream.StreamConfig{
		{Name: cfg.Stream, Subjects: []string{cfg.Subject}, Storage: jetstream.FileStorage,
			Replicas: cfg.Replicas, Duplicates: DuplicateWindow},
		{Name: cfg.Stream + "_DEADLETTER", Subjects: []string{cfg.DeadLetter}, Storage: jetstream.FileStorage,
			Replicas: cfg.Replicas, Duplicates: DuplicateWindow},
	} {
		_, err := js.Stream(ctx, sc.Name)
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			_, err = js.CreateStream(ctx, sc)
			if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) { // another replica made it first
				err = nil
			}
		}
		if err != nil {
			return fmt.Errorf("nats: stream %s: %w", sc.Name, err)
		}
	}
	return nil
}
