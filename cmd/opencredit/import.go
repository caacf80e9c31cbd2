package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventfile"
	"github.com/opencredit/opencredit/eventjson"
)

// importChunk is the part of an import file from the line after the last
// chunk to upTo: the events to ingest as one batch, with their line numbers
// and text, and the lines refused before ingestion. A chunk with err set
// ends the file early.
type importChunk struct {
	batch   []opencredit.Event
	lines   []int
	raws    [][]byte
	refused []refusal
	nLines  int
	upTo    int
	err     error
}

// refusal is a refused line, for the reject file.
type refusal struct {
	line           int
	reason, detail string
	raw            []byte
}

// readChunks reads r into chunks of up to size events, decoding each line,
// and sends them on out, which it closes at the end of the file, after an
// error (sent as the last chunk), or when ctx is done.
func readChunks(ctx context.Context, r eventfile.Reader, size int, out chan<- importChunk) {
	defer close(out)
	send := func(c importChunk) bool {
		select {
		case out <- c:
			return true
		case <-ctx.Done():
			return false
		}
	}
	c := importChunk{}
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			send(importChunk{err: err})
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
		e, _, p := eventjson.Decode(rec.Raw, time.Now())
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
			c = importChunk{}
		}
	}
	if c.nLines > 0 {
		send(c)
	}
}

// importSummary counts what an import did.
type importSummary struct {
	Lines      int            `json:"lines"`
	Accepted   int            `json:"accepted"`
	Duplicates int            `json:"duplicates"`
	Rejected   map[string]int `json:"rejected"`
	Committed  int            `json:"committed_lines"` // lines up to which every batch is committed
}

func (s *importSummary) rejectedTotal() int {
	n := 0
	for _, c := range s.Rejected {
		n += c
	}
	return n
}

// rejectLine is one line of the reject file.
type rejectLine struct {
	Line   int             `json:"line"`
	Reason string          `json:"reason"`
	Detail string          `json:"detail,omitempty"`
	Event  json.RawMessage `json:"event,omitempty"`
}

// defaultImportBatch is the number of events import and bench ingest store
// per transaction. Each transaction rewrites the feature state of every
// subject it touches and every index page its events land on, once however
// many of its events share them, so large transactions write less per
// event: on 1,000,000 generated events for 50,000 people, SQLite stored
// 29,431 events/s in batches of 5,000, 45,855 in batches of 50,000 and
// 60,895 in batches of 100,000 (README, Benchmarks). The price is memory
// and lock time: importing 1.5 million events into SQLite, with the next
// batch read while one is stored, peaked at 1.25 GB resident in batches of
// 100,000 against 0.83 GB in batches of 20,000 (up to 256 MB of either is
// SQLite's page cache), and the writer holds SQLite's write lock for about
// two seconds per batch.
const defaultImportBatch = 100_000

// maxImportBatch bounds --batch: a batch is held in memory whole.
const maxImportBatch = 1_000_000

