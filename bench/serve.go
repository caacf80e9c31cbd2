package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/mod/sumdb/note"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/apiclient"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/eventgen"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/httpapi"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/model/modeltest"
	"github.com/opencredit/opencredit/scoring"
)

// ServeResult is what bench serve prints.
type ServeResult struct {
	Store          string  `json:"store"`
	Subjects       int     `json:"subjects"`
	Events         int     `json:"events"`
	SetupSeconds   float64 `json:"setup_s"`
	DurationS      float64 `json:"duration_s"`
	Concurrency    int     `json:"concurrency"`
	Scores         int     `json:"scores"`
	Errors         int     `json:"errors"`
	ScoresPerSec   float64 `json:"scores_per_sec"`
	P50ms          float64 `json:"p50_ms"`
	P99ms          float64 `json:"p99_ms"`
	BaselinePerSec float64 `json:"baseline_per_sec"`
	BaselineP50ms  float64 `json:"baseline_p50_ms"`
	BaselineP99ms  float64 `json:"baseline_p99_ms"`
	Ratio          float64 `json:"ratio"`
	Seed           uint64  `json:"seed"`
}

// benchLender is the lender client the benchmark scores as, with the one
// purpose it pulls for: rental_deposit_waiver records no hard inquiry, so
// each request is a feature read, a score and the audit write, and not
// also an event written to the subject's file.
const benchLender = "bench-lender"

// eventsPerSubject is the history ingested before the run: a few events
// each, enough for the features to be more than all missing.
const eventsPerSubject = 4

// ServeConfig is the population Serve builds and the load it puts on it.
type ServeConfig struct {
	Store       string        // the kind of store, as reported
	Subjects    int           // people registered and scored at random
	Concurrency int           // requests in flight at once
	Duration    time.Duration // how long each of the two runs lasts
	Seed        uint64        // of the history and of the subjects picked
	Start       time.Time     // where the generated histories begin
	CPUProfile  string        // if not empty, a CPU profile of the scoring run goes here
}

// AuditFunc opens (or creates) an audit log in the SQLite file at path,
// signed and verified with the given keys; close closes its database.
type AuditFunc func(ctx context.Context, path string, signer note.Signer, verifier note.Verifier) (log *audit.Log, close func(), err error)

