package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/mod/sumdb/note"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/httpapi"
	"github.com/opencredit/opencredit/lifecycle"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/monitor"
	"github.com/opencredit/opencredit/nats"
	"github.com/opencredit/opencredit/scoring"
	"github.com/opencredit/opencredit/witness"
)

// shutdownGrace is how long in-flight requests get to finish once the
// server is asked to stop.
const shutdownGrace = 10 * time.Second

// checkpointEvery is how often a serving process signs an audit checkpoint
// when records were appended since the last.
const checkpointEvery = 10 * time.Second

// serveEnv names the environment variable each flag falls back to when it
// is not given. A flag on the command line wins over the environment, which
// wins over the flag's default.
var serveEnv = map[string]string{
	"addr":     "OPENCREDIT_ADDR",
	"tls-cert": "OPENCREDIT_TLS_CERT",
	"tls-key":  "OPENCREDIT_TLS_KEY",
}

func newServeCmd(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	var sf storeFlags
	var addr, modelPath, programsPath, skeyPath, vkeyPath, tlsCert, tlsKey string
	var modelPoll time.Duration
	var challenger string
	var rate float64
	var inquiryDays int
	var burst int
	var addrRate float64
	var addrBurst int
	var ingestURL string
	var nf natsFlags
	var witnesses []string
	var disputeSweep time.Duration
	c := &cobra.Command{
		Use:   "serve [--model M] --programs P.yaml --audit-key keys/audit.skey",
		Short: "Serve the HTTP API: events, scores, decisions, subjects' own data, disputes and reviews, every access audited",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			for flag, dst := range map[string]*string{
				"addr": &addr, "tls-cert": &tlsCert, "tls-key": &tlsKey,
			} {
				if v := getenv(serveEnv[flag]); v != "" && !cmd.Flags().Changed(flag) {
					*dst = v
				}
			}
			if (tlsCert == "") != (tlsKey == "") {
				return opencredit.Errorf(opencredit.EINVALID,
					"--tls-cert and --tls-key go together: give both to serve HTTPS, or neither for plain HTTP")
			}
			if inquiryDays < 1 || inquiryDays > 365 {
				return opencredit.Errorf(opencredit.EINVALID, "--inquiry-window-days %d: want 1 to 365 days", inquiryDays)
			}
			if disputeSweep < time.Second {
				return opencredit.Errorf(opencredit.EINVALID, "--dispute-sweep %s: want at least 1s", disputeSweep)
			}
			if rate < 0 || burst < 0 || addrRate < 0 || addrBurst < 0 {
				return opencredit.Errorf(opencredit.EINVALID, "--rate, --burst, --address-rate and --address-burst must not be negative")
			}
			if modelPoll <= 0 {
				return opencredit.Errorf(opencredit.EINVALID, "--model-poll %s: want a positive interval", modelPoll)
			}
			var m *model.Model
			var err error
			if modelPath != "" {
				if m, err = model.LoadFile(modelPath); err != nil {
					return fmt.Errorf("--model %s: %w", modelPath, err)
				}
				if err := scoring.CheckModel(m); err != nil {
					return fmt.Errorf("--model %s: %w", modelPath, err)
				}
			}
			var programs []decision.Program
			if programsPath != "" {
				if programs, err = decision.LoadProgramsFile(programsPath); err != nil {
					return err
				}
			}
			if vkeyPath == "" {
				vkeyPath = strings.TrimSuffix(skeyPath, ".skey") + ".vkey"
			}
			signer, verifier, err := auditKeys(skeyPath, vkeyPath)
			if err != nil {
				return err
			}
			store, err := sf.open(ctx, getenv)
			if err != nil {
				return err
			}
			defer store.Close()
			reg, _ := store.(opencredit.ModelRegistry)
			if m == nil {
				if reg == nil {
					return opencredit.Errorf(opencredit.EINVALID, "no --model, and the %s store keeps no model registry", sf.kind)
				}
				if m, _, err = lifecycle.ActiveModel(ctx, reg); err != nil {
					return fmt.Errorf("no --model given, so serve scores with the registry's active model: %w", err)
				}
			}
			log, closeAudit, err := sf.openAudit(ctx, getenv, signer, verifier)
			if err != nil {
				return err
			}
			defer closeAudit()
			logger := slog.New(slog.NewJSONHandler(stderr, nil))
			pub, err := startWitnesses(ctx, log, witnesses, logger)
			if err != nil {
				return err
			}
			drift := monitor.New(nil)
			cutoffs := []int{600}
			for _, p := range programs {
				cutoffs = append(cutoffs, p.MinScore)
			}
			shadow := monitor.NewShadow(cutoffs)
			svc, err := scoring.New(scoring.Config{Store: store, Model: m, Programs: programs, Log: log,
				InquiryWindow: time.Duration(inquiryDays) * 24 * time.Hour, Observer: drift, Shadow: shadow})
			if err != nil {
				return err
			}
			if challenger != "" {
				if err := startChallenger(ctx, reg, svc, challenger); err != nil {
					return err
				}
			}
			deps := httpapi.Deps{
				Store: store, Scoring: svc, Audit: log, Logger: logger,
				RatePerSecond: rate, Burst: burst, AddressRatePerSecond: addrRate, AddressBurst: addrBurst,
				Witnesses: witnessStatus(pub), Drift: drift, Shadow: shadow,
			}
			var ingest *ingester
			if ingestURL != "" {
				icfg := nf.cfg
				by := scoring.Caller{Client: opencredit.Client{ID: "nats:" + icfg.Consumer, Role: opencredit.RoleFurnisher}}
				icfg.Record = func(ctx context.Context, accepted int) error {
					return svc.Record(ctx, by, opencredit.PurposeFurnishing, "", audit.ActionEvents, audit.Result{Items: accepted})
				}
				if ingest, err = startIngest(ctx, ingestURL, icfg, store, logger); err != nil {
					return err
				}
				ctx = ingest.ctx
				deps.Collectors = append(deps.Collectors, ingest.metrics)
			}
			if modelPath == "" {
				// Follow the registry: an activation or a rollback puts the
				// new model in service within --model-poll, on every replica.
				fctx, stopFollow := context.WithCancel(ctx)
				defer stopFollow()
				go lifecycle.Follow(fctx, reg, modelPoll,
					func() string { _, id := svc.Model(); return id },
					svc.SetModel,
					func(from, to string) { logger.Info("model in service changed", "from", from, "to", to) },
					func(err error) { logger.Warn("following the model registry", "err", err) })
			}
			handler := httpapi.NewServer(deps)
			ln, err := listen(addr)
			if err != nil {
				ingest.stop()
				return err
			}
			sweepCtx, stopSweep := context.WithCancel(ctx)
			swept := make(chan struct{})
			go func() { defer close(swept); sweepDisputes(sweepCtx, svc, disputeSweep, logger) }()
			err = serve(ctx, ln, tlsCert, tlsKey, handler, log, pub, logger, stdout, nil)
			stopSweep()
			<-swept
			// The consumer finishes its batch before the store closes. A
			// checkpoint covers the audit records of its last batches and of
			// a last sweep, which may follow the one serve signed on its way
			// out (signing again with nothing new stores nothing).
			if ingest != nil {
				if ierr := ingest.stop(); err == nil {
					err = ierr
				}
			}
			if log.Size() > 0 {
				if _, cerr := log.Checkpoint(context.WithoutCancel(ctx)); err == nil {
					err = cerr
				}
			}
			return err
		},
	}
	sf.register(c)
	c.Flags().StringVar(&ingestURL, "ingest", "", "consume events from NATS JetStream at nats://HOST:PORT (several separated by commas) into the store")
	nf.register(c, "ingest-")
	c.Flags().StringVar(&nf.cfg.Consumer, "ingest-consumer", nats.DefaultConsumer, "the durable consumer's name; replicas that share it share the work")
	c.Flags().IntVar(&nf.cfg.Batch, "ingest-batch", nats.DefaultBatch, "messages stored per transaction, at most")
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on; port 0 picks a free one (env OPENCREDIT_ADDR)")
	c.Flags().StringVar(&tlsCert, "tls-cert", "", "PEM certificate (chain) to serve HTTPS with; needs --tls-key (env OPENCREDIT_TLS_CERT)")
	c.Flags().StringVar(&tlsKey, "tls-key", "", "PEM private key of --tls-cert (env OPENCREDIT_TLS_KEY)")
	c.Flags().IntVar(&inquiryDays, "inquiry-window-days", int(scoring.DefaultInquiryWindow/(24*time.Hour)), "one lender's credit_application pulls of one person within this many days are one hard inquiry")
	c.Flags().Float64Var(&rate, "rate", 50, "requests per second each client may make; 0 for no limit")
	c.Flags().IntVar(&burst, "burst", 100, "requests a client may make at once (0: --rate rounded up)")
	c.Flags().Float64Var(&addrRate, "address-rate", 100, "requests per second from one address (IPv4, or IPv6 /64), counted before the key is checked; 0 for no limit")
	c.Flags().IntVar(&addrBurst, "address-burst", 200, "requests one address may make at once (0: --address-rate rounded up)")
	c.Flags().DurationVar(&disputeSweep, "dispute-sweep", disputeSweepEvery, "how often to suppress disputes unanswered 30 days after they opened (scores do it for their subject anyway)")
	c.Flags().StringVar(&modelPath, "model", "", "the model file to score with; without it, the registry's active model (opencredit models), followed as it changes")
	c.Flags().StringVar(&challenger, "challenger", "", "an approved model of the registry to score every live request in shadow beside the one in service, compared on /metrics (opencredit_shadow_*) and never returned")
	c.Flags().DurationVar(&modelPoll, "model-poll", 5*time.Second, "without --model: how often to look for a newly activated model in the registry")
	c.Flags().StringVar(&programsPath, "programs", "", "the programs YAML file for decisions")
	c.Flags().StringVar(&skeyPath, "audit-key", "", "the signer key of the audit log, from audit keygen (required)")
	c.Flags().StringVar(&vkeyPath, "audit-vkey", "", "the verifier key (default: --audit-key with .vkey for .skey)")
	c.Flags().StringArrayVar(&witnesses, "witness", nil, "URL=KEY: publish each signed audit checkpoint to this witness (KEY: its witness.vkey or the key) and refuse to start on a log it contradicts; repeatable")
	_ = c.MarkFlagRequired("audit-key")
	return c
}

