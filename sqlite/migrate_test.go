package sqlite_test

import (
	"context"
	"database/sql"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventgen"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
)

// The events and feature_states tables as migrations 0001 to 0003 left
// them, with immediate foreign keys.
const schemaBefore0004 = `
CREATE TABLE events_old (
    source       TEXT NOT NULL,
    id           TEXT NOT NULL,
    subject      TEXT NOT NULL REFERENCES subjects (id),
    type         TEXT NOT NULL,
    time         BIGINT NOT NULL,
    received_at  BIGINT NOT NULL,
    content_type TEXT NOT NULL DEFAULT '',
    data         BYTEA NOT NULL,
    suppressed   BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (source, id)
);
INSERT INTO events_old SELECT source, id, subject, type, time, received_at, content_type, data, suppressed FROM events;
DROP TABLE events;
ALTER TABLE events_old RENAME TO events;
CREATE INDEX events_subject_time ON events (subject, time);
CREATE TABLE feature_states_old (
    subject    TEXT PRIMARY KEY REFERENCES subjects (id),
    state      BYTEA NOT NULL,
    updated_at BIGINT NOT NULL
);
INSERT INTO feature_states_old SELECT subject, state, updated_at FROM feature_states;
DROP TABLE feature_states;
ALTER TABLE feature_states_old RENAME TO feature_states;
DELETE FROM schema_migrations WHERE version = '0004_deferred_keys';
`

// TestMigration0004KeepsData takes a store with events back to the schema
// before migration 0004, reopens it, and checks that the migration kept
// every event and state, deferred the foreign keys, and still enforces them.
func TestMigration0004KeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "opencredit.db")
	db, err := sqlite.Open(ctx, path, pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	g, events := generatedPeople(t, db, eventgen.GenConfig{Seed: 3, Subjects: 20, Furnishers: 3, Start: start, Months: 12})
	if _, err := db.Ingest(ctx, events); err != nil {
		t.Fatal(err)
	}
	asOf := start.AddDate(1, 0, 0)
	before := map[string][]opencredit.StoredEvent{}
	features := map[string]map[string]float64{}
	for _, s := range g.SubjectIDs() {
		if before[s], err = db.Events(ctx, s); err != nil {
			t.Fatal(err)
		}
		fv, err := db.Features(ctx, s, asOf)
		if err != nil {
			t.Fatal(err)
		}
		features[s] = fv.Values
	}
	db.Close()

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(schemaBefore0004); err != nil {
		t.Fatal(err)
	}
	if sql := tableSQL(t, raw, "events"); strings.Contains(sql, "DEFERRABLE") {
		t.Fatalf("the test did not restore the old schema: %s", sql)
	}
	raw.Close()

	db, err = sqlite.Open(ctx, path, pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	for _, s := range g.SubjectIDs() {
		after, err := db.Events(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(before[s], after, func(a, b opencredit.StoredEvent) bool {
			return a.ID == b.ID && a.Source == b.Source && a.Time.Equal(b.Time) && string(a.Data) == string(b.Data) &&
				a.ReceivedAt.Equal(b.ReceivedAt) && a.Suppressed == b.Suppressed
		}) {
			t.Fatalf("subject %s: events changed in the migration", s)
		}
		n += len(after)
		fv, err := db.Features(ctx, s, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(fv.Values, features[s]) {
			t.Fatalf("subject %s: features changed in the migration", s)
		}
	}
	if n != len(events) {
		t.Fatalf("%d events after the migration, %d ingested", n, len(events))
	}

	raw, err = sql.Open("sqlite", path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, table := range []string{"events", "feature_states"} {
		if sql := tableSQL(t, raw, table); !strings.Contains(sql, "DEFERRABLE INITIALLY DEFERRED") {
			t.Errorf("%s after migration 0004: %s", table, sql)
		}
	}
	// Deferred, the key is checked at COMMIT: an event of nobody fails there.
	tx, err := raw.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO events (source, id, subject, type, time, received_at, data) VALUES ('f', 'x', 'nobody', 't', 0, 0, x'')`); err != nil {
		t.Fatalf("insert: %v (a deferred key is checked at commit)", err)
	}
	if err := tx.Commit(); err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Fatalf("commit of an event of an unknown subject: %v, want a FOREIGN KEY failure", err)
	}
}

func tableSQL(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	var s string
	if err := db.QueryRow(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?`, table).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestOpenRefusesNewerDatabase: a store file that records a migration this
// build does not have is refused with a message naming it, not opened.
func TestOpenRefusesNewerDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "opencredit.db")
	db, err := sqlite.Open(ctx, path, pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES ('9999_from_the_future', 0)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if db, err := sqlite.Open(ctx, path, pii.DemoKeys()); opencredit.ErrorCode(err) != opencredit.ECONFLICT || !strings.Contains(err.Error(), "9999_from_the_future") {
		if err == nil {
			db.Close()
		}
		t.Fatalf("Open of a newer store = %v, want ECONFLICT naming 9999_from_the_future", err)
	}
}