// Serve builds a store of cfg.Subjects generated people with a few events
// each, serves the API over loopback with an audit log, and scores them at
// random from cfg.Concurrency goroutines for cfg.Duration, every request
// through the Go client, audit write included; then it does the same
// against a trivial handler. Progress goes to stderr.
func Serve(ctx context.Context, cfg ServeConfig, open OpenFunc, openAudit AuditFunc, stderr io.Writer) (ServeResult, error) {
	tmp, err := os.MkdirTemp("", "opencredit-bench-serve-")
	if err != nil {
		return ServeResult{}, err
	}
	defer os.RemoveAll(tmp)

	setupStart := time.Now()
	st, ids, key, nevents, err := serveStore(ctx, cfg, open, filepath.Join(tmp, "store"), stderr)
	if err != nil {
		return ServeResult{}, err
	}
	defer st.Close()
	log, closeAudit, err := auditLog(ctx, openAudit, tmp)
	if err != nil {
		return ServeResult{}, err
	}
	defer closeAudit()
	svc, err := scoring.New(scoring.Config{Store: st, Model: benchModel(), Log: log})
	if err != nil {
		return ServeResult{}, err
	}
	handler := httpapi.NewServer(httpapi.Deps{Store: st, Scoring: svc, Audit: log})
	apiURL, stopAPI, err := listenLoopback(handler)
	if err != nil {
		return ServeResult{}, err
	}
	defer stopAPI()
	setup := time.Since(setupStart)

	concurrency, duration := cfg.Concurrency, cfg.Duration
	hc := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 2 * concurrency, MaxIdleConnsPerHost: 2 * concurrency},
	}
	lc := apiclient.New(apiURL, key, apiclient.WithHTTPClient(hc))
	if err := lc.Health(ctx); err != nil {
		return ServeResult{}, err
	}
	fmt.Fprintf(stderr, "setup %.1fs; scoring for %s with %d goroutines\n", setup.Seconds(), duration, concurrency)
	stopProfile, err := startCPUProfile(cfg.CPUProfile)
	if err != nil {
		return ServeResult{}, err
	}
	scores := hammer(ctx, duration, concurrency, cfg.Seed, func(ctx context.Context, rng *rand.Rand) error {
		_, err := lc.Score(ctx, ids[rng.IntN(len(ids))], opencredit.PurposeRentalDepositWaiver)
		return err
	})

	stopProfile()

	fmt.Fprintf(stderr, "baseline: trivial handler for %s\n", duration)
	base, err := trivialLoad(ctx, hc, duration, concurrency, cfg.Seed)
	if err != nil {
		return ServeResult{}, err
	}
	if scores.ok == 0 || base.ok == 0 {
		return ServeResult{}, opencredit.Errorf(opencredit.EINTERNAL, "no request succeeded (scores: %d ok, %d errors, first %v; baseline: %d ok, %d errors, first %v)",
			scores.ok, scores.errors, scores.firstErr, base.ok, base.errors, base.firstErr)
	}

	res := ServeResult{
		Store: cfg.Store, Subjects: len(ids), Events: nevents, SetupSeconds: setup.Seconds(),
		DurationS: duration.Seconds(), Concurrency: concurrency,
		Scores: scores.ok, Errors: scores.errors + base.errors,
		ScoresPerSec: scores.perSec(), P50ms: scores.quantileMS(0.50), P99ms: scores.quantileMS(0.99),
		BaselinePerSec: base.perSec(), BaselineP50ms: base.quantileMS(0.50), BaselineP99ms: base.quantileMS(0.99),
		Seed: cfg.Seed,
	}
	res.Ratio = res.ScoresPerSec / res.BaselinePerSec
	if scores.firstErr != nil {
		fmt.Fprintf(stderr, "first score error: %v\n", scores.firstErr)
	}
	return res, nil
}