// witnessCheckTimeout bounds how long serve's start waits for each witness
// it asks for the tree the log must extend.
const witnessCheckTimeout = 5 * time.Second

// startWitnesses checks the log against every reachable witness of
// --witness, refusing (ECONFLICT) a log that one contradicts, and returns
// the publisher serve runs; nil when there is no witness. A witness that
// cannot be reached is logged and retried by the publisher: it never
// keeps the server from scoring.
func startWitnesses(ctx context.Context, log *audit.Log, flags []string, logger *slog.Logger) (*witness.Publisher, error) {
	if len(flags) == 0 {
		return nil, nil
	}
	clients, err := witnessClients(flags, log.Verifier())
	if err != nil {
		return nil, err
	}
	pub, err := witness.NewPublisher(ctx, log, clients, logger, nil, nil)
	if err != nil {
		return nil, err
	}
	unreachable, err := pub.CheckLog(ctx, witnessCheckTimeout)
	if err != nil {
		return nil, fmt.Errorf("refusing to serve on this audit log: %w", err)
	}
	for _, err := range unreachable {
		logger.Warn("an audit witness cannot be reached at start; the log is not checked against it", "err", err.Error())
	}
	return pub, nil
}

// witnessStatus adapts the publisher's status to the API's; nil without one.
func witnessStatus(pub *witness.Publisher) func() []api.WitnessStatus {
	if pub == nil {
		return nil
	}
	return func() []api.WitnessStatus {
		var out []api.WitnessStatus
		for _, s := range pub.Status() {
			w := api.WitnessStatus{Witness: s.Witness, URL: s.URL, CosignedSize: s.CosignedSize}
			if !s.CosignedAt.IsZero() {
				at := s.CosignedAt
				w.CosignedAt = &at
			}
			if s.Err != nil {
				w.Error = s.Err.Error()
			}
			out = append(out, w)
		}
		return out
	}
}

