package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventgen"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
	"github.com/opencredit/opencredit/storetest"
)

func open(t *testing.T) opencredit.Store {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, open)
}

// TestPIINotInClear reads the database file's subjects table directly: the
// name and national id must appear nowhere in it.
func TestPIINotInClear(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "opencredit.db")
	db, err := sqlite.Open(ctx, path, pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	p := opencredit.PII{Name: "Zebulon Quartermaine", NationalID: "QX-998877-Z", DateOfBirth: "1977-07-07"}
	if err := db.CreateSubject(ctx, "s1", p, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var id string
	var sealed, hash []byte
	if err := raw.QueryRow(`SELECT id, pii, national_id_hash FROM subjects`).Scan(&id, &sealed, &hash); err != nil {
		t.Fatal(err)
	}
	for _, clear := range []string{p.Name, "Zebulon", p.NationalID, "QX998877Z", "998877", string(p.DateOfBirth)} {
		if bytes.Contains(sealed, []byte(clear)) || bytes.Contains(hash, []byte(clear)) {
			t.Errorf("the subjects row holds %q in clear", clear)
		}
	}
	if len(hash) != 32 {
		t.Errorf("national_id_hash has %d bytes, want an HMAC-SHA-256 of 32", len(hash))
	}
	// And the file as a whole, WAL checkpointed by Close.
	for _, f := range []string{path, path + "-wal"} {
		b, _ := readFile(f)
		if bytes.Contains(b, []byte(p.Name)) || bytes.Contains(b, []byte("QX998877Z")) || bytes.Contains(b, []byte(p.NationalID)) {
			t.Errorf("%s holds the name or national id in clear", filepath.Base(f))
		}
	}
}

func TestOpenRefusesWithoutKey(t *testing.T) {
	_, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "x.db"), pii.Keys{})
	if opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Fatalf("Open without a key: %v, want EINVALID", err)
	}
}

// TestReopen checks that data persists and that reopening applies no
// migration twice.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "opencredit.db")
	migrations := -1
	for i := range 3 {
		db, err := sqlite.Open(ctx, path, pii.DemoKeys())
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := db.CreateSubject(ctx, "s1", opencredit.PII{Name: "A"}, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		if p, err := db.SubjectPII(ctx, "s1"); err != nil || p.Name != "A" {
			t.Fatalf("open %d: PII %+v, %v", i, p, err)
		}
		db.Close()
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := raw.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n == 0 {
			t.Fatalf("schema_migrations holds %d rows (%v)", n, err)
		}
		raw.Close()
		if migrations >= 0 && n != migrations {
			t.Fatalf("open %d: schema_migrations holds %d rows, %d before", i, n, migrations)
		}
		migrations = n
	}
}