// serveStore opens a fresh store in dir, registers the subjects with their
// furnishing consents and the lender's rental_deposit_waiver consent,
// creates the lender client and ingests a few generated events per
// subject. It returns the subject ids, the lender's API key and the number
// of events accepted.
func serveStore(ctx context.Context, cfg ServeConfig, open OpenFunc, dir string, stderr io.Writer) (
	opencredit.Store, []string, string, int, error) {
	st, err := open(ctx, "serve", dir)
	if err != nil {
		return nil, nil, "", 0, err
	}
	fail := func(err error) (opencredit.Store, []string, string, int, error) {
		st.Close()
		return nil, nil, "", 0, err
	}
	all, g := eventgen.Sample(eventgen.GenConfig{Seed: cfg.Seed, Subjects: cfg.Subjects, Furnishers: 10, Start: cfg.Start}, eventsPerSubject*cfg.Subjects)
	ids := g.SubjectIDs()
	consents := g.Consents()
	for _, id := range ids {
		consents = append(consents, opencredit.Consent{
			Subject: id, Counterparty: benchLender, Purpose: opencredit.PurposeRentalDepositWaiver, GrantedAt: cfg.Start,
		})
	}
	fmt.Fprintf(stderr, "registering %d subjects and %d consents\n", len(ids), len(consents))
	if r, ok := st.(opencredit.Registrar); ok {
		err = r.Register(ctx, ids, cfg.Start, consents)
	} else {
		err = opencredit.Errorf(opencredit.EINVALID, "store %s cannot register subjects in bulk", cfg.Store)
	}
	if err != nil {
		return fail(err)
	}
	key, hash, err := opencredit.NewAPIKey()
	if err != nil {
		return fail(err)
	}
	if err := st.CreateClient(ctx, opencredit.Client{
		ID: benchLender, Name: "Bench lender", Role: opencredit.RoleLender,
		Purposes: []string{opencredit.PurposeRentalDepositWaiver}, CreatedAt: cfg.Start,
	}, hash); err != nil {
		return fail(err)
	}
	bar := progressbar.NewOptions(len(all), progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("history"),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
	const batch = 5000
	accepted := 0
	for i := 0; i < len(all); i += batch {
		j := min(i+batch, len(all))
		res, err := st.Ingest(ctx, all[i:j])
		if err != nil {
			return fail(err)
		}
		for _, r := range res {
			if r.Status == opencredit.Accepted {
				accepted++
			}
		}
		bar.Add(j - i)
	}
	bar.Finish()
	return st, ids, key, accepted, nil
}

// auditLog opens an audit log in a SQLite file under dir, signed with a
// key pair made for the run.
func auditLog(ctx context.Context, openAuditLog AuditFunc, dir string) (*audit.Log, func(), error) {
	skey, vkey, err := audit.GenerateKey("opencredit-bench")
	if err != nil {
		return nil, nil, err
	}
	signer, verifier, err := audit.ParseKeys(skey, vkey)
	if err != nil {
		return nil, nil, err
	}
	return openAuditLog(ctx, filepath.Join(dir, "audit.db"), signer, verifier)
}

// benchModel is a small points model over three registry features, built
// by hand: training is not what bench serve measures. Base 500:
//
//	on_time_payment_ratio_24m  PH01  <0.9: 0   ≥0.9: 100        missing 40
//	hard_inquiries_12m         NC01  <1: 80  [1,3): 40  ≥3: 0   missing 40
//	revolving_utilisation      CA01  <0.3: 60  [0.3,0.7): 30  ≥0.7: 0  missing 30
func benchModel() *model.Model {
	m, err := modeltest.Scorecard(500,
		modeltest.Step(features.OnTimePaymentRatio24m, "payment_history", "PH01", []float64{0.9}, []int{0, 100}, 40),
		modeltest.Step(features.HardInquiries12m, "new_credit", "NC01", []float64{1, 3}, []int{80, 40, 0}, 40),
		modeltest.Step(features.RevolvingUtilisation, "capacity", "CA01", []float64{0.3, 0.7}, []int{60, 30, 0}, 30))
	if err != nil {
		panic("bench: hand-built model: " + err.Error())
	}
	return m
}

// shutdownGrace is how long in-flight requests get to finish when a
// loopback server stops, as in 'opencredit serve'.
const shutdownGrace = 10 * time.Second

// listenLoopback serves h on a free loopback port and returns its URL and
// a function that stops it.
func listenLoopback(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// load is what one hammer run measured.
type load struct {
	ok, errors int
	firstErr   error
	elapsed    time.Duration
	latencies  []time.Duration // of the successful requests, sorted
}

func (l load) perSec() float64 { return float64(l.ok) / l.elapsed.Seconds() }

// quantileMS is the q-quantile of the latencies in milliseconds (nearest
// rank).
func (l load) quantileMS(q float64) float64 {
	if len(l.latencies) == 0 {
		return 0
	}
	i := min(int(q*float64(len(l.latencies))), len(l.latencies)-1)
	return float64(l.latencies[i]) / float64(time.Millisecond)
}

// hammer runs fn from concurrency goroutines, each with its own seeded
// random source, until d has passed. A request cut short by the deadline
// counts neither as done nor as an error.
func hammer(ctx context.Context, d time.Duration, concurrency int, seed uint64,
	fn func(context.Context, *rand.Rand) error) load {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	var out load
	var wg sync.WaitGroup
	start := time.Now()
	for w := range concurrency {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			var lat []time.Duration
			errs := 0
			var first error
			for ctx.Err() == nil {
				t0 := time.Now()
				err := fn(ctx, rng)
				switch {
				case err == nil:
					lat = append(lat, time.Since(t0))
				case ctx.Err() != nil && errors.Is(err, context.DeadlineExceeded):
				default:
					errs++
					if first == nil {
						first = err
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			out.latencies = append(out.latencies, lat...)
			out.errors += errs
			if out.firstErr == nil {
				out.firstErr = first
			}
		})
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	out.ok = len(out.latencies)
	slices.Sort(out.latencies)
	return out
}
