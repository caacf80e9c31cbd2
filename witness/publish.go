package witness

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
)

// Publisher sends the log's signed checkpoints to its witnesses and keeps
// the cosigned checkpoints they return in the log's storage. Each witness
// is served by a goroutine of its own that always sends the latest
// checkpoint, retrying with exponential backoff, so a witness that is
// down or slow never holds up an append or another witness: it shows in
// Status instead.
type Publisher struct {
	log     *audit.Log
	targets []*target
	now     func() time.Time
	logger  *slog.Logger
	backoff func(attempt int) time.Duration

	mu     sync.Mutex
	latest []byte // the latest checkpoint to publish
}

type target struct {
	c    *Client
	wake chan struct{}

	mu    sync.Mutex
	size  int64     // the size the witness last cosigned, as far as we know
	at    time.Time // when it cosigned it (its cosignature's timestamp); zero if never
	err   error     // the last attempt's error; nil after a success
	tried bool
}

// Status is one witness as the publisher last saw it.
type Status struct {
	Witness      string    // the witness key's name
	URL          string    // where it is called
	CosignedSize int64     // the size of the latest checkpoint it cosigned
	CosignedAt   time.Time // the time of that cosignature; zero if none
	Err          error     // the last attempt's error, nil if it succeeded or none was made
}

// DefaultBackoff waits 1 s after the first failure, doubling to at most
// 5 minutes.
func DefaultBackoff(attempt int) time.Duration {
	return min(time.Second<<min(attempt, 16), 5*time.Minute)
}

// NewPublisher returns a publisher of log's checkpoints to the witnesses
// of clients (each Client's Log must be log's verifier). It starts from
// the sizes the storage says each witness cosigned last. now and backoff
// may be nil (time.Now, DefaultBackoff).
func NewPublisher(ctx context.Context, log *audit.Log, clients []*Client, logger *slog.Logger, now func() time.Time, backoff func(int) time.Duration) (*Publisher, error) {
	if now == nil {
		now = time.Now
	}
	if backoff == nil {
		backoff = DefaultBackoff
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	p := &Publisher{log: log, now: now, logger: logger, backoff: backoff}
	cos, err := log.LatestCosigned(ctx)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool)
	for _, c := range clients {
		if seen[c.Key.Name()] {
			return nil, opencredit.Errorf(opencredit.EINVALID, "two witnesses with the key name %q", c.Key.Name())
		}
		seen[c.Key.Name()] = true
		t := &target{c: c, wake: make(chan struct{}, 1)}
		for _, x := range cos {
			if x.Witness == c.Key.Name() {
				t.size = x.Size
				if v, ok := c.Key.(*audit.CosignatureVerifier); ok {
					t.at, _ = audit.CosignatureTime(v, x.Note)
				}
			}
		}
		p.targets = append(p.targets, t)
	}
	return p, nil
}

// CheckLog asks every witness for the latest checkpoint it cosigned and
// checks that the log is a consistent extension of it (audit.Log.
// CheckCheckpoint); a good one is stored, as a cosigned checkpoint. A
// witness that cannot be reached is skipped, and reported in the returned
// list; a log that contradicts a witness is an ECONFLICT error that names
// it: serve then refuses to start.
func (p *Publisher) CheckLog(ctx context.Context, timeout time.Duration) (unreachable []error, err error) {
	for _, t := range p.targets {
		cctx, cancel := context.WithTimeout(ctx, timeout)
		cp, err := t.c.Latest(cctx)
		cancel()
		if errors.Is(err, ErrNone) {
			continue
		}
		if err != nil {
			t.fail(err)
			unreachable = append(unreachable, fmt.Errorf("witness %s (%s): %w", t.c.Key.Name(), t.c.URL, err))
			continue
		}
		if err := p.log.CheckCheckpoint(ctx, cp, fmt.Sprintf("the checkpoint witness %s (%s) cosigned", t.c.Key.Name(), t.c.URL)); err != nil {
			return unreachable, err
		}
		tree, err := audit.OpenCheckpoint(p.log.Verifier(), cp)
		if err != nil {
			return unreachable, err
		}
		if err := p.log.SaveCosigned(ctx, t.c.Key.Name(), tree.N, cp); err != nil {
			return unreachable, err
		}
		t.succeed(tree.N, cp)
	}
	return unreachable, nil
}

