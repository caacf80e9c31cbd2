package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventfile"
	"github.com/opencredit/opencredit/importer"
)

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
			if batchSize < 1 || batchSize > importer.MaxBatch {
				return opencredit.Errorf(opencredit.EINVALID, "--batch must be between 1 and %d", importer.MaxBatch)
			}
			path := args[0]
			in, err := openEventFile(path, format, "importing", quiet, stderr)
			if err != nil {
				return err
			}
			defer in.Close()
			r := in.Reader
			st, err := sf.open(cmd.Context(), getenv)
			if err != nil {
				return err
			}
			defer st.Close()

			if rejects == "" {
				rejects = path + ".rejects.ndjson"
			}
			rw := &lazyFile{path: rejects}
			opt := importer.Options{Batch: batchSize, Rejects: rw}
			if progressJSON {
				opt.Progress = func(s importer.Summary) {
					b, _ := json.Marshal(s)
					fmt.Fprintf(stdout, "%s\n", b)
				}
			}
			sum, err := importer.Import(cmd.Context(), r, st, opt)
			if err != nil {
				rw.Close()
				return fmt.Errorf("%s: %w", path, err)
			}
			in.Finish()
			if err := rw.Close(); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "%s: %d lines: %d accepted, %d duplicates, %d rejected\n", path, sum.Lines, sum.Accepted, sum.Duplicates, sum.RejectedTotal())
			reasons := make([]string, 0, len(sum.Rejected))
			for r := range sum.Rejected {
				reasons = append(reasons, r)
			}
			sort.Strings(reasons)
			for _, r := range reasons {
				fmt.Fprintf(stderr, "  rejected %-16s %d\n", r, sum.Rejected[r])
			}
			if rw.f != nil {
				fmt.Fprintf(stderr, "rejected lines: %s\n", rejects)
			}
			return nil
		},
	}
	sf.register(c)
	c.Flags().StringVar(&format, "format", "", "ndjson or csv (default: from the file name)")
	c.Flags().StringVar(&rejects, "rejects", "", "where rejected lines go, with their line numbers (default: FILE.rejects.ndjson)")
	c.Flags().IntVar(&batchSize, "batch", importer.DefaultBatch, "events per transaction")
	c.Flags().BoolVar(&progressJSON, "progress-json", false, "print a JSON summary line after every committed batch")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	return c
}

// lazyFile is a file created on the first write, so that an import which
// rejects nothing leaves no reject file. Every write reaches the file before
// it returns (importer.Import writes once per batch): the rejects of a
// committed batch survive a crash after it.
type lazyFile struct {
	path string
	f    *os.File
}

func (l *lazyFile) Write(p []byte) (int, error) {
	if l.f == nil {
		f, err := os.Create(l.path)
		if err != nil {
			return 0, err
		}
		l.f = f
	}
	return l.f.Write(p)
}

// Close closes the file, if it was created.
func (l *lazyFile) Close() error {
	if l.f == nil {
		return nil
	}
	return l.f.Close()
}

// eventInput is an event file open for reading, behind a progress bar on
// stderr unless quiet.
type eventInput struct {
	Reader eventfile.Reader
	f      *os.File
	bar    *progressbar.ProgressBar
}

// openEventFile opens path in format (by its extension when empty) for
// import and publish, verb naming what the progress bar shows.
func openEventFile(path, format, verb string, quiet bool, stderr io.Writer) (*eventInput, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "%v", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	fm := eventfile.Format(format)
	if format == "" {
		fm = eventfile.FormatOf(path)
	}
	in := &eventInput{f: f}
	var src io.Reader = f
	if !quiet {
		in.bar = progressbar.NewOptions64(info.Size(),
			progressbar.OptionSetWriter(stderr), progressbar.OptionShowBytes(true),
			progressbar.OptionSetDescription(verb), progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
		pr := progressbar.NewReader(f, in.bar)
		src = &pr
	}
	if in.Reader, err = eventfile.NewReader(src, fm); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return in, nil
}

// Finish completes and clears the progress bar, before a summary is printed.
func (in *eventInput) Finish() {
	if in.bar != nil {
		in.bar.Finish()
	}
}

// Close closes the file.
func (in *eventInput) Close() error { return in.f.Close() }
