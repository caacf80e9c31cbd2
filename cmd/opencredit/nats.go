package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/nats"
)

// natsFlags are the stream flags serve --ingest and publish share, named
// with a prefix ("ingest-" on serve, none on publish).
type natsFlags struct {
	cfg nats.Config
}

func (f *natsFlags) register(c *cobra.Command, prefix string) {
	fl := c.Flags()
	fl.StringVar(&f.cfg.Stream, prefix+"stream", nats.DefaultStream, "the JetStream stream of events (created if missing, with a _DEADLETTER stream beside it)")
	fl.StringVar(&f.cfg.Subject, prefix+"subject", nats.DefaultSubject, "the subject events are published on")
	fl.StringVar(&f.cfg.DeadLetter, prefix+"dead-letter", nats.DefaultDeadLetter, "the subject poison events go to, with their reason in headers")
	fl.IntVar(&f.cfg.Replicas, prefix+"replicas", 1, "copies of each stream, when it is created (3 on a cluster)")
}

// checkNATSURL refuses a server list that is not nats:// (or tls://) URLs,
// naming the flag.
func checkNATSURL(flag, urls string) error {
	for _, u := range strings.Split(urls, ",") {
		p, err := url.Parse(strings.TrimSpace(u))
		if err != nil || (p.Scheme != "nats" && p.Scheme != "tls") || p.Host == "" {
			return opencredit.Errorf(opencredit.EINVALID, "--%s %q: want nats://HOST:PORT (several separated by commas)", flag, u)
		}
	}
	return nil
}

// connectNATS connects to urls, reconnecting for ever, and makes sure the
// streams exist.
func connectNATS(ctx context.Context, flag, urls string, cfg nats.Config, logger *slog.Logger) (*natsgo.Conn, jetstream.JetStream, error) {
	if err := checkNATSURL(flag, urls); err != nil {
		return nil, nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	nc, err := natsgo.Connect(urls, natsgo.Name("opencredit"), natsgo.MaxReconnects(-1), natsgo.ReconnectWait(time.Second),
		natsgo.DisconnectErrHandler(func(_ *natsgo.Conn, err error) {
			if err != nil {
				logger.Warn("nats: disconnected; reconnecting", "err", err)
			}
		}))
	if err != nil {
		return nil, nil, opencredit.Errorf(opencredit.EINVALID, "--%s %s: %v", flag, urls, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := nats.EnsureStreams(sctx, js, cfg); err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("--%s %s: %w", flag, urls, err)
	}
	return nc, js, nil
}

// ingester is serve's NATS consumer running beside the HTTP server.
type ingester struct {
	ctx     context.Context // ends when the server is asked to stop or the consumer fails
	cancel  context.CancelFunc
	done    chan error
	nc      *natsgo.Conn
	metrics *nats.Metrics
}

// startIngest connects, creates the streams and the durable consumer if
// they are missing, and runs the consumer until ctx ends. A consumer that
// fails (its connection closed) ends the returned context, so that serve
// stops with its error rather than serving without ingesting.
func startIngest(ctx context.Context, urls string, cfg nats.Config, st nats.Ingester, logger *slog.Logger) (*ingester, error) {
	cfg.Logger = logger
	cfg.Metrics = nats.NewMetrics()
	nc, js, err := connectNATS(ctx, "ingest", urls, cfg, logger)
	if err != nil {
		return nil, err
	}
	c, err := nats.NewConsumer(ctx, js, st, cfg)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("--ingest: %w", err)
	}
	ictx, cancel := context.WithCancel(ctx)
	in := &ingester{ctx: ictx, cancel: cancel, done: make(chan error, 1), nc: nc, metrics: cfg.Metrics}
	go func() {
		err := c.Run(ictx)
		if err != nil {
			logger.Error("nats: the consumer stopped", "err", err)
			cancel()
		}
		in.done <- err
	}()
	logger.Info("nats: ingesting", "servers", nc.ConnectedUrlRedacted(), "stream", cfg.Stream,
		"subject", cfg.Subject, "consumer", cfg.Consumer)
	return in, nil
}

// stop stops the consumer, waits for its batch in hand to be stored and
// acknowledged, and closes the connection; nil does nothing.
func (in *ingester) stop() error {
	if in == nil {
		return nil
	}
	in.cancel()
	err := <-in.done
	in.done <- err // a second stop returns the same
	in.nc.Close()  // the consumer flushed its acknowledgements after its last batch
	return err
}
