package postgres_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/postgres"
	"github.com/opencredit/opencredit/storetest"
)

// testDSN returns the connection string of the test database, skipping the
// test when none is configured.
func testDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("OPENCREDIT_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("set OPENCREDIT_TEST_POSTGRES=postgres://… to run the PostgreSQL tests " +
			"(e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	return dsn
}

// newSchema returns a schema name no other test, process or machine sharing
// the database uses, and drops that schema when the test ends.
func newSchema(t testing.TB) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	schema := "opencredit_test_" + hex.EncodeToString(b[:])
	dsn := testDSN(t)
	t.Cleanup(func() {
		if err := postgres.DropSchema(context.Background(), dsn, schema); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
	})
	return schema
}

// openDB opens a store in a fresh schema, closed and dropped when the test ends.
func openDB(t testing.TB, keys pii.Keys) (*postgres.DB, string) {
	t.Helper()
	schema := newSchema(t)
	db, err := postgres.OpenSchema(context.Background(), testDSN(t), schema, keys)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, schema
}

// rawConn connects to the test database with schema as search_path, to
// look at what the store wrote.
func rawConn(t testing.TB, schema string) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(testDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["search_path"] = schema
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func TestConformance(t *testing.T) {
	testDSN(t)
	storetest.Run(t, func(t *testing.T) opencredit.Store {
		// The suite closes the store before this test's cleanup drops the
		// schema: cleanups run last registered first.
		schema := newSchema(t)
		db, err := postgres.OpenSchema(context.Background(), testDSN(t), schema, pii.DemoKeys())
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}

// TestPIINotInClear reads every column of the subjects table as text: the
// name, the national id and the date of birth must appear nowhere.
func TestPIINotInClear(t *testing.T) {
	ctx := context.Background()
	db, schema := openDB(t, pii.DemoKeys())
	p := opencredit.PII{Name: "Zebulon Quartermaine", NationalID: "QX-998877-Z", DateOfBirth: "1977-07-07"}
	if err := db.CreateSubject(ctx, "s1", p, time.Now()); err != nil {
		t.Fatal(err)
	}
	conn := rawConn(t, schema)
	var row string
	var sealed, hash []byte
	if err := conn.QueryRow(ctx, `SELECT s::text, pii, national_id_hash FROM subjects s WHERE id = 's1'`).Scan(&row, &sealed, &hash); err != nil {
		t.Fatal(err)
	}
	for _, clear := range []string{p.Name, "Zebulon", "Quartermaine", p.NationalID, "QX998877Z", "998877", string(p.DateOfBirth), "1977"} {
		if strings.Contains(row, clear) || bytes.Contains(sealed, []byte(clear)) || bytes.Contains(hash, []byte(clear)) {
			t.Errorf("the subjects row holds %q in clear", clear)
		}
		if strings.Contains(row, hex.EncodeToString([]byte(clear))) {
			t.Errorf("the subjects row holds %q hex-encoded", clear)
		}
	}
	if len(hash) != 32 {
		t.Errorf("national_id_hash has %d bytes, want an HMAC-SHA-256 of 32", len(hash))
	}
	if got, err := db.SubjectPII(ctx, "s1"); err != nil || got != p {
		t.Fatalf("SubjectPII = %+v, %v; want %+v", got, err, p)
	}
}

// TestAPIKeyNotInClear reads the clients row as text: the key, raw or
// hex-encoded, must appear nowhere; its SHA-256 must be what is kept.
func TestAPIKeyNotInClear(t *testing.T) {
	ctx := context.Background()
	db, schema := openDB(t, pii.DemoKeys())
	key, hash, err := opencredit.NewAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	c := opencredit.Client{ID: "bank", Role: opencredit.RoleLender, Purposes: []string{opencredit.PurposeAccountReview}, CreatedAt: time.Now()}
	if err := db.CreateClient(ctx, c, hash); err != nil {
		t.Fatal(err)
	}
	var row string
	var stored []byte
	if err := rawConn(t, schema).QueryRow(ctx, `SELECT c::text, key_hash FROM clients c WHERE id = 'bank'`).Scan(&row, &stored); err != nil {
		t.Fatal(err)
	}
	body := strings.TrimPrefix(key, opencredit.APIKeyPrefix)
	if strings.Contains(row, body) || strings.Contains(row, hex.EncodeToString([]byte(body))) {
		t.Errorf("the clients row holds the key: %s", row)
	}
	if !bytes.Equal(stored, opencredit.HashAPIKey(key)) {
		t.Errorf("key_hash is %x, want SHA-256 of the key", stored)
	}
}

// TestPIIWrongKey: a schema whose PII is sealed under one key refuses to
// open under another, naming the remedy, and opens again under its own.
func TestPIIWrongKey(t *testing.T) {
	ctx := context.Background()
	db, schema := openDB(t, pii.DemoKeys())
	if err := db.CreateSubject(ctx, "s1", opencredit.PII{Name: "A", NationalID: "N1"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	other, err := pii.ParseKey(strings.Repeat("1", 64))
	if err != nil {
		t.Fatal(err)
	}
	if db2, err := postgres.OpenSchema(ctx, testDSN(t), schema, other); opencredit.ErrorCode(err) != opencredit.EINVALID || !strings.Contains(err.Error(), "sealed under another key") {
		if err == nil {
			db2.Close()
		}
		t.Fatalf("opened under another key: %v", err)
	}
	// A schema from before the check is judged by a sealed record.
	if _, err := rawConn(t, schema).Exec(ctx, `DELETE FROM key_check`); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.OpenSchema(ctx, testDSN(t), schema, other); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Fatalf("old schema opened under another key: %v", err)
	}
	db3, err := postgres.OpenSchema(ctx, testDSN(t), schema, pii.DemoKeys())
	if err != nil {
		t.Fatalf("its own key: %v", err)
	}
	defer db3.Close()
	if p, err := db3.SubjectPII(ctx, "s1"); err != nil || p.Name != "A" {
		t.Errorf("PII under its own key: %+v, %v", p, err)
	}
}

func TestOpenRefusesWithoutKey(t *testing.T) {
	// Refused before any connection is made, so no database is needed.
	_, err := postgres.Open(context.Background(), "postgres://nobody@127.0.0.1:1/none", pii.Keys{})
	if opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Fatalf("Open without a key: %v, want EINVALID", err)
	}
}

func TestSchemaNames(t *testing.T) {
	ctx := context.Background()
	for _, s := range []string{"", "public", "pg_catalog", "information_schema", "Upper", "a-b", "a;drop", `x"y`, "1abc", strings.Repeat("a", 64)} {
		if _, err := postgres.OpenSchema(ctx, "postgres://nobody@127.0.0.1:1/none", s, pii.DemoKeys()); opencredit.ErrorCode(err) != opencredit.EINVALID {
			t.Errorf("OpenSchema(%q): %v, want EINVALID", s, err)
		}
		if err := postgres.DropSchema(ctx, "postgres://nobody@127.0.0.1:1/none", s); opencredit.ErrorCode(err) != opencredit.EINVALID {
			t.Errorf("DropSchema(%q): %v, want EINVALID", s, err)
		}
	}
}

// TestMigrationsIdempotent opens the same schema again, with OpenSchema and
// with Open through a search_path in the connection string: each migration is
// recorded once and the data stays.
func TestMigrationsIdempotent(t *testing.T) {
	ctx := context.Background()
	dsn := testDSN(t)
	db, schema := openDB(t, pii.DemoKeys())
	if err := db.CreateSubject(ctx, "s1", opencredit.PII{Name: "A"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	reopen := []func() (*postgres.DB, error){
		func() (*postgres.DB, error) { return postgres.OpenSchema(ctx, dsn, schema, pii.DemoKeys()) },
		func() (*postgres.DB, error) { return postgres.Open(ctx, dsn+sep+"search_path="+schema, pii.DemoKeys()) },
	}
	for i, open := range reopen {
		db, err := open()
		if err != nil {
			t.Fatalf("reopen %d: %v", i, err)
		}
		if p, err := db.SubjectPII(ctx, "s1"); err != nil || p.Name != "A" {
			t.Fatalf("reopen %d: PII %+v, %v", i, p, err)
		}
		db.Close()
	}
	rows, err := rawConn(t, schema).Query(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	versions, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if want := migrationVersions(t); !slices.Equal(versions, want) {
		t.Fatalf("schema_migrations holds %v, want %v", versions, want)
	}
}

// TestConcurrentOpen starts several stores on one new schema at once, as
// processes starting together would: the advisory lock lets each migration
// run once, and no Open fails.
func TestConcurrentOpen(t *testing.T) {
	ctx := context.Background()
	dsn := testDSN(t)
	schema := newSchema(t)
	const n = 6
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			db, err := postgres.OpenSchema(ctx, dsn, schema, pii.DemoKeys())
			if err == nil {
				err = db.CreateSubject(ctx, fmt.Sprintf("s%d", i), opencredit.PII{}, time.Now())
				db.Close()
			}
			errs[i] = err
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("store %d: %v", i, err)
		}
	}
	var count int
	if err := rawConn(t, schema).QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&count); err != nil || count != len(migrationVersions(t)) {
		t.Fatalf("schema_migrations holds %d rows (%v), want %d", count, err, len(migrationVersions(t)))
	}
}

// TestOpenRefusesNewerSchema: a schema that records a migration this build
// does not have is refused with a message naming it.
func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	db, schema := openDB(t, pii.DemoKeys())
	db.Close()
	if _, err := rawConn(t, schema).Exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ('9999_from_the_future', 0)`); err != nil {
		t.Fatal(err)
	}
	if db, err := postgres.OpenSchema(ctx, testDSN(t), schema, pii.DemoKeys()); opencredit.ErrorCode(err) != opencredit.ECONFLICT || !strings.Contains(err.Error(), "9999_from_the_future") {
		if err == nil {
			db.Close()
		}
		t.Fatalf("OpenSchema of a newer schema = %v, want ECONFLICT naming 9999_from_the_future", err)
	}
}

// migrationVersions lists the versions of the migration files in order,
// what a store brought up to date records in schema_migrations.
func migrationVersions(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no migration files (%v)", err)
	}
	slices.Sort(names)
	for i, n := range names {
		names[i] = strings.TrimSuffix(filepath.Base(n), ".sql")
	}
	return names
}

// TestConcurrentDuplicates has two importers send the same events at the
// same moment, many times over, in opposite orders: every event must be
// accepted by exactly one of them and reported a duplicate to the other,
// neither may fail, and the features must equal a recomputation (a double
// count would show there).
func TestConcurrentDuplicates(t *testing.T) {
	ctx := context.Background()
	db, _ := openDB(t, pii.DemoKeys())
	const subjects, perSubject, rounds = 20, 10, 15
	var ids []string
	for s := range subjects {
		id := fmt.Sprintf("s%02d", s)
		ids = append(ids, id)
		if err := db.CreateSubject(ctx, id, opencredit.PII{}, time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if err := db.GrantConsent(ctx, opencredit.Consent{Subject: id, Counterparty: "f1", Purpose: opencredit.PurposeFurnishing,
			GrantedAt: time.Date(2022, 1, 2, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
	}
	day0 := time.Date(2024, 1, 15, 10, 0, 0, 0, time.UTC)
	for r := range rounds {
		var batch []opencredit.Event
		for i := range perSubject {
			for _, s := range ids {
				batch = append(batch, inquiry(fmt.Sprintf("r%d-%s-%d", r, s, i), "f1", s, day0.Add(time.Duration(r*perSubject+i)*time.Hour)))
			}
		}
		reversed := slices.Clone(batch)
		slices.Reverse(reversed)
		results := make([][]opencredit.IngestResult, 2)
		errs := make([]error, 2)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for g, b := range [][]opencredit.Event{batch, reversed} {
			wg.Go(func() {
				<-start
				results[g], errs[g] = db.Ingest(ctx, b)
			})
		}
		close(start)
		wg.Wait()
		for g, err := range errs {
			if err != nil {
				t.Fatalf("round %d, importer %d: %v", r, g, err)
			}
		}
		for i := range batch {
			a, b := results[0][i].Status, results[1][len(batch)-1-i].Status
			if !(a == opencredit.Accepted && b == opencredit.Duplicate || a == opencredit.Duplicate && b == opencredit.Accepted) {
				t.Fatalf("round %d: event %s was %s and %s, want accepted once and duplicate once", r, batch[i].ID, a, b)
			}
		}
	}
	asOf := day0.AddDate(0, 2, 0)
	for _, s := range ids {
		evs, err := db.Events(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != rounds*perSubject {
			t.Fatalf("subject %s has %d events, want %d", s, len(evs), rounds*perSubject)
		}
		live, err := db.Features(ctx, s, asOf)
		if err != nil {
			t.Fatal(err)
		}
		re, err := db.RecomputeFeatures(ctx, s, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(live.Values, re.Values) {
			t.Fatalf("subject %s: live features %v differ from a recomputation %v", s, live.Values, re.Values)
		}
	}
}

// TestConcurrentSameIDsOtherSubjects has two importers send events with the
// same (source, id) for two different subjects at once, in opposite orders.
// Their subject locks do not keep them apart, so they meet on the events'
// primary key: one waits for the other to commit, then finds every id taken
// by an event of another subject, a conflict.
// (Were the rows inserted in batch order, the two would deadlock here.)
func TestConcurrentSameIDsOtherSubjects(t *testing.T) {
	ctx := context.Background()
	db, _ := openDB(t, pii.DemoKeys())
	for _, id := range []string{"sa", "sb"} {
		if err := db.CreateSubject(ctx, id, opencredit.PII{}, time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if err := db.GrantConsent(ctx, opencredit.Consent{Subject: id, Counterparty: "f1", Purpose: opencredit.PurposeFurnishing,
			GrantedAt: time.Date(2022, 1, 2, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
	}
	day0 := time.Date(2024, 1, 15, 10, 0, 0, 0, time.UTC)
	const n, rounds = 300, 10
	for r := range rounds {
		var a, b []opencredit.Event
		for i := range n {
			id := fmt.Sprintf("r%d-e%d", r, i)
			a = append(a, inquiry(id, "f1", "sa", day0.Add(time.Duration(i)*time.Minute)))
			b = append(b, inquiry(id, "f1", "sb", day0.Add(time.Duration(i)*time.Minute)))
		}
		slices.Reverse(b)
		results := make([][]opencredit.IngestResult, 2)
		errs := make([]error, 2)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for g, batch := range [][]opencredit.Event{a, b} {
			wg.Go(func() {
				<-start
				results[g], errs[g] = db.Ingest(ctx, batch)
			})
		}
		close(start)
		wg.Wait()
		for g, err := range errs {
			if err != nil {
				t.Fatalf("round %d, importer %d: %v", r, g, err)
			}
		}
		// The same id for another subject is other content: the loser's
		// copy is a conflict, not a duplicate.
		conflict := func(r opencredit.IngestResult) bool {
			return r.Status == opencredit.Rejected && r.Reason == opencredit.ReasonConflict
		}
		for i := range n {
			x, y := results[0][i], results[1][n-1-i]
			if !(x.Status == opencredit.Accepted && conflict(y) || conflict(x) && y.Status == opencredit.Accepted) {
				t.Fatalf("round %d: event %s was %+v and %+v, want accepted once and a conflict once", r, a[i].ID, x, y)
			}
		}
	}
	total := 0
	for _, s := range []string{"sa", "sb"} {
		evs, err := db.Events(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		total += len(evs)
		asOf := day0.AddDate(0, 1, 0)
		live, err := db.Features(ctx, s, asOf)
		if err != nil {
			t.Fatal(err)
		}
		re, err := db.RecomputeFeatures(ctx, s, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(live.Values, re.Values) {
			t.Fatalf("subject %s: live features %v differ from a recomputation %v", s, live.Values, re.Values)
		}
	}
	if total != n*rounds {
		t.Fatalf("%d events stored, want %d", total, n*rounds)
	}
}

// TestEraseWhileIngesting erases subjects while batches for them are being
// ingested: whichever commits first, an erased subject must keep no events
// and no feature state, and the batch is either all accepted (and then
// erased) or all rejected as unknown_subject.
func TestEraseWhileIngesting(t *testing.T) {
	ctx := context.Background()
	db, schema := openDB(t, pii.DemoKeys())
	conn := rawConn(t, schema)
	day0 := time.Date(2024, 1, 15, 10, 0, 0, 0, time.UTC)
	for r := range 20 {
		s := fmt.Sprintf("s%02d", r)
		if err := db.CreateSubject(ctx, s, opencredit.PII{Name: "X"}, day0.AddDate(-1, 0, 0)); err != nil {
			t.Fatal(err)
		}
		if err := db.GrantConsent(ctx, opencredit.Consent{Subject: s, Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: day0.AddDate(-1, 0, 0)}); err != nil {
			t.Fatal(err)
		}
		var batch []opencredit.Event
		for i := range 200 {
			batch = append(batch, inquiry(fmt.Sprintf("%s-e%d", s, i), "f1", s, day0.Add(time.Duration(i)*time.Hour)))
		}
		var res []opencredit.IngestResult
		var ingestErr, eraseErr error
		start := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() { <-start; res, ingestErr = db.Ingest(ctx, batch) })
		wg.Go(func() { <-start; eraseErr = db.DeleteSubject(ctx, s, time.Now()) })
		close(start)
		wg.Wait()
		if ingestErr != nil || eraseErr != nil {
			t.Fatalf("round %d: ingest %v, erase %v", r, ingestErr, eraseErr)
		}
		counts := map[string]int{}
		for _, x := range res {
			counts[x.Status+"/"+x.Reason]++
		}
		if counts["accepted/"] != len(batch) && counts["rejected/unknown_subject"] != len(batch) {
			t.Fatalf("round %d: outcomes %v, want all accepted or all unknown_subject", r, counts)
		}
		var events, states int
		if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM events WHERE subject = $1), (SELECT count(*) FROM feature_states WHERE subject = $1)`, s).Scan(&events, &states); err != nil {
			t.Fatal(err)
		}
		if events != 0 || states != 0 {
			t.Fatalf("round %d (%v): the erased subject keeps %d events and %d feature states", r, counts, events, states)
		}
	}
}

