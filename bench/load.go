package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/apiclient"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/eventgen"
	"github.com/opencredit/opencredit/httpapi"
	"github.com/opencredit/opencredit/scoring"
)

// loadFurnisher is the one furnisher whose client posts every event of
// bench load: the generator, given one furnisher, names it so.
const loadFurnisher = "furnisher-01"

// loadLender is the lender client that pulls the scores of bench load.
const loadLender = "load-lender"

// AuditStorageFunc opens the audit log's storage of a load run beside its
// store (an SQLite file in dir, or the tables in the store's schema);
// close closes it. Load needs the storage itself, not only the log, to
// verify it at the end.
type AuditStorageFunc func(ctx context.Context, dir string) (st audit.Storage, close func(), err error)

// LoadConfig is the population Load builds and the load it puts on it.
type LoadConfig struct {
	Store    string        // the kind of store, as reported
	Subjects int           // people registered, written to and scored
	Writers  int           // goroutines posting event batches
	Readers  int           // goroutines pulling scores
	Batch    int           // events per POST /v1/events
	Duration time.Duration // how long the load lasts
	Sample   int           // subjects whose live features are recomputed at the end; 0 or ≥ Subjects: all
	Seed     uint64        // of the events and of the subjects picked
	Baseline bool          // after the check, as many goroutines hit a trivial handler for Duration

	// AfterLoad, if set, runs after the load and before the check, on the
	// run's store and audit log: tests use it to make the check fail.
	AfterLoad func(ctx context.Context, st opencredit.Store, log *audit.Log) error
}

// LoadOp is what one operation of the load measured. Latencies are of the
// requests answered 200, in milliseconds (nearest rank).
type LoadOp struct {
	Requests int            `json:"requests"` // answered 200
	PerSec   float64        `json:"per_sec"`  // requests answered 200 per second
	P50ms    float64        `json:"p50_ms"`
	P90ms    float64        `json:"p90_ms"`
	P99ms    float64        `json:"p99_ms"`
	MaxMs    float64        `json:"max_ms"`
	Errors   map[string]int `json:"errors"` // by error code (transport errors as "transport")
}

// LoadCheck is the consistency check that ends a load run. Each pair of
// counts must be equal, the live features of every subject checked must
// equal their recomputation, and the audit log must verify.
type LoadCheck struct {
	// EventsAccepted is the furnisher's events the API answered as accepted;
	// EventsStored the furnisher's events the store holds (read back
	// subject by subject). Inquiries is the hard inquiries the
	// credit_application pulls left (reported, not compared: one lender's
	// pulls within the inquiry window leave one).
	EventsAccepted int `json:"events_accepted"`
	EventsStored   int `json:"events_stored"`
	Inquiries      int `json:"inquiries"`
	// FeaturesChecked subjects had Features compared with
	// RecomputeFeatures as of the end of the run; FeaturesDiffer names
	// those that differed.
	FeaturesChecked int      `json:"features_checked"`
	FeaturesDiffer  []string `json:"features_differ"`
	// AuditAnswered is the requests answered 200, each of which must leave
	// one record; AuditRecords the records the run added that carry no
	// error code, AuditRefusals those that do (refusals, reported beside
	// the errors).
	AuditAnswered int   `json:"audit_answered"`
	AuditRecords  int   `json:"audit_records"`
	AuditRefusals int   `json:"audit_refusals"`
	AuditSize     int64 `json:"audit_size"`
	AuditVerified bool  `json:"audit_verified"`

	OK       bool     `json:"ok"`
	Problems []string `json:"problems"`
}

