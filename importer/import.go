package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventfile"
	"github.com/opencredit/opencredit/eventjson"
)

// DefaultBatch is the number of events import and bench ingest store per
// transaction. Each transaction rewrites the feature state of every subject
// it touches and every index page its events land on, once however many of
// its events share them, so large transactions write less per event: on
// 1,000,000 generated events for 50,000 people, SQLite stored 29,431
// events/s in batches of 5,000, 45,855 in batches of 50,000 and 60,895 in
// batches of 100,000 (README, Benchmarks). The price is memory and lock
// time: importing 1.5 million events into SQLite, with the next batch read
// while one is stored, peaked at 1.25 GB resident in batches of 100,000
// against 0.83 GB in batches of 20,000 (up to 256 MB of either is SQLite's
// page cache), and the writer holds SQLite's write lock for about two
// seconds per batch.
const DefaultBatch = 100_000

// MaxBatch bounds the batch size: a batch is held in memory whole.
const MaxBatch = 1_000_000

// Ingester is the part of opencredit.Store an import needs.
type Ingester interface {
	Ingest(ctx context.Context, events []opencredit.Event) ([]opencredit.IngestResult, error)
}

// Options are an import's choices; the zero value imports in batches of
// DefaultBatch, writes no rejects and reports no progress.
type Options struct {
	// Batch is the number of events per transaction, at most MaxBatch;
	// 0 means DefaultBatch.
	Batch int
	// Rejects receives one JSON RejectLine per refused line, in line order.
	// It is written once per batch that refused lines and never otherwise,
	// so a writer that creates its file on the first write leaves no file
	// behind when nothing is refused.
	Rejects io.Writer
	// Progress, if not nil, is called with the running summary after every
	// committed batch, and once for a file without lines.
	Progress func(Summary)
	// Now is the clock events are decoded against (a time too far after it
	// is in the future); nil means time.Now.
	Now func() time.Time
}

// Summary counts what an import did. Its JSON is the line
// 'opencredit import --progress-json' prints after every batch.
type Summary struct {
	Lines      int            `json:"lines"`
	Accepted   int            `json:"accepted"`
	Duplicates int            `json:"duplicates"`
	Rejected   map[string]int `json:"rejected"`
	Committed  int            `json:"committed_lines"` // lines up to which every batch is committed
}

// RejectedTotal is the number of lines rejected for any reason.
func (s *Summary) RejectedTotal() int {
	n := 0
	for _, c := range s.Rejected {
		n += c
	}
	return n
}

// RejectLine is one line of the reject output: a refused line's number,
// the reason and what exactly was wrong, and the event when it is JSON.
type RejectLine struct {
	Line   int             `json:"line"`
	Reason string          `json:"reason"`
	Detail string          `json:"detail,omitempty"`
	Event  json.RawMessage `json:"event,omitempty"`
}

// Import reads r to its end and stores its events in st in batches, one
// transaction each, while the next batch is read and decoded on another
// goroutine. It returns the summary so far with an error that stops it: a
// read error, or a batch the store did not take, in which case every batch
// before it is committed (Summary.Committed says up to which line). When ctx
// ends between batches, Import stops there and returns what it committed.
func Import(ctx context.Context, r eventfile.Reader, st Ingester, opt Options) (Summary, error) {
	size := opt.Batch
	if size == 0 {
		size = DefaultBatch
	}
	if size < 1 || size > MaxBatch {
		return Summary{}, opencredit.Errorf(opencredit.EINVALID, "the batch size must be between 1 and %d", MaxBatch)
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan chunk, 1)
	go readChunks(ctx, r, size, now, chunks)
	sum := Summary{Rejected: map[string]int{}}
	chunksDone := 0
	var buf bytes.Buffer
	for c := range chunks {
		if c.err != nil {
			return sum, c.err
		}
		refused := c.refused
		if len(c.batch) > 0 {
			res, err := st.Ingest(ctx, c.batch)
			if err != nil {
				return sum, fmt.Errorf("batch ending at line %d was not stored: %w", c.upTo, err)
			}
			for i, r := range res {
				switch r.Status {
				case opencredit.Accepted:
					sum.Accepted++
				case opencredit.Duplicate:
					sum.Duplicates++
				default:
					refused = append(refused, refusal{line: c.lines[i], reason: r.Reason, detail: r.Detail, raw: c.raws[i]})
				}
			}
		}
		slices.SortFunc(refused, func(a, b refusal) int { return a.line - b.line })
		buf.Reset()
		for _, x := range refused {
			sum.Rejected[x.reason]++
			rl := RejectLine{Line: x.line, Reason: x.reason, Detail: x.detail}
			if json.Valid(x.raw) {
				rl.Event = x.raw
			}
			b, _ := json.Marshal(rl)
			buf.Write(append(b, '\n'))
		}
		if opt.Rejects != nil && buf.Len() > 0 {
			if _, err := opt.Rejects.Write(buf.Bytes()); err != nil {
				return sum, err
			}
		}
		sum.Lines += c.nLines
		sum.Committed = c.upTo
		if opt.Progress != nil {
			opt.Progress(sum)
		}
		chunksDone++
	}
	if opt.Progress != nil && chunksDone == 0 { // an empty file still gets its one report
		opt.Progress(sum)
	}
	return sum, nil
}

// chunk is the part of an import file from the line after the last chunk
// to upTo: the events to ingest as one batch, with their line numbers and
// text, and the lines refused before ingestion. A chunk with err set ends
// the file early.
type chunk struct {
	batch   []opencredit.Event
	lines   []int
	raws    [][]byte
	refused []refusal
	nLines  int
	upTo    int
	err     error
}

// refusal is a refused line, for the reject output.
type refusal struct {
	line           int
	reason, detail string
	raw            []byte
}

// readChunks reads r into chunks of up to size events, decoding each line
// at now(), and sends them on out, which it closes at the end of the file,
// after an error (sent as the last chunk), or when ctx is done.
func readChunks(ctx context.Context, r eventfile.Reader, size int, now func() time.Time, out chan<- chunk) {
	defer close(out)
	send := func(c chunk) bool {
		select {
		case out <- c:
			return true
		case <-ctx.Done():
			return false
		}
	}
	c := chunk{}
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			send(chunk{err: err})
			return
		}
		c.nLines++
		c.upTo = rec.Line
		switch {
		case rec.TooLarge:
			c.refused = append(c.refused, refusal{line: rec.Line, reason: opencredit.ReasonTooLarge,
				detail: fmt.Sprintf("the event is larger than %d bytes", opencredit.MaxEventBytes)})
			continue
		case rec.Err != nil:
			c.refused = append(c.refused, refusal{line: rec.Line, reason: opencredit.ReasonInvalid, detail: rec.Err.Error()})
			continue
		}
		e, _, p := eventjson.Decode(rec.Raw, now())
		if p == nil && e.Source == opencredit.PlatformSource {
			p = &eventjson.Problem{Reason: opencredit.ReasonInvalid, Path: "source",
				Message: fmt.Sprintf("%q is reserved for the platform's own records", opencredit.PlatformSource)}
		}
		if p != nil {
			c.refused = append(c.refused, refusal{line: rec.Line, reason: p.Reason, detail: p.Error(), raw: rec.Raw})
			continue
		}
		c.batch = append(c.batch, e)
		c.lines = append(c.lines, rec.Line)
		c.raws = append(c.raws, rec.Raw)
		if len(c.batch) >= size {
			if !send(c) {
				return
			}
			c = chunk{}
		}
	}
	if c.nLines > 0 {
		send(c)
	}
}
