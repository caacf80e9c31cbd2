package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventgen"
)

// diskSizer is a store that reports its size on disk: every store of this
// repository (sqlite.DB.DiskSize, postgres.DB.DiskSize).
type diskSizer interface {
	DiskSize(ctx context.Context) (total int64, tables map[string]int64, err error)
}

// SizeConfig is the population Size generates and stores.
type SizeConfig struct {
	Store    string // the kind of store, as reported
	Subjects int
	Months   int
	Batch    int // events per transaction
	Seed     uint64
	Start    time.Time // where the generated histories begin
}

// SizeResult is what bench size prints. Sizes are in bytes, as the store
// reports them (DiskSize) on a fresh store, after registering the people
// with their consents, and after ingesting their events.
type SizeResult struct {
	Store           string  `json:"store"`
	Subjects        int     `json:"subjects"`
	Consents        int     `json:"consents"`
	Months          int     `json:"months"`
	Events          int     `json:"events"`
	Accepted        int     `json:"accepted"`
	EmptyBytes      int64   `json:"empty_bytes"`
	RegisteredBytes int64   `json:"registered_bytes"`
	LoadedBytes     int64   `json:"loaded_bytes"`
	BytesPerSubject float64 `json:"bytes_per_subject"` // (registered − empty) / subjects: the person and their consents
	BytesPerEvent   float64 `json:"bytes_per_event"`   // (loaded − registered) / accepted: the event, its indexes, and its share of the feature states
	// Tables splits LoadedBytes by table where the store can
	// (PostgreSQL); EventsTableBytesPerEvent is the events table's alone
	// (rows, TOAST and indexes) per accepted event.
	Tables                   map[string]int64 `json:"tables,omitempty"`
	EventsTableBytesPerEvent float64          `json:"events_table_bytes_per_event,omitempty"`
	Seed                     uint64           `json:"seed"`
}

// Size generates cfg.Subjects people over cfg.Months months, registers them
// with their furnishing consents on a fresh store and ingests their events
// in batches of cfg.Batch, reading the store's size before, between and
// after. Progress goes to stderr.
func Size(ctx context.Context, cfg SizeConfig, open OpenFunc, stderr io.Writer) (SizeResult, error) {
	tmp, err := os.MkdirTemp("", "opencredit-bench-size-")
	if err != nil {
		return SizeResult{}, err
	}
	defer os.RemoveAll(tmp)
	st, err := open(ctx, "size", filepath.Join(tmp, "store"))
	if err != nil {
		return SizeResult{}, err
	}
	defer st.Close()
	ds, ok := st.(diskSizer)
	reg, rok := st.(opencredit.Registrar)
	if !ok || !rok {
		return SizeResult{}, opencredit.Errorf(opencredit.EINVALID, "bench size: store %s cannot report its size or register people in bulk", cfg.Store)
	}
	res := SizeResult{Store: cfg.Store, Subjects: cfg.Subjects, Months: cfg.Months, Seed: cfg.Seed}
	if res.EmptyBytes, _, err = ds.DiskSize(ctx); err != nil {
		return SizeResult{}, err
	}
	g := eventgen.NewGenerator(eventgen.GenConfig{Seed: cfg.Seed, Subjects: cfg.Subjects, Furnishers: 10, Start: cfg.Start, Months: cfg.Months})
	consents := g.Consents()
	res.Consents = len(consents)
	fmt.Fprintf(stderr, "registering %d subjects and %d consents\n", cfg.Subjects, len(consents))
	if err := reg.Register(ctx, g.SubjectIDs(), cfg.Start, consents); err != nil {
		return SizeResult{}, err
	}
	if res.RegisteredBytes, _, err = ds.DiskSize(ctx); err != nil {
		return SizeResult{}, err
	}
	bar := progressbar.NewOptions(-1, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("events"),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
	batch := make([]opencredit.Event, 0, cfg.Batch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		out, err := st.Ingest(ctx, batch)
		if err != nil {
			return err
		}
		for _, r := range out {
			if r.Status == opencredit.Accepted {
				res.Accepted++
			}
		}
		res.Events += len(batch)
		bar.Add(len(batch))
		batch = batch[:0]
		return nil
	}
	for {
		e, ok := g.Next()
		if !ok {
			break
		}
		if batch = append(batch, e); len(batch) == cfg.Batch {
			if err := flush(); err != nil {
				return SizeResult{}, err
			}
		}
	}
	if err := flush(); err != nil {
		return SizeResult{}, err
	}
	bar.Finish()
	if res.Accepted == 0 {
		return SizeResult{}, opencredit.Errorf(opencredit.EINVALID, "bench size: no event was generated for %d subjects over %d months", cfg.Subjects, cfg.Months)
	}
	if res.LoadedBytes, res.Tables, err = ds.DiskSize(ctx); err != nil {
		return SizeResult{}, err
	}
	res.BytesPerSubject = float64(res.RegisteredBytes-res.EmptyBytes) / float64(cfg.Subjects)
	res.BytesPerEvent = float64(res.LoadedBytes-res.RegisteredBytes) / float64(res.Accepted)
	if n, ok := res.Tables["events"]; ok {
		res.EventsTableBytesPerEvent = float64(n) / float64(res.Accepted)
	}
	return res, nil
}