// LoadResult is what bench load prints.
type LoadResult struct {
	Store        string  `json:"store"`
	Subjects     int     `json:"subjects"`
	Writers      int     `json:"writers"`
	Readers      int     `json:"readers"`
	Batch        int     `json:"batch"`
	DurationS    float64 `json:"duration_s"` // the load, from the first request to the last answer
	SetupSeconds float64 `json:"setup_s"`
	EventsPerSec float64 `json:"events_per_sec"` // events accepted per second
	ScoresPerSec float64 `json:"scores_per_sec"`
	Events       LoadOp  `json:"post_events"`
	Scores       LoadOp  `json:"get_score"`
	Exhausted    bool    `json:"generator_exhausted"` // the writers ran out of generated events before the end
	// With Baseline, BaselinePerSec is the requests a trivial handler
	// answered per second to Writers+Readers goroutines over loopback in
	// the same run, and Ratio the load's requests answered per second
	// (both operations) over it.
	BaselinePerSec float64   `json:"baseline_per_sec,omitempty"`
	Ratio          float64   `json:"ratio,omitempty"`
	Check          LoadCheck `json:"check"`
	// AuditBytesPerRecord is the growth of the audit log's storage
	// (DiskSize) over the run, its one checkpoint included, per record
	// added; 0 where the storage reports no size.
	AuditBytesPerRecord float64 `json:"audit_bytes_per_record,omitempty"`
	Seed                uint64  `json:"seed"`
}