// TestPIIWrongKey opens a store with another key: the PII must not decrypt.
func TestPIIWrongKey(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "opencredit.db")
	db, err := sqlite.Open(ctx, path, pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSubject(ctx, "s1", opencredit.PII{Name: "A", NationalID: "N1"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	other, err := pii.ParseKey("1111111111111111111111111111111111111111111111111111111111111111")
	if err != nil {
		t.Fatal(err)
	}
	// The key check refuses the store at once (TestKeyCheck has the rest).
	if db, err = sqlite.Open(ctx, path, other); opencredit.ErrorCode(err) != opencredit.EINVALID {
		if err == nil {
			db.Close()
		}
		t.Fatalf("opened under another key: %v", err)
	}
}

func readFile(path string) ([]byte, error) { return os.ReadFile(path) }

// TestTwoStoresOnOneFile writes one file through two stores, as a server
// and a CLI import might: what one store caches must not hide what the
// other wrote.
func TestTwoStoresOnOneFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "opencredit.db")
	a, err := sqlite.Open(ctx, path, pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sqlite.Open(ctx, path, pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"s1", "s2"} {
		if err := a.CreateSubject(ctx, s, opencredit.PII{}, day); err != nil {
			t.Fatal(err)
		}
		if err := a.GrantConsent(ctx, opencredit.Consent{Subject: s, Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: day}); err != nil {
			t.Fatal(err)
		}
	}
	inq := func(id, subject string, at time.Time) opencredit.Event {
		return opencredit.Event{SpecVersion: "1.0", ID: id, Source: "f1", Subject: subject, Type: opencredit.TypeInquiry, Time: at,
			Data: []byte(`{"kind":"hard","purpose":"credit_application"}`)}
	}
	ingestOne := func(db *sqlite.DB, e opencredit.Event) opencredit.IngestResult {
		t.Helper()
		res, err := db.Ingest(ctx, []opencredit.Event{e})
		if err != nil {
			t.Fatal(err)
		}
		return res[0]
	}
	// a learns s1 and s2 and their states.
	for i, s := range []string{"s1", "s2"} {
		if r := ingestOne(a, inq(fmt.Sprint("a", i), s, day.AddDate(0, 1, 0))); r.Status != opencredit.Accepted {
			t.Fatalf("%+v", r)
		}
	}
	// b changes both behind a's back.
	if r := ingestOne(b, inq("b1", "s2", day.AddDate(0, 2, 0))); r.Status != opencredit.Accepted {
		t.Fatalf("%+v", r)
	}
	if err := b.DeleteSubject(ctx, "s1", day.AddDate(0, 3, 0)); err != nil {
		t.Fatal(err)
	}
	if r := ingestOne(a, inq("a3", "s1", day.AddDate(0, 4, 0))); r.Reason != opencredit.ReasonUnknownSubject {
		t.Fatalf("an event for a subject erased by another store: %+v, want unknown_subject", r)
	}
	if r := ingestOne(a, inq("a4", "s2", day.AddDate(0, 4, 0))); r.Status != opencredit.Accepted {
		t.Fatalf("%+v", r)
	}
	asOf := day.AddDate(0, 5, 0)
	live, err := a.Features(ctx, "s2", asOf)
	if err != nil {
		t.Fatal(err)
	}
	re, err := a.RecomputeFeatures(ctx, "s2", asOf)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(live.Values, re.Values) || live.Values["hard_inquiries_6m"] != 3 {
		t.Fatalf("live %v, recomputed %v: the other store's event was lost", live.Values, re.Values)
	}
	// a has cached s2's consent to f1 as open; b withdraws it.
	if err := b.WithdrawConsent(ctx, "s2", "f1", opencredit.PurposeFurnishing, time.Now()); err != nil {
		t.Fatal(err)
	}
	if r := ingestOne(a, inq("a5", "s2", day.AddDate(0, 4, 0))); r.Reason != opencredit.ReasonNoConsent {
		t.Fatalf("an event after another store withdrew the consent: %+v, want no_consent", r)
	}
}

// TestConcurrentIngest ingests from several goroutines while others read:
// batches serialise on the writer connection, nothing is lost, and the
// live features equal a recomputation.
func TestConcurrentIngest(t *testing.T) {
	ctx := context.Background()
	db := open(t).(*sqlite.DB)
	defer db.Close()
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	g, events := generatedPeople(t, db, eventgen.GenConfig{Seed: 5, Subjects: 30, Furnishers: 3, Start: start, Months: 12})
	const writers = 4
	var wg sync.WaitGroup
	errs := make(chan error, 2*writers)
	for w := range writers {
		wg.Go(func() {
			for i := w * 50; i < len(events); i += writers * 50 {
				// Each writer also re-sends its neighbour's first event.
				batch := append(slices.Clone(events[i:min(i+50, len(events))]), events[(i+50)%len(events)])
				if _, err := db.Ingest(ctx, batch); err != nil {
					errs <- err
					return
				}
			}
		})
		wg.Go(func() {
			for _, s := range g.SubjectIDs() {
				if _, err := db.Features(ctx, s, start.AddDate(1, 0, 0)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	n := 0
	for _, s := range g.SubjectIDs() {
		evs, err := db.Events(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		n += len(evs)
		asOf := start.AddDate(1, 0, 0)
		live, err := db.Features(ctx, s, asOf)
		if err != nil {
			t.Fatal(err)
		}
		re, err := db.RecomputeFeatures(ctx, s, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(live.Values, re.Values) {
			t.Fatalf("subject %s: live %v, recomputed %v", s, live.Values, re.Values)
		}
	}
	if n != len(events) {
		t.Fatalf("%d events stored, %d sent", n, len(events))
	}
}

// generatedPeople registers in db the subjects and consents of a generator
// made from cfg, and returns it with all the events it makes.
func generatedPeople(t *testing.T, db *sqlite.DB, cfg eventgen.GenConfig) (*eventgen.Generator, []opencredit.Event) {
	t.Helper()
	ctx := context.Background()
	g := eventgen.NewGenerator(cfg)
	for _, s := range g.SubjectIDs() {
		if err := db.CreateSubject(ctx, s, opencredit.PII{}, cfg.Start); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range g.Consents() {
		if err := db.GrantConsent(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	var events []opencredit.Event
	for e, ok := g.Next(); ok; e, ok = g.Next() {
		events = append(events, e)
	}
	return g, events
}

// TestErasureLeavesNoPII looks under the store after an erasure: no sealed
// PII, no national-id hash, no event and no feature state of the person
// is left in the file, only the tombstone and the erasure's record.
func TestErasureLeavesNoPII(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "opencredit.db")
	db, err := sqlite.Open(ctx, path, pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := db.CreateSubject(ctx, "p1", opencredit.PII{Name: "Ann", NationalID: "N-1"}, created); err != nil {
		t.Fatal(err)
	}
	if err := db.GrantConsent(ctx, opencredit.Consent{Subject: "p1", Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: created}); err != nil {
		t.Fatal(err)
	}
	ev := opencredit.Event{SpecVersion: "1.0", ID: "e1", Source: "f1", Type: opencredit.TypeInquiry, Subject: "p1",
		Time: created.AddDate(0, 1, 0), DataContentType: "application/json", Data: []byte(`{"kind":"hard","purpose":"credit_application"}`)}
	if res, err := db.Ingest(ctx, []opencredit.Event{ev}); err != nil || res[0].Status != opencredit.Accepted {
		t.Fatalf("ingest %+v %v", res, err)
	}
	if err := db.DeleteSubject(ctx, "p1", created.AddDate(0, 2, 0)); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for q, want := range map[string]int{
		`SELECT count(*) FROM subjects WHERE id = 'p1' AND (pii IS NOT NULL OR national_id_hash IS NOT NULL)`: 0,
		`SELECT count(*) FROM subjects WHERE id = 'p1' AND deleted_at IS NOT NULL`:                            1,
		`SELECT count(*) FROM events WHERE subject = 'p1'`:                                                    0,
		`SELECT count(*) FROM feature_states WHERE subject = 'p1'`:                                            0,
		`SELECT count(*) FROM erasures WHERE subject = 'p1'`:                                                  1,
	} {
		var n int
		if err := raw.QueryRow(q).Scan(&n); err != nil || n != want {
			t.Errorf("%s = %d, %v; want %d", q, n, err, want)
		}
	}
}
