package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/event"
	"github.com/opencredit/opencredit/eventfile"
)

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
// and lock time: importing 1.5 million events into SQLite peaked at 980 MB
// resident in batches of 100,000 against 677 MB in batches of 5,000 (up to
// 256 MB of either is SQLite's page cache), and the writer holds SQLite's
// write lock for about two seconds per batch.
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
			sum := importSummary{Rejected: map[string]int{}}
			var batch []opencredit.Event
			var batchLines []int
			var batchRaw [][]byte
			flush := func(upTo int) error {
				if len(batch) > 0 {
					res, err := st.Ingest(cmd.Context(), batch)
					if err != nil {
						return fmt.Errorf("%s: batch ending at line %d was not stored: %w", path, upTo, err)
					}
					for i, r := range res {
						switch r.Status {
						case opencredit.Accepted:
							sum.Accepted++
						case opencredit.Duplicate:
							sum.Duplicates++
						default:
							sum.Rejected[r.Reason]++
							if err := reject(batchLines[i], r.Reason, r.Detail, batchRaw[i]); err != nil {
								return err
							}
						}
					}
				}
				batch, batchLines, batchRaw = batch[:0], batchLines[:0], batchRaw[:0]
				if rejectW != nil {
					if err := rejectW.Flush(); err != nil {
						return err
					}
				}
				sum.Committed = upTo
				if progressJSON {
					b, _ := json.Marshal(sum)
					fmt.Fprintf(stdout, "%s\n", b)
				}
				return nil
			}
			lastLine := 0
			for {
				rec, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					return fmt.Errorf("%s: %w", path, err)
				}
				sum.Lines++
				lastLine = rec.Line
				switch {
				case rec.TooLarge:
					sum.Rejected[opencredit.ReasonTooLarge]++
					if err := reject(rec.Line, opencredit.ReasonTooLarge, fmt.Sprintf("the event is larger than %d bytes", opencredit.MaxEventBytes), nil); err != nil {
						return err
					}
					continue
				case rec.Err != nil:
					sum.Rejected[opencredit.ReasonInvalid]++
					if err := reject(rec.Line, opencredit.ReasonInvalid, rec.Err.Error(), nil); err != nil {
						return err
					}
					continue
				}
				e, _, p := event.Decode(rec.Raw, time.Now())
				if p == nil && e.Source == opencredit.PlatformSource {
					p = &event.Problem{Reason: opencredit.ReasonInvalid, Path: "source",
						Message: fmt.Sprintf("%q is reserved for the platform's own records", opencredit.PlatformSource)}
				}
				if p != nil {
					sum.Rejected[p.Reason]++
					if err := reject(rec.Line, p.Reason, p.Error(), rec.Raw); err != nil {
						return err
					}
					continue
				}
				batch = append(batch, e)
				batchLines = append(batchLines, rec.Line)
				batchRaw = append(batchRaw, rec.Raw)
				if len(batch) >= batchSize {
					if err := flush(rec.Line); err != nil {
						return err
					}
				}
			}
			if err := flush(lastLine); err != nil {
				return err
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