// Load serves the API over loopback on a fresh store with its audit log,
// registers cfg.Subjects people with furnishing consents to one furnisher
// and credit_application and account_review consents to one lender, and
// for cfg.Duration has cfg.Writers goroutines post generated event batches
// as the furnisher while cfg.Readers goroutines pull scores as the lender,
// half for each purpose, all through the Go client. Every request started
// is let finish, so that each answer is counted; then the check runs (see
// LoadCheck). Progress goes to stderr once a second. The result is returned
// whether or not the check passed; the error is non-nil only when the run
// could not be made.
func Load(ctx context.Context, cfg LoadConfig, open OpenFunc, openAudit AuditStorageFunc, stderr io.Writer) (LoadResult, error) {
	tmp, err := os.MkdirTemp("", "opencredit-bench-load-")
	if err != nil {
		return LoadResult{}, err
	}
	defer os.RemoveAll(tmp)

	setupStart := time.Now()
	// The stream ends at the start of last month, so that no event is in
	// the future when it is posted; it begins far enough back to last a run.
	now := time.Now().UTC()
	start := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	months := (now.Year()-1970)*12 + int(now.Month()) - 2
	g := eventgen.NewGenerator(eventgen.GenConfig{Seed: cfg.Seed, Subjects: cfg.Subjects, Furnishers: 1, Start: start, Months: months})
	ids := g.SubjectIDs()

	st, err := open(ctx, "load", filepath.Join(tmp, "store"))
	if err != nil {
		return LoadResult{}, err
	}
	defer st.Close()
	ast, closeAudit, err := openAudit(ctx, tmp)
	if err != nil {
		return LoadResult{}, err
	}
	defer closeAudit()
	skey, vkey, err := audit.GenerateKey("opencredit-bench")
	if err != nil {
		return LoadResult{}, err
	}
	signer, verifier, err := audit.ParseKeys(skey, vkey)
	if err != nil {
		return LoadResult{}, err
	}
	log, err := audit.Open(ctx, ast, signer, verifier)
	if err != nil {
		return LoadResult{}, err
	}
	fkey, lkey, err := loadPopulation(ctx, st, g, start, stderr)
	if err != nil {
		return LoadResult{}, err
	}
	svc, err := scoring.New(scoring.Config{Store: st, Model: benchModel(), Log: log})
	if err != nil {
		return LoadResult{}, err
	}
	apiURL, stopAPI, err := listenLoopback(httpapi.NewServer(httpapi.Deps{Store: st, Scoring: svc, Audit: log}))
	if err != nil {
		return LoadResult{}, err
	}
	defer stopAPI()
	conns := cfg.Writers + cfg.Readers
	hc := &http.Client{
		// Long: a request given up on is one whose outcome the check
		// cannot know.
		Timeout:   time.Minute,
		Transport: &http.Transport{MaxIdleConns: 2 * conns, MaxIdleConnsPerHost: 2 * conns},
	}
	furnisher := apiclient.New(apiURL, fkey, apiclient.WithHTTPClient(hc))
	lender := apiclient.New(apiURL, lkey, apiclient.WithHTTPClient(hc))
	if err := lender.Health(ctx); err != nil {
		return LoadResult{}, err
	}
	auditBefore := log.Size()
	auditSized, _ := ast.(diskSizer)
	var auditBytes int64
	if auditSized != nil {
		if auditBytes, _, err = auditSized.DiskSize(ctx); err != nil {
			return LoadResult{}, err
		}
	}
	setup := time.Since(setupStart)
	fmt.Fprintf(stderr, "setup %.1fs; %d writers (batches of %d) and %d readers for %s\n", setup.Seconds(), cfg.Writers, cfg.Batch, cfg.Readers, cfg.Duration)

	var (
		genMu     sync.Mutex
		exhausted bool
		accepted  atomic.Int64
		events    = newOpStats()
		scores    = newOpStats()
	)
	next := func() []opencredit.Event {
		genMu.Lock()
		defer genMu.Unlock()
		batch := make([]opencredit.Event, 0, cfg.Batch)
		for len(batch) < cfg.Batch {
			e, ok := g.Next()
			if !ok {
				exhausted = true
				break
			}
			batch = append(batch, e)
		}
		return batch
	}
	deadline := time.Now().Add(cfg.Duration)
	loadStart := time.Now()
	var wg sync.WaitGroup
	for range cfg.Writers {
		wg.Go(func() {
			for time.Now().Before(deadline) && ctx.Err() == nil {
				batch := next()
				if len(batch) == 0 {
					return
				}
				t0 := time.Now()
				res, err := furnisher.SendEvents(ctx, batch)
				if err == nil {
					n := 0
					for _, r := range res {
						if r.Status == opencredit.Accepted {
							n++
						}
					}
					accepted.Add(int64(n))
				}
				events.add(time.Since(t0), err)
			}
		})
	}
	for r := range cfg.Readers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(r)))
			for time.Now().Before(deadline) && ctx.Err() == nil {
				purpose := opencredit.PurposeCreditApplication
				if rng.IntN(2) == 1 {
					purpose = opencredit.PurposeAccountReview
				}
				t0 := time.Now()
				_, err := lender.Score(ctx, ids[rng.IntN(len(ids))], purpose)
				scores.add(time.Since(t0), err)
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	tick := time.NewTicker(time.Second)
progress:
	for {
		select {
		case <-done:
			break progress
		case <-tick.C:
			el := time.Since(loadStart).Seconds()
			ne, ns := accepted.Load(), scores.count()
			fmt.Fprintf(stderr, "%4.0fs: %d events accepted (%.0f/s), %d scores (%.0f/s), %d errors\n",
				el, ne, float64(ne)/el, ns, float64(ns)/el, events.errorCount()+scores.errorCount())
		}
	}
	tick.Stop()
	elapsed := time.Since(loadStart)
	if err := ctx.Err(); err != nil {
		return LoadResult{}, err
	}

	res := LoadResult{
		Store: cfg.Store, Subjects: len(ids), Writers: cfg.Writers, Readers: cfg.Readers, Batch: cfg.Batch,
		DurationS: elapsed.Seconds(), SetupSeconds: setup.Seconds(), Exhausted: exhausted, Seed: cfg.Seed,
		Events: events.result(elapsed), Scores: scores.result(elapsed),
	}
	res.EventsPerSec = float64(accepted.Load()) / elapsed.Seconds()
	res.ScoresPerSec = res.Scores.PerSec
	if exhausted {
		fmt.Fprintln(stderr, "the generated events ran out before the end of the run: give more --subjects")
	}
	if cfg.AfterLoad != nil {
		if err := cfg.AfterLoad(ctx, st, log); err != nil {
			return LoadResult{}, err
		}
	}
	fmt.Fprintln(stderr, "checking: events stored, features against recomputation, the audit log")
	res.Check, err = checkLoad(ctx, cfg, st, ast, log, ids, auditBefore,
		int(accepted.Load()), res.Events.Requests+res.Scores.Requests)
	if err != nil {
		return res, err
	}
	if n := res.Check.AuditSize - auditBefore; auditSized != nil && n > 0 {
		after, _, err := auditSized.DiskSize(ctx)
		if err != nil {
			return res, err
		}
		res.AuditBytesPerRecord = float64(after-auditBytes) / float64(n)
	}
	if !cfg.Baseline {
		return res, err
	}
	fmt.Fprintf(stderr, "baseline: trivial handler for %s with %d goroutines\n", cfg.Duration, conns)
	base, err := trivialLoad(ctx, hc, cfg.Duration, conns, cfg.Seed)
	if err != nil {
		return res, err
	}
	res.BaselinePerSec = base.perSec()
	res.Ratio = float64(res.Events.Requests+res.Scores.Requests) / elapsed.Seconds() / res.BaselinePerSec
	return res, nil
}

