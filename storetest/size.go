package storetest

import (
	"context"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventgen"
)

// diskSizer is a store that reports its size on disk, which bench size
// reads; every store of this repository is one.
type diskSizer interface {
	DiskSize(ctx context.Context) (total int64, tables map[string]int64, err error)
}

// testDiskSize: a store reports a positive size, the sum of its tables when
// it splits it by table, and a larger one after a thousand events.
func testDiskSize(t *testing.T, newStore func(*testing.T) opencredit.Store) {
	ctx := context.Background()
	st := newStore(t)
	ds, ok := st.(diskSizer)
	if !ok {
		t.Fatalf("%T has no DiskSize", st)
	}
	size := func() int64 {
		t.Helper()
		total, tables, err := ds.DiskSize(ctx)
		check(t, err)
		if total <= 0 {
			t.Fatalf("DiskSize = %d, want positive", total)
		}
		if tables != nil {
			sum := int64(0)
			for _, n := range tables {
				sum += n
			}
			if sum != total || tables["events"] <= 0 {
				t.Fatalf("DiskSize: total %d, tables %v: want the sum, with the events table", total, tables)
			}
		}
		return total
	}
	before := size()
	events, g := eventgen.Sample(eventgen.GenConfig{Seed: 3, Subjects: 20, Furnishers: 2, Start: created}, 1000)
	if err := st.(opencredit.Registrar).Register(ctx, g.SubjectIDs(), created, g.Consents()); err != nil {
		t.Fatal(err)
	}
	res, err := st.Ingest(ctx, events)
	check(t, err)
	allAccepted(t, res)
	if after := size(); after <= before {
		t.Errorf("DiskSize: %d bytes before 1,000 events, %d after: want more", before, after)
	}
}