// auditKeys reads the audit log's key pair.
func auditKeys(skeyPath, vkeyPath string) (note.Signer, note.Verifier, error) {
	sk, err := os.ReadFile(skeyPath)
	if err != nil {
		return nil, nil, opencredit.Errorf(opencredit.EINVALID, "--audit-key: %v", err)
	}
	signer, err := note.NewSigner(strings.TrimSpace(string(sk)))
	if err != nil {
		return nil, nil, opencredit.Errorf(opencredit.EINVALID, "--audit-key %s: %v", skeyPath, err)
	}
	vk, err := os.ReadFile(vkeyPath)
	if err != nil {
		return nil, nil, opencredit.Errorf(opencredit.EINVALID, "--audit-vkey: %v", err)
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(string(vk)))
	if err != nil {
		return nil, nil, opencredit.Errorf(opencredit.EINVALID, "--audit-vkey %s: %v", vkeyPath, err)
	}
	return signer, verifier, nil
}

// listen opens the listening socket of --addr. The commands open it before
// their slow start (the demo simulates a population) so that a port in use
// fails at once.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "--addr %s: %v", addr, err)
	}
	return ln, nil
}

// serve serves handler on ln until ctx ends, then lets
// in-flight requests finish and signs a checkpoint over every record they
// appended. It serves HTTPS when given a certificate and key files, plain
// HTTP when given neither.
//
// The timeouts bound what a slow or idle client can hold: headers must
// arrive within 5 s and the whole request within 30 s (the largest body is
// 10 MiB of events); a response must be written within 30 s, which covers
// a batch ingest with its audit write; an idle keep-alive connection is
// closed after 2 min.
//
// While serving it signs a checkpoint every checkpointEvery when records
// were appended since the last one, so that at most that much of the log is
// ever unprotected by a signature, and hands each to pub, if not nil, to
// publish to the witnesses. ready, if not nil, is called with the server's
// URL once it listens.
func serve(ctx context.Context, ln net.Listener, tlsCert, tlsKey string, handler http.Handler, log *audit.Log, pub *witness.Publisher, logger *slog.Logger, stdout io.Writer, ready func(url string)) error {
	var tlsConfig *tls.Config
	if tlsCert != "" {
		// Loaded before listening, so a bad file is an error at start
		// rather than a server that refuses every handshake.
		cert, err := tls.LoadX509KeyPair(tlsCert, tlsKey)
		if err != nil {
			ln.Close()
			return opencredit.Errorf(opencredit.EINVALID, "--tls-cert %s, --tls-key %s: %v", tlsCert, tlsKey, err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	srv := &http.Server{
		Handler:           handler,
		TLSConfig:         tlsConfig,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	url := "http://" + ln.Addr().String()
	if tlsConfig != nil {
		url = "https://" + ln.Addr().String()
		go func() { errc <- srv.ServeTLS(ln, "", "") }()
	} else {
		go func() { errc <- srv.Serve(ln) }()
	}
	fmt.Fprintf(stdout, "listening on %s\n", url)
	if ready != nil {
		ready(url)
	}
	if pub != nil {
		pctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { pub.Run(pctx); close(done) }()
		defer func() { stop(); <-done }()
		// The witnesses catch up with the latest checkpoint at once.
		if cp, err := log.LatestCheckpoint(ctx); err == nil && cp != nil {
			pub.Publish(cp)
		}
	}
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	signed := log.Size()
wait:
	for {
		select {
		case err := <-errc:
			return err
		case <-ctx.Done():
			break wait
		case <-tick.C:
			if n := log.Size(); n > signed {
				if cp, err := log.Checkpoint(ctx); err != nil {
					logger.Error("signing an audit checkpoint", "err", err)
				} else {
					signed = n
					if pub != nil {
						pub.Publish(cp)
					}
				}
			}
		}
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if log.Size() > 0 {
		if _, cerr := log.Checkpoint(sctx); cerr != nil && err == nil {
			err = cerr
		}
	}
	return err
}

// startChallenger puts the registry's approved model id in shadow beside
// the model in service.
func startChallenger(ctx context.Context, reg opencredit.ModelRegistry, svc *scoring.Service, id string) error {
	if reg == nil {
		return opencredit.Errorf(opencredit.EINVALID, "--challenger names a registry model, and this store keeps no registry")
	}
	v, artifact, err := reg.ModelVersion(ctx, id)
	if err != nil {
		return fmt.Errorf("--challenger %s: %w", id, err)
	}
	if v.State != opencredit.ModelApproved {
		return opencredit.Errorf(opencredit.EINVALID, "--challenger %s is %s: only an approved model scores in shadow", id, v.State)
	}
	m, err := model.Load(bytes.NewReader(artifact))
	if err != nil {
		return fmt.Errorf("--challenger %s: %w", id, err)
	}
	if _, err := svc.SetChallenger(m); err != nil {
		return fmt.Errorf("--challenger %s: %w", id, err)
	}
	return nil
}