// trivialLoad hammers a handler that answers "ok" over loopback, the
// baseline of Serve and Load.
func trivialLoad(ctx context.Context, hc *http.Client, d time.Duration, concurrency int, seed uint64) (load, error) {
	baseURL, stopBase, err := listenLoopback(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("ok"))
	}))
	if err != nil {
		return load{}, err
	}
	defer stopBase()
	base := hammer(ctx, d, concurrency, seed, func(ctx context.Context, _ *rand.Rand) error {
		req, err := http.NewRequestWithContext(ctx, "GET", baseURL+"/", nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("baseline: HTTP %d", resp.StatusCode)
		}
		return err
	})
	if base.ok == 0 {
		return load{}, opencredit.Errorf(opencredit.EINTERNAL, "baseline: no request succeeded (%d errors, first %v)", base.errors, base.firstErr)
	}
	return base, nil
}

// loadPopulation registers the generator's subjects with their furnishing
// consents and consents to the lender for both purposes the readers pull
// for, and creates the furnisher's and the lender's clients, whose keys it
// returns.
func loadPopulation(ctx context.Context, st opencredit.Store, g *eventgen.Generator, at time.Time, stderr io.Writer) (fkey, lkey string, err error) {
	ids := g.SubjectIDs()
	consents := g.Consents()
	purposes := []string{opencredit.PurposeCreditApplication, opencredit.PurposeAccountReview}
	for _, id := range ids {
		for _, p := range purposes {
			consents = append(consents, opencredit.Consent{Subject: id, Counterparty: loadLender, Purpose: p, GrantedAt: at})
		}
	}
	fmt.Fprintf(stderr, "registering %d subjects and %d consents\n", len(ids), len(consents))
	r, ok := st.(opencredit.Registrar)
	if !ok {
		return "", "", opencredit.Errorf(opencredit.EINVALID, "bench load: the store cannot register subjects in bulk")
	}
	if err := r.Register(ctx, ids, at, consents); err != nil {
		return "", "", err
	}
	clients := []opencredit.Client{
		{ID: loadFurnisher, Name: "Load furnisher", Role: opencredit.RoleFurnisher, CreatedAt: at},
		{ID: loadLender, Name: "Load lender", Role: opencredit.RoleLender, Purposes: purposes, CreatedAt: at},
	}
	keys := make([]string, len(clients))
	for i, c := range clients {
		key, hash, err := opencredit.NewAPIKey()
		if err != nil {
			return "", "", err
		}
		if err := st.CreateClient(ctx, c, hash); err != nil {
			return "", "", err
		}
		keys[i] = key
	}
	return keys[0], keys[1], nil
}