func newImportCmd(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	var sf storeFlags
	var format, rejects string
	var batchSize int
	var progressJSON, quiet bool
	c := &cobra.Command{
		Use:   "import FILE",
		Short: "Import events from an NDJSON or CSV file: exactly once, features updated as they land",
		Long: `Import reads CloudEvents from FILE (NDJSON, one event per line; or CSV with the header
id,source,type,subject,time,data) and stores them in batches, one transaction each. Every event is
accepted, reported as a duplicate (same source and id as an earlier one: nothing changes), or
rejected with its reason; rejected lines go to the reject file with their line numbers.`,
		Example: "  opencredit import events.ndjson --dir opencredit-data",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if batchSize < 1 || batchSize > maxImportBatch {
				return opencredit.Errorf(opencredit.EINVALID, "--batch must be between 1 and %d", maxImportBatch)
			}
			path := args[0]
			f, err := os.Open(path)
			if err != nil {
				return opencredit.Errorf(opencredit.EINVALID, "%v", err)
			}
			defer f.Close()
			info, err := f.Stat()
			if err != nil {
				return err
			}
			fm := eventfile.Format(format)
			if format == "" {
				fm = eventfile.FormatOf(path)
			}
			var in io.Reader = f
			var bar *progressbar.ProgressBar
			if !quiet {
				bar = progressbar.NewOptions64(info.Size(),
					progressbar.OptionSetWriter(stderr), progressbar.OptionShowBytes(true),
					progressbar.OptionSetDescription("importing"), progressbar.OptionThrottle(200*time.Millisecond),
					progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
				pr := progressbar.NewReader(f, bar)
				in = &pr
			}
			r, err := eventfile.NewReader(in, fm)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			st, err := sf.open(cmd.Context(), getenv)
			if err != nil {
				return err
			}
			defer st.Close()

			if rejects == "" {
				rejects = path + ".rejects.ndjson"
			}
			var rejectFile *os.File
			var rejectW *bufio.Writer
			reject := func(line int, reason, detail string, raw []byte) error {
				if rejectFile == nil {
					if rejectFile, err = os.Create(rejects); err != nil {
						return err
					}
					rejectW = bufio.NewWriter(rejectFile)
				}
				rl := rejectLine{Line: line, Reason: reason, Detail: detail}
				if json.Valid(raw) {
					rl.Event = raw
				}
				b, _ := json.Marshal(rl)
				rejectW.Write(append(b, '\n'))
				return nil
			}
			// A reader goroutine reads and decodes the next chunk of the file
			// while the store ingests the current one.
			ctx, cancel := context.WithCancel(cmd.Context())
			defer cancel()
			chunks := make(chan importChunk, 1)
			go readChunks(ctx, r, batchSize, chunks)
			sum := importSummary{Rejected: map[string]int{}}
			chunksDone := 0
			for c := range chunks {
				if c.err != nil {
					return fmt.Errorf("%s: %w", path, c.err)
				}
				refused := c.refused
				if len(c.batch) > 0 {
					res, err := st.Ingest(ctx, c.batch)
					if err != nil {
						return fmt.Errorf("%s: batch ending at line %d was not stored: %w", path, c.upTo, err)
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
				for _, x := range refused {
					sum.Rejected[x.reason]++
					if err := reject(x.line, x.reason, x.detail, x.raw); err != nil {
						return err
					}
				}
				if rejectW != nil {
					if err := rejectW.Flush(); err != nil {
						return err
					}
				}
				sum.Lines += c.nLines
				sum.Committed = c.upTo
				if progressJSON {
					b, _ := json.Marshal(sum)
					fmt.Fprintf(stdout, "%s\n", b)
				}
				chunksDone++
			}
			if progressJSON && chunksDone == 0 { // an empty file still gets its one line
				b, _ := json.Marshal(sum)
				fmt.Fprintf(stdout, "%s\n", b)
			}
			if bar != nil {
				bar.Finish()
			}
			if rejectFile != nil {
				if err := rejectFile.Close(); err != nil {
					return err
				}
			}
			fmt.Fprintf(stderr, "%s: %d lines: %d accepted, %d duplicates, %d rejected\n", path, sum.Lines, sum.Accepted, sum.Duplicates, sum.rejectedTotal())
			reasons := make([]string, 0, len(sum.Rejected))
			for r := range sum.Rejected {
				reasons = append(reasons, r)
			}
			sort.Strings(reasons)
			for _, r := range reasons {
				fmt.Fprintf(stderr, "  rejected %-16s %d\n", r, sum.Rejected[r])
			}
			if rejectFile != nil {
				fmt.Fprintf(stderr, "rejected lines: %s\n", rejects)
			}
			return nil
		},
	}
	sf.register(c)
	c.Flags().StringVar(&format, "format", "", "ndjson or csv (default: from the file name)")
	c.Flags().StringVar(&rejects, "rejects", "", "where rejected lines go, with their line numbers (default: FILE.rejects.ndjson)")
	c.Flags().IntVar(&batchSize, "batch", defaultImportBatch, "events per transaction")
	c.Flags().BoolVar(&progressJSON, "progress-json", false, "print a JSON summary line after every committed batch")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	return c
}