// Run publishes until ctx ends; call it in a goroutine of its own.
func (p *Publisher) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, t := range p.targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.run(ctx, t)
		}()
	}
	wg.Wait()
}

// Publish hands the publisher a new signed checkpoint; it returns at once.
func (p *Publisher) Publish(signed []byte) {
	p.mu.Lock()
	p.latest = signed
	p.mu.Unlock()
	for _, t := range p.targets {
		select {
		case t.wake <- struct{}{}:
		default: // already woken: it will read the latest
		}
	}
}

func (p *Publisher) run(ctx context.Context, t *target) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.wake:
		}
		for attempt := 0; ; attempt++ {
			err := p.publish(ctx, t)
			if err == nil || ctx.Err() != nil {
				break
			}
			t.fail(err)
			p.logger.Warn("publishing an audit checkpoint to a witness", "witness", t.c.Key.Name(), "url", t.c.URL, "attempt", attempt+1, "err", err.Error())
			select {
			case <-ctx.Done():
				return
			case <-time.After(p.backoff(attempt)):
			}
		}
	}
}

// publish sends the latest checkpoint to one witness: with the proof from
// the size it last cosigned, and again from the size it answers with a 409.
func (p *Publisher) publish(ctx context.Context, t *target) error {
	p.mu.Lock()
	signed := p.latest
	p.mu.Unlock()
	tree, err := audit.OpenCheckpoint(p.log.Verifier(), signed)
	if err != nil {
		return err
	}
	t.mu.Lock()
	old := t.size
	t.mu.Unlock()
	for range 2 {
		if old > tree.N {
			// Another replica's later checkpoint reached the witness first,
			// or the log lost records: the witness's own tree tells.
			return p.catchUp(ctx, t, old, tree.N)
		}
		proof, err := p.log.ConsistencyProof(ctx, old, tree.N)
		if err != nil {
			return err
		}
		cosigned, err := t.c.AddCheckpoint(ctx, old, proof, signed)
		var conflict *ConflictError
		if errors.As(err, &conflict) {
			old = conflict.Size
			continue
		}
		if err != nil {
			return err
		}
		if err := p.log.SaveCosigned(ctx, t.c.Key.Name(), tree.N, cosigned); err != nil {
			return err
		}
		t.succeed(tree.N, cosigned)
		return nil
	}
	return fmt.Errorf("the witness's size keeps changing")
}

// catchUp handles a witness that cosigned more records (old) than the
// checkpoint to send (size): if the log extends the witness's latest
// cosigned checkpoint, that one is stored and the witness is up to date;
// if not, the log lost records.
func (p *Publisher) catchUp(ctx context.Context, t *target, old, size int64) error {
	cp, err := t.c.Latest(ctx)
	if err != nil {
		return err
	}
	if err := p.log.CheckCheckpoint(ctx, cp, fmt.Sprintf("the checkpoint witness %s cosigned", t.c.Key.Name())); err != nil {
		return opencredit.Errorf(opencredit.ECONFLICT, "the witness cosigned %d records, more than the %d of the log's checkpoint, and the log does not extend them: the log lost records (%v)", old, size, err)
	}
	tree, err := audit.OpenCheckpoint(p.log.Verifier(), cp)
	if err != nil {
		return err
	}
	if err := p.log.SaveCosigned(ctx, t.c.Key.Name(), tree.N, cp); err != nil {
		return err
	}
	t.succeed(tree.N, cp)
	return nil
}

func (t *target) fail(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.err, t.tried = err, true
}

func (t *target) succeed(size int64, cosigned []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.size, t.err, t.tried = size, nil, true
	if v, ok := t.c.Key.(*audit.CosignatureVerifier); ok {
		if at, err := audit.CosignatureTime(v, cosigned); err == nil {
			t.at = at
		}
	}
}

// Status reports each witness, in the order given to NewPublisher.
func (p *Publisher) Status() []Status {
	out := make([]Status, len(p.targets))
	for i, t := range p.targets {
		t.mu.Lock()
		out[i] = Status{Witness: t.c.Key.Name(), URL: t.c.URL, CosignedSize: t.size, CosignedAt: t.at, Err: t.err}
		t.mu.Unlock()
	}
	return out
}
