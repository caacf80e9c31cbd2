package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventjson"
	"github.com/opencredit/opencredit/nats"
)

func newPublishCmd(stdout, stderr io.Writer) *cobra.Command {
	var nf natsFlags
	var server, format string
	var quiet bool
	c := &cobra.Command{
		Use:   "publish FILE --nats nats://HOST:PORT",
		Short: "Publish an event file to NATS JetStream, each event until the stream acknowledges it",
		Long: `Publish reads events from FILE (the NDJSON or CSV that import reads) and publishes each on the
events subject with Nats-Msg-Id set to its source and id, so that JetStream drops a resend. A
message whose acknowledgement does not come is published again until it does. A line that does
not decode is not published: it is reported with its line number and reason, and the command
exits 2 once the rest is published. 'opencredit serve --ingest' stores what is published.`,
		Example: "  opencredit publish events.ndjson --nats nats://127.0.0.1:4222",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			path := args[0]
			in, err := openEventFile(path, format, "publishing", quiet, stderr)
			if err != nil {
				return err
			}
			defer in.Close()
			r := in.Reader
			logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
			nc, _, err := connectNATS(ctx, "nats", server, nf.cfg, logger)
			if err != nil {
				return err
			}
			defer nc.Close()
			p, err := nats.NewPublisher(nc, nf.cfg)
			if err != nil {
				return err
			}
			lines, refused := 0, 0
			now := time.Now()
			for {
				rec, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					return fmt.Errorf("%s: %w", path, err)
				}
				lines++
				var prob string
				var e opencredit.Event
				switch {
				case rec.TooLarge:
					prob = fmt.Sprintf("%s: the event is larger than %d bytes", opencredit.ReasonTooLarge, opencredit.MaxEventBytes)
				case rec.Err != nil:
					prob = fmt.Sprintf("%s: %v", opencredit.ReasonInvalid, rec.Err)
				default:
					var p *eventjson.Problem
					if e, _, p = eventjson.Decode(rec.Raw, now); p != nil {
						prob = p.Reason + ": " + p.Error()
					}
				}
				if prob != "" {
					refused++
					fmt.Fprintf(stderr, "%s: line %d: not published: %s\n", path, rec.Line, prob)
					continue
				}
				if err := p.Publish(ctx, rec.Raw, nats.MsgID(e)); err != nil {
					return fmt.Errorf("%s: stopped at line %d: %w", path, rec.Line, err)
				}
			}
			in.Finish()
			sum, err := p.Wait(ctx)
			fmt.Fprintf(stdout, "%s: %d lines: %d published, %d already in the stream, %d not published; %d republished after a missing acknowledgement\n",
				path, lines, sum.Published, sum.Duplicates, refused, sum.Retries)
			if err != nil {
				return fmt.Errorf("%s: stopped before every acknowledgement came: %w", path, err)
			}
			if refused > 0 {
				return opencredit.Errorf(opencredit.EINVALID, "%s: %d lines were not published (listed above)", path, refused)
			}
			return nil
		},
	}
	c.Flags().StringVar(&server, "nats", "nats://127.0.0.1:4222", "the NATS servers, nats://HOST:PORT (several separated by commas)")
	nf.register(c, "")
	c.Flags().StringVar(&format, "format", "", "ndjson or csv (default: from the file name)")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	return c
}