// checkLoad compares what the API acknowledged with what the store and the
// audit log hold (LoadCheck).
func checkLoad(ctx context.Context, cfg LoadConfig, st opencredit.Store, ast audit.Storage, log *audit.Log,
	ids []string, auditBefore int64, accepted, answered int) (LoadCheck, error) {
	c := LoadCheck{EventsAccepted: accepted, AuditAnswered: answered, FeaturesDiffer: []string{}, Problems: []string{}}
	for _, id := range ids {
		evs, err := st.Events(ctx, id)
		if err != nil {
			return c, fmt.Errorf("check: events of %s: %w", id, err)
		}
		for _, e := range evs {
			switch e.Source {
			case loadFurnisher:
				c.EventsStored++
			case opencredit.PlatformSource:
				c.Inquiries++
			}
		}
	}
	if c.EventsStored != c.EventsAccepted {
		c.Problems = append(c.Problems, fmt.Sprintf("events: %d acknowledged as accepted, %d stored", c.EventsAccepted, c.EventsStored))
	}

	sample := slices.Clone(ids)
	if cfg.Sample > 0 && cfg.Sample < len(ids) {
		rng := rand.New(rand.NewPCG(cfg.Seed, 1<<32))
		rng.Shuffle(len(sample), func(i, j int) { sample[i], sample[j] = sample[j], sample[i] })
		sample = sample[:cfg.Sample]
		sort.Strings(sample)
	}
	asOf := time.Now().UTC()
	for _, id := range sample {
		live, err := st.Features(ctx, id, asOf)
		if err != nil {
			return c, fmt.Errorf("check: features of %s: %w", id, err)
		}
		re, err := st.RecomputeFeatures(ctx, id, asOf)
		if err != nil {
			return c, fmt.Errorf("check: recomputing the features of %s: %w", id, err)
		}
		c.FeaturesChecked++
		if !maps.Equal(live.Values, re.Values) {
			c.FeaturesDiffer = append(c.FeaturesDiffer, id)
		}
	}
	if n := len(c.FeaturesDiffer); n > 0 {
		c.Problems = append(c.Problems, fmt.Sprintf("features: %d of %d subjects' live features differ from a recomputation (first %s)",
			n, c.FeaturesChecked, c.FeaturesDiffer[0]))
	}

	c.AuditSize = log.Size()
	err := ast.Records(ctx, auditBefore, c.AuditSize, func(n int64, b []byte) error {
		r, err := audit.ParseRecord(b)
		if err != nil {
			return fmt.Errorf("check: audit record %d: %w", n, err)
		}
		if r.Result.Error != "" {
			c.AuditRefusals++
		} else {
			c.AuditRecords++
		}
		return nil
	})
	if err != nil {
		return c, err
	}
	if c.AuditRecords != c.AuditAnswered {
		c.Problems = append(c.Problems, fmt.Sprintf("audit: %d requests answered, %d records of answers added", c.AuditAnswered, c.AuditRecords))
	}
	if _, err := log.Checkpoint(ctx); err != nil {
		return c, fmt.Errorf("check: signing a checkpoint: %w", err)
	}
	rep, err := audit.Verify(ctx, ast, log.Verifier())
	if err != nil {
		return c, fmt.Errorf("check: verifying the audit log: %w", err)
	}
	c.AuditVerified = rep.OK() && rep.Size == c.AuditSize
	if !c.AuditVerified {
		msgs := []string{fmt.Sprintf("size %d, want %d", rep.Size, c.AuditSize)}
		for _, p := range rep.Problems {
			msgs = append(msgs, p.String())
		}
		c.Problems = append(c.Problems, "audit: the log does not verify: "+strings.Join(msgs, "; "))
	}
	c.OK = len(c.Problems) == 0
	return c, nil
}

// opStats gathers one operation's latencies and errors from many goroutines.
type opStats struct {
	mu     sync.Mutex
	lat    []time.Duration
	errors map[string]int
}

func newOpStats() *opStats { return &opStats{errors: map[string]int{}} }

func (s *opStats) add(d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		s.lat = append(s.lat, d)
		return
	}
	code := "transport"
	var e *opencredit.Error
	if errors.As(err, &e) {
		code = e.Code
	}
	s.errors[code]++
}

func (s *opStats) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.lat)
}

func (s *opStats) errorCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, k := range s.errors {
		n += k
	}
	return n
}

func (s *opStats) result(elapsed time.Duration) LoadOp {
	s.mu.Lock()
	defer s.mu.Unlock()
	slices.Sort(s.lat)
	l := load{ok: len(s.lat), latencies: s.lat, elapsed: elapsed}
	op := LoadOp{Requests: l.ok, PerSec: l.perSec(), Errors: maps.Clone(s.errors),
		P50ms: l.quantileMS(0.50), P90ms: l.quantileMS(0.90), P99ms: l.quantileMS(0.99)}
	if n := len(s.lat); n > 0 {
		op.MaxMs = float64(s.lat[n-1]) / float64(time.Millisecond)
	}
	return op
}