func inquiry(id, source, subject string, at time.Time) opencredit.Event {
	return opencredit.Event{SpecVersion: "1.0", ID: id, Source: source, Subject: subject, Type: opencredit.TypeInquiry, Time: at,
		DataContentType: "application/json", Data: []byte(`{"kind":"hard","purpose":"credit_application"}`)}
}

// TestConsentCacheAcrossProcesses: a store that has seen a furnishing
// consent open caches it; a withdrawal or an erasure through another store
// on the same database (another process) must still stop the next event
// at once. Without the consent_version counter the first store would
// accept it.
func TestConsentCacheAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	a, schema := openDB(t, pii.DemoKeys())
	b, err := postgres.OpenSchema(ctx, testDSN(t), schema, pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	day0 := time.Date(2024, 1, 15, 10, 0, 0, 0, time.UTC)
	for _, s := range []string{"w", "e"} {
		if err := a.CreateSubject(ctx, s, opencredit.PII{Name: "X"}, day0.AddDate(-1, 0, 0)); err != nil {
			t.Fatal(err)
		}
		if err := a.GrantConsent(ctx, opencredit.Consent{Subject: s, Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: day0.AddDate(-1, 0, 0)}); err != nil {
			t.Fatal(err)
		}
	}
	ingest := func(id, subject string) opencredit.IngestResult {
		t.Helper()
		res, err := a.Ingest(ctx, []opencredit.Event{inquiry(id, "f1", subject, day0)})
		if err != nil || len(res) != 1 {
			t.Fatalf("ingest %s: %v %v", id, res, err)
		}
		return res[0]
	}
	for _, s := range []string{"w", "e"} {
		for i := range 2 { // the second batch is answered from the cache
			if r := ingest(fmt.Sprintf("%s-%d", s, i), s); r.Status != opencredit.Accepted {
				t.Fatalf("before: %+v", r)
			}
		}
	}
	if err := b.WithdrawConsent(ctx, "w", "f1", opencredit.PurposeFurnishing, time.Now()); err != nil {
		t.Fatal(err)
	}
	if r := ingest("w-after", "w"); r.Status != opencredit.Rejected || r.Reason != opencredit.ReasonNoConsent {
		t.Errorf("after another store withdrew the consent: %+v, want rejected for no consent", r)
	}
	if err := b.DeleteSubject(ctx, "e", time.Now()); err != nil {
		t.Fatal(err)
	}
	if r := ingest("e-after", "e"); r.Status != opencredit.Rejected {
		t.Errorf("after another store erased the subject: %+v, want rejected", r)
	}
	// A consent granted again counts at once: absence is never cached.
	if err := b.GrantConsent(ctx, opencredit.Consent{Subject: "w", Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: time.Now().Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if r := ingest("w-again", "w"); r.Status != opencredit.Accepted {
		t.Errorf("after a new grant: %+v, want accepted", r)
	}
}

// TestIngestRetriesAfterConcurrentInsert holds an event inserted but not
// committed by another transaction while a batch carrying the same event
// runs: the batch's look for stored events cannot see it, its INSERT waits
// for the other transaction and then fails on the key, and the batch must
// run again and report the event a duplicate, storing the rest once.
func TestIngestRetriesAfterConcurrentInsert(t *testing.T) {
	ctx := context.Background()
	db, schema := openDB(t, pii.DemoKeys())
	if err := db.CreateSubject(ctx, "s1", opencredit.PII{}, time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := db.GrantConsent(ctx, opencredit.Consent{Subject: "s1", Counterparty: "f1", Purpose: opencredit.PurposeFurnishing,
		GrantedAt: time.Date(2022, 1, 2, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	day0 := time.Date(2024, 1, 15, 10, 0, 0, 0, time.UTC)
	other := rawConn(t, schema)
	tx, err := other.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `INSERT INTO events (source, id, subject, type, time, received_at, data)
VALUES ('f1', 'e2', 's1', $1, $2, $2, '{"kind":"hard","purpose":"credit_application"}')`,
		opencredit.TypeInquiry, day0.Add(time.Minute).UnixNano()); err != nil {
		t.Fatal(err)
	}

	batch := []opencredit.Event{inquiry("e1", "f1", "s1", day0), inquiry("e2", "f1", "s1", day0.Add(time.Minute)), inquiry("e3", "f1", "s1", day0.Add(2*time.Minute))}
	type outcome struct {
		res []opencredit.IngestResult
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := db.Ingest(ctx, batch)
		done <- outcome{res, err}
	}()
	// Wait until the batch waits for the other transaction to end: only its
	// INSERT can (its reads take no lock the other transaction holds).
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int
		if err := other.QueryRow(ctx, `SELECT count(*) FROM pg_locks
WHERE locktype = 'transactionid' AND NOT granted AND transactionid = pg_current_xact_id()::xid`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the batch never waited on the concurrently inserted event")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	out := <-done
	if out.err != nil {
		t.Fatalf("ingest: %v", out.err)
	}
	want := []string{opencredit.Accepted, opencredit.Duplicate, opencredit.Accepted}
	for i, r := range out.res {
		if r.Status != want[i] {
			t.Errorf("event %s: %s, want %s", batch[i].ID, r.Status, want[i])
		}
	}
	evs, err := db.Events(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 3 {
		t.Fatalf("%d events stored, want 3", len(evs))
	}
}

// TestErasureLeavesNoPII looks under the store after an erasure: no sealed
// PII, no national-id hash, no event and no feature state of the person
// is left in the schema, only the tombstone and the erasure's record.
func TestErasureLeavesNoPII(t *testing.T) {
	ctx := context.Background()
	db, schema := openDB(t, pii.DemoKeys())
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
	conn := rawConn(t, schema)
	for q, want := range map[string]int{
		`SELECT count(*) FROM subjects WHERE id = 'p1' AND (pii IS NOT NULL OR national_id_hash IS NOT NULL)`: 0,
		`SELECT count(*) FROM subjects WHERE id = 'p1' AND deleted_at IS NOT NULL`:                            1,
		`SELECT count(*) FROM events WHERE subject = 'p1'`:                                                    0,
		`SELECT count(*) FROM feature_states WHERE subject = 'p1'`:                                            0,
		`SELECT count(*) FROM erasures WHERE subject = 'p1'`:                                                  1,
	} {
		var n int
		if err := conn.QueryRow(ctx, q).Scan(&n); err != nil || n != want {
			t.Errorf("%s = %d, %v; want %d", q, n, err, want)
		}
	}
}
